"""Lowered items: one file's declarations as plain data with byte ranges and docs.

Produced by :mod:`wit_ls.model.lower` from a syntax tree; consumed by the resolver and by the
editor features. Ranges are UTF-8 byte offsets into the file. Names are stored without ``%``.
Parts lost to syntax errors are ``None`` (or absent from lists): consumers must cope.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Ident:
    """A name as written: ``text`` excludes a leading ``%``; the range covers the token."""

    text: str
    start: int
    end: int


@dataclass(slots=True)
class Attribute:
    """``@since(version = 1.0.0)``, ``@unstable(feature = x)``, ``@deprecated(...)``,
    ``@external-id("...")``. ``value`` is the version, feature or string (decoded)."""

    kind: str
    value: str
    start: int
    end: int
    value_start: int = 0
    value_end: int = 0


@dataclass(slots=True)
class TypeExpr:
    """A type as written.

    ``kind``: a primitive name (``u32``, ``string``, ...), ``named``, ``list``, ``tuple``,
    ``option``, ``result``, ``future``, ``stream``, ``handle``, ``map``. ``name`` is set for
    ``named`` and ``handle`` (the resource), ``handle`` is ``own``/``borrow``. ``args`` holds the
    element types (for ``result``: [ok, err], each possibly None).
    """

    kind: str
    start: int
    end: int
    name: Ident | None = None
    args: list[TypeExpr | None] = field(default_factory=list)
    size: int | None = None
    handle: str = ""


@dataclass(slots=True)
class Param:
    name: Ident
    type: TypeExpr | None
    start: int
    end: int


@dataclass(slots=True)
class Func:
    """A function, method, static function, constructor or accessor.

    ``kind``: ``func`` | ``method`` | ``static`` | ``constructor``; ``accessor`` is ``get``,
    ``set`` or ``""``. ``name`` is None for constructors (``keyword`` covers `constructor`).
    """

    kind: str
    name: Ident | None
    params: list[Param]
    result: TypeExpr | None
    start: int
    end: int
    is_async: bool = False
    accessor: str = ""
    docs: str | None = None
    attributes: list[Attribute] = field(default_factory=list)
    keyword: tuple[int, int] = (0, 0)
    has_result: bool = False


@dataclass(slots=True)
class Member:
    """A record field, variant case, enum case or flag."""

    name: Ident
    type: TypeExpr | None
    start: int
    end: int
    docs: str | None = None


@dataclass(slots=True)
class TypeDef:
    """``type``, ``record``, ``flags``, ``variant``, ``enum`` or ``resource`` (``kind``).

    ``keyword`` is the range of the leading keyword (wit-parser points some errors there).
    """

    kind: str
    name: Ident
    start: int
    end: int
    alias: TypeExpr | None = None
    members: list[Member] = field(default_factory=list)
    methods: list[Func] = field(default_factory=list)
    has_body: bool = False
    docs: str | None = None
    attributes: list[Attribute] = field(default_factory=list)


@dataclass(slots=True)
class UsePath:
    """``iface`` (local) or ``ns:pkg/iface@version`` (foreign)."""

    name: Ident
    start: int
    end: int
    namespace: Ident | None = None
    package: Ident | None = None
    version: str | None = None
    version_range: tuple[int, int] = (0, 0)

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


@dataclass(slots=True)
class UseName:
    name: Ident
    alias: Ident | None = None

    @property
    def local(self) -> Ident:
        return self.alias or self.name


@dataclass(slots=True)
class Use:
    """``use path.{a, b as c};`` inside an interface or world."""

    path: UsePath
    names: list[UseName]
    start: int
    end: int
    docs: str | None = None
    attributes: list[Attribute] = field(default_factory=list)


@dataclass(slots=True)
class TopUse:
    """A top-level ``use path [as alias];``."""

    path: UsePath
    alias: Ident | None
    start: int
    end: int
    docs: str | None = None
    attributes: list[Attribute] = field(default_factory=list)

    @property
    def local(self) -> Ident:
        return self.alias or self.path.name


InterfaceMember = Use | TypeDef | Func


@dataclass(slots=True)
class Interface:
    """A named interface, or an inline ``import x: interface { ... }`` (``name`` is None)."""

    name: Ident | None
    members: list[InterfaceMember]
    start: int
    end: int
    docs: str | None = None
    attributes: list[Attribute] = field(default_factory=list)


@dataclass(slots=True)
class Extern:
    """``import``/``export`` (``direction``) of a function, inline interface or path.

    Exactly one of ``func``, ``interface`` and ``path`` is set (unless broken). ``name`` is the
    label (``import name: ...``), None for ``import path;``.
    """

    direction: str
    name: Ident | None
    start: int
    end: int
    func: Func | None = None
    interface: Interface | None = None
    path: UsePath | None = None
    docs: str | None = None
    attributes: list[Attribute] = field(default_factory=list)


@dataclass(slots=True)
class Include:
    path: UsePath
    renames: list[tuple[Ident, Ident]]
    start: int
    end: int
    docs: str | None = None
    attributes: list[Attribute] = field(default_factory=list)


WorldMember = Extern | Include | Use | TypeDef


@dataclass(slots=True)
class World:
    name: Ident
    members: list[WorldMember]
    start: int
    end: int
    docs: str | None = None
    attributes: list[Attribute] = field(default_factory=list)


@dataclass(slots=True)
class PackageName:
    namespace: Ident
    name: Ident
    start: int
    end: int
    version: str | None = None
    version_range: tuple[int, int] = (0, 0)

    def key(self) -> str:
        base = f"{self.namespace.text}:{self.name.text}"
        return f"{base}@{self.version}" if self.version else base


@dataclass(slots=True)
class Declarations:
    """Top-level declarations of a file or of a nested ``package x:y { ... }`` block."""

    interfaces: list[Interface] = field(default_factory=list)
    worlds: list[World] = field(default_factory=list)
    uses: list[TopUse] = field(default_factory=list)
    # In source order, for the features that want it.
    order: list[Interface | World | TopUse] = field(default_factory=list)


@dataclass(slots=True)
class NestedPackage:
    name: PackageName
    decls: Declarations
    start: int
    end: int
    docs: str | None = None


@dataclass(slots=True)
class FileItems:
    """Everything declared in one file."""

    path: str
    header: PackageName | None
    header_docs: str | None
    decls: Declarations
    nested: list[NestedPackage]
    # Byte ranges of ERROR/MISSING nodes (semantic errors inside them are noise).
    error_ranges: list[tuple[int, int]] = field(default_factory=list)
