"""A WIT package encoded as a component (``wasm-tools component wit --wasm``), decoded back into
WIT text that the rest of the model reads like any other file.

The encoding (wit-component's, format 2): the outer component exports one component type per
interface or world of the package, under the item's plain name; each holds exactly one export,
named with the item's full name (``ns:pkg/name@version``): an instance type for an interface, a
component type for a world. Interfaces of other packages are imported instances whose types the
item reaches through ``alias``. The ``package-docs`` custom section carries the documentation.

:func:`decode_package` takes the bytes (binary, or WAT text read by
:mod:`wit_ls.model.wat_reader`) and returns the package's WIT text and, separately, the WIT of
the interfaces it names from other packages (as far as the encoding describes them), so the
loader can stand them in when those packages are not otherwise present. Problems come out as a
:class:`~wit_ls.model.component_types.DecodeError` with a message, never another exception.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import NamedTuple

from wit_ls.model.component_types import (
    Alias,
    Component,
    ComponentTypeDef,
    DecodeError,
    Defined,
    Export,
    FuncType,
    Import,
    InstanceTypeDef,
    ResourceType,
    TopExport,
    ValType,
    is_binary_component,
    read_binary,
)


class Decoded(NamedTuple):
    """``package``: ``ns:pkg@version``; ``text``: the package's WIT; ``foreign``: for each other
    package it names, the WIT of the interfaces it uses from it (a nested package block)."""

    package: str
    text: str
    foreign: tuple[tuple[str, str], ...]


# -- evaluated types ----------------------------------------------------------------------------


class _Named:
    """A type given a name by an import or export (``eq`` another type, or a resource)."""

    def __init__(self, name: str, target: object | None, resource: bool) -> None:
        self.name = name
        self.target = target
        self.resource = resource
        self.owner: _Item | None = None


class _Structural:
    def __init__(self, defined: Defined, scope: _Scope) -> None:
        self.defined = defined
        self.scope = scope
        self.named: _Named | None = None


class _Func:
    def __init__(self, func: FuncType, scope: _Scope) -> None:
        self.func = func
        self.scope = scope


class _Item:
    """An evaluated instance type (an interface) or component type (a world)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.full_name = ""  # the import or export name it was given
        self.imports: list[tuple[str, object]] = []  # (name, _Named | _Func | _Item)
        self.exports: list[tuple[str, object]] = []
        self.by_name: dict[str, object] = {}


class _Scope:
    def __init__(self, parent: _Scope | None) -> None:
        self.parent = parent
        self.types: list[object] = []
        self.instances: list[_Item] = []

    def type_at(self, index: int) -> object:
        if not 0 <= index < len(self.types):
            raise DecodeError(f"type index {index} out of bounds")
        return self.types[index]

    def outer(self, count: int) -> _Scope:
        scope: _Scope | None = self
        for _ in range(count):
            scope = scope.parent if scope is not None else None
        if scope is None:
            raise DecodeError("outer alias out of bounds")
        return scope


def _evaluate(decls: tuple[object, ...], kind: str, parent: _Scope) -> _Item:
    scope = _Scope(parent)
    item = _Item(kind)
    for decl in decls:
        if isinstance(decl, Defined):
            scope.types.append(_Structural(decl, scope))
        elif isinstance(decl, FuncType):
            scope.types.append(_Func(decl, scope))
        elif isinstance(decl, (ComponentTypeDef, InstanceTypeDef)):
            scope.types.append((decl, scope))  # evaluated where it is used
        elif isinstance(decl, ResourceType):
            raise DecodeError("a resource defined inside a type")
        elif isinstance(decl, Alias):
            if decl.sort != "type":
                raise DecodeError(f"unsupported alias of a {decl.sort}")
            if decl.instance is not None:
                if not 0 <= decl.instance < len(scope.instances):
                    raise DecodeError(f"instance index {decl.instance} out of bounds")
                found = scope.instances[decl.instance].by_name.get(decl.name)
                if found is None:
                    raise DecodeError(f"instance has no export `{decl.name}`")
                scope.types.append(found)
            else:
                scope.types.append(scope.outer(decl.depth).type_at(decl.item))
        elif isinstance(decl, (Import, Export)):
            side = item.imports if isinstance(decl, Import) else item.exports
            value = _extern(decl.name, decl.desc.sort, decl.desc.type_index, decl.desc.bound, scope)
            side.append((decl.name, value))
            item.by_name[decl.name] = value
            if isinstance(value, _Named):
                scope.types.append(value)
            elif isinstance(value, _Item) and value.kind == "interface":
                scope.instances.append(value)
    return item


