"""Symbols: every definition with its ranges, qualified name, signature, docs and stability,
built from the lowered items of a package and the resolved model."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from wit_ls.model.checks import function_name, stability_of
from wit_ls.model.items import Extern, Func, Include, Interface, TopUse, TypeDef, Use, World
from wit_ls.model.loader import PackageSource, SourceFile
from wit_ls.model.resolved import Loc, Resolve
from wit_ls.model.wit_text import resolved_text

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Symbol:
    name: str
    kind: str
    path: str
    range: tuple[int, int]
    selection: tuple[int, int]
    qualified: str
    signature: str
    docs: str
    stability: str
    container: str
    children: tuple[Symbol, ...] = ()
    resolved_type: str = ""


def _text(source: bytes, start: int, end: int) -> str:
    return source[start:end].decode("utf-8", "replace")


def _signature(source: bytes, start: int, end: int, strip_attributes: bool = True) -> str:
    text = _text(source, start, end)
    # Drop comments and attributes, collapse whitespace.
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    if strip_attributes:
        text = re.sub(r"@[\w-]+(\([^)]*\))?", "", text)
    text = _SPACES.sub(" ", text).strip()
    return text.rstrip(";").strip()


def _header(source: bytes, start: int, end: int) -> str:
    sig = _signature(source, start, end)
    brace = sig.find("{")
    return sig[:brace].strip() if brace >= 0 else sig


def _qualified(package: str, name: str, version: str) -> str:
    """``ns:pkg/name@version``; just the name in a file without a package header."""
    if not package:
        return name
    return f"{package}/{name}" + (f"@{version}" if version else "")


class SymbolBuilder:
    def __init__(self, resolve: Resolve, type_at: dict[Loc, int]) -> None:
        self.resolve = resolve
        self.type_at = type_at
        self.by_loc: dict[Loc, Symbol] = {}

    def _stab(self, attributes: Sequence[object]) -> str:
        stab, _ = stability_of(attributes)  # type: ignore[arg-type]
        return stab.text()

    def _make(self, name: str, kind: str, path: str, rng: tuple[int, int],
              sel: tuple[int, int], qualified: str, signature: str, docs: str | None,
              stability: str, container: str, children: tuple[Symbol, ...] = (),
              resolved_type: str = "") -> Symbol:
        sym = Symbol(name, kind, path, rng, sel, qualified, signature, docs or "", stability,
                     container, children, resolved_type)
        self.by_loc[Loc(path, sel[0], sel[1])] = sym
        return sym

    def function(self, file: SourceFile, func: Func, resource: str | None,
                 container: str) -> Symbol:
        source = file.data
        path = file.path
        kinds = {"func": "function", "method": "method", "static": "static",
                 "constructor": "constructor"}
        kind = kinds[func.kind]
        if func.accessor:
            kind = "getter" if func.accessor == "get" else "setter"
        if func.name is not None:
            sel = (func.name.start, func.name.end)
            name = func.name.text
        else:
            sel = func.keyword
            name = "constructor"
        params = tuple(
            self._make(p.name.text, "param", path, (p.start, p.end), (p.name.start, p.name.end),
                       p.name.text, _signature(source, p.start, p.end), None, "",
                       container)
            for p in func.params
        )
        start = func.start
        for attr in func.attributes:
            start = max(start, attr.end)
        return self._make(name, kind, path, (func.start, func.end), sel,
                          function_name(func, resource), _signature(source, start, func.end),
                          func.docs, self._stab(func.attributes), container, params)

    def typedef(self, file: SourceFile, item: TypeDef, container: str) -> Symbol:
        source = file.data
        path = file.path
        kind = "type" if item.kind == "type" else item.kind
        children: list[Symbol] = []
        member_kind = {"record": "field", "variant": "case", "enum": "case", "flags": "flag"}
        for m in item.members:
            children.append(self._make(m.name.text, member_kind.get(item.kind, "field"), path,
                                       (m.start, m.end), (m.name.start, m.name.end),
                                       f"{item.name.text}.{m.name.text}",
                                       _signature(source, m.start, m.end), m.docs, "",
                                       container))
        for f in item.methods:
            children.append(self.function(file, f, item.name.text, container))
        start = item.start
        for attr in item.attributes:
            start = max(start, attr.end)
        signature = (_signature(source, start, item.end) if item.kind == "type"
                     else _header(source, start, item.end))
        resolved = ""
        tid = self.type_at.get(Loc(path, item.name.start, item.name.end))
        if item.kind == "type" and tid is not None:
            t = self.resolve.types[tid]
            resolved = resolved_text(self.resolve, t.args[0] if t.args else None)
        return self._make(item.name.text, kind, path, (item.start, item.end),
                          (item.name.start, item.name.end), f"{container}#{item.name.text}",
                          signature, item.docs, self._stab(item.attributes), container,
                          tuple(children), resolved)

    def use(self, file: SourceFile, use: Use, container: str) -> list[Symbol]:
        out = []
        for name in use.names:
            local = name.local
            resolved = ""
            tid = self.type_at.get(Loc(file.path, local.start, local.end))
            if tid is not None:
                t = self.resolve.types[tid]
                resolved = resolved_text(self.resolve, t.args[0] if t.args else None)
            out.append(self._make(local.text, "use", file.path, (use.start, use.end),
                                  (local.start, local.end), f"{container}#{local.text}",
                                  f"use {use.path.text()}.{{{name.name.text}"
                                  + (f" as {local.text}" if name.alias else "") + "}",
                                  None, self._stab(use.attributes), container, (), resolved))
        return out

    def members(self, file: SourceFile, members: list[object], container: str) -> list[Symbol]:
        out: list[Symbol] = []
        for m in members:
            if isinstance(m, Use):
                out.extend(self.use(file, m, container))
            elif isinstance(m, TypeDef):
                out.append(self.typedef(file, m, container))
            elif isinstance(m, Func):
                out.append(self.function(file, m, None, container))
            elif isinstance(m, Extern):
                out.append(self.extern(file, m, container))
            elif isinstance(m, Include):
                continue
        return out

    def extern(self, file: SourceFile, m: Extern, container: str) -> Symbol:
        source = file.data
        start = m.start
        for attr in m.attributes:
            start = max(start, attr.end)
        sel_ident = m.name or (m.path.name if m.path is not None else None)
        sel = (sel_ident.start, sel_ident.end) if sel_ident else (m.start, m.start)
        name = sel_ident.text if sel_ident else ""
        if m.path is not None and m.name is None:
            name = m.path.text()
        children: tuple[Symbol, ...] = ()
        if m.interface is not None:
            children = tuple(self.members(file, list(m.interface.members),
                                          f"{container}/{name}"))
        return self._make(name, m.direction, file.path, (m.start, m.end), sel,
                          f"{container}/{m.direction}/{name}",
                          _header(source, start, m.end), m.docs, self._stab(m.attributes),
                          container, children)

    def package(self, source: PackageSource) -> dict[str, list[Symbol]]:
        """Top-level symbols per file of one package."""
        out: dict[str, list[Symbol]] = {}
        key = source.name.key() if source.name is not None else ""
        ns_name = key.split("@")[0]
        version = key.partition("@")[2]
        for file, decls in source.declarations():
            symbols = out.setdefault(file.path, [])
            for item in decls.order:
                if isinstance(item, Interface) and item.name is not None:
                    qualified = _qualified(ns_name, item.name.text, version)
                    container = qualified
                    children = tuple(self.members(file, list(item.members), container))
                    symbols.append(self._make(
                        item.name.text, "interface", file.path, (item.start, item.end),
                        (item.name.start, item.name.end), qualified,
                        f"interface {item.name.text}", item.docs, self._stab(item.attributes),
                        key, children))
                elif isinstance(item, World):
                    qualified = _qualified(ns_name, item.name.text, version)
                    children = tuple(self.members(file, list(item.members), qualified))
                    symbols.append(self._make(
                        item.name.text, "world", file.path, (item.start, item.end),
                        (item.name.start, item.name.end), qualified, f"world {item.name.text}",
                        item.docs, self._stab(item.attributes), key, children))
                elif isinstance(item, TopUse):
                    local = item.local
                    symbols.append(self._make(
                        local.text, "use", file.path, (item.start, item.end),
                        (local.start, local.end), item.path.text(),
                        _signature(file.data, item.start, item.end), item.docs, "", key))
        if source.name is not None and source.nested is None and source.name_path:
            name = source.name
            self._make(key, "package", source.name_path, (name.start, name.end),
                       (name.start, name.end), key, f"package {key}", source.docs, "", "")
        elif source.name is not None and source.nested is not None:
            name = source.name
            nested_symbols = out.get(source.name_path, [])
            pkg = self._make(key, "package", source.name_path,
                             (source.nested.start, source.nested.end), (name.start, name.end),
                             key, f"package {key}", source.docs, "", "",
                             tuple(nested_symbols))
            out[source.name_path] = [pkg]
        return out



# A definition's place and, for an interface or a type definition, its symbol's kind ("" for
# the others).
Place = tuple[Loc, str]


def _function_places(path: str, func: Func) -> list[Place]:
    out = [(Loc(path, p.name.start, p.name.end), "") for p in func.params]
    sel = (func.name.start, func.name.end) if func.name is not None else func.keyword
    out.append((Loc(path, sel[0], sel[1]), ""))
    return out


def _member_places(path: str, members: Sequence[object]) -> list[Place]:
    out: list[Place] = []
    for m in members:
        if isinstance(m, Use):
            out.extend((Loc(path, name.local.start, name.local.end), "") for name in m.names)
        elif isinstance(m, TypeDef):
            out.extend((Loc(path, f.name.start, f.name.end), "") for f in m.members)
            for method in m.methods:
                out.extend(_function_places(path, method))
            out.append((Loc(path, m.name.start, m.name.end), m.kind))
        elif isinstance(m, Func):
            out.extend(_function_places(path, m))
        elif isinstance(m, Extern):
            if m.interface is not None:
                out.extend(_member_places(path, list(m.interface.members)))
            ident = m.name or (m.path.name if m.path is not None else None)
            out.append((Loc(path, ident.start, ident.end) if ident else Loc(path, m.start, m.start),
                        ""))
    return out


def definition_places(source: PackageSource) -> dict[str, list[Place]]:
    """Per file of ``source`` (every file :meth:`SymbolBuilder.package` has a list for), where
    the name of each symbol it makes there is (the keys of its ``by_loc``), with the kind of
    interfaces and type definitions, without making them: going to a definition and placing
    the usage lenses need only these."""
    out: dict[str, list[Place]] = {}
    for file, decls in source.declarations():
        path = file.path
        places = out.setdefault(path, [])
        for item in decls.order:
            if isinstance(item, Interface) and item.name is not None:
                places.extend(_member_places(path, list(item.members)))
                places.append((Loc(path, item.name.start, item.name.end), "interface"))
            elif isinstance(item, World):
                places.extend(_member_places(path, list(item.members)))
                places.append((Loc(path, item.name.start, item.name.end), ""))
            elif isinstance(item, TopUse):
                places.append((Loc(path, item.local.start, item.local.end), ""))
    if source.name is not None and (source.nested is not None or source.name_path):
        out.setdefault(source.name_path, []).append(
            (Loc(source.name_path, source.name.start, source.name.end), ""))
    return out


def _member_types(path: str, members: Sequence[object]) -> list[Place]:
    out: list[Place] = []
    for m in members:
        if isinstance(m, TypeDef):
            out.append((Loc(path, m.name.start, m.name.end), m.kind))
        elif isinstance(m, Extern) and m.interface is not None:
            out.extend(_member_types(path, list(m.interface.members)))
    return out


def type_places(source: PackageSource) -> dict[str, list[Place]]:
    """The places of :func:`definition_places` with a kind (interfaces and type definitions),
    per file of ``source``, found without walking functions, fields and `use`s."""
    out: dict[str, list[Place]] = {}
    for file, decls in source.declarations():
        path = file.path
        places = out.setdefault(path, [])
        for item in decls.order:
            if isinstance(item, Interface) and item.name is not None:
                places.extend(_member_types(path, list(item.members)))
                places.append((Loc(path, item.name.start, item.name.end), "interface"))
            elif isinstance(item, World):
                places.extend(_member_types(path, list(item.members)))
    if source.name is not None and (source.nested is not None or source.name_path):
        out.setdefault(source.name_path, [])
    return out
