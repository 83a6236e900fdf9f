"""String literals (only valid as the argument of ``@external-id``): read as wit-parser's lexer
reads them, with its messages (wit-spec.md §2.1, L7).

The lexer reads a literal from its opening quote character by character (a CR LF pair counts as
one line break, at the CR) until a quote that no escape consumes. Escapes: ``\\" \\' \\t \\n \\r
\\\\``, two hex digits (one byte), and ``\\u{...}`` (hex digits and underscores, the first a
digit, at most a u32, a Unicode scalar value, closed by ``}``). A control character (a line
break included) or the end of the file before the closing quote is an error, and so are bytes
that do not form UTF-8 (reported at the opening quote). A literal never spans lines, so the text
from its quote to the end of its line is all the reader needs."""

from __future__ import annotations

_SIMPLE = {'"': '"', "'": "'", "t": "\t", "n": "\n", "r": "\r", "\\": "\\"}
_HEX = frozenset("0123456789abcdefABCDEF")
_DEBUG = {"\t": "\\t", "\n": "\\n", "\r": "\\r", "'": "\\'", "\\": "\\\\", "\0": "\\0"}
EOF = "unexpected end of file"


def _show(ch: str) -> str:
    """A character as wit-parser's messages print it (Rust's ``{:?}`` of a char, unquoted)."""
    if ch in _DEBUG:
        return _DEBUG[ch]
    return ch if ch.isprintable() else "\\u{" + f"{ord(ch):x}" + "}"


class _Reader:
    """Characters of ``text`` from an offset; None past its end."""

    def __init__(self, text: str, at: int) -> None:
        self.text, self.at = text, at

    def peek(self) -> tuple[int, str | None, int]:
        """(offset, character or None at the end, offset after it)."""
        at, text = self.at, self.text
        if at >= len(text):
            return len(text), None, len(text)
        ch = text[at]
        if ch == "\r" and text.startswith("\r\n", at):
            return at, "\n", at + 2
        return at, ch, at + 1

    def next(self) -> tuple[int, str | None]:
        at, ch, self.at = self.peek()
        return at, ch


class _Problem(Exception):
    def __init__(self, at: int, message: str) -> None:
        super().__init__(message)
        self.at, self.message = at, message


def _expect(reader: _Reader) -> tuple[int, str]:
    at, ch = reader.next()
    if ch is None:
        raise _Problem(at, EOF)
    return at, ch


def _hex_digit(reader: _Reader) -> tuple[int, str]:
    at, ch = _expect(reader)
    if ch not in _HEX:
        raise _Problem(at, f"invalid hex digit '{_show(ch)}'")
    return at, ch


def _unicode_escape(reader: _Reader, at_u: int) -> str:
    at, brace = _expect(reader)
    if brace != "{":
        raise _Problem(at, "expected character '{'")
    first, digit = _hex_digit(reader)
    value, underscore = int(digit, 16), False
    while True:
        at, ch, after = reader.peek()
        if ch == "_":
            reader.at, underscore = after, True
            continue
        if ch is None:
            raise _Problem(at, EOF)
        if ch not in _HEX:
            break
        reader.at, underscore = after, False
        value = value * 16 + int(ch, 16)
        if value > 0xFFFFFFFF:
            raise _Problem(at, "number is too big to fit in a u32")
    if underscore:
        raise _Problem(first, "trailing underscore in number")
    if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
        raise _Problem(at_u, f"invalid unicode value {value:#x}")
    at, brace = _expect(reader)
    if brace != "}":
        raise _Problem(at, "expected character '}'")
    return chr(value)


def _utf8_error(data: bytes) -> str | None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        if err.reason == "unexpected end of data":
            return f"incomplete utf-8 byte sequence from index {err.start}"
        return f"invalid utf-8 sequence of {err.end - err.start} bytes from index {err.start}"
    return None


def scan_literal(text: str) -> tuple[int, tuple[int, str] | None]:
    """Read the literal whose opening quote starts ``text`` (which runs on at least to the end
    of its line): (offset after its closing quote, None) when it is valid, else (where the
    reading stopped, (offset of the first problem, wit-parser's message))."""
    end, _value, problem = _read(text)
    return end, problem


def literal_value(text: str) -> str:
    """The string a literal (``text`` from its opening quote) stands for; for a literal with a
    problem, what was read before it."""
    _end, value, _problem = _read(text)
    return value.decode("utf-8", "replace")


def _read(text: str) -> tuple[int, bytearray, tuple[int, str] | None]:
    reader = _Reader(text, 1)
    out = bytearray()
    try:
        while True:
            at, ch = _expect(reader)
            if ch == '"':
                break
            if ch == "\\":
                at, esc = _expect(reader)
                if esc in _SIMPLE:
                    out += _SIMPLE[esc].encode()
                elif esc == "u":
                    out += _unicode_escape(reader, at).encode("utf-8", "surrogatepass")
                elif esc in _HEX:
                    _at, low = _hex_digit(reader)
                    out.append(int(esc + low, 16))
                else:
                    raise _Problem(at, f"invalid string escape '{_show(esc)}'")
            elif ord(ch) < 0x20 or ch == "\x7f":
                raise _Problem(at, f"invalid string character '{_show(ch)}'")
            else:
                out += ch.encode("utf-8", "surrogatepass")
    except _Problem as problem:
        return reader.at, out, (problem.at, problem.message)
    utf8 = _utf8_error(bytes(out))
    if utf8 is not None:
        return reader.at, out, (0, f"invalid UTF-8: {utf8}")
    return reader.at, out, None


def literal_problem(source: bytes, start: int) -> tuple[int, str] | None:
    """(byte offset in ``source``, message) of the first problem of the literal whose quote is
    at byte ``start``, or None when it is valid."""
    newline = source.find(b"\n", start)
    stop = len(source) if newline == -1 else newline + 1
    # (Bytes that are not UTF-8 stay one character each, so offsets map back exactly.)
    text = source[start:stop].decode("utf-8", "surrogateescape")
    _end, problem = scan_literal(text)
    if problem is None:
        return None
    return start + len(text[: problem[0]].encode("utf-8", "surrogateescape")), problem[1]