def _extern(name: str, sort: str, index: int | None, bound: object, scope: _Scope) -> object:
    if sort == "type":
        target_index = getattr(bound, "target", None)
        if target_index is None:
            return _Named(name, None, True)
        return _Named(name, scope.type_at(target_index), False)
    assert index is not None
    found = scope.type_at(index)
    if sort == "func":
        if not isinstance(found, _Func):
            raise DecodeError(f"`{name}` is not given a function type")
        return found
    if sort in ("instance", "component"):
        if not isinstance(found, tuple):
            raise DecodeError(f"`{name}` is not given an {sort} type")
        decl, where = found
        item = _evaluate(decl.decls, "interface" if sort == "instance" else "world", where)
        item.full_name = name
        for _n, value in item.exports:
            if isinstance(value, _Named) and value.owner is None:
                value.owner = item
        return item
    raise DecodeError(f"unsupported {sort} `{name}`")


# -- names --------------------------------------------------------------------------------------


class _Id(NamedTuple):
    package: str  # ns:pkg@version
    name: str


def _parse_id(full: str) -> _Id | None:
    if "/" not in full or ":" not in full:
        return None
    head, _, rest = full.partition("/")
    name, _, version = rest.partition("@")
    return _Id(f"{head}@{version}" if version else head, name)


def _ident(name: str) -> str:
    from wit_ls.syntax.vocabulary import KEYWORDS

    return f"%{name}" if name in KEYWORDS else name


# -- writing WIT --------------------------------------------------------------------------------


