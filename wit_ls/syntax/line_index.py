"""Conversions between UTF-8 byte offsets and line/column positions.

Lines are split at ``\\n`` only (a ``\\r`` before it belongs to the line's text, as wit-parser
folds CRLF); columns are counted in UTF-8 bytes, UTF-16 code units or code points (UTF-32), the
three position encodings of LSP. Offsets past the end clamp to the end; a column past the end of
its line clamps to the end of that line (as LSP asks).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

TYPE_CHECKING = False  # not typing's: see wit_ls.light_typing
if TYPE_CHECKING:
    from typing import Literal

    Encoding = Literal["utf-8", "utf-16", "utf-32"]
else:
    Encoding = str


_SAVED = {"utf-16": (0, 0, 1, 2, 2), "utf-32": (0, 0, 1, 2, 3)}


class _LineTable:
    """The characters of one non-ASCII line whose UTF-8 length differs from their length in
    UTF-16 and UTF-32 units: their byte offsets (from the line start) and the units saved
    before and including each, so a column is a bisection, not a scan of the line."""

    __slots__ = ("offsets", "saved16", "saved32")

    def __init__(self, line: bytes) -> None:
        self.offsets: list[int] = []
        self.saved16: list[int] = []
        self.saved32: list[int] = []
        total16 = total32 = 0
        pos = 0
        # Each invalid byte decodes to one escape character: one byte, one unit.
        for ch in line.decode("utf-8", errors="surrogateescape"):
            code = ord(ch)
            size = 1 if code < 0x80 or 0xDC80 <= code <= 0xDCFF else (
                2 if code < 0x800 else 3 if code < 0x10000 else 4)
            if size > 1:
                total16 += _SAVED["utf-16"][size]
                total32 += _SAVED["utf-32"][size]
                self.offsets.append(pos)
                self.saved16.append(total16)
                self.saved32.append(total32)
            pos += size

    def units(self, length: int, encoding: Encoding) -> int:
        """Units of the line's first ``length`` bytes (``length`` on a character boundary)."""
        if encoding == "utf-8":
            return length
        before = bisect_left(self.offsets, length)
        if before == 0:
            return length
        saved = self.saved16 if encoding == "utf-16" else self.saved32
        return length - saved[before - 1]


class LineIndex:
    """Line starts of one text, for offset <-> (line, column) conversions."""

    __slots__ = ("_line_starts", "_tables", "source")

    def __init__(self, source: bytes | str) -> None:
        self.source = source.encode("utf-8", "surrogatepass") if isinstance(source, str) else source
        starts = [0]
        find = self.source.find
        i = find(b"\n")
        while i != -1:
            starts.append(i + 1)
            i = find(b"\n", i + 1)
        self._line_starts = starts
        # Per line, built on first use: None for an ASCII line, else its table.
        self._tables: dict[int, _LineTable | None] = {}

    def edited(self, start: int, end: int, new_text: bytes, new_source: bytes) -> LineIndex:
        """The index of ``new_source``: this index' text with bytes ``[start, end)`` replaced
        by ``new_text``. The line starts around the edit are kept or moved rather than looked
        for again (a keystroke in a file of 20,000 lines)."""
        starts = self._line_starts
        head = bisect_right(starts, start)
        tail = bisect_right(starts, end)
        added = []
        find = new_text.find
        i = find(b"\n")
        while i != -1:
            added.append(start + i + 1)
            i = find(b"\n", i + 1)
        delta = len(new_text) - (end - start)
        index = LineIndex.__new__(LineIndex)
        index.source = new_source
        moved = [s + delta for s in starts[tail:]] if delta else starts[tail:]
        index._line_starts = [*starts[:head], *added, *moved]
        # Tables of the lines before the edit's line stay right.
        before = head - 1
        index._tables = {line: table for line, table in self._tables.items() if line < before}
        return index

    def _table(self, line: int) -> _LineTable | None:
        try:
            return self._tables[line]
        except KeyError:
            pass
        end = self._line_starts[line + 1] if line + 1 < len(self._line_starts) \
            else len(self.source)
        chunk = self.source[self._line_starts[line]:end]
        table = None if chunk.isascii() else _LineTable(chunk)
        self._tables[line] = table
        return table

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
        table = self._table(line)
        if table is None:
            return line, offset - start
        return line, table.units(offset - start, encoding)

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
        if encoding == "utf-8" or self._table(line) is None:
            return start + min(column, end - start)
        chunk = self.source[start:end]
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
