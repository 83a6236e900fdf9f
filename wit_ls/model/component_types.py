"""The component-type subset of the WebAssembly component model that WIT packages are encoded in
(the encoding ``wasm-tools component wit --wasm`` writes): plain data, and a reader of the binary
format. The WAT text of the same constructs is read by :mod:`wit_ls.model.wat_reader`; both give
a :class:`Component`, which :mod:`wit_ls.model.wasm_package` turns into WIT.

Only what a WIT package can hold is read: component, instance, function, resource and value
types, ``alias`` (outer and instance export), ``import``, ``export`` and custom sections. Anything
else is refused with a :class:`DecodeError` naming the byte offset, never an exception of another
kind.
"""

from __future__ import annotations

from typing import NamedTuple

# A value type: a primitive's WIT name, or an index in the type index space.
ValType = str | int


class DecodeError(Exception):
    """The bytes are not a WIT package encoded as a component (the message says why)."""


class Defined(NamedTuple):
    """A defined value type: ``kind`` is a WIT type constructor (``record``, ``variant``,
    ``list``, ``fixed-length-list``, ``tuple``, ``flags``, ``enum``, ``option``, ``result``,
    ``own``, ``borrow``, ``future``, ``stream``, ``map``) or ``primitive``."""

    kind: str
    # record fields / variant cases (case types may be None)
    members: tuple[tuple[str, ValType | None], ...] = ()
    # flags / enum names
    names: tuple[str, ...] = ()
    # list/option/future/stream: (t,); tuple: (t, ...); result: (ok, err); map: (k, v);
    # own/borrow: (type index,); primitive: (name,)
    args: tuple[ValType | None, ...] = ()
    size: int = 0


class FuncType(NamedTuple):
    params: tuple[tuple[str, ValType], ...]
    result: ValType | None
    is_async: bool = False


class ResourceType(NamedTuple):
    """A resource type defined in place (only components define these)."""


class TypeBound(NamedTuple):
    """``(eq i)`` (``target`` set) or ``(sub resource)`` (``target`` None)."""

    target: int | None


class ExternDesc(NamedTuple):
    """What an import or export is: ``sort`` (``func``, ``type``, ``instance``, ``component``,
    ``module``, ``value``) and its type index, or a :class:`TypeBound` for a type."""

    sort: str
    type_index: int | None = None
    bound: TypeBound | None = None


class Alias(NamedTuple):
    """``alias outer depth item`` (``instance`` None) or ``alias export instance name``."""

    sort: str
    depth: int = 0
    item: int = 0
    instance: int | None = None
    name: str = ""


class Import(NamedTuple):
    name: str
    desc: ExternDesc


class Export(NamedTuple):
    name: str
    desc: ExternDesc


class ComponentTypeDef(NamedTuple):
    decls: tuple[object, ...]  # DefType | Alias | Import | Export


class InstanceTypeDef(NamedTuple):
    decls: tuple[object, ...]  # DefType | Alias | Export


DefType = Defined | FuncType | ComponentTypeDef | InstanceTypeDef | ResourceType


class TopExport(NamedTuple):
    """An export of the outer component: ``name`` of the item ``item`` of ``sort``."""

    name: str
    sort: str
    item: int


class Component(NamedTuple):
    """The outer component: its type definitions and exports in order, and custom sections."""

    items: tuple[object, ...]  # DefType | TopExport, in order
    custom: tuple[tuple[str, bytes], ...]


PRIMITIVES = {
    0x7F: "bool", 0x7E: "s8", 0x7D: "u8", 0x7C: "s16", 0x7B: "u16", 0x7A: "s32", 0x79: "u32",
    0x78: "s64", 0x77: "u64", 0x76: "f32", 0x75: "f64", 0x74: "char", 0x73: "string",
    0x64: "error-context",
}
SORTS = {0x01: "func", 0x02: "value", 0x03: "type", 0x04: "component", 0x05: "instance"}

_MAGIC = b"\x00asm"
_COMPONENT_VERSION = b"\x0d\x00\x01\x00"


def is_binary_component(data: bytes) -> bool:
    return data[:4] == _MAGIC


