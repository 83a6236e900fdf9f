"""Completion that imports: the types of other interfaces (of the package, or of a package in
``deps/``) that a type position could name, and the edit that brings one in with `use`.

* The `use` names the interface by its plain name when it belongs to the same package, else by
  its full path with the version found in ``deps/`` (``wasi:io/streams@0.2.8``).
* An existing `use` of that interface in the interface or world around the cursor gains the
  name: at its sorted place when the names there are sorted, else at the end; on a line of its
  own when the list spans lines.
* Otherwise a new `use` line goes after the last `use` of the body, or first in the body,
  with the indentation of the body's items, and with the `@unstable` gate of the interface or
  world when it has one (wit-parser rejects an ungated `use` in a gated item).
* Interfaces and types that the active features leave out (`@unstable` with its feature off)
  are not offered.
* The interfaces that use the one around the cursor (directly or not) are left out: a `use`
  of theirs would make a cycle, which WIT forbids.
* Name clashes: a type already visible under its own name (declared in the body or brought by
  a `use`) is not offered again; a different type whose name is taken in the body is offered
  under an alias, ``<interface>-<name>`` (`use wasi:sockets/network@0.2.0.{error-code as
  network-error-code}`), and not at all when the alias is taken too.
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from wit_ls.features.common import FeatureContext, FileEdit, package_header, package_root_of
from wit_ls.features.graph import package_graph
from wit_ls.model.api import Location
from wit_ls.model.symbols import Symbol
from wit_ls.syntax.tree import enclosing
from wit_ls.syntax.vocabulary import KEYWORDS, TYPE_DEFINITION_NODES

_TYPE_KINDS = frozenset(TYPE_DEFINITION_NODES.values())


@dataclass(frozen=True)
class AutoImport:
    """Bring ``name`` of the interface written ``interface`` in a `use` (as ``alias`` when it is
    set). ``declared`` is where that interface is declared (to find a `use` of it)."""

    interface: str
    name: str
    alias: str | None
    declared: Location


@dataclass(frozen=True)
class Importable:
    """A type that a `use` can bring in: its symbol and how to import it."""

    symbol: Symbol
    auto_import: AutoImport

    @property
    def label(self) -> str:
        return self.auto_import.alias or self.auto_import.name


def body_at(ctx: FeatureContext, offset: int) -> Node | None:
    """The interface or world body around ``offset``."""
    return enclosing(ctx.tree.root, ctx.tree.root.descendant_for_byte_range(offset, offset),
                     "interface_body", "world_body")


def _identifier(name: str) -> str:
    return f"%{name}" if name in KEYWORDS else name


def _our_package(ctx: FeatureContext, body: Node) -> str:
    """The package key (``ns:name@version``) of the item holding ``body``."""
    holder = body.parent
    name = holder.child_by_field_name("name") if holder is not None else None
    if name is not None:
        sym = ctx.analysis.symbol_at(ctx.path, name.start_byte)
        if sym is not None and sym.kind in ("interface", "world"):
            return sym.container
    header = package_header(ctx.tree)
    pkg = header.child_by_field_name("name") if header is not None else None
    return "".join(ctx.tree.node_text(pkg).split()) if pkg is not None else ""


def _used(body: Node) -> list[tuple[Node, Node]]:
    """The `use` items of ``body`` with the identifier naming each one's interface."""
    out: list[tuple[Node, Node]] = []
    for child in body.named_children:
        if child.type != "use_item":
            continue
        path = child.child_by_field_name("path")
        name = path.child_by_field_name("name") if path is not None else None
        if name is not None:
            out.append((child, name))
    return out