class _Writer:
    def __init__(self, package: str, docs: dict[str, object]) -> None:
        self.package = package
        self.docs = docs
        # foreign package -> interface name -> lines
        self.foreign: dict[str, dict[str, list[str]]] = {}

    def path_of(self, item: _Item) -> str:
        found = _parse_id(item.full_name)
        if found is None:
            raise DecodeError(f"`{item.full_name}` is not an interface name")
        if found.package == self.package:
            return _ident(found.name)
        self.note_foreign(item)
        return item.full_name

    def note_foreign(self, item: _Item) -> None:
        found = _parse_id(item.full_name)
        if found is None or found.package == self.package:
            return
        interfaces = self.foreign.setdefault(found.package, {})
        if found.name in interfaces:
            return
        interfaces[found.name] = []
        interfaces[found.name] = self.interface_body(item, {}, types_only=True)

    # -- type references ------------------------------------------------------------------------

    def ref(self, value: ValType | None, scope: _Scope) -> str:
        if value is None:
            return "_"
        if isinstance(value, str):
            return value
        return self.type_name(scope.type_at(value))

    def type_name(self, t: object) -> str:
        if isinstance(t, _Named):
            return _ident(t.name)
        if isinstance(t, _Structural):
            if t.named is not None:
                return _ident(t.named.name)
            return self.structural(t.defined, t.scope)
        raise DecodeError("a type reference to something that is not a value type")

    def structural(self, d: Defined, scope: _Scope) -> str:
        args = d.args
        if d.kind == "primitive":
            return str(args[0])
        if d.kind in ("list", "option"):
            return f"{d.kind}<{self.ref(args[0], scope)}>"
        if d.kind == "fixed-length-list":
            return f"list<{self.ref(args[0], scope)}, {d.size}>"
        if d.kind == "map":
            return f"map<{self.ref(args[0], scope)}, {self.ref(args[1], scope)}>"
        if d.kind == "tuple":
            return "tuple<" + ", ".join(self.ref(a, scope) for a in args) + ">"
        if d.kind == "result":
            ok, err = args
            if ok is None and err is None:
                return "result"
            if err is None:
                return f"result<{self.ref(ok, scope)}>"
            return f"result<{self.ref(ok, scope)}, {self.ref(err, scope)}>"
        if d.kind in ("future", "stream"):
            return d.kind if args[0] is None else f"{d.kind}<{self.ref(args[0], scope)}>"
        if d.kind in ("own", "borrow"):
            target = args[0]
            assert isinstance(target, int)
            name = self.type_name(scope.type_at(target))
            return name if d.kind == "own" else f"borrow<{name}>"
        raise DecodeError(f"an anonymous {d.kind} cannot be written in WIT")

    # -- definitions ----------------------------------------------------------------------------

    def typedef(self, named: _Named, owner: _Item, docs: dict[str, object]) -> list[str]:
        meta = docs.get(named.name)
        lines = _doc_lines(meta)
        name = _ident(named.name)
        target = named.target
        if named.resource:
            return [*lines, f"resource {name};"]
        if isinstance(target, _Named) and target.owner is not None and target.owner is not owner:
            local = f" as {name}" if target.name != named.name else ""
            return [*lines, f"use {self.path_of(target.owner)}.{{{_ident(target.name)}{local}}};"]
        if isinstance(target, _Structural) and target.named is None and \
                target.defined.kind in ("record", "variant", "enum", "flags"):
            target.named = named
            d = target.defined
            items = meta.get("items", {}) if isinstance(meta, dict) else {}
            assert isinstance(items, dict)
            body: list[str] = []
            if d.kind == "record":
                for field, ty in d.members:
                    body += _doc_lines(items.get(field))
                    body.append(f"{_ident(field)}: {self.ref(ty, target.scope)},")
            elif d.kind == "variant":
                for case, ty in d.members:
                    body += _doc_lines(items.get(case))
                    suffix = "" if ty is None else f"({self.ref(ty, target.scope)})"
                    body.append(f"{_ident(case)}{suffix},")
            else:
                for flag in d.names:
                    body += _doc_lines(items.get(flag))
                    body.append(f"{_ident(flag)},")
            return [*lines, f"{d.kind} {name} {{", *("  " + b for b in body), "}"]
        return [*lines, f"type {name} = {self.type_name(target)};"]

    def function(self, name: str, func: _Func,
                 docs: dict[str, object]) -> tuple[str, str, list[str]]:
        """(resource or "", the item's text, doc lines) for a function named ``name``."""
        f = func.func
        params = list(f.params)
        prefix = "async " if f.is_async else ""
        resource = ""
        head = name
        kind = ""
        if name.startswith("["):
            tag, _, rest = name[1:].partition("]")
            if tag.startswith("async "):
                tag = tag[len("async "):]
                prefix = "async "
            elif tag == "async":
                tag = ""
                prefix = "async "
                head = rest
            if tag in ("constructor", "method", "static"):
                kind = tag
                resource, _, head = rest.partition(".")
                if tag == "constructor":
                    resource, head = rest, ""
                if tag == "method" and params:
                    params = params[1:]
            elif tag:
                raise DecodeError(f"unsupported function name `{name}`")
            else:
                head = rest
        args = ", ".join(f"{_ident(p)}: {self.ref(t, func.scope)}" for p, t in params)
        result = "" if f.result is None else f" -> {self.ref(f.result, func.scope)}"
        meta = docs.get(name)
        lines = _doc_lines(meta)
        if kind == "constructor":
            own = f.result is not None and self.ref(f.result, func.scope) == _ident(resource)
            return resource, f"constructor({args}){'' if own else result};", lines
        static = "static " if kind == "static" else ""
        return resource, f"{_ident(head)}: {static}{prefix}func({args}){result};", lines

    def interface_body(self, item: _Item, meta: dict[str, object],
                       types_only: bool = False) -> list[str]:
        types = meta.get("types", {})
        funcs = meta.get("funcs", {})
        assert isinstance(types, dict) and isinstance(funcs, dict)
        lines: list[str] = []
        methods: dict[str, list[str]] = {}
        free: list[str] = []
        for name, value in item.exports:
            if isinstance(value, _Func):
                if types_only:
                    continue
                resource, text, docs = self.function(name, value, funcs)
                if resource:
                    methods.setdefault(resource, []).extend([*docs, text])
                else:
                    free.extend([*docs, text])
        for _name, value in item.exports:
            if isinstance(value, _Named):
                block = self.typedef(value, item, types)
                if value.resource and methods.get(value.name):
                    block[-1] = block[-1][:-1] + " {"
                    block += ["  " + m for m in methods[value.name]] + ["}"]
                lines += block
        lines += free
        return lines

    def world_body(self, item: _Item, meta: dict[str, object]) -> list[str]:
        lines: list[str] = []
        types = meta.get("types", {})
        funcs = meta.get("funcs", {})
        interfaces = meta.get("interfaces", {})
        assert isinstance(types, dict) and isinstance(funcs, dict)
        assert isinstance(interfaces, dict)
        methods: dict[str, list[str]] = {}
        for side in (item.imports, item.exports):
            for name, value in side:
                if isinstance(value, _Func):
                    resource, text, docs = self.function(name, value, funcs)
                    if resource:
                        methods.setdefault(resource, []).extend([*docs, text])
        for side, word in ((item.imports, "import"), (item.exports, "export")):
            for name, value in side:
                if isinstance(value, _Item):
                    if _parse_id(name) is not None:
                        lines.append(f"{word} {self.path_of(value)};")
                    else:
                        inner = interfaces.get(name, {})
                        assert isinstance(inner, dict)
                        lines += _doc_lines(inner)
                        lines.append(f"{word} {_ident(name)}: interface {{")
                        lines += ["  " + b for b in self.interface_body(value, inner)]
                        lines.append("}")
                elif isinstance(value, _Named):
                    value.owner = item
                    block = self.typedef(value, item, types)
                    if value.resource and methods.get(value.name):
                        block[-1] = block[-1][:-1] + " {"
                        block += ["  " + m for m in methods[value.name]] + ["}"]
                    lines += block
                elif isinstance(value, _Func):
                    resource, text, docs = self.function(name, value, funcs)
                    if not resource:
                        lines += docs
                        lines.append(f"{word} {text}")
        return lines


