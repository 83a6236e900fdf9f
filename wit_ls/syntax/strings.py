"""String literals (only valid as the argument of ``@external-id``): escapes and characters
checked as wit-parser's lexer does, with its messages (wit-spec.md §2.1, L7)."""

from __future__ import annotations

_SIMPLE = {'"': '"', "'": "'", "t": "\t", "n": "\n", "r": "\r", "\\": "\\"}
_HEX = frozenset("0123456789abcdefABCDEF")


def _show(ch: str) -> str:
    if ch == "\t":
        return "\\t"
    if ch == "\n":
        return "\\n"
    if ch == "\r":
        return "\\r"
    return ch if ch.isprintable() else "\\u{" + f"{ord(ch):x}" + "}"


def string_error(text: str) -> tuple[int, str] | None:
    """(character offset within ``text``, message) of the first problem in a string literal
    (``text`` includes its quotes), or None when it is valid."""
    end = len(text) - 1 if len(text) >= 2 and text.endswith('"') else len(text)
    out = bytearray()
    i = 1
    while i < end:
        ch = text[i]
        if ch == "\\":
            i += 1
            if i >= end:
                return i, "unexpected end of file"
            esc = text[i]
            if esc in _SIMPLE:
                out += _SIMPLE[esc].encode()
                i += 1
            elif esc == "u":
                at_u = i
                i += 1
                if i >= end or text[i] != "{":
                    return i, "expected character '{'"
                i += 1
                start = i
                digits = ""
                while i < end and text[i] != "}":
                    if text[i] == "_":
                        digits += "_"
                    elif text[i] in _HEX:
                        digits += text[i]
                    else:
                        return i, f"invalid hex digit '{_show(text[i])}'"
                    i += 1
                if i >= end:
                    return i, "expected character '}'"
                if digits.endswith("_"):
                    return start, "trailing underscore in number"
                clean = digits.replace("_", "")
                if not clean:
                    return start, "invalid hex digit '}'"
                value = int(clean, 16)
                if value > 0xFFFFFFFF:
                    return start, "number is too big to fit in a u32"
                if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
                    return at_u, f"invalid unicode value 0x{value:x}"
                out += chr(value).encode()
                i += 1
            elif esc in _HEX:
                if i + 1 >= end or text[i + 1] not in _HEX:
                    bad = text[i + 1] if i + 1 < end else '"'
                    return i + 1, f"invalid hex digit '{_show(bad)}'"
                out.append(int(text[i : i + 2], 16))
                i += 2
            else:
                return i, f"invalid string escape '{_show(esc)}'"
        elif ord(ch) < 0x20 or ch == "\x7f":
            return i, f"invalid string character '{_show(ch)}'"
        else:
            out += ch.encode("utf-8", errors="surrogatepass")
            i += 1
    try:
        out.decode("utf-8")
    except UnicodeDecodeError as err:
        return 0, f"invalid UTF-8: {err.reason} at byte {err.start}"
    return None