def _visible(ctx: FeatureContext, body: Node) -> tuple[set[str], set[Location]]:
    """The type names the body declares or brings in, and the definitions `use` brings."""
    names: set[str] = set()
    brought: set[Location] = set()
    for child in body.named_children:
        if child.type in TYPE_DEFINITION_NODES:
            name = child.child_by_field_name("name")
            if name is not None:
                names.add(ctx.tree.node_text(name).lstrip("%"))
        elif child.type == "use_item":
            listed = child.child_by_field_name("names")
            for use_name in listed.named_children if listed is not None else ():
                if use_name.type != "use_name":
                    continue
                original = use_name.child_by_field_name("name")
                shown = use_name.child_by_field_name("alias") or original
                if shown is not None:
                    names.add(ctx.tree.node_text(shown).lstrip("%"))
                if original is not None:
                    brought.update(ctx.analysis.definition(ctx.path, original.start_byte))
    return names, brought


def importable(ctx: FeatureContext, offset: int, resources_only: bool = False
               ) -> list[Importable]:
    """The types of other interfaces of this package and of ``deps/`` that the body around
    ``offset`` could `use`, each with how to import it (see the module's rules)."""
    body = body_at(ctx, offset)
    if body is None:
        return []
    root = package_root_of(ctx.path)
    ours = _our_package(ctx, body)
    holder = body.parent
    own_name = holder.child_by_field_name("name") if holder is not None else None
    own = (Location(ctx.path, own_name.start_byte, own_name.end_byte)
           if own_name is not None and holder is not None and holder.type == "interface_item"
           else None)
    names, brought = _visible(ctx, body)
    cyclic = _dependents(ctx, own) if own is not None else set()
    excluded = _excluded(ctx)
    out: list[Importable] = []
    for iface in ctx.analysis.all_symbols():
        if iface.kind != "interface" or "/" not in iface.qualified:
            continue
        declared = Location(iface.path, *iface.selection)
        if declared == own or declared in cyclic or declared in excluded \
                or package_root_of(iface.path) != root:
            continue
        local = iface.container == ours and "/deps/" not in iface.path[len(root):]
        written = _identifier(iface.name) if local else iface.qualified
        for sym in iface.children:
            if sym.kind not in _TYPE_KINDS or (resources_only and sym.kind != "resource"):
                continue
            place = Location(sym.path, *sym.selection)
            if place in brought or place in excluded:
                continue
            alias = None
            if sym.name in names:
                alias = f"{iface.name}-{sym.name}"
                if alias in names:
                    continue
            out.append(Importable(sym, AutoImport(written, sym.name, alias, declared)))
    return out


def _excluded(ctx: FeatureContext) -> set[Location]:
    """Where the interfaces and types that the active features leave out are declared (an
    `@unstable` item whose feature is off does not exist for a `use`)."""
    out: set[Location] = set()
    for resolver in ctx.analysis.resolvers():
        r = resolver.r
        gone = {p.id for p in r.packages if p.excluded}
        for ri in r.interfaces:
            if ri.excluded or ri.package in gone:
                out.add(Location(*ri.loc))
        for t in r.types:
            if t.excluded:
                out.add(Location(*t.loc))
    return out


def _dependents(ctx: FeatureContext, own: Location) -> set[Location]:
    """The interfaces that use the interface declared at ``own``, directly or not (a `use` of
    theirs in it would make a cycle, which WIT forbids)."""
    graph = package_graph(ctx.analysis.resolvers(), ctx.path)
    where = {node.id: Location(node.path, node.start, node.end) for node in graph.nodes}
    start = next((node_id for node_id, loc in where.items() if loc == own), None)
    users: dict[str, list[str]] = {}
    for edge in graph.edges:
        if edge.kind == "use":
            users.setdefault(edge.target, []).append(edge.source)
    seen: set[str] = set()
    stack = [start] if start is not None else []
    while stack:
        for user in users.get(stack.pop(), []):
            if user not in seen:
                seen.add(user)
                stack.append(user)
    return {where[node_id] for node_id in seen}


def _indent_of(source: bytes, offset: int) -> str | None:
    """The whitespace before ``offset`` on its line (None when text precedes it)."""
    start = source.rfind(b"\n", 0, offset) + 1
    before = source[start:offset]
    return before.decode("utf-8") if not before.strip() else None


