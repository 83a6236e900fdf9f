"""Canonical ABI facts of resolved types and functions: size and alignment in linear memory,
the flattened core-wasm types, and whether a call passes its parameters or results through
memory.

The definitions follow the Component Model's Canonical ABI (``CanonicalABI.md``: ``alignment``,
``elem_size``, ``flatten_type``, ``flatten_functype`` with ``MAX_FLAT_PARAMS = 16`` and
``MAX_FLAT_RESULTS = 1``), for 32-bit memories and synchronous calls. Types that are not yet
resolved (``None``) or that form a cycle give ``None`` instead of a figure. Never raises.
"""

from __future__ import annotations

from typing import NamedTuple

from wit_ls.model.resolved import Resolve, RFunc, Ty

MAX_FLAT_PARAMS = 16
MAX_FLAT_RESULTS = 1
# A value must fit in a 32-bit memory: larger types cannot be passed at all.
MAX_SIZE = 2**32 - 1

_SCALARS: dict[str, tuple[int, str]] = {
    "bool": (1, "i32"), "s8": (1, "i32"), "u8": (1, "i32"),
    "s16": (2, "i32"), "u16": (2, "i32"),
    "s32": (4, "i32"), "u32": (4, "i32"), "char": (4, "i32"),
    "s64": (8, "i64"), "u64": (8, "i64"),
    "f32": (4, "f32"), "float32": (4, "f32"),
    "f64": (8, "f64"), "float64": (8, "f64"),
}
# Only this many flat core types are kept (beyond MAX_FLAT_PARAMS they all go through memory);
# the count is exact. This keeps `list<u8, 4000000000>` a few bytes of work.
_KEEP = MAX_FLAT_PARAMS + 1


class TypeAbi(NamedTuple):
    size: int
    align: int
    flat: tuple[str, ...]  # the first core-wasm types, in order (at most _KEEP)
    flat_count: int  # how many core-wasm values the type flattens to


def _abi(size: int, align: int, flat: tuple[str, ...], count: int | None = None) -> TypeAbi:
    return TypeAbi(size, align, flat[:_KEEP], len(flat) if count is None else count)


# Represented by one i32 handle or index: own/borrow, future, stream, error-context.
_HANDLE = _abi(4, 4, ("i32",))


class FuncAbi(NamedTuple):
    flat_params: int
    flat_results: int

    @property
    def params_in_memory(self) -> bool:
        return self.flat_params > MAX_FLAT_PARAMS

    @property
    def results_in_memory(self) -> bool:
        return self.flat_results > MAX_FLAT_RESULTS