class _Reader:
    def __init__(self, data: bytes, offset: int = 0, end: int | None = None) -> None:
        self.data = data
        self.pos = offset
        self.end = len(data) if end is None else end

    def fail(self, what: str) -> DecodeError:
        return DecodeError(f"{what} (at byte offset {self.pos:#x})")

    def byte(self) -> int:
        if self.pos >= self.end:
            raise self.fail("unexpected end of the binary")
        b = self.data[self.pos]
        self.pos += 1
        return b

    def peek(self) -> int:
        if self.pos >= self.end:
            raise self.fail("unexpected end of the binary")
        return self.data[self.pos]

    def u32(self) -> int:
        result = shift = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                break
            shift += 7
            if shift > 35:
                raise self.fail("integer too long")
        if result >= 1 << 32:
            raise self.fail("integer too large")
        return result

    def s33(self) -> int:
        result = shift = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
            if shift > 35:
                raise self.fail("integer too long")
        if b & 0x40:
            result -= 1 << shift
        return result

    def bytes_(self, n: int) -> bytes:
        if self.pos + n > self.end:
            raise self.fail("unexpected end of the binary")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def string(self) -> str:
        raw = self.bytes_(self.u32())
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise self.fail("a name is not valid UTF-8") from None

    def count(self, what: str) -> int:
        n = self.u32()
        if n > self.end - self.pos:
            raise self.fail(f"too many {what}")
        return n

    # -- types ----------------------------------------------------------------------------------

    def valtype(self) -> ValType:
        b = self.peek()
        if b in PRIMITIVES:
            self.pos += 1
            return PRIMITIVES[b]
        index = self.s33()
        if index < 0:
            raise self.fail(f"invalid value type {b:#x}")
        return index

    def optional_valtype(self) -> ValType | None:
        flag = self.byte()
        if flag == 0x00:
            return None
        if flag == 0x01:
            return self.valtype()
        raise self.fail(f"invalid optional value type flag {flag:#x}")

    def deftype(self) -> DefType:
        b = self.byte()
        if b in PRIMITIVES:
            return Defined("primitive", args=(PRIMITIVES[b],))
        if b == 0x72:
            return Defined("record", members=tuple(
                (self.string(), self.valtype()) for _ in range(self.count("fields"))))
        if b == 0x71:
            cases = []
            for _ in range(self.count("cases")):
                name = self.string()
                ty = self.optional_valtype()
                if self.byte() != 0x00:
                    raise self.fail("variant case refinements are not supported")
                cases.append((name, ty))
            return Defined("variant", members=tuple(cases))
        if b == 0x70:
            return Defined("list", args=(self.valtype(),))
        if b == 0x67:
            elem = self.valtype()
            return Defined("fixed-length-list", args=(elem,), size=self.u32())
        if b == 0x63:
            return Defined("map", args=(self.valtype(), self.valtype()))
        if b == 0x6F:
            return Defined("tuple", args=tuple(self.valtype()
                                               for _ in range(self.count("tuple types"))))
        if b in (0x6E, 0x6D):
            names = tuple(self.string() for _ in range(self.count("names")))
            return Defined("flags" if b == 0x6E else "enum", names=names)
        if b == 0x6B:
            return Defined("option", args=(self.valtype(),))
        if b == 0x6A:
            return Defined("result", args=(self.optional_valtype(), self.optional_valtype()))
        if b in (0x69, 0x68):
            return Defined("own" if b == 0x69 else "borrow", args=(self.u32(),))
        if b in (0x66, 0x65):
            return Defined("stream" if b == 0x66 else "future", args=(self.optional_valtype(),))
        if b in (0x40, 0x43):
            params = tuple((self.string(), self.valtype()) for _ in range(self.count("params")))
            flag = self.byte()
            if flag == 0x00:
                result: ValType | None = self.valtype()
            elif flag == 0x01 and self.byte() == 0x00:
                result = None
            else:
                raise self.fail("invalid function results")
            return FuncType(params, result, b == 0x43)
        if b == 0x41:
            return ComponentTypeDef(tuple(self.component_decl()
                                          for _ in range(self.count("declarations"))))
        if b == 0x42:
            return InstanceTypeDef(tuple(self.instance_decl()
                                         for _ in range(self.count("declarations"))))
        if b == 0x3F:
            if self.byte() != 0x7F:
                raise self.fail("invalid resource representation")
            if self.byte() != 0x00:
                self.u32()
            return ResourceType()
        raise self.fail(f"unsupported type form {b:#x}")

    # -- declarations ---------------------------------------------------------------------------

    def sort(self) -> str:
        b = self.byte()
        if b == 0x00:
            self.byte()
            raise self.fail("core items are not part of a WIT package")
        found = SORTS.get(b)
        if found is None:
            raise self.fail(f"invalid sort {b:#x}")
        return found

    def name(self) -> str:
        b = self.byte()
        if b in (0x00, 0x01):
            return self.string()
        if b == 0x02:
            name = self.string()
            for _ in range(self.count("name options")):
                self.byte()
                self.string()
            return name
        raise self.fail(f"invalid name {b:#x}")

    def extern_desc(self) -> ExternDesc:
        b = self.byte()
        if b == 0x00:
            raise self.fail("core modules are not part of a WIT package")
        sort = SORTS.get(b)
        if sort is None:
            raise self.fail(f"invalid extern kind {b:#x}")
        if sort == "type":
            bound = self.byte()
            if bound == 0x00:
                return ExternDesc(sort, bound=TypeBound(self.u32()))
            if bound == 0x01:
                return ExternDesc(sort, bound=TypeBound(None))
            raise self.fail(f"invalid type bound {bound:#x}")
        if sort == "value":
            raise self.fail("values are not part of a WIT package")
        return ExternDesc(sort, type_index=self.u32())

    def alias(self) -> Alias:
        sort = self.sort()
        target = self.byte()
        if target == 0x00:
            return Alias(sort, instance=self.u32(), name=self.string())
        if target == 0x02:
            count = self.u32()
            return Alias(sort, depth=count, item=self.u32())
        raise self.fail(f"unsupported alias target {target:#x}")

    def component_decl(self) -> object:
        b = self.byte()
        if b == 0x03:
            return Import(self.name(), self.extern_desc())
        return self._instance_decl(b)

    def instance_decl(self) -> object:
        return self._instance_decl(self.byte())

    def _instance_decl(self, b: int) -> object:
        if b == 0x01:
            return self.deftype()
        if b == 0x02:
            return self.alias()
        if b == 0x04:
            return Export(self.name(), self.extern_desc())
        if b == 0x00:
            raise self.fail("core types are not part of a WIT package")
        raise self.fail(f"invalid declaration {b:#x}")