def _same_line(source: bytes, a: int, b: int) -> bool:
    return b"\n" not in source[min(a, b):max(a, b)]


def _merge(ctx: FeatureContext, use: Node, entry: str, name: str) -> list[FileEdit]:
    source = ctx.tree.source
    listed = use.child_by_field_name("names")
    if listed is None:
        return []
    entries = [n for n in listed.named_children if n.type == "use_name"]
    if not entries:
        return [FileEdit(ctx.path, listed.start_byte + 1, listed.start_byte + 1, entry)]
    plain = [ctx.tree.node_text(n.child_by_field_name("name") or n).lstrip("%")
             for n in entries]
    position = len(entries)
    if plain == sorted(plain):
        position = next((i for i, other in enumerate(plain) if other > name), len(entries))
    multiline = not _same_line(source, listed.start_byte, entries[-1].end_byte)
    indent = _indent_of(source, entries[0].start_byte) if multiline else None
    separator = f",\n{indent}" if indent is not None else ", "
    if position < len(entries):
        at = entries[position].start_byte
        return [FileEdit(ctx.path, at, at, entry + separator)]
    at = entries[-1].end_byte
    return [FileEdit(ctx.path, at, at, separator + entry)]


def import_edits(ctx: FeatureContext, offset: int, wanted: AutoImport) -> list[FileEdit]:
    """The edit that makes ``wanted`` visible in the body around ``offset``: its name added to
    a `use` of its interface there, or a new `use` line (nothing when it is already there)."""
    body = body_at(ctx, offset)
    if body is None:
        return []
    source = ctx.tree.source
    entry = _identifier(wanted.name)
    if wanted.alias:
        entry += f" as {_identifier(wanted.alias)}"
    uses = _used(body)
    for use, name in uses:
        found = ctx.analysis.definition(ctx.path, name.start_byte)
        if wanted.declared in found:
            listed = use.child_by_field_name("names")
            for use_name in listed.named_children if listed is not None else ():
                original = use_name.child_by_field_name("name")
                alias = use_name.child_by_field_name("alias")
                if original is not None and ctx.tree.node_text(original).lstrip(
                        "%") == wanted.name and (
                        (ctx.tree.node_text(alias).lstrip("%") if alias else None)
                        == wanted.alias):
                    return []
            return _merge(ctx, use, entry, wanted.name)
    holder = body.parent
    # In an `@unstable` interface or world a `use` must carry the same gate.
    gates = [ctx.tree.node_text(a) for a in (holder.named_children if holder else [])
             if a.type == "attribute" and ctx.tree.node_text(a).startswith("@unstable")]

    def line(indent: str) -> str:
        return "".join(f"{gate}\n{indent}" for gate in gates) + (
            f"use {wanted.interface}.{{{entry}}};")

    if uses:
        last = uses[-1][0]
        indent = _indent_of(source, last.start_byte) or ""
        return [FileEdit(ctx.path, last.end_byte, last.end_byte, f"\n{indent}{line(indent)}")]
    base = _indent_of(source, holder.start_byte) if holder is not None else None
    indent = (base or "") + "  "
    first = next((c for c in body.children if c.type != "{"), None)
    if first is not None and first.type != "}":
        indent = _indent_of(source, first.start_byte) or indent
    at = body.start_byte + 1
    rest = source[at:source.find(b"\n", at) if b"\n" in source[at:] else len(source)]
    following = source[at + len(rest) + 1:].split(b"\n", 1)[0] if b"\n" in source[at:] else b""
    # Keep a blank line between the new `use` and the body's first item.
    gap = "\n" if rest.strip() == b"" and following.strip() not in (b"", b"}") else ""
    if rest.strip():
        # `{` followed by an item on the same line: put the `use` on its own line.
        return [FileEdit(ctx.path, at, at, f"\n{indent}{line(indent)}\n{indent}")]
    return [FileEdit(ctx.path, at, at, f"\n{indent}{line(indent)}{gap}")]
