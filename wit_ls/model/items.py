"""Lowered items: one file's declarations as plain data with byte ranges and docs.

Produced by :mod:`wit_ls.model.lower` from a syntax tree; consumed by the resolver and by the
editor features. Ranges are UTF-8 byte offsets into the file. Names are stored without ``%``.
Parts lost to syntax errors are ``None`` (or absent from lists): consumers must cope.
"""

from __future__ import annotations


class _Record:
    """Plain-data base: equality and ``repr`` over ``__slots__`` (hand-written rather than
    ``@dataclass``, which costs a code generation per class at import)."""

    __slots__: tuple[str, ...] = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self.__slots__)

    def __repr__(self) -> str:
        body = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__)
        return f"{self.__class__.__name__}({body})"


class Ident(_Record):
    """A name as written: ``text`` excludes a leading ``%``; the range covers the token."""

    __slots__ = ("end", "start", "text")
    text: str
    start: int
    end: int

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.start = start
        self.end = end


class Attribute(_Record):
    """``@since(version = 1.0.0)``, ``@unstable(feature = x)``, ``@deprecated(...)``,
    ``@external-id("...")``. ``value`` is the version, feature or string (decoded)."""

    __slots__ = ("end", "kind", "start", "value", "value_end", "value_start")
    kind: str
    value: str
    start: int
    end: int
    value_start: int
    value_end: int

    def __init__(self, kind: str, value: str, start: int, end: int, value_start: int = 0,
                 value_end: int = 0) -> None:
        self.kind = kind
        self.value = value
        self.start = start
        self.end = end
        self.value_start = value_start
        self.value_end = value_end


class TypeExpr(_Record):
    """A type as written.

    ``kind``: a primitive name (``u32``, ``string``, ...), ``named``, ``list``, ``tuple``,
    ``option``, ``result``, ``future``, ``stream``, ``handle``, ``map``. ``name`` is set for
    ``named`` and ``handle`` (the resource), ``handle`` is ``own``/``borrow``. ``args`` holds the
    element types (for ``result``: [ok, err], each possibly None).
    """

    __slots__ = ("args", "end", "handle", "kind", "name", "size", "start")
    kind: str
    start: int
    end: int
    name: Ident | None
    args: list[TypeExpr | None]
    size: int | None
    handle: str

    def __init__(self, kind: str, start: int, end: int, name: Ident | None = None,
                 args: list[TypeExpr | None] | None = None, size: int | None = None,
                 handle: str = "") -> None:
        self.kind = kind
        self.start = start
        self.end = end
        self.name = name
        self.args = [] if args is None else args
        self.size = size
        self.handle = handle



def referred_names(expr: TypeExpr | None, out: list[str]) -> None:
    """Append to ``out`` the names of the types ``expr`` refers to (its named types and its
    handles' resources, at any depth), in the order written."""
    if expr is None:
        return
    if expr.kind in ("named", "handle") and expr.name is not None:
        out.append(expr.name.text)
    for arg in expr.args:
        referred_names(arg, out)

class Param(_Record):
    __slots__ = ("end", "name", "start", "type")
    name: Ident
    type: TypeExpr | None
    start: int
    end: int

    def __init__(self, name: Ident, type: TypeExpr | None, start: int, end: int) -> None:
        self.name = name
        self.type = type
        self.start = start
        self.end = end


class Func(_Record):
    """A function, method, static function, constructor or accessor.

    ``kind``: ``func`` | ``method`` | ``static`` | ``constructor``; ``accessor`` is ``get``,
    ``set`` or ``""``. ``name`` is None for constructors (``keyword`` covers `constructor`).
    """

    __slots__ = (
        "accessor",
        "attributes",
        "docs",
        "end",
        "has_result",
        "is_async",
        "keyword",
        "kind",
        "name",
        "params",
        "result",
        "start",
    )
    kind: str
    name: Ident | None
    params: list[Param]
    result: TypeExpr | None
    start: int
    end: int
    is_async: bool
    accessor: str
    docs: str | None
    attributes: list[Attribute]
    keyword: tuple[int, int]
    has_result: bool

    def __init__(self, kind: str, name: Ident | None, params: list[Param], result: TypeExpr | None,
                 start: int, end: int, is_async: bool = False, accessor: str = "",
                 docs: str | None = None, attributes: list[Attribute] | None = None,
                 keyword: tuple[int, int] = (0, 0), has_result: bool = False) -> None:
        self.kind = kind
        self.name = name
        self.params = params
        self.result = result
        self.start = start
        self.end = end
        self.is_async = is_async
        self.accessor = accessor
        self.docs = docs
        self.attributes = [] if attributes is None else attributes
        self.keyword = keyword
        self.has_result = has_result


