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
    r"""([\s\ufeff]*)(
      %?[^\W\d][\w-]*
    | [0-9][0-9A-Za-z\-+_]*(?:\.[0-9A-Za-z\-+_]+)*
    | //[^\n]*
    | /\*(?:[^*/]|\*(?!/)|/(?!\*))*\*/
    | "(?:[^"\\\n]|\\.)*"
    | ->
    | [^\s\ufeff]
    )""",
    re.X | re.S,
)


def _lex(text: str) -> tuple[list[Token], list[int]] | None:
    """:func:`tokenize` by one regex pass; None when a block comment nests or is not closed
    (then the slower scanner handles the file)."""
    tokens: list[Token] = []
    starts: list[int] = []
    append = tokens.append
    pending: list[Comment] = []
    pending_start = 0
    pos = 0
    pairs: list[tuple[str, str]] = _FAST.findall(text)
    for ws, value in pairs:
        start = pos + len(ws)
        pos = end = start + len(value)
        nl = ws.count("\n") if ws else 0
        first = value[0]
        if first.isalpha() or first == "%" or first == "_":
            kind = "id"
        elif first == "/":
            if value.startswith("//") or value.startswith("/*"):
                if value[1] == "*":
                    if "/*" in value[2:]:
                        return None
                    value = value.replace("\r\n", "\n")
                else:
                    value = value.rstrip()
                if not pending:
                    pending_start = start
                pending.append(Comment(value, nl, end))
                continue
            if text.startswith("/*", start):
                return None  # an unclosed or nested block comment
            kind = "punct"
        elif first.isdigit():
            kind = "num"
        elif first == '"':
            kind = "str"
        else:
            kind = "punct"
        token = Token(kind, value, nl, start, end)
        if pending:
            _attach(tokens[-1] if tokens else None, pending, token)
            starts.append(pending_start)
            pending = []
        else:
            starts.append(start)
        append(token)
    tail = len(text)
    token = Token("eof", "", text.count("\n", pos, tail), tail, tail)
    if pending:
        _attach(tokens[-1] if tokens else None, pending, token)
        starts.append(pending_start)
    else:
        starts.append(tail)
    append(token)
    return tokens, starts


def _scan_slow(text: str) -> list[tuple[str, str, int, int, int]]:
    raw: list[tuple[str, str, int, int, int]] = []
    pos = 0
    match = _TOKEN.match
    while True:
        m = match(text, pos)
        if m is None:  # pragma: no cover - every position matches some alternative
            break
        kind = m.lastgroup or "eof"
        nl = text.count("\n", m.start("ws"), m.end("ws"))
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
    lexed = _lex(text)
    if lexed is None:
        lexed = _tokens_of(_scan_slow(text))
    _mark_path_colons(lexed[0])
    return lexed


def _tokens_of(raw: list[tuple[str, str, int, int, int]]) -> tuple[list[Token], list[int]]:
    tokens: list[Token] = []
    starts: list[int] = []
    pending: list[Comment] = []
    pending_start = 0
    for kind, value, nl, start, end in raw:
        if kind == "comment":
            if not pending:
                pending_start = start
            pending.append(Comment(value, nl, end))
            continue
        token = Token(kind, value, nl, start, end)
        if pending:
            _attach(tokens[-1] if tokens else None, pending, token)
            starts.append(pending_start)
            pending = []
        else:
            starts.append(start)
        tokens.append(token)
    return tokens, starts


def _attach(prev: Token | None, comments: list[Comment], token: Token) -> None:
    """Share the comments between two tokens: the ones on ``prev``'s line trail it, unless they
    are glued to ``token`` on the same line (`{ /* c */ x`); the others lead ``token``."""
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
