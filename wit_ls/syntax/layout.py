"""Edits that change no token of a file that parses: whitespace typed or deleted between
tokens, and text typed or deleted inside a comment.

After such an edit the file's syntax diagnostics, the package's resolution and every
diagnostic of the model are what they were, at positions moved by the edit (the comment's text
is documentation, which no check reads but the help notes', found again by the editor). An
editor uses that to answer a keystroke from the previous analysis instead of computing it again
(see ``wit_ls.lsp.workspace``). What counts is deliberately narrow: both trees free of errors;
for whitespace, spaces, tabs and line feeds only, outside every token and comment, with at
least one such character left between the tokens on either side; for comments, see
:func:`_comment_shift`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from tree_sitter import Node

from wit_ls.syntax.diagnostics import Diagnostic, Related
from wit_ls.syntax.tree import SyntaxTree, TextEdit

_BLANK = b" \t\n"
_COMMENTS = frozenset({"line_comment", "block_comment", "doc_comment"})


class Shift(NamedTuple):
    """Bytes ``[start, old_end)`` became ``[start, new_end)``; what follows moved with them."""

    start: int
    old_end: int
    new_end: int

    def touches(self, start: int, end: int) -> bool:
        """Whether the range ``[start, end]`` meets the edited bytes (where a position could
        belong to the text before or after the edit)."""
        return start <= self.old_end and end >= self.start

    def position(self, offset: int) -> int:
        """Where an offset outside the edited bytes is after the edit."""
        return offset if offset < self.start else offset + self.new_end - self.old_end


def _blank(data: bytes) -> bool:
    return not data.strip(_BLANK)


def _inside_token(root: Node, before: int, after: int) -> bool:
    """Whether the bytes ``before`` and ``after`` (around an edit) lie in one token or
    comment, or the edit cuts one."""
    for lo, hi, at_start in ((before, before + 1, False), (after, after + 1, True)):
        if lo < 0 or hi > root.end_byte:
            continue
        node = root.descendant_for_byte_range(lo, hi)
        if node is None:
            return True
        if node.child_count == 0 or node.type in _COMMENTS or node.type == "string":
            # A leaf there: the edit must begin where it ends, or end where it begins.
            if at_start and node.start_byte < after:
                return True
            if not at_start and node.end_byte > before + 1:
                return True
    return False


def layout_shift(old: SyntaxTree, new: SyntaxTree, edit: TextEdit) -> Shift | None:
    """The shift ``edit`` (applied to ``old``, giving ``new``) makes, when it only moves text
    (see the module's description); None otherwise."""
    source = old.source
    start = max(0, min(edit.start, len(source)))
    end = max(start, min(edit.end, len(source)))
    typed = edit.new_text
    if start == end and not typed:
        return None
    if old.root.has_error or new.root.has_error or b"\x00" in new.source:
        return None
    if not (_blank(source[start:end]) and _blank(typed)):
        return _comment_shift(old, new, start, end, typed)
    return _blank_shift(old, new, start, end, typed) or _comment_shift(old, new, start, end,
                                                                       typed)


def _blank_shift(old: SyntaxTree, new: SyntaxTree, start: int, end: int,
                 typed: bytes) -> Shift | None:
    """The shift of whitespace typed or deleted between tokens; None for any other edit."""
    source = old.source
    # Tokens on both sides stay apart: some blank is left next to the edit in both texts.
    left_blank = start > 0 and source[start - 1] in _BLANK
    right_blank = end < len(source) and source[end] in _BLANK
    if not (start < end or left_blank or right_blank):
        return None
    if not (typed or left_blank or right_blank):
        return None
    if _inside_token(old.root, start - 1, end):
        return None
    new_end = start + len(typed)
    if _inside_token(new.root, start - 1, new_end):
        return None
    return Shift(start, end, new_end)


def _comment_text(data: bytes) -> bool:
    return all(0x20 <= b < 0x7F and b not in b"/*" for b in data)


_HEADERS = frozenset({"package_decl", "nested_package"})


def _comment_shift(old: SyntaxTree, new: SyntaxTree, start: int, end: int,
                   typed: bytes) -> Shift | None:
    """The shift of an edit inside one comment (after its opening, before a block comment's
    closing), of printable ASCII other than ``/`` and ``*`` (which could open or close a
    comment), in a comment that is not the documentation of a package header (whose presence
    wit-parser checks); None for any other edit."""
    if start == 0 or not (_comment_text(old.source[start:end]) and _comment_text(typed)):
        return None
    before = old.root.descendant_for_byte_range(start - 1, start)
    if before is None or before.type not in _COMMENTS or start < before.start_byte + 2:
        return None
    closing = 2 if old.source[before.start_byte + 1:before.start_byte + 2] == b"*" else 0
    if end > before.end_byte - closing:
        return None
    follower = before.next_sibling
    while follower is not None and follower.type in _COMMENTS:
        follower = follower.next_sibling
    if follower is not None and follower.type in _HEADERS:
        return None
    new_end = start + len(typed)
    after = new.root.descendant_for_byte_range(start - 1, start)
    if after is None or after.type != before.type or after.start_byte != before.start_byte or (
            after.end_byte != before.end_byte + new_end - end):
        return None
    return Shift(start, end, new_end)


def moved(diagnostics: Sequence[Diagnostic], path: str,
          shifts: Callable[[str], Sequence[Shift]]) -> list[Diagnostic] | None:
    """``diagnostics`` (of ``path``) after the layout edits ``shifts(p)`` of each path ``p``
    (in the order they were made), or None when a range meets an edit or a diagnostic carries
    data (help, fixes) that may hold positions or depend on the text around it."""
    out: list[Diagnostic] = []
    cache: dict[str, Sequence[Shift]] = {}

    def edits(where: str) -> Sequence[Shift]:
        found = cache.get(where)
        if found is None:
            found = cache[where] = shifts(where)
        return found

    for diag in diagnostics:
        if diag.data:
            return None
        span = _move(diag.start, diag.end, edits(diag.path or path))
        if span is None:
            return None
        related: list[Related] = []
        for rel in diag.related:
            rel_span = _move(rel.start, rel.end, edits(rel.path))
            if rel_span is None:
                return None
            related.append(Related(rel.path, rel_span[0], rel_span[1], rel.message))
        out.append(Diagnostic(span[0], span[1], diag.message, diag.code, diag.severity,
                              diag.path, tuple(related), diag.tags))
    return out


def _move(start: int, end: int, shifts: Sequence[Shift]) -> tuple[int, int] | None:
    for shift in shifts:
        if shift.touches(start, end):
            return None
        start, end = shift.position(start), shift.position(end)
    return start, end


def carry_diagnostics(old: SyntaxTree, new: SyntaxTree, shift: Shift) -> None:
    """Give ``new`` the syntax diagnostics of ``old`` moved by ``shift``, when ``old`` has
    them already and none meets the edit (else ``new`` computes its own when asked)."""
    found = old.computed_diagnostics()
    if found is None:
        return
    carried = moved(found, "", lambda _path: (shift,))
    if carried is not None:
        new.adopt_diagnostics(carried)
