"""Edit builders shared by rules (not a rule)."""

from __future__ import annotations

from tree_sitter import Node

from wit_ls.lint.rule import FixEdit
from wit_ls.syntax import SyntaxTree


def remove_lines(tree: SyntaxTree, start: int, end: int) -> FixEdit:
    """Remove ``source[start:end]``; when nothing else is on its lines, the whole lines."""
    index = tree.line_index
    source = tree.source
    first = index.line_of(start)
    last = index.line_of(end)
    line_start = index.line_start(first)
    line_end = index.line_end(last)
    if not source[line_start:start].strip() and not source[end:line_end].strip():
        stop = index.line_start(last + 1) if last + 1 < index.line_count else line_end
        return FixEdit(line_start, stop, "")
    # Keep the line; also swallow spaces before the removed text.
    while start > line_start and source[start - 1 : start] in (b" ", b"\t"):
        start -= 1
    return FixEdit(start, end, "")


def remove_list_element(tree: SyntaxTree, element: Node) -> FixEdit:
    """Remove one element of a comma-separated list with its separator."""
    source = tree.source
    nxt = element.next_sibling
    if nxt is not None and nxt.type == ",":
        end = nxt.end_byte
        while end < len(source) and source[end : end + 1] in (b" ", b"\t"):
            end += 1
        return FixEdit(element.start_byte, end, "")
    prev = element.prev_sibling
    if prev is not None and prev.type == ",":
        return FixEdit(prev.start_byte, element.end_byte, "")
    return FixEdit(element.start_byte, element.end_byte, "")
