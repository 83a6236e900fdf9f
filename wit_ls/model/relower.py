"""What a lowering after an edit keeps of the same path's last lowering.

An edit changes one stretch of a file: the bytes before it are the last text's, those after it
are the last text's moved by the number of bytes the edit added. A declaration, member or
resource method whose node lies wholly before the edit, or wholly after it with the same docs
(the comments before it may hold the edit), parsed without an error and lowers to what it
lowered to last time: as it was before the edit, a moved copy (`wit_ls.model.shift`) after
it. Only containers the edit reaches (the file, a nested package, an interface, a world, a
resource) are lowered again, item by item, asking :meth:`LastLowering.kept` for each.

Loaded only by a lowering after an edit: never by `wit-ls check`.
"""

from __future__ import annotations

from collections.abc import Callable

from tree_sitter import Node

from wit_ls.model.docs import clean
from wit_ls.model.items import (
    Extern,
    FileItems,
    Func,
    Include,
    Interface,
    NestedPackage,
    TopUse,
    TypeDef,
    Use,
    World,
)
from wit_ls.syntax.vocabulary import COMMENT_NODES, TYPE_DEFINITION_NODES

# The last lowering's items of one container (file, package, interface, world, resource) by
# their range.
Old = dict[tuple[int, int], object]
# The class each node type lowers to (what a kept item must be).
_KINDS: dict[str, type] = {
    "interface_item": Interface, "world_item": World, "toplevel_use": TopUse,
    "nested_package": NestedPackage, "use_item": Use, "func_item": Func, "method_item": Func,
    "constructor_item": Func, "import_item": Extern, "export_item": Extern,
    "include_item": Include, **dict.fromkeys(TYPE_DEFINITION_NODES, TypeDef)}
_SPACE = frozenset(b" \t\n\r\x0b\x0c")  # (what `model.docs` skips between comments)
_STEP = 4096


def common_prefix(a: bytes, b: bytes) -> int:
    """How many leading bytes ``a`` and ``b`` share."""
    limit = min(len(a), len(b))
    position = 0
    while position < limit:
        end = min(limit, position + _STEP)
        if a[position:end] != b[position:end]:
            low, high = position, end  # the first difference is in [low, high)
            while high - low > 1:
                middle = (low + high) // 2
                if a[low:middle] == b[low:middle]:
                    low = middle
                else:
                    high = middle
            return low
        position = end
    return limit


def common_suffix(a: bytes, b: bytes, limit: int) -> int:
    """How many trailing bytes ``a`` and ``b`` share (at most ``limit``)."""
    size_a, size_b = len(a), len(b)
    same = 0
    while same < limit:
        width = min(_STEP, limit - same)
        if a[size_a - same - width:size_a - same] != b[size_b - same - width:size_b - same]:
            low, high = same, same + width  # the number shared is in [low, high)
            while high - low > 1:
                middle = (low + high) // 2
                if a[size_a - middle:size_a - same] == b[size_b - middle:size_b - same]:
                    low = middle
                else:
                    high = middle
            return low
        same += width
    return limit


def docs_before(root: Node, source: bytes, offset: int) -> str | None:
    """What :meth:`wit_ls.model.docs.CommentIndex.before` gives for ``offset`` (with every
    comment of the file), found from the tree instead: the comments met walking back from
    ``offset`` over spaces. Costs only the comments it finds, where an index costs every
    comment of the file."""
    found: list[str] = []
    position = offset
    while True:
        stop = position
        while stop > 0 and source[stop - 1] in _SPACE:
            stop -= 1
        if stop == 0:
            break
        node = root.descendant_for_byte_range(stop - 1, stop)
        if node is None or node.type not in COMMENT_NODES or node.end_byte > position:
            break
        start = node.start_byte
        found.append(source[start:node.end_byte].decode("utf-8", "replace")
                     .replace("\r\n", "\n"))
        position = start
    if not found:
        return None
    found.reverse()
    key = tuple(found)
    cleaned = _CLEANED.get(key)
    if cleaned is None:
        if len(_CLEANED) >= 4096:
            _CLEANED.clear()
        cleaned = _CLEANED[key] = clean(key)
    return cleaned


# Docs cleaned lately: after an edit, most items' docs are compared with their last lowering's.
_CLEANED: dict[tuple[str, ...], str] = {}


class LastLowering:
    """The last lowering of a path, seen from the text after an edit: bytes ``[0,
    unchanged)`` are the last text's as they were, bytes from ``moved_from`` on are its bytes
    from ``moved_from - delta`` on."""

    __slots__ = ("delta", "errors", "moved_from", "top", "unchanged")

    def __init__(self, old_source: bytes, old: FileItems, source: bytes) -> None:
        self.unchanged = common_prefix(old_source, source)
        tail = common_suffix(old_source, source,
                             min(len(old_source), len(source)) - self.unchanged)
        self.moved_from = len(source) - tail
        self.delta = len(source) - len(old_source)
        self.errors = old.error_ranges
        self.top: Old = {(top.start, top.end): top for top in [*old.decls.order, *old.nested]}

    def kept(self, node: Node, old: Old,
             docs: Callable[[Node], str | None]) -> tuple[object, int] | None:
        """The last lowering of ``node`` (an item of a container whose last lowering's items
        are ``old``) when the edit changed neither its text nor its docs (``docs`` gives
        them now), and how far it moved; None when it must be lowered."""
        kind = _KINDS.get(node.type)
        if kind is None or node.has_error:
            return None
        start, end = node.start_byte, node.end_byte
        if end <= self.unchanged:
            by = 0  # before the edit: its docs, before it, are unchanged too
        elif start >= self.moved_from:
            by = self.delta
        else:
            return None
        found = old.get((start - by, end - by))
        if found is None or type(found) is not kind or any(
                s < end - by and start - by < max(e, s + 1) for s, e in self.errors):
            return None
        if end > self.unchanged and docs(node) != getattr(found, "docs", None):
            return None  # (the edit is in the comments before it)
        return found, by

    def parts(self, node: Node, old: Old) -> Old:
        """The items of the last lowering of the container ``node`` (an interface, world,
        resource or nested package the edit reaches) by range, if one had the same bounds;
        empty otherwise."""
        start, end = node.start_byte, node.end_byte
        if start > self.unchanged:
            if start < self.moved_from:
                return {}
            start -= self.delta
        if end >= self.moved_from:
            end -= self.delta
        elif end > self.unchanged:
            return {}
        found = old.get((start, end))
        if type(found) is not _KINDS.get(node.type):
            return {}
        if isinstance(found, Interface | World):
            return {(m.start, m.end): m for m in found.members}
        if isinstance(found, TypeDef):
            return {(f.start, f.end): f for f in found.methods}
        if isinstance(found, NestedPackage):
            return {(d.start, d.end): d for d in found.decls.order}
        return {}
