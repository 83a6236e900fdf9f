"""Type hierarchy through `include` and `use`: what an interface or world is built from
(its supertypes) and what builds on it (its subtypes).

The direction follows what a user reads as "is built from": a world's supertypes are the
worlds it `include`s and the interfaces it `use`s; an interface's supertypes are the
interfaces whose types it `use`s. Subtypes are the reverse: the worlds that include a world,
the interfaces and worlds that use an interface. Imports and exports are not part of the
hierarchy (the usage code lens counts them). Edges come from the package graph
(:mod:`wit_ls.features.graph`) of every root the analysis holds, so a dependency shared by
several roots lists the users in each. Related items come in source order (by file, then
offset)."""

from __future__ import annotations

from dataclasses import dataclass

from wit_ls.features.common import FeatureContext
from wit_ls.features.graph import Edge, Graph, Node, package_graph

# The edges that make the hierarchy.
_KINDS = ("include", "use")


@dataclass(frozen=True)
class HierarchyItem:
    """An interface or world: ``id`` is its graph id (``wasi:io/streams@0.2.0``), ``start``
    and ``end`` the whole item, ``name_start`` and ``name_end`` its name."""

    id: str
    name: str
    kind: str  # "interface" | "world"
    path: str
    start: int
    end: int
    name_start: int
    name_end: int


def _graphs(ctx: FeatureContext) -> list[Graph]:
    resolvers = ctx.analysis.resolvers()
    return [package_graph([resolver]) for resolver in resolvers]


def _item(ctx: FeatureContext, node: Node) -> HierarchyItem:
    sym = ctx.analysis.symbol_at(node.path, node.start)
    start, end = sym.range if sym is not None else (node.start, node.end)
    return HierarchyItem(node.id, node.name, node.kind, node.path, start, end,
                         node.start, node.end)


def prepare(ctx: FeatureContext, offset: int) -> list[HierarchyItem]:
    """The interface or world named at ``offset`` (its declaration or a reference to it)."""
    found = ctx.analysis.definition(ctx.path, offset)
    if not found:
        return []
    loc = found[0]
    for graph in _graphs(ctx):
        for node in graph.nodes:
            if node.path == loc.path and node.start == loc.start and not node.inline:
                return [_item(ctx, node)]
    return []


def _related(ctx: FeatureContext, item_id: str, upward: bool) -> list[HierarchyItem]:
    out: dict[str, HierarchyItem] = {}
    for graph in _graphs(ctx):
        edges: list[Edge] = [e for e in graph.edges if e.kind in _KINDS]
        for edge in edges:
            if (edge.source if upward else edge.target) != item_id:
                continue
            other = graph.node(edge.target if upward else edge.source)
            if other is not None and other.id not in out and other.id != item_id:
                out[other.id] = _item(ctx, other)
    return sorted(out.values(), key=lambda item: (item.path, item.name_start))


def supertypes(ctx: FeatureContext, item_id: str) -> list[HierarchyItem]:
    """What ``item_id`` is built from: the worlds it includes, the interfaces it uses."""
    return _related(ctx, item_id, upward=True)


def subtypes(ctx: FeatureContext, item_id: str) -> list[HierarchyItem]:
    """What builds on ``item_id``: the worlds that include it, the interfaces and worlds
    that use it."""
    return _related(ctx, item_id, upward=False)
