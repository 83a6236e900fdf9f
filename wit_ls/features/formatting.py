"""Formatting for editors: the whole document, a range (the smallest set of whole items that
covers it) and on-type formatting (the item a `}` or `;` just closed), each as a few edits so
the cursor and unchanged lines stay put. No edits when the file has syntax errors."""

from __future__ import annotations

import difflib

from wit_ls.features.common import FileEdit
from wit_ls.fmt import FormatOptions, MemberSpan, layout
from wit_ls.fmt.source import BOM, uses_crlf
from wit_ls.syntax import SyntaxTree


def editor_indent(tab_size: int = 2, insert_spaces: bool = True) -> str:
    """The indentation an editor asks for (used when no configuration file sets one)."""
    return " " * max(0, min(tab_size, 16)) if insert_spaces else "\t"


def formatting_edits(path: str, tree: SyntaxTree, tab_size: int = 2,
                     insert_spaces: bool = True, options: FormatOptions | None = None
                     ) -> list[FileEdit]:
    """Edits that format the whole document (``options`` first, else the editor's indent)."""
    if tree.root.has_error:
        return []
    opts = options or FormatOptions(indent=editor_indent(tab_size, insert_spaces))
    original, body, offset, newline = _split_text(tree)
    formatted, _ = layout(body, opts)
    if newline != "\n":
        formatted = formatted.replace("\n", newline)
    return _line_edits(path, original[offset:], formatted, len(original[:offset].encode()))


def range_formatting_edits(path: str, tree: SyntaxTree, start: int, end: int,
                           options: FormatOptions) -> list[FileEdit]:
    """Edits that format the smallest set of whole items (members of one body, or top-level
    items) covering the byte range ``start``-``end``."""
    if tree.root.has_error:
        return []
    original, body, offset, newline = _split_text(tree)
    # Byte offsets to offsets in ``body`` (a str without the byte-order mark).
    prefix = tree.source[:start].decode("utf-8", errors="replace")
    lo = len(prefix) - offset
    hi = lo + len(tree.source[start:end].decode("utf-8", errors="replace"))
    formatted, spans = layout(body, options)
    chosen = _cover(spans, max(lo, 0), max(hi, lo, 0), body)
    if chosen is None:
        return formatting_edits(path, tree, options=options)
    first, last = chosen
    src_start = body.rfind("\n", 0, first.start) + 1
    line_end = body.find("\n", last.end)
    src_end = len(body) if line_end == -1 else line_end + 1
    out_lines = formatted.splitlines(keepends=True)
    new_text = "".join(out_lines[first.out_first: last.out_last + 1])
    if newline != "\n":
        new_text = new_text.replace("\n", newline)
    old_text = body[src_start:src_end]
    if old_text == new_text:
        return []
    base = len(original[: src_start + offset].encode("utf-8"))
    return _line_edits(path, old_text, new_text, base)


def on_type_formatting_edits(path: str, tree: SyntaxTree, offset: int, ch: str,
                             options: FormatOptions) -> list[FileEdit]:
    """After typing `}` or `;` (``offset``: the byte offset just after it): format the item
    that character closed."""
    if ch not in ("}", ";") or offset <= 0:
        return []
    return range_formatting_edits(path, tree, offset - 1, offset, options)


def _split_text(tree: SyntaxTree) -> tuple[str, str, int, str]:
    """The text, the text without a byte-order mark, the mark's length and the newline."""
    original = tree.text
    offset = 1 if original.startswith(BOM) else 0
    body = original[offset:]
    return original, body, offset, "\r\n" if uses_crlf(body) else "\n"


def _cover(spans: list[MemberSpan], lo: int, hi: int, body: str
           ) -> tuple[MemberSpan, MemberSpan] | None:
    """The first and last member of the smallest run of siblings that covers ``lo``-``hi``
    and starts and ends its lines alone; None for the whole file."""
    siblings = [i for i, s in enumerate(spans) if s.parent == -1]
    chosen: tuple[MemberSpan, MemberSpan] | None = None
    while siblings:
        touching = [spans[i] for i in siblings if spans[i].start < max(hi, lo + 1)
                    and spans[i].end > lo]
        if not touching:
            # Between members: the nearest one before the range.
            before = [spans[i] for i in siblings if spans[i].end <= lo]
            touching = before[-1:]
            if not touching:
                break
        first, last = touching[0], touching[-1]
        if not (_alone(body, first.start, last.end)):
            break
        chosen = (first, last)
        if len(touching) != 1:
            break
        kids = [spans[i] for i in touching[0].children]
        # Go into the member's body only when the range is within its members.
        if not kids or lo < kids[0].start or hi > kids[-1].end:
            break
        siblings = touching[0].children
    return chosen


def _alone(body: str, start: int, end: int) -> bool:
    """Whether ``body[start:end]`` has only blanks before it and after it on its lines."""
    line_start = body.rfind("\n", 0, start) + 1
    line_end = body.find("\n", end)
    line_end = len(body) if line_end == -1 else line_end
    return not body[line_start:start].strip() and not body[end:line_end].strip()


def _line_edits(path: str, old: str, new: str, base: int) -> list[FileEdit]:
    """Line-level edits turning ``old`` (which starts at byte ``base``) into ``new``."""
    if old == new:
        return []
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    starts = [base]
    for line in old_lines:
        starts.append(starts[-1] + len(line.encode("utf-8")))
    edits: list[FileEdit] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        edits.append(FileEdit(path, starts[i1], starts[i2], "".join(new_lines[j1:j2])))
    return edits