def _doc_lines(meta: object) -> list[str]:
    docs = meta if isinstance(meta, str) else (meta.get("docs") if isinstance(meta, dict)
                                               else None)
    if not isinstance(docs, str):
        return []
    return ["/// " + line if line else "///" for line in docs.split("\n")]


def _metadata(component: Component) -> dict[str, object]:
    for name, data in component.custom:
        if name != "package-docs" or not data:
            continue
        try:
            found = json.loads(data[1:].decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise DecodeError("the package-docs section is not valid JSON") from None
        return found if isinstance(found, dict) else {}
    return {}


def _top_items(component: Component) -> Iterator[tuple[str, _Item]]:
    root = _Scope(None)
    for entry in component.items:
        if isinstance(entry, TopExport):
            if entry.sort != "type":
                raise DecodeError("found an actual component instead of an encoded WIT package")
            found = root.type_at(entry.item)
            root.types.append(found)
            if not isinstance(found, tuple) or not isinstance(found[0], ComponentTypeDef):
                raise DecodeError(f"export `{entry.name}` is not a component type")
            holder = _evaluate(found[0].decls, "holder", root)
            if len(holder.exports) != 1:
                raise DecodeError(f"expected a single export, but found {len(holder.exports)} "
                                  "instead")
            name, value = holder.exports[0]
            if not isinstance(value, _Item):
                raise DecodeError(f"`{name}` is neither an interface nor a world")
            yield name, value
        elif isinstance(entry, (ComponentTypeDef, InstanceTypeDef)):
            root.types.append((entry, root))
        else:
            root.types.append(entry)


def decode_package(data: bytes) -> Decoded:
    """The WIT of the package encoded in ``data`` (binary or WAT). Raises DecodeError."""
    if is_binary_component(data):
        component = read_binary(data)
    else:
        from wit_ls.model.wat_reader import read_wat

        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise DecodeError("neither a WebAssembly binary nor UTF-8 text") from None
        component = read_wat(text)
    meta = _metadata(component)
    items = list(_top_items(component))
    if not items:
        raise DecodeError("no exported component type found")
    package = ""
    for name, _item in items:
        found = _parse_id(name)
        if found is None:
            raise DecodeError(f"`{name}` is not a fully qualified interface or world name")
        if package and found.package != package:
            raise DecodeError("item defined with mismatched package name")
        package = found.package
    writer = _Writer(package, meta)
    body: list[str] = []
    iface_meta = meta.get("interfaces", {})
    world_meta = meta.get("worlds", {})
    assert isinstance(iface_meta, dict) and isinstance(world_meta, dict)
    for name, item in items:
        short = _parse_id(name)
        assert short is not None
        if item.kind == "interface":
            m = iface_meta.get(short.name, {})
            assert isinstance(m, dict)
            body += _doc_lines(m)
            body.append(f"interface {_ident(short.name)} {{")
            body += ["  " + line for line in writer.interface_body(item, m)]
        else:
            m = world_meta.get(short.name, {})
            assert isinstance(m, dict)
            body += _doc_lines(m)
            body.append(f"world {_ident(short.name)} {{")
            body += ["  " + line for line in writer.world_body(item, m)]
        body.append("}")
    header = [*_doc_lines(meta), f"package {package};", ""]
    foreign = []
    for pkg, interfaces in writer.foreign.items():
        block = [f"package {pkg} {{"]
        for iname, lines in interfaces.items():
            block.append(f"  interface {_ident(iname)} {{")
            block += ["    " + line for line in lines]
            block.append("  }")
        block.append("}")
        foreign.append((pkg, "\n".join(block) + "\n"))
    return Decoded(package, "\n".join(header + body) + "\n", tuple(foreign))
