"""WIT text to the formatter's tokens: each token knows how many line breaks came before it and
carries the comments around it (leading ones on their own lines or glued before it, trailing
ones on its line after it).

The formatter only runs on text the syntax layer parsed without errors, so this lexer only has
to split valid WIT; it never decides validity.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(
    r"""(?P<ws>[\s\ufeff]*)(?:
      (?P<line>//[^\n]*)
    | (?P<block>/\*)
    | (?P<id>%?[^\W\d][\w-]*)
    | (?P<num>[0-9][0-9A-Za-z\-+_]*(?:\.[0-9A-Za-z\-+_]+)*)
    | (?P<str>"(?:[^"\\\n]|\\.)*")
    | (?P<arrow>->)
    | (?P<punct>.)
    | (?P<eof>\Z)
    )""",
    re.X | re.S,
)

# Closing tokens (and separators) before which a same-line comment stays with the token before.
_CLOSERS = frozenset([")", ">", "}", ",", ";", ""])


class Comment:
    __slots__ = ("end", "forced", "nl", "text")

    def __init__(self, text: str, nl: int, end: int) -> None:
        self.text = text
        self.end = end  # offset after it in the source
        self.nl = nl  # line breaks before it in the source
        # A `//` comment ends its line; a block comment over several lines cannot sit in a
        # one-line layout either.
        self.forced = text.startswith("//") or "\n" in text


_NONE: list[Comment] = []  # shared empty list: never appended to, replaced when comments come


class Token:
    __slots__ = ("end", "kind", "lead", "nl", "path_colon", "start", "text", "trail")

    def __init__(self, kind: str, text: str, nl: int, start: int, end: int) -> None:
        self.kind = kind  # id | num | str | punct ("->" included) | eof
        self.text = text
        self.nl = nl
        self.start = start  # offsets in the source string
        self.end = end
        self.lead: list[Comment] = _NONE
        self.trail: list[Comment] = _NONE
        self.path_colon = False


def _block_end(text: str, pos: int) -> int:
    """End of the (nesting) block comment whose `/*` ends at ``pos``."""
    depth = 1
    n = len(text)
    while depth and pos < n:
        opened = text.find("/*", pos)
        closed = text.find("*/", pos)
        if closed == -1:
            return n
        if opened != -1 and opened < closed:
            depth += 1
            pos = opened + 2
        else:
            depth -= 1
            pos = closed + 2
    return pos


_FAST = re.compile(
    r"""[\s\ufeff]*(?:
      (//[^\n]*)
    | (/\*(?:[^*/]|\*(?!/)|/(?!\*))*\*/)
    | (%?[^\W\d][\w-]*)
    | ([0-9][0-9A-Za-z\-+_]*(?:\.[0-9A-Za-z\-+_]+)*)
    | ("(?:[^"\\\n]|\\.)*")
    | (->)
    | ([^\s\ufeff])
    )""",
    re.X | re.S,
)
_KINDS = (None, "line", "block", "id", "num", "str", "punct", "punct")


def _scan(text: str) -> list[tuple[str, str, int, int, int]] | None:
    """(kind, text, line breaks before, start, end) of every token and comment, by one regex
    pass; None when a block comment nests or is not closed (then :func:`_scan_slow`)."""
    out: list[tuple[str, str, int, int, int]] = []
    append = out.append
    count = text.count
    pos = 0
    for m in _FAST.finditer(text):
        index = m.lastindex
        if index is None:
            break
        start, end = m.span(index)
        value = m.group(index)
        nl = count("\n", pos, start) if start > pos else 0
        pos = end
        if index == 1:
            append(("comment", value.rstrip(), nl, start, end))
        elif index == 2:
            append(("comment", value.replace("\r\n", "\n"), nl, start, end))
        elif index == 7 and value == "/" and text.startswith("/*", start):
            return None
        else:
            append((_KINDS[index], value, nl, start, end))  # type: ignore[arg-type]
    tail = len(text)
    append(("eof", "", count("\n", pos, tail), tail, tail))
    return out


def _scan_slow(text: str) -> list[tuple[str, str, int, int, int]]:
    raw: list[tuple[str, str, int, int, int]] = []
    pos = 0
    match = _TOKEN.match
    while True:
        m = match(text, pos)
        if m is None:  # pragma: no cover - every position matches some alternative
            break
        kind = m.lastgroup or "eof"
        nl = m.group("ws").count("\n")
        if kind == "eof":
            raw.append(("eof", "", nl, m.end(), m.end()))
            break
        start = m.start(kind)
        end = m.end()
        if kind == "block":
            end = _block_end(text, end)
            raw.append(("comment", text[start:end].replace("\r\n", "\n"), nl, start, end))
        elif kind == "line":
            raw.append(("comment", text[start:end].rstrip(), nl, start, end))
        else:
            raw.append((kind, text[start:end], nl, start, end))
        pos = end
    return raw


def tokenize(text: str) -> tuple[list[Token], list[int]]:
    """The tokens of ``text`` (the last one has kind ``eof``) with comments attached, and the
    source start offset of each token's first leading comment (or of the token itself)."""
    raw = _scan(text)
    if raw is None:
        raw = _scan_slow(text)
    tokens: list[Token] = []
    starts: list[int] = []
    pending: list[tuple[str, int, int, int]] = []  # comments since the last token
    for kind, value, nl, start, end in raw:
        if kind == "comment":
            pending.append((value, nl, start, end))
            continue
        token = Token(kind, value, nl, start, end)
        if pending:
            _attach(tokens[-1] if tokens else None, pending, token)
            starts.append(pending[0][2])
            pending = []
        else:
            starts.append(start)
        tokens.append(token)
    _mark_path_colons(tokens)
    return tokens, starts


def _attach(prev: Token | None, pending: list[tuple[str, int, int, int]], token: Token) -> None:
    """Share the comments between two tokens: the ones on ``prev``'s line trail it, unless they
    are glued to ``token`` on the same line (`{ /* c */ x`); the others lead ``token``."""
    comments = [Comment(value, nl, end) for value, nl, _, end in pending]
    if prev is not None and token.text == ",":
        # Comments before a comma stay before it, on the line of what they follow.
        prev.trail = prev.trail + comments
        return
    same_line = 0
    if prev is not None:
        while same_line < len(comments) and comments[same_line].nl == 0:
            same_line += 1
            if comments[same_line - 1].text.startswith("//"):
                break
    glued = (
        same_line == len(comments)
        and token.nl == 0
        and token.text not in _CLOSERS
        and not comments[-1].text.startswith("//")
    )
    if prev is not None and not glued and same_line:
        prev.trail = prev.trail + comments[:same_line]
        comments = comments[same_line:]
    if comments:
        token.lead = comments


def _mark_path_colons(tokens: list[Token]) -> None:
    """A `:` inside a package path (`wasi:io/streams@0.2.0`, `package a:b;`) as opposed to the
    `:` of `name: type`."""
    statement_start = True
    package = False
    for i, token in enumerate(tokens):
        if token.text == ":":
            nxt = tokens[i + 2] if i + 2 < len(tokens) else None
            if package or (
                nxt is not None
                and (nxt.text == "/" or (nxt.text == "@" and tokens[i + 3].kind == "num"))
            ):
                token.path_colon = True
        if statement_start and token.kind == "id":
            package = token.text == "package"
            statement_start = False
        if token.text in (";", "{", "}"):
            statement_start = True
            package = False
