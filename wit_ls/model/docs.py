"""Doc comments as wit-parser collects and cleans them (wit-spec.md §1.6).

Every comment token directly before a construct (only whitespace and other comments between)
is documentation, whatever its spelling.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence


def clean(comments: Sequence[str]) -> str:
    """wit-parser's ``Resolver::docs``: strip markers, right-trim, dedent, join."""
    lines: list[str] = []
    for text in comments:
        if text.startswith("/**"):
            body = text[3:]
            if body.endswith("*/"):
                body = body[:-2]
        else:
            body = text.lstrip("/")
        lines.append(body.rstrip())
    if len(lines) == 1:
        return lines[0].lstrip(" \t\n\r\x0c")
    indents = [len(line) - len(line.lstrip(" \t\n\r\x0c")) for line in lines if line]
    common = min(indents) if indents else 0
    if common:
        lines = [line[common:] for line in lines]
    return "\n".join(lines)


class CommentIndex:
    """The comments of one file, for finding the run of comments before an offset."""

    __slots__ = ("_ends", "_source", "_spans")

    def __init__(self, source: bytes, spans: list[tuple[int, int]]) -> None:
        self._source = source
        self._spans = sorted(spans)
        self._ends = [end for _, end in self._spans]

    def before(self, offset: int, floor: int = 0) -> str | None:
        """Cleaned docs of the comments directly before ``offset`` (not before ``floor``)."""
        index = bisect_right(self._ends, offset) - 1
        found: list[str] = []
        position = offset
        source = self._source
        while index >= 0:
            start, end = self._spans[index]
            if start < floor or source[end:position].strip():
                break
            found.append(source[start:end].decode("utf-8", "replace").replace("\r\n", "\n"))
            position = start
            index -= 1
        if not found:
            return None
        found.reverse()
        return clean(found)
