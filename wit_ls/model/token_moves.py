"""Edits that change tokens but leave a file's lowering as it was, at moved positions.

A letter typed at the end of a line of a large package usually breaks the file: the new text
is an error node between two statements, or the statement it ends is dropped as noise. Every
declaration the resolver reads is then what it was, its positions moved by the edit. The
resolver is a function of the declarations that only copies positions and compares them with
each other, so its diagnostics are the last ones, moved; only the syntax diagnostics, the
ranges of syntax errors (semantic errors inside them are noise) and the help notes (which read
the text) are found again. An editor uses that to answer such a keystroke without resolving
the package again (see ``wit_ls.lsp.workspace``).

:func:`lowering_moved` decides it, looking only at the top-level nodes around the edit: the
others must be the same nodes (type, range, no error) at moved places, and the declarations
lowered from the nodes around the edit must be equal, position by position through the move.
"""

from __future__ import annotations

from collections.abc import Sequence

from tree_sitter import Node

from wit_ls.model.items import FileItems, _Record
from wit_ls.model.lower import _Lowerer
from wit_ls.model.relower import common_prefix, common_suffix
from wit_ls.syntax import SyntaxTree
from wit_ls.syntax.layout import Shift

# Top-level nodes around an edit lowered and compared at most (past it: analyse again).
_MAX_ZONE = 64
# Fields of lowered items that hold a position where a range starts, where one ends, and a
# (start, end) pair; `docs` is not compared: no check reads documentation.
_STARTS = frozenset(["start", "value_start"])
_ENDS = frozenset(["end", "value_end"])
_PAIRS = frozenset(["keyword", "version_range"])
_SKIPPED = frozenset(["docs"])
_NODES = frozenset(["interface_item", "world_item", "toplevel_use"])

TopNode = tuple[str, int, int, bool]


def edit_between(old: bytes, new: bytes) -> Shift:
    """The one edit that turns ``old`` into ``new``: the bytes between their common prefix
    and their common suffix."""
    prefix = common_prefix(old, new)
    suffix = common_suffix(old, new, min(len(old), len(new)) - prefix)
    return Shift(prefix, len(old) - suffix, len(new) - suffix)


def top_nodes(tree: SyntaxTree) -> list[TopNode]:
    """(type, start, end, has an error) of each child of the tree's root."""
    return [(c.type, c.start_byte, c.end_byte, c.has_error) for c in tree.root.children]


class _Map:
    """Old positions to new ones across ``shift``; None inside the edited bytes."""

    def __init__(self, shift: Shift) -> None:
        self.start, self.old_end = shift.start, shift.old_end
        self.delta = shift.new_end - shift.old_end

    def begin(self, at: int) -> int | None:
        if at < self.start:
            return at
        return at + self.delta if at >= self.old_end else None

    def finish(self, at: int) -> int | None:
        if at <= self.start:
            return at
        return at + self.delta if at >= self.old_end else None


def _same(old: object, new: object, where: _Map) -> bool:
    """Whether ``new`` is ``old`` with its positions moved by ``where``."""
    if isinstance(old, _Record):
        if type(old) is not type(new):
            return False
        for name in old.__slots__:
            if name in _SKIPPED:
                continue
            a, b = getattr(old, name), getattr(new, name)
            if name in _STARTS:
                if where.begin(a) != b:
                    return False
            elif name in _ENDS:
                if where.finish(a) != b:
                    return False
            elif name in _PAIRS:
                if a == (0, 0) or b == (0, 0):
                    if a != b:
                        return False
                elif (where.begin(a[0]), where.finish(a[1])) != b:
                    return False
            elif not _same(a, b, where):
                return False
        return True
    if isinstance(old, (list, tuple)):
        return isinstance(new, type(old)) and len(old) == len(new) and all(
            _same(a, b, where) for a, b in zip(old, new, strict=True))
    return old == new


def _lowered(tree: SyntaxTree, path: str, nodes: Sequence[Node | None]) -> list[object] | None:
    """The declarations lowered from top-level ``nodes`` (as `lower` lowers them; a package
    header's name as ("header", name)), or None for a nested package (not compared)."""
    lowerer = _Lowerer(tree, path, None, False)
    out: list[object] = []
    for node in nodes:
        if node is None:
            return None
        kind = node.type
        if kind == "nested_package":
            return None
        if kind == "package_decl":
            found: object = ("header", lowerer.package_name(node.child_by_field_name("name")))
        elif kind == "interface_item":
            found = lowerer.interface(node)
        elif kind == "world_item":
            found = lowerer.world(node)
        elif kind == "toplevel_use":
            found = lowerer.top_use(node)
        else:
            continue
        if found is not None:
            out.append(found)
    return out


def _kept(items: FileItems, nodes: Sequence[Node | None]) -> list[object] | None:
    """The declarations ``items`` holds for top-level ``nodes`` (what :func:`_lowered` gives
    for them), or None when a node is one it does not know apart (a package header or
    block)."""
    by_range = {(item.start, item.end): item for item in items.decls.order}
    out: list[object] = []
    for node in nodes:
        if node is None or node.type in ("package_decl", "nested_package"):
            return None
        if node.type in _NODES:
            found = by_range.get((node.start_byte, node.end_byte))
            if found is not None:
                out.append(found)
    return out


