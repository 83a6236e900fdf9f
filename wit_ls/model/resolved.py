"""The resolved model: arenas of packages, interfaces, worlds, types and functions, shaped like
wit-parser's ``Resolve`` (so that it can be exported as ``wasm-tools component wit --json``).

A type reference (:data:`Ty`) is a primitive name (``"u32"``), a type id (``int``) or ``None``
when it could not be resolved (an error was reported). Every definition keeps its location.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: see wit_ls.light_typing
if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from wit_ls.light_typing import NamedTuple

Ty = str | int | None


class Loc(NamedTuple):
    """Where a definition's name is written (byte range in ``path``)."""

    path: str
    start: int
    end: int


NO_LOC = Loc("", 0, 0)


class Stability(NamedTuple):
    """``kind``: ``""`` (unknown), ``stable`` (``since``) or ``unstable`` (``feature``)."""

    kind: str = ""
    since: str = ""
    feature: str = ""
    deprecated: str = ""

    def to_json(self) -> dict[str, object] | None:
        if self.kind == "stable":
            body: dict[str, object] = {"since": self.since}
        elif self.kind == "unstable":
            body = {"feature": self.feature}
        else:
            return None
        if self.deprecated:
            body["deprecated"] = self.deprecated
        return {self.kind: body}

    def text(self) -> str:
        parts = []
        if self.kind == "stable":
            parts.append(f"@since(version = {self.since})")
        elif self.kind == "unstable":
            parts.append(f"@unstable(feature = {self.feature})")
        if self.deprecated:
            parts.append(f"@deprecated(version = {self.deprecated})")
        return " ".join(parts)


UNKNOWN = Stability()


class RMember:
    __slots__ = ("docs", "loc", "name", "type")

    def __init__(self, name: str, type_: Ty, docs: str | None, loc: Loc) -> None:
        self.name = name
        self.type = type_
        self.docs = docs
        self.loc = loc


class RType:
    """A type definition (named or anonymous).

    ``kind`` is one of ``type`` (alias: ``args[0]``), ``record``/``variant``/``enum``/``flags``
    (``members``), ``resource``, ``handle`` (``handle`` own/borrow, ``args[0]`` the resource
    id), ``tuple``/``list``/``option``/``future``/``stream`` (``args``), ``fixed-length-list``
    (``args[0]``, ``size``), ``result`` (``args`` = [ok, err]), ``map`` ([key, value]).
    ``future``/``stream`` without payload have ``args == [None]`` and ``bare`` set.
    """

    __slots__ = (
        "args",
        "bare",
        "docs",
        "excluded",
        "handle",
        "id",
        "item_range",
        "kind",
        "loc",
        "members",
        "name",
        "owner",
        "size",
        "stability",
    )

    def __init__(self, id_: int, name: str | None, kind: str) -> None:
        self.id = id_
        self.name = name
        self.kind = kind
        self.args: list[Ty] = []
        self.members: list[RMember] = []
        self.handle = ""
        self.size = 0
        self.owner: tuple[str, int] | None = None
        self.docs: str | None = None
        self.stability = UNKNOWN
        self.loc = NO_LOC
        self.item_range = (0, 0)
        self.excluded = False
        self.bare = False


class RParam(NamedTuple):
    name: str
    type: Ty
    loc: Loc


class RFunc:
    """A function; ``name`` is the desugared name (``[method]r.m``); ``kind`` as in the JSON
    (``freestanding``, ``method``, ``static``, ``constructor``, ``async-freestanding``, ...)."""

    __slots__ = (
        "docs",
        "excluded",
        "external_id",
        "item_range",
        "kind",
        "label",
        "loc",
        "name",
        "params",
        "resource",
        "result",
        "stability",
    )

    def __init__(self, name: str, kind: str) -> None:
        self.name = name
        self.kind = kind
        self.label = name
        self.resource: int | None = None
        self.params: list[RParam] = []
        self.result: Ty = None
        self.docs: str | None = None
        self.stability = UNKNOWN
        self.loc = NO_LOC
        self.item_range = (0, 0)
        self.excluded = False
        self.external_id: str | None = None