def read_binary(data: bytes) -> Component:
    """The outer component of ``data`` (a binary component). Raises :class:`DecodeError`."""
    if data[:4] != _MAGIC:
        raise DecodeError("not a WebAssembly binary")
    if data[4:8] != _COMPONENT_VERSION:
        raise DecodeError("a core WebAssembly module, not a component")
    r = _Reader(data, 8)
    items: list[object] = []
    custom: list[tuple[str, bytes]] = []
    while r.pos < r.end:
        section = r.byte()
        size = r.u32()
        end = r.pos + size
        if end > r.end:
            raise r.fail("section runs past the end of the binary")
        s = _Reader(data, r.pos, end)
        if section == 0:
            name = s.string()
            custom.append((name, data[s.pos:end]))
        elif section == 7:
            for _ in range(s.count("types")):
                items.append(s.deftype())
        elif section == 11:
            for _ in range(s.count("exports")):
                name = s.name()
                sort = s.sort()
                index = s.u32()
                if s.byte() == 0x01:
                    s.extern_desc()
                items.append(TopExport(name, sort, index))
        else:
            raise r.fail("found an actual component instead of an encoded WIT package "
                         f"(section {section})")
        if section != 0 and s.pos != end:
            raise s.fail("unexpected bytes at the end of a section")
        r.pos = end
    return Component(tuple(items), tuple(custom))