class Member(_Record):
    """A record field, variant case, enum case or flag."""

    __slots__ = ("docs", "end", "name", "start", "type")
    name: Ident
    type: TypeExpr | None
    start: int
    end: int
    docs: str | None

    def __init__(self, name: Ident, type: TypeExpr | None, start: int, end: int,
                 docs: str | None = None) -> None:
        self.name = name
        self.type = type
        self.start = start
        self.end = end
        self.docs = docs


class TypeDef(_Record):
    """``type``, ``record``, ``flags``, ``variant``, ``enum`` or ``resource`` (``kind``).

    ``keyword`` is the range of the leading keyword (wit-parser points some errors there).
    """

    __slots__ = (
        "alias",
        "attributes",
        "docs",
        "end",
        "has_body",
        "kind",
        "members",
        "methods",
        "name",
        "start",
    )
    kind: str
    name: Ident
    start: int
    end: int
    alias: TypeExpr | None
    members: list[Member]
    methods: list[Func]
    has_body: bool
    docs: str | None
    attributes: list[Attribute]

    def __init__(self, kind: str, name: Ident, start: int, end: int, alias: TypeExpr | None = None,
                 members: list[Member] | None = None, methods: list[Func] | None = None,
                 has_body: bool = False, docs: str | None = None,
                 attributes: list[Attribute] | None = None) -> None:
        self.kind = kind
        self.name = name
        self.start = start
        self.end = end
        self.alias = alias
        self.members = [] if members is None else members
        self.methods = [] if methods is None else methods
        self.has_body = has_body
        self.docs = docs
        self.attributes = [] if attributes is None else attributes


class UsePath(_Record):
    """``iface`` (local) or ``ns:pkg/iface@version`` (foreign)."""

    __slots__ = ("end", "name", "namespace", "package", "start", "version", "version_range")
    name: Ident
    start: int
    end: int
    namespace: Ident | None
    package: Ident | None
    version: str | None
    version_range: tuple[int, int]

    def __init__(self, name: Ident, start: int, end: int, namespace: Ident | None = None,
                 package: Ident | None = None, version: str | None = None,
                 version_range: tuple[int, int] = (0, 0)) -> None:
        self.name = name
        self.start = start
        self.end = end
        self.namespace = namespace
        self.package = package
        self.version = version
        self.version_range = version_range

    @property
    def is_foreign(self) -> bool:
        return self.namespace is not None

    def package_key(self) -> str:
        if self.namespace is None or self.package is None:
            return ""
        key = f"{self.namespace.text}:{self.package.text}"
        return f"{key}@{self.version}" if self.version else key

    def text(self) -> str:
        if self.namespace is None:
            return self.name.text
        key = f"{self.namespace.text}:{self.package.text if self.package else ''}/{self.name.text}"
        return f"{key}@{self.version}" if self.version else key


class UseName(_Record):
    __slots__ = ("alias", "name")
    name: Ident
    alias: Ident | None

    def __init__(self, name: Ident, alias: Ident | None = None) -> None:
        self.name = name
        self.alias = alias

    @property
    def local(self) -> Ident:
        return self.alias or self.name


class Use(_Record):
    """``use path.{a, b as c};`` inside an interface or world."""

    __slots__ = ("attributes", "docs", "end", "names", "path", "start")
    path: UsePath
    names: list[UseName]
    start: int
    end: int
    docs: str | None
    attributes: list[Attribute]

    def __init__(self, path: UsePath, names: list[UseName], start: int, end: int,
                 docs: str | None = None, attributes: list[Attribute] | None = None) -> None:
        self.path = path
        self.names = names
        self.start = start
        self.end = end
        self.docs = docs
        self.attributes = [] if attributes is None else attributes


class TopUse(_Record):
    """A top-level ``use path [as alias];``; ``keyword`` is the range of `use`."""

    __slots__ = ("alias", "attributes", "docs", "end", "keyword", "path", "start")
    path: UsePath
    alias: Ident | None
    start: int
    end: int
    docs: str | None
    attributes: list[Attribute]
    keyword: tuple[int, int]

    def __init__(self, path: UsePath, alias: Ident | None, start: int, end: int,
                 docs: str | None = None, attributes: list[Attribute] | None = None,
                 keyword: tuple[int, int] = (0, 0)) -> None:
        self.path = path
        self.alias = alias
        self.start = start
        self.end = end
        self.docs = docs
        self.attributes = [] if attributes is None else attributes
        self.keyword = keyword

    @property
    def local(self) -> Ident:
        return self.alias or self.path.name


InterfaceMember = Use | TypeDef | Func


class Interface(_Record):
    """A named interface, or an inline ``import x: interface { ... }`` (``name`` is None)."""

    __slots__ = ("attributes", "docs", "end", "members", "name", "start")
    name: Ident | None
    members: list[InterfaceMember]
    start: int
    end: int
    docs: str | None
    attributes: list[Attribute]

    def __init__(self, name: Ident | None, members: list[InterfaceMember], start: int, end: int,
                 docs: str | None = None, attributes: list[Attribute] | None = None) -> None:
        self.name = name
        self.members = members
        self.start = start
        self.end = end
        self.docs = docs
        self.attributes = [] if attributes is None else attributes


