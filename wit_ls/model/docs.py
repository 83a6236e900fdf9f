"""Doc comments as wit-parser collects and cleans them (wit-spec.md §1.6).

Every comment token directly before a construct (only whitespace and other comments between)
is documentation, whatever its spelling.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence

from wit_ls.syntax.lazy_pattern import LazyPattern

_NOT_SPACE = LazyPattern(rb"[^ \t\n\r\x0b\x0c]")  # (docs only: `wit-ls check` cleans none)
# Rust's `is_ascii_whitespace`.
_WHITESPACE = " \t\n\r\x0c"


def clean(comments: Sequence[str]) -> str:
    """wit-parser's ``Resolver::docs``: strip markers, right-trim, remove the common indent
    (spaces only), one line each, no trailing newlines."""
    docs: list[str] = []
    for text in comments:
        if text.startswith("/**"):
            body = text[3:]
            if body.endswith("*/"):
                body = body[:-2]
        else:
            body = text.lstrip("/")
        docs.append(body.rstrip())
    if len(docs) == 1 and "\n" not in docs[0]:
        doc = docs[0]
        stripped = doc.lstrip(" ")
        return stripped if stripped[:1] not in _WHITESPACE else doc
    widths = [len(doc) - len(doc.lstrip(_WHITESPACE)) for doc in docs if doc]
    common = min(widths) if widths else 0
    if common:
        pad = " " * common
        docs = [doc[common:] if doc.startswith(pad) else doc for doc in docs]
    out: list[str] = []
    for doc in docs:
        if not doc:
            out.append("")
            continue
        out.extend(line[:-1] if line.endswith("\r") else line for line in doc.split("\n"))
    return "\n".join(out).rstrip("\n")


class CommentIndex:
    """The comments of one file, for finding the run of comments before an offset.

    With ``gap`` (``(start, end)``): ``spans`` may lack the comments that lie wholly inside it,
    and a token that is not a comment ends at ``end``, so no run of comments reaches over it;
    ``complete`` gives every comment, asked for only when an offset inside the gap is."""

    __slots__ = ("_complete", "_ends", "_gap", "_next", "_source", "_spans")

    def __init__(self, source: bytes, spans: list[tuple[int, int]],
                 gap: tuple[int, int] | None = None,
                 complete: Callable[[], list[tuple[int, int]]] | None = None) -> None:
        self._source = source
        self._gap = gap if complete is not None else None
        self._complete = complete
        self._index(spans)

    def _index(self, spans: list[tuple[int, int]]) -> None:
        self._spans = sorted(spans)
        self._ends = [end for _, end in self._spans]
        # Per comment: where the next non-whitespace byte after it is (found on first use).
        self._next: list[int] = [-1] * len(self._spans)

    def _next_text(self, index: int) -> int:
        found = self._next[index]
        if found < 0:
            match = _NOT_SPACE.search(self._source, self._spans[index][1])
            found = match.start() if match is not None else len(self._source)
            self._next[index] = found
        return found

    def before(self, offset: int, floor: int = 0) -> str | None:
        """Cleaned docs of the comments directly before ``offset`` (not before ``floor``)."""
        gap = self._gap
        if gap is not None and gap[0] < offset < gap[1] and self._complete is not None:
            self._index(self._complete())
            self._gap = None
        index = bisect_right(self._ends, offset) - 1
        found: list[str] = []
        position = offset
        source = self._source
        while index >= 0:
            start, end = self._spans[index]
            if start < floor or self._next_text(index) < position:
                break  # (text between this comment and what follows)
            found.append(source[start:end].decode("utf-8", "replace").replace("\r\n", "\n"))
            position = start
            index -= 1
        if not found:
            return None
        found.reverse()
        return clean(found)