class _RItem:
    """What interfaces and worlds have in common: identity, place, docs, gates, progress."""

    __slots__ = ("docs", "excluded", "id", "item_range", "loc", "package", "resolved",
                 "stability")

    def __init__(self, id_: int) -> None:
        self.id = id_
        self.package: int | None = None
        self.docs: str | None = None
        self.stability = UNKNOWN
        self.loc = NO_LOC
        self.item_range = (0, 0)
        self.excluded = False
        self.resolved = False


class RInterface(_RItem):
    __slots__ = ("functions", "name", "types")

    def __init__(self, id_: int, name: str | None) -> None:
        super().__init__(id_)
        self.name = name
        self.types: dict[str, int] = {}
        self.functions: dict[str, RFunc] = {}


class WItem:
    """A world import or export: ``kind`` ``interface`` (``id``), ``function`` (``func``) or
    ``type`` (``id``)."""

    __slots__ = ("docs", "external_id", "func", "id", "kind", "loc", "stability")

    def __init__(self, kind: str, id_: int = -1, func: RFunc | None = None,
                 stability: Stability = UNKNOWN, loc: Loc = NO_LOC,
                 external_id: str | None = None) -> None:
        self.external_id = external_id
        self.docs: str | None = None
        self.kind = kind
        self.id = id_
        self.func = func
        self.stability = stability
        self.loc = loc


# A world key: a plain name (str) or an interface id (int).
WKey = str | int


class RWorld(_RItem):
    __slots__ = ("exports", "imports", "name", "state")

    def __init__(self, id_: int, name: str) -> None:
        super().__init__(id_)
        self.name = name
        self.imports: dict[WKey, WItem] = {}
        self.exports: dict[WKey, WItem] = {}
        self.state = 0


class RPackage:
    __slots__ = ("all_interfaces", "all_worlds", "docs", "excluded", "id", "interfaces", "key",
                 "loc", "name", "namespace", "resolved", "version", "worlds")

    def __init__(self, id_: int, namespace: str, name: str, version: str | None) -> None:
        self.id = id_
        self.namespace = namespace
        self.name = name
        self.version = version
        self.key = f"{namespace}:{name}" + (f"@{version}" if version else "")
        self.interfaces: dict[str, int] = {}
        self.worlds: dict[str, int] = {}
        # Including the items excluded by disabled features.
        self.all_interfaces: dict[str, int] = {}
        self.all_worlds: dict[str, int] = {}
        self.docs: str | None = None
        self.loc = NO_LOC
        self.excluded = False
        self.resolved = False


class Resolve:
    """All packages of one load (a root and its dependencies)."""

    def __init__(self) -> None:
        self.packages: list[RPackage] = []
        self.interfaces: list[RInterface] = []
        self.worlds: list[RWorld] = []
        self.types: list[RType] = []

    def new_type(self, name: str | None, kind: str) -> RType:
        t = RType(len(self.types), name, kind)
        self.types.append(t)
        return t

    def new_interface(self, name: str | None) -> RInterface:
        i = RInterface(len(self.interfaces), name)
        self.interfaces.append(i)
        return i

    def new_world(self, name: str) -> RWorld:
        w = RWorld(len(self.worlds), name)
        self.worlds.append(w)
        return w

    def dealias(self, ty: Ty) -> Ty:
        """Follow ``type x = y`` aliases to the underlying type."""
        seen = 0
        while isinstance(ty, int) and self.types[ty].kind == "type" and seen < 1000:
            ty = self.types[ty].args[0] if self.types[ty].args else None
            seen += 1
        return ty

    def interface_qualified(self, iid: int) -> str:
        iface = self.interfaces[iid]
        if iface.name is None:
            return "<anonymous>"
        if iface.package is None:
            return iface.name
        pkg = self.packages[iface.package]
        base = f"{pkg.namespace}:{pkg.name}/{iface.name}"
        return f"{base}@{pkg.version}" if pkg.version else base

    def interface_direct_deps(self, iid: int) -> list[int]:
        """Interfaces whose types ``iid`` uses (through ``use``), in order."""
        out: list[int] = []
        for tid in self.interfaces[iid].types.values():
            t = self.types[tid]
            if t.kind == "type" and t.args and isinstance(t.args[0], int):
                owner = self.types[t.args[0]].owner
                if owner is not None and owner[0] == "interface" and owner[1] != iid \
                        and owner[1] not in out:
                    out.append(owner[1])
        return out