class Extern(_Record):
    """``import``/``export`` (``direction``) of a function, inline interface or path.

    Exactly one of ``func``, ``interface`` and ``path`` is set (unless broken). ``name`` is the
    label (``import name: ...``), None for ``import path;``.
    """

    __slots__ = (
        "attributes",
        "direction",
        "docs",
        "end",
        "func",
        "interface",
        "name",
        "path",
        "start",
    )
    direction: str
    name: Ident | None
    start: int
    end: int
    func: Func | None
    interface: Interface | None
    path: UsePath | None
    docs: str | None
    attributes: list[Attribute]

    def __init__(self, direction: str, name: Ident | None, start: int, end: int,
                 func: Func | None = None, interface: Interface | None = None,
                 path: UsePath | None = None, docs: str | None = None,
                 attributes: list[Attribute] | None = None) -> None:
        self.direction = direction
        self.name = name
        self.start = start
        self.end = end
        self.func = func
        self.interface = interface
        self.path = path
        self.docs = docs
        self.attributes = [] if attributes is None else attributes


class Include(_Record):
    __slots__ = ("attributes", "docs", "end", "path", "renames", "start")
    path: UsePath
    renames: list[tuple[Ident, Ident]]
    start: int
    end: int
    docs: str | None
    attributes: list[Attribute]

    def __init__(self, path: UsePath, renames: list[tuple[Ident, Ident]], start: int, end: int,
                 docs: str | None = None, attributes: list[Attribute] | None = None) -> None:
        self.path = path
        self.renames = renames
        self.start = start
        self.end = end
        self.docs = docs
        self.attributes = [] if attributes is None else attributes


WorldMember = Extern | Include | Use | TypeDef


class World(_Record):
    __slots__ = ("attributes", "docs", "end", "members", "name", "start")
    name: Ident
    members: list[WorldMember]
    start: int
    end: int
    docs: str | None
    attributes: list[Attribute]

    def __init__(self, name: Ident, members: list[WorldMember], start: int, end: int,
                 docs: str | None = None, attributes: list[Attribute] | None = None) -> None:
        self.name = name
        self.members = members
        self.start = start
        self.end = end
        self.docs = docs
        self.attributes = [] if attributes is None else attributes


class PackageName(_Record):
    __slots__ = ("end", "name", "namespace", "start", "version", "version_range")
    namespace: Ident
    name: Ident
    start: int
    end: int
    version: str | None
    version_range: tuple[int, int]

    def __init__(self, namespace: Ident, name: Ident, start: int, end: int,
                 version: str | None = None, version_range: tuple[int, int] = (0, 0)) -> None:
        self.namespace = namespace
        self.name = name
        self.start = start
        self.end = end
        self.version = version
        self.version_range = version_range

    def key(self) -> str:
        base = f"{self.namespace.text}:{self.name.text}"
        return f"{base}@{self.version}" if self.version else base


class Declarations(_Record):
    """Top-level declarations of a file or of a nested ``package x:y { ... }`` block."""

    __slots__ = ("interfaces", "order", "uses", "worlds")
    interfaces: list[Interface]
    worlds: list[World]
    uses: list[TopUse]
    # In source order, for the features that want it.
    order: list[Interface | World | TopUse]

    def __init__(self, interfaces: list[Interface] | None = None, worlds: list[World] | None = None,
                 uses: list[TopUse] | None = None,
                 order: list[Interface | World | TopUse] | None = None) -> None:
        self.interfaces = [] if interfaces is None else interfaces
        self.worlds = [] if worlds is None else worlds
        self.uses = [] if uses is None else uses
        self.order = [] if order is None else order


class NestedPackage(_Record):
    __slots__ = ("decls", "docs", "end", "name", "start")
    name: PackageName
    decls: Declarations
    start: int
    end: int
    docs: str | None

    def __init__(self, name: PackageName, decls: Declarations, start: int, end: int,
                 docs: str | None = None) -> None:
        self.name = name
        self.decls = decls
        self.start = start
        self.end = end
        self.docs = docs


class FileItems(_Record):
    """Everything declared in one file."""

    __slots__ = ("decls", "error_ranges", "header", "header_docs", "nested", "path")
    path: str
    header: PackageName | None
    header_docs: str | None
    decls: Declarations
    nested: list[NestedPackage]
    # Byte ranges of ERROR/MISSING nodes (semantic errors inside them are noise).
    error_ranges: list[tuple[int, int]]

    def __init__(self, path: str, header: PackageName | None, header_docs: str | None,
                 decls: Declarations, nested: list[NestedPackage],
                 error_ranges: list[tuple[int, int]] | None = None) -> None:
        self.path = path
        self.header = header
        self.header_docs = header_docs
        self.decls = decls
        self.nested = nested
        self.error_ranges = [] if error_ranges is None else error_ranges
