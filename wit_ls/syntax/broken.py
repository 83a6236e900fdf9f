"""The parts of a file tree-sitter parsed with an error, for the lexical checks of a broken
file (an editor's file while a keystroke breaks it): the text of the other parts is read as
in a file without errors (see :mod:`wit_ls.syntax.lexical`). Loaded only for a broken file."""

from __future__ import annotations

from tree_sitter import Node, Tree


def blanked(source: bytes, broken: list[tuple[int, int]]) -> bytes:
    """``source`` with the ``broken`` ranges made spaces. The parts of a file tree-sitter
    parsed without an error were parsed (and their tokens read) as in a file without errors,
    so what the text scans reason holds for their text; the broken ones become spaces (a run
    of identifier characters never crosses into them: the token before them would have taken
    it in)."""
    kept: list[bytes] = []
    at = 0
    for start, end in broken:
        kept += [source[at:start], b" " * (end - start)]
        at = end
    kept.append(source[at:])
    return b"".join(kept)


# The items whose body's items `broken_ranges` looks into, when their head is clean.
_BODIES = frozenset({"interface_item", "world_item", "resource_item", "nested_package"})


def broken_ranges(tree: Tree) -> list[tuple[int, int]] | None:
    """The byte ranges of the parts of the file tree-sitter parsed with an error (an error, a
    missing token, a broken item; in an interface, world, resource or nested package whose
    head up to its `{` is clean, its broken items, and so on inward), in order; None when the
    whole file is one error."""
    root = tree.root_node
    if root.type != "source_file":
        return None
    out: list[tuple[int, int]] = []
    for child in root.children:
        if child.has_error or child.is_missing:
            _broken_parts(child, out)
    return out


def _broken_parts(node: Node, out: list[tuple[int, int]]) -> None:
    body = node.child_by_field_name("body") if node.type in _BODIES else None
    opening = body.child(0) if body is not None else None
    if (body is None or opening is None or opening.type != "{" or opening.is_missing
            or any(c.has_error or c.is_missing for c in node.children
                   if c.start_byte < body.start_byte)):
        out.append((node.start_byte, node.end_byte))
        return
    for child in body.children:
        if child.has_error or child.is_missing:
            _broken_parts(child, out)
