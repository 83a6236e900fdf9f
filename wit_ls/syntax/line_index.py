"""Conversions between UTF-8 byte offsets and line/column positions.

Lines are split at ``\\n`` only (a ``\\r`` before it belongs to the line's text, as wit-parser
folds CRLF); columns are counted in UTF-8 bytes, UTF-16 code units or code points (UTF-32), the
three position encodings of LSP. Offsets past the end clamp to the end; a column past the end of
its line clamps to the end of that line (as LSP asks).
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Literal

Encoding = Literal["utf-8", "utf-16", "utf-32"]


def _units(chunk: bytes, encoding: Encoding) -> int:
    """Length of UTF-8 bytes in ``encoding`` units (each invalid byte counts as one unit)."""
    if encoding == "utf-8" or chunk.isascii():
        return len(chunk)
    text = chunk.decode("utf-8", errors="surrogateescape")
    if encoding == "utf-32":
        return len(text)
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


class LineIndex:
    """Line starts of one text, for offset <-> (line, column) conversions."""

    __slots__ = ("_line_starts", "source")

    def __init__(self, source: bytes | str) -> None:
        self.source = source.encode("utf-8", "surrogatepass") if isinstance(source, str) else source
        starts = [0]
        find = self.source.find
        i = find(b"\n")
        while i != -1:
            starts.append(i + 1)
            i = find(b"\n", i + 1)
        self._line_starts = starts

    @property
    def line_count(self) -> int:
        return len(self._line_starts)

    def line_start(self, line: int) -> int:
        line = max(0, min(line, len(self._line_starts) - 1))
        return self._line_starts[line]

    def line_end(self, line: int) -> int:
        """Byte offset of the end of ``line``'s text (before its ``\\n``, or ``\\r\\n``)."""
        line = max(0, min(line, len(self._line_starts) - 1))
        if line + 1 < len(self._line_starts):
            end = self._line_starts[line + 1] - 1
            if end > self._line_starts[line] and self.source[end - 1 : end] == b"\r":
                end -= 1
            return end
        return len(self.source)

    def line_text(self, line: int) -> bytes:
        return self.source[self.line_start(line) : self.line_end(line)]

    def line_of(self, offset: int) -> int:
        offset = max(0, min(offset, len(self.source)))
        return bisect_right(self._line_starts, offset) - 1

    def position(self, offset: int, encoding: Encoding = "utf-16") -> tuple[int, int]:
        """0-based (line, column in ``encoding`` units) of a byte offset."""
        offset = max(0, min(offset, len(self.source)))
        line = bisect_right(self._line_starts, offset) - 1
        start = self._line_starts[line]
        # An offset inside a multi-byte character counts from that character's start.
        src = self.source
        while offset > start and offset < len(src) and src[offset] & 0xC0 == 0x80:
            offset -= 1
        return line, _units(self.source[start:offset], encoding)

    def offset(self, line: int, column: int, encoding: Encoding = "utf-16") -> int:
        """Byte offset of a 0-based (line, column in ``encoding`` units)."""
        if line < 0:
            return 0
        if line >= len(self._line_starts):
            return len(self.source)
        start = self._line_starts[line]
        # Clamp at the newline (a `\r` before it counts as text, so offsets round-trip).
        end = (
            self._line_starts[line + 1] - 1
            if line + 1 < len(self._line_starts)
            else len(self.source)
        )
        if column <= 0:
            return start
        chunk = self.source[start:end]
        if encoding == "utf-8" or chunk.isascii():
            return start + min(column, len(chunk))
        text = chunk.decode("utf-8", errors="surrogateescape")
        units = 0
        pos = start
        for ch in text:
            if units >= column:
                break
            size = 1 if encoding == "utf-32" else (2 if ord(ch) > 0xFFFF else 1)
            units += size
            pos += len(ch.encode("utf-8", errors="surrogateescape"))
        return min(pos, end)
