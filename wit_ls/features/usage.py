"""Where is it used: a code lens on each interface ("imported by 3 worlds · exported by 1 ·
used by 5 interfaces") and each type ("12 references") of a file, with the references
themselves (what the lens's command shows).

The figures are the model's references (those of every root the analysis holds), so the count
a lens shows is the list its command opens: an interface's references are sorted by the
statement they sit in (`import` and `export` in a world, `use` in an interface or a world;
a top-level `use` or an `include`'s path is a reference without a category) and the counts
are of distinct worlds and interfaces; a type's are every name that refers to it, `use` names
included, and the uses of a name a `use` brings in without renaming it. Both are what *Find All
References* lists."""

from __future__ import annotations

from dataclasses import dataclass

from wit_ls.features import navigation
from wit_ls.features.common import FeatureContext, ancestor
from wit_ls.model.api import Location
from wit_ls.syntax.vocabulary import TYPE_DEFINITION_NODES

_TYPE_KINDS = frozenset(TYPE_DEFINITION_NODES.values())


@dataclass(frozen=True)
class UsageLens:
    """A lens over the name at ``start``-``end`` of ``path``: its ``title`` and the
    ``references`` its command shows."""

    path: str
    start: int
    end: int
    title: str
    references: tuple[Location, ...]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _interface_title(ctx: FeatureContext, refs: list[Location]) -> str:
    importers: set[Location] = set()
    exporters: set[Location] = set()
    users: dict[str, set[Location]] = {"interface": set(), "world": set()}
    for ref in refs:
        tree = ctx.tree_of(ref.path)
        if tree is None:
            continue
        node = tree.root.descendant_for_byte_range(ref.start, ref.start)
        statement = ancestor(node, "import_item", "export_item", "use_item", "toplevel_use",
                             "include_item")
        holder = ancestor(statement, "interface_item", "world_item")
        if statement is None or holder is None:
            continue
        # An inline `import x: interface { use y.{t}; }` is used by the world holding it.
        outer = ancestor(holder.parent, "world_item") if holder.type == "interface_item" \
            else None
        place = Location(ref.path, holder.start_byte, holder.end_byte)
        if statement.type == "import_item":
            importers.add(place)
        elif statement.type == "export_item":
            exporters.add(place)
        elif statement.type == "use_item":
            kind = "world" if holder.type == "world_item" or outer is not None else "interface"
            users[kind].add(place)
    parts: list[str] = []
    if importers:
        parts.append("imported by " + _plural(len(importers), "world"))
    if exporters:
        parts.append(f"exported by {len(exporters)}")
    if users["interface"] or users["world"]:
        used = [_plural(len(users[k]), k) for k in ("interface", "world") if users[k]]
        parts.append("used by " + " and ".join(used))
    return " · ".join(parts) if parts else _plural(len(refs), "reference")


def usage_places(ctx: FeatureContext) -> list[tuple[int, int, str]]:
    """Where the lenses of ``ctx.path`` go, in source order: (start, end, kind) of the name of
    each interface and type declared there (the lens' title and references are
    :func:`usage_lens`'s, which an editor asks for the lenses it shows)."""
    unique = {(loc.start, loc.end): kind for loc, kind in ctx.analysis.declared_types(ctx.path)
              if kind == "interface" or kind in _TYPE_KINDS}
    return sorted(((start, end, kind) for (start, end), kind in unique.items()),
                  key=lambda place: place[0])


def usage_lens(ctx: FeatureContext, start: int, end: int, kind: str) -> UsageLens:
    """The lens over the name at ``start``-``end`` of ``ctx.path``, declaring a ``kind``."""
    found = navigation.references(ctx, start, include_declaration=False)
    refs = sorted((loc for loc in found if not (loc.path == ctx.path and loc.start == start)),
                  key=lambda loc: (loc.path, loc.start))
    title = _interface_title(ctx, refs) if kind == "interface" else _plural(len(refs),
                                                                            "reference")
    return UsageLens(ctx.path, start, end, title, tuple(refs))


def usage_lenses(ctx: FeatureContext) -> list[UsageLens]:
    """The lenses of the interfaces and types declared in ``ctx.path``, in source order."""
    return [usage_lens(ctx, start, end, kind) for start, end, kind in usage_places(ctx)]