def _align_to(offset: int, align: int) -> int:
    return -(-offset // align) * align


def discriminant_size(cases: int) -> int:
    """Bytes of a variant's or enum's discriminant (u8, u16 or u32)."""
    if cases <= 1 << 8:
        return 1
    if cases <= 1 << 16:
        return 2
    return 4


def flags_size(count: int) -> int:
    if count == 0:
        return 0
    if count <= 8:
        return 1
    if count <= 16:
        return 2
    return 4 * -(-count // 32)


def _join(a: str, b: str) -> str:
    if a == b:
        return a
    if {a, b} == {"i32", "f32"}:
        return "i32"
    return "i64"


class AbiCalculator:
    """Memoised Canonical ABI figures over one :class:`Resolve`."""

    def __init__(self, resolve: Resolve) -> None:
        self.resolve = resolve
        self._memo: dict[int, TypeAbi | None] = {}

    def type_abi(self, ty: Ty) -> TypeAbi | None:
        if ty is None:
            return None
        if isinstance(ty, str):
            if ty in _SCALARS:
                size, core = _SCALARS[ty]
                return _abi(size, size, (core,))
            if ty == "string":
                return _abi(8, 4, ("i32", "i32"))
            if ty == "error-context":
                return _HANDLE
            return None
        if ty in self._memo:
            return self._memo[ty]
        self._memo[ty] = None  # a cycle yields None
        result = self._compute(ty)
        self._memo[ty] = result
        return result

    def _compute(self, tid: int) -> TypeAbi | None:
        if not 0 <= tid < len(self.resolve.types):
            return None
        t = self.resolve.types[tid]
        kind = t.kind
        if kind == "type":
            return self.type_abi(t.args[0] if t.args else None)
        if kind in ("handle", "future", "stream"):
            return _HANDLE
        if kind == "list" or kind == "map":
            return _abi(8, 4, ("i32", "i32"))
        if kind == "fixed-length-list":
            elem = self.type_abi(t.args[0] if t.args else None)
            if elem is None:
                return None
            copies = min(t.size, _KEEP)
            return _abi(elem.size * t.size, elem.align, elem.flat * copies,
                        elem.flat_count * t.size)
        if kind in ("record", "tuple"):
            fields = [m.type for m in t.members] if kind == "record" else list(t.args)
            return self._record([self.type_abi(f) for f in fields])
        if kind == "flags":
            size = flags_size(len(t.members))
            return _abi(size, max(1, min(size, 4)), ("i32",) * (-(-len(t.members) // 32)))
        if kind == "enum":
            size = discriminant_size(len(t.members))
            return _abi(size, size, ("i32",))
        if kind == "variant":
            return self._variant([m.type for m in t.members])
        if kind == "option":
            return self._variant([None, t.args[0] if t.args else None], payload_of=(False, True))
        if kind == "result":
            ok = t.args[0] if t.args else None
            err = t.args[1] if len(t.args) > 1 else None
            return self._variant([ok, err])
        return None  # a resource itself has no value representation

    def _record(self, fields: list[TypeAbi | None]) -> TypeAbi | None:
        if any(f is None for f in fields):
            return None
        size = 0
        align = 1
        count = 0
        flat: tuple[str, ...] = ()
        for f in fields:
            assert f is not None
            size = _align_to(size, f.align) + f.size
            align = max(align, f.align)
            count += f.flat_count
            if len(flat) < _KEEP:
                flat += f.flat
        return _abi(_align_to(size, align), align, flat, count)

    def _variant(self, cases: list[Ty], payload_of: tuple[bool, ...] = ()) -> TypeAbi | None:
        """``cases``: each case's payload type, ``None`` for none (``payload_of`` says which
        ``None`` entries are real payloads that failed to resolve)."""
        payloads: list[TypeAbi | None] = []
        for index, case in enumerate(cases):
            has_payload = payload_of[index] if payload_of else case is not None
            if not has_payload:
                payloads.append(None)
                continue
            abi = self.type_abi(case)
            if abi is None:
                return None
            payloads.append(abi)
        disc = discriminant_size(len(cases))
        present = [p for p in payloads if p is not None]
        case_align = max((p.align for p in present), default=1)
        case_size = max((p.size for p in present), default=0)
        align = max(disc, case_align)
        size = _align_to(_align_to(disc, case_align) + case_size, align)
        joined: list[str] = []
        for p in present:
            for i, core in enumerate(p.flat):
                if i < len(joined):
                    joined[i] = _join(joined[i], core)
                else:
                    joined.append(core)
        count = 1 + max((p.flat_count for p in present), default=0)
        return _abi(size, align, ("i32", *joined), count)

    def func_abi(self, func: RFunc) -> FuncAbi | None:
        params = 0
        if func.kind in ("method", "async-method") and func.resource is not None \
                and (not func.params or func.params[0].name != "self"):
            params += 1  # the implicit `self` handle
        for p in func.params:
            abi = self.type_abi(p.type)
            if abi is None:
                return None
            params += abi.flat_count
        results = 0
        if func.result is not None:
            res = self.type_abi(func.result)
            if res is None:
                return None
            results = res.flat_count
        return FuncAbi(params, results)
