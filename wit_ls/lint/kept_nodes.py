"""A file's nodes by type (the lint facts' ``by_type``), kept per top-level unit between lint
passes (an editor re-lints after each keystroke).

Walking every node of a 20,000-line file to group them by type took half of a lint pass after
a keystroke. Here each unit of the file (see :func:`wit_ls.lint.incremental.units`: a
top-level item with the comments before it) is walked once per distinct text: its *inventory*
keeps, by node type, where its named nodes are (relative to the unit's first line, in document
order). A later tree whose unit has the same text (an error-free tree: the same text parses the
same) has nodes of the same types at the same relative places: a type a rule asks for is found
again in the new tree by position (:meth:`KeptNodes.__getitem__`), only for that type. Anything
not found exactly so (or an anonymous node type) falls back to a walk of the whole tree. The
answers equal :func:`wit_ls.lint.context.walk`'s (``tests/lint/test_kept_nodes.py`` compares
them over random edits).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache

from tree_sitter import Node

from wit_ls.lint.context import COMMENT_TYPES, DOC_TARGETS, FileFacts, walk
from wit_ls.lint.incremental import Unit, units
from wit_ls.syntax import SyntaxTree
from wit_ls.syntax.language import language

# By node type: (start, end) pairs, flat, relative to the unit's ``key_start``.
Inventory = dict[str, tuple[int, ...]]


@lru_cache(maxsize=256)
def _named_only(kind: str) -> bool:
    """Whether ``kind`` is a named node type and no anonymous one (inventories hold named
    nodes)."""
    lang = language()
    return bool(lang.id_for_node_kind(kind, True)) and not lang.id_for_node_kind(kind, False)


def _inventory(found: Mapping[str, list[Node]], base: int) -> Inventory:
    out: Inventory = {}
    for kind, nodes in found.items():
        if not nodes[0].is_named:
            continue
        flat: list[int] = []
        for node in nodes:
            flat.append(node.start_byte - base)
            flat.append(node.end_byte - base)
        out[kind] = tuple(flat)
    return out


def _find(tops: tuple[Node, ...], kind: str, start: int, end: int, nth: int) -> Node | None:
    """The node of ``kind`` spanning exactly ``start``-``end`` under one of ``tops`` (the
    ``nth`` one from the outside, when several nest), or None. Found going down from the top
    (``Node.parent`` searches down from the root on every call)."""
    for top in tops:
        if top.start_byte <= start and end <= top.end_byte:
            node: Node | None = top
            while node is not None and node.start_byte <= start and end <= node.end_byte:
                if node.type == kind and node.start_byte == start and node.end_byte == end:
                    if nth == 0:
                        return node
                    nth -= 1
                # (a leaf has none; the library crashes when asked)
                node = node.first_child_for_byte(start) if node.child_count else None
            return None
    return None


class KeptNodes(Mapping[str, list[Node]]):
    """One tree's nodes by type, made on demand from the units' inventories (see the module
    docs); the nodes of units walked for this tree are used as they are."""

    def __init__(self, tree: SyntaxTree, table: list[Unit], inventories: list[Inventory],
                 fresh: list[dict[str, list[Node]] | None]) -> None:
        self.tree = tree
        self.units = table
        self.inventories = inventories
        self._fresh = fresh
        self._starts = [u.start for u in table]
        self._made: dict[str, list[Node]] = {tree.root.type: [tree.root]}
        self._walked: dict[str, list[Node]] | None = None
        self._held: dict[tuple[str, str], list[Node]] = {}

    def _walk(self) -> dict[str, list[Node]]:
        if self._walked is None:
            self._walked = walk(self.tree.root)
        return self._walked

    def __getitem__(self, kind: str) -> list[Node]:
        found = self._made.get(kind)
        if found is None:
            found = self._made[kind] = self._make(kind)
        if not found:
            raise KeyError(kind)
        return found

    def _make(self, kind: str, inner: str | None = None) -> list[Node]:
        """The nodes of ``kind``; given ``inner``, those of kept units without a node of that
        type under them are left out (see :meth:`holding`)."""
        return self._make_many((kind,), inner)[kind]

    def make(self, kinds: tuple[str, ...]) -> None:
        """Make the nodes of each of ``kinds`` not made yet, in one pass over the units."""
        wanted = tuple(k for k in kinds if k not in self._made)
        if wanted:
            self._made.update(self._make_many(wanted))

    def _make_many(self, kinds: tuple[str, ...],
                   inner: str | None = None) -> dict[str, list[Node]]:
        if not all(_named_only(kind) for kind in kinds):
            walked = self._walk()
            return {kind: walked.get(kind, []) for kind in kinds}
        outs: dict[str, list[Node]] = {kind: [] for kind in kinds}
        for unit, inventory, fresh in zip(self.units, self.inventories, self._fresh,
                                          strict=True):
            for kind in kinds:
                out = outs[kind]
                if fresh is not None:
                    out.extend(fresh.get(kind, ()))
                    continue
                flat = inventory.get(kind)
                if not flat:
                    continue
                held = () if inner is None else inventory.get(inner, ())
                if inner is not None and not held:
                    continue
                base = unit.key_start
                last = (-1, -1)
                nth = 0
                for i in range(0, len(flat), 2):
                    start, end = flat[i], flat[i + 1]
                    nth = nth + 1 if (start, end) == last else 0
                    last = (start, end)
                    if inner is not None and not any(
                            start <= held[j] and held[j + 1] <= end
                            for j in range(0, len(held), 2)):
                        continue
                    node = _find(unit.nodes, kind, base + start, base + end, nth)
                    if node is None:  # not where the inventory says: never guess
                        walked = self._walk()
                        return {kind: walked.get(kind, []) for kind in kinds}
                    out.append(node)
        return outs

    def holding(self, kind: str, inner: str) -> list[Node]:
        """The nodes of ``kind``, at least those with a node of type ``inner`` under them (all
        those of units walked for this tree, and all once made), without making the others."""
        made = self._made.get(kind)
        if made is not None:
            return made
        if not _named_only(inner):
            return self.get(kind, [])
        found = self._held.get((kind, inner))
        if found is None:
            found = self._held[(kind, inner)] = self._make(kind, inner)
        return found

    def __iter__(self) -> Iterator[str]:
        kinds: dict[str, None] = dict.fromkeys(self._made)
        for inventory in self.inventories:
            kinds.update(dict.fromkeys(inventory))
        for fresh in self._fresh:
            if fresh is not None:
                kinds.update(dict.fromkeys(fresh))
        return iter(k for k in kinds if k in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def doc_target_at(self, offset: int) -> Node | None:
        """The construct of :data:`DOC_TARGETS` that starts exactly at ``offset`` (the
        longest), found from the node there rather than from every such node."""
        if not self.units:
            return None
        unit = self.units[max(0, bisect_right(self._starts, offset) - 1)]
        best: Node | None = None
        for top in unit.nodes:
            node: Node | None = top if top.start_byte <= offset < top.end_byte else None
            while node is not None and node.start_byte <= offset:
                if node.start_byte == offset and node.type in DOC_TARGETS and (
                        best is None or node.end_byte > best.end_byte):
                    best = node
                node = node.first_child_for_byte(offset) if node.child_count else None
        return best


def kept_facts(tree: SyntaxTree, previous: FileFacts | None,
               check: Callable[[], None] | None = None) -> FileFacts:
    """``tree``'s facts, with its nodes by type kept per unit from ``previous`` (the facts of
    an earlier tree of the same file) where a unit's text is the same. For an error-free
    tree; ``check`` is called every few units (to stop a lint pass early by raising)."""
    known: dict[bytes, Inventory] = {}
    if previous is not None and isinstance(previous.by_type, KeptNodes):
        old = previous.by_type
        known = {unit.text: inv for unit, inv in zip(old.units, old.inventories, strict=True)}
    table = units(tree)
    inventories: list[Inventory] = []
    fresh: list[dict[str, list[Node]] | None] = []
    for count, unit in enumerate(table):
        if check is not None and count % 32 == 0:
            check()
        inventory = known.get(unit.text)
        if inventory is not None:
            inventories.append(inventory)
            fresh.append(None)
            continue
        found: dict[str, list[Node]] = {}
        for node in unit.nodes:
            for kind, nodes in walk(node).items():
                found.setdefault(kind, []).extend(nodes)
        inventories.append(_inventory(found, unit.key_start))
        fresh.append(found)
    by_type = KeptNodes(tree, table, inventories, fresh)
    by_type.make(tuple(sorted(COMMENT_TYPES)))
    comments = sorted((n for kind in COMMENT_TYPES for n in by_type.get(kind, [])),
                      key=lambda n: n.start_byte)
    return FileFacts(tree, by_type, comments, [c.start_byte for c in comments],
                     doc_target_at=by_type.doc_target_at, nodes_holding=by_type.holding)