def _zone(before: Sequence[TopNode], after: Sequence[TopNode],
          shift: Shift) -> tuple[int, int, int] | None:
    """Where ``before`` and ``after`` (nodes of one body, before and after ``shift``) differ:
    ``(first, last_old, last_new)`` such that the nodes before index ``first`` lie wholly
    before the edited bytes and are the same in both, and those from ``last_old`` (in
    ``before``) and ``last_new`` (in ``after``) on lie wholly after them and are the same
    nodes moved by the edit; None when a node outside the zone differs."""
    delta = shift.new_end - shift.old_end
    first = 0
    while first < len(before) and first < len(after) and before[first][2] < shift.start:
        if before[first] != after[first]:
            return None
        first += 1
    last_old, last_new = len(before), len(after)
    while last_old > first and last_new > first and before[last_old - 1][1] > shift.old_end:
        kind, start, end, error = before[last_old - 1]
        if after[last_new - 1] != (kind, start + delta, end + delta, error):
            return None
        last_old -= 1
        last_new -= 1
    return first, last_old, last_new


def lowering_moved(old: SyntaxTree, new: SyntaxTree, path: str,
                   old_nodes: list[TopNode] | None = None,
                   old_items: FileItems | None = None) -> Shift | None:
    """The edit from ``old`` to ``new`` (see :func:`edit_between`) when the file's lowering
    after it is the one before it with positions moved (see the module's description); None
    otherwise, or when that is not cheap to tell. ``old_nodes``: :func:`top_nodes` of ``old``
    when known; ``old_items``: ``old``'s lowering when known (its declarations around the edit
    are then not lowered again)."""
    shift = edit_between(old.source, new.source)
    if shift.start == shift.old_end == shift.new_end:
        return shift
    where = _Map(shift)
    before = top_nodes(old) if old_nodes is None else old_nodes
    after = top_nodes(new)
    # Top-level nodes wholly before the edited bytes, and wholly after them, must be the
    # same nodes (an error node's inside is compared below).
    zone = _zone(before, after, shift)
    if zone is None:
        return None
    first, last_old, last_new = zone
    if last_old - first > _MAX_ZONE or last_new - first > _MAX_ZONE:
        return None
    # The comments before the package header (its docs) stay out of the zone.
    header = next((i for i, n in enumerate(before) if n[0] == "package_decl"), -1)
    if first < header or (first == header and shift.start < before[header][1]):
        return None
    # Nodes with an error outside the zone are compared too: their inside may have been
    # parsed differently.
    pairs = [(i, i) for i in range(first) if before[i][3]]
    pairs += [(i, i + last_new - last_old) for i in range(last_old, len(before))
              if before[i][3]]
    old_root, new_root = old.root, new.root
    if last_old - first == 1 and last_new - first == 1 and not pairs:
        # One declaration holds the edit (as a file that is mostly one big interface has
        # it): compare only its members around the edit (see `_inside_moved`).
        inside = _inside_moved(old, new, path, old_root.child(first), new_root.child(first),
                               shift, where)
        if inside is not None:
            return shift if inside else None
    old_zone = [old_root.child(i) for i in range(first, last_old)]
    new_zone = [new_root.child(i) for i in range(first, last_new)]
    old_zone += [old_root.child(i) for i, _ in pairs]
    new_zone += [new_root.child(j) for _, j in pairs]
    was = _kept(old_items, old_zone) if old_items is not None else None
    if was is None:
        was = _lowered(old, path, old_zone)
    now = _lowered(new, path, new_zone)
    if was is None or now is None or not _same(was, now, where):
        return None
    return shift


_BODIES = frozenset(["interface_item", "world_item"])


def _parts(node: Node) -> list[TopNode]:
    return [(c.type, c.start_byte, c.end_byte, c.has_error) for c in node.children]


def _inside_moved(old: SyntaxTree, new: SyntaxTree, path: str, before: Node | None,
                  after: Node | None, shift: Shift, where: _Map) -> bool | None:
    """For :func:`lowering_moved`, when the edit lies inside the body of one interface or
    world: whether its lowering is the one before with positions moved, looking at its
    members around the edit only (the others, and its head, must be the same nodes at moved
    places, as for top-level nodes). None when that does not apply (then the whole
    declaration is compared)."""
    if (before is None or after is None or before.type not in _BODIES
            or after.type != before.type or before.start_byte != after.start_byte):
        return None
    old_body = before.child_by_field_name("body")
    new_body = after.child_by_field_name("body")
    if old_body is None or new_body is None or old_body.start_byte >= shift.start:
        return None
    # The head (attributes, keyword, name, up to the body) is before the edit: the same nodes.
    if ([c for c in _parts(before) if c[1] < old_body.start_byte]
            != [c for c in _parts(after) if c[1] < new_body.start_byte]):
        return False
    was, now = _parts(old_body), _parts(new_body)
    zone = _zone(was, now, shift)
    if zone is None:
        return False
    first, last_old, last_new = zone
    if (last_old - first > _MAX_ZONE or last_new - first > _MAX_ZONE
            or any(n[3] for n in was[:first]) or any(n[3] for n in was[last_old:])):
        return None  # (members with an error outside the zone: compare the whole)
    old_members = _members(old, path, before.type,
                           [old_body.child(i) for i in range(first, last_old)])
    new_members = _members(new, path, after.type,
                           [new_body.child(i) for i in range(first, last_new)])
    return _same(old_members, new_members, where)


def _members(tree: SyntaxTree, path: str, kind: str,
             nodes: Sequence[Node | None]) -> list[object]:
    """The members lowered from the children ``nodes`` of an interface's or world's body (as
    `lower` lowers them)."""
    lowerer = _Lowerer(tree, path, None, False)
    children = [n for n in nodes if n is not None]
    if kind == "interface_item":
        return list(lowerer.interface_members_of(children))
    return list(lowerer.world_members_of(children))
