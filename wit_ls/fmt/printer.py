"""The layout: tokens (with their comments) grouped by brackets, printed member by member.

* Bodies (`{}` of packages, interfaces, worlds, resources and type definitions) hold one member
  per line; record, variant, enum and flags members end with a comma.
* Inline lists (parameters, generic arguments, `use` names, `include ... with` names) stay on
  one line when the line fits in ``line_width``; otherwise they are broken one element per line
  (a trailing comma where WIT allows one), the closing bracket on its own line, first the
  outermost list that does not fit, then, inside, whatever still does not fit.
* Blank lines are the author's (at most ``max_blank_lines`` in a row); none after an opening
  brace or before a closing one; one between top-level items that shared a line.
* Comments keep their order and their neighbours; see docs/formatting.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wit_ls.fmt.tokens import Comment, Token, tokenize


@dataclass(frozen=True)
class FormatOptions:
    indent: str = "  "
    line_width: int = 100
    # Keep at most this many blank lines where the source had blank lines.
    max_blank_lines: int = 1


@dataclass
class MemberSpan:
    """Where one member (an item of a file or of a body) is in the source and in the output."""

    start: int  # source offset of its first comment or token
    end: int  # source offset after its last token or trailing comment
    out_first: int  # first output line (0-based)
    out_last: int  # last output line (inclusive)
    depth: int
    parent: int  # index of the enclosing member's span, -1 at the top
    children: list[int] = field(default_factory=list)


class Bracket:
    __slots__ = ("close", "flat", "items", "kind", "open")

    def __init__(self, open_: Token, items: list[Node], close: Token, kind: str) -> None:
        self.open = open_
        self.items = items
        self.close = close
        # block | use | with (braces); params | case | attr (parens); generic | tuple (angles)
        self.kind = kind
        self.flat: str | bool | None = False  # cached flat text of items + close; None: cannot


Node = Token | Bracket

_OPEN = {"{": "}", "(": ")", "<": ">"}
_COMMA_BODIES = frozenset(["record", "variant", "enum", "flags"])
_TRAILING_COMMA = frozenset(["params", "tuple", "use", "with"])
_NO_SPACE_BEFORE = frozenset([",", ";", ")", ">", "(", "<", ".", "/", ":"])
_NO_SPACE_AFTER = frozenset(["(", "<", ".", "/", "@"])
_CLOSE_OR_COMMA = frozenset([")", ">", "}", ",", ";"])


def _first(node: Node) -> Token:
    return node.open if isinstance(node, Bracket) else node


def _group(tokens: list[Token]) -> list[Node]:
    """Nest the tokens by brackets (the input is valid WIT, so they balance)."""
    stack: list[tuple[Token, list[Node]]] = []
    current: list[Node] = []
    prev: Token | None = None
    prev2: Token | None = None
    for token in tokens:
        text = token.text
        if token.kind == "punct" and text in _OPEN:
            stack.append((token, current))
            current = []
            token.path_colon = False
            # Remember what came before the bracket in the token's unused slot.
            token.kind = "open:" + _bracket_kind(text, prev, prev2)
        elif token.kind == "punct" and text in (")", ">", "}") and stack:
            opened, outer = stack.pop()
            kind = opened.kind[5:]
            token.kind = "close:" + kind
            outer.append(Bracket(opened, current, token, kind))
            current = outer
        else:
            current.append(token)
        prev2, prev = prev, token
    return current


def _bracket_kind(text: str, prev: Token | None, prev2: Token | None) -> str:
    before = prev.text if prev is not None else ""
    if text == "{":
        return "use" if before == "." else "with" if before == "with" else "block"
    if text == "(":
        if prev2 is not None and prev2.text == "@":
            return "attr"
        if before in ("func", "constructor"):
            return "params"
        # (`get`/`set` open parameters only as an accessor, after `name:`: a variant case may be
        # named `get` too, and its payload takes no trailing comma.)
        accessor = before in ("get", "set") and prev2 is not None and prev2.text == ":"
        return "params" if accessor else "case"
    return "tuple" if before == "tuple" else "generic"


def _opener(token: Token) -> bool:
    return token.kind in ("open:params", "open:case", "open:attr", "open:generic", "open:tuple",
                          "open:use")


def _gap(prev: Token, token: Token) -> str:
    """What goes between two tokens on one line, comments considered: a comment has a space on
    each side, except after an opening bracket and before a closing one or a comma."""
    if prev.trail:
        return "" if token.text in _CLOSE_OR_COMMA else " "
    if token.lead:
        return "" if _opener(prev) else " "
    return _space(prev, token)


def _lead_breaks(token: Token) -> bool:
    """Whether a line break follows one of ``token``'s leading comments (then they cannot be
    joined onto one line; a comment on its own line glued to the token can)."""
    lead = token.lead
    for i, c in enumerate(lead):
        if c.forced or (lead[i + 1].nl if i + 1 < len(lead) else token.nl):
            return True
    return False


def _trail_text(token: Token) -> str | None:
    """``token``'s trailing comments as flat text (None when one ends the line)."""
    out = ""
    for i, c in enumerate(token.trail):
        if c.forced:
            return None
        out += ("" if i == 0 and _opener(token) else " ") + c.text
    return out


def _space(prev: Token, token: Token) -> str:
    """What goes between two tokens on one line."""
    text = token.text
    ptext = prev.text
    if text in _NO_SPACE_BEFORE or text == "@":
        return ""
    if ptext in _NO_SPACE_AFTER or (ptext == ":" and prev.path_colon):
        return ""
    if text == "{":
        return "" if ptext == "." else " "
    if ptext == "{" and prev.kind == "open:use":
        return ""
    if text == "}":
        return "" if token.kind == "close:use" or prev.kind.startswith("open:") else " "
    return " "


class _Writer:
    def __init__(self, options: FormatOptions) -> None:
        self.lines: list[str] = []
        self.parts: list[str] = []
        self.col = 0
        self.depth = 0
        self.unit = options.indent
        self.max_blank = options.max_blank_lines
        self.pending_break = False  # a `//` comment ended the line

    def text(self, s: str) -> None:
        if self.pending_break:
            self.newline()
        if not self.parts:
            prefix = self.unit * self.depth
            self.parts.append(prefix)
            self.col = len(prefix)
        self.parts.append(s)
        self.col += len(s)

    def newline(self, blank: int = 0) -> None:
        """End the current line (if it has text) and allow ``blank`` blank lines before the
        next one, except at the start of the output or right after an opening bracket."""
        self.pending_break = False
        if self.parts:
            self.lines.append("".join(self.parts).rstrip())
            self.parts = []
            self.col = 0
        if blank and self.max_blank and self.lines and self.lines[-1] \
                and self.lines[-1][-1] not in "{(<":
            for _ in range(min(blank, self.max_blank)):
                self.lines.append("")

    @property
    def at_line_start(self) -> bool:
        return not self.parts and not self.pending_break

    def comment(self, c: Comment) -> None:
        """A comment on the current line; a `//` comment ends the line. The lines of a block
        comment after its first are kept as they are."""
        first, *rest = c.text.split("\n")
        self.text(first)
        for line in rest:
            # (Not stripped: a line's trailing spaces inside `/** */` are part of the docs
            # wit-parser keeps.)
            self.lines.append("".join(self.parts))
            self.parts = [line]
            self.col = len(line)
        if c.forced:
            self.pending_break = True

    def blank(self) -> None:
        """One blank line here, unless there is one already, the output is empty, or the last
        line opens a bracket."""
        lines = self.lines
        if self.max_blank and lines and lines[-1] and lines[-1][-1] not in "{(<":
            lines.append("")

    def finish(self) -> list[str]:
        self.newline()
        while self.lines and not self.lines[-1]:
            self.lines.pop()
        return self.lines


class _Printer:
    def __init__(self, options: FormatOptions, starts: dict[int, int]) -> None:
        self.opts = options
        self.w = _Writer(options)
        self.width = options.line_width
        self.starts = starts  # token start -> start of its first leading comment
        self.spans: list[MemberSpan] = []
        self.parent = -1
        self.current_head: list[Node] = []  # the member being printed (its body's kind)

    # ---- tokens and comments -------------------------------------------------------------

    def leading(self, token: Token) -> None:
        """The comments before ``token``: own-line ones on their own lines (blank lines kept),
        glued ones before it on its line."""
        w = self.w
        lead = token.lead
        count = len(lead)
        if w.at_line_start and token.nl and all(
                (c.nl or not i) and "\n" not in c.text for i, c in enumerate(lead)):
            # The common case, a run of own-line comments (docs): straight into the lines.
            prefix = w.unit * w.depth
            lines = w.lines
            for c in lead:
                if c.nl > 1:
                    w.blank()
                lines.append(prefix + c.text)
            if token.nl > 1:
                w.blank()
            return
        for i, c in enumerate(lead):
            if c.nl:
                w.newline(c.nl - 1)
            w.comment(c)
            nxt = lead[i + 1].nl if i + 1 < count else token.nl
            if nxt or c.forced:
                w.newline(nxt - 1 if nxt else 0)
            else:
                w.text(" ")

    def trailing(self, token: Token) -> None:
        for i, c in enumerate(token.trail):
            if i == 0 and not c.nl and _opener(token):
                self.w.comment(c)
            else:
                self.loose(c)

    def loose(self, c: Comment) -> None:
        """A comment after what is printed: on its own line when it was in the source."""
        w = self.w
        if c.nl:
            w.newline(c.nl - 1)
        elif w.pending_break:
            w.newline()
        elif w.parts:
            w.text(" ")
        w.comment(c)

    def token(self, token: Token, prev: Token | None, trail: bool = True) -> None:
        w = self.w
        if token.lead:
            if prev is not None and not w.at_line_start and token.lead[0].nl == 0:
                w.text(_gap(prev, token))
            self.leading(token)
            w.text(token.text)
        elif prev is not None and w.parts and not w.pending_break:
            w.text(_gap(prev, token) + token.text)
        else:
            w.text(token.text)
        if trail and token.trail:
            self.trailing(token)

    # ---- flat text -----------------------------------------------------------------------

    def flat_bracket(self, br: Bracket) -> str | None:
        """The text of ``br`` after its opening token on one line, or None when a comment
        forces a line break."""
        if br.flat is not False:
            return br.flat  # type: ignore[return-value]
        result = self._flat_bracket(br)
        br.flat = result
        return result

    def _flat_bracket(self, br: Bracket) -> str | None:
        trail = _trail_text(br.open)
        if trail is None:
            return None
        parts: list[str] = [trail]
        prev: Token = br.open
        items = br.items
        n = len(items)
        for i, node in enumerate(items):
            if isinstance(node, Token) and node.text == "," and i == n - 1:
                # A trailing comma goes; its comments stay.
                for c in node.lead + node.trail:
                    if c.forced or c.nl:
                        return None
                    parts.append(" " + c.text)
                continue
            text = self.flat_node(node, prev)
            if text is None:
                return None
            parts.append(text)
            prev = node.close if isinstance(node, Bracket) else node
        close = br.close
        if close.lead:
            return None
        parts.append(_gap(prev, close) + close.text)
        return "".join(parts)

    def flat_node(self, node: Node, prev: Token) -> str | None:
        first = _first(node)
        if first.lead and _lead_breaks(first):
            return None
        head = _gap(prev, first)
        if first.lead:
            head += " ".join(c.text for c in first.lead) + " "
        head += first.text
        if isinstance(node, Bracket):
            inner = self.flat_bracket(node)
            if inner is None:
                return None
            head += inner
        trail = _trail_text(node.close if isinstance(node, Bracket) else node)
        if trail is None:
            return None
        return head + trail

    def rest_width(self, nodes: list[Node], start: int, prev: Token, tail: int,
                   to_end: bool = False) -> int:
        """Width of ``nodes[start:]`` up to and including the next breakable opening bracket
        (or to the end, plus ``tail``)."""
        total = 0
        for node in nodes[start:]:
            first = _first(node)
            if isinstance(node, Bracket) and self.breakable(node) and not to_end:
                return total + len(_gap(prev, first)) + len(first.text)
            text = self.flat_node(node, prev)
            if text is None:
                return total + len(_gap(prev, first)) + len(first.text)
            total += len(text)
            prev = node.close if isinstance(node, Bracket) else node
        return total + tail

    @staticmethod
    def breakable(br: Bracket) -> bool:
        return br.kind not in ("attr", "block") and bool(br.items)

    # ---- inline sequences ----------------------------------------------------------------

    def seq(self, nodes: list[Node], prev: Token | None, tail: int = 0,
            defer_last_trail: bool = False) -> tuple[Token | None, list[Comment]]:
        """Print ``nodes`` on the current line(s), breaking brackets that do not fit.
        Returns the last token printed and, with ``defer_last_trail``, the comments that
        must follow a comma the caller prints (a `//` comment ends the line)."""
        deferred: list[Comment] = []
        n = len(nodes)
        for i, node in enumerate(nodes):
            last = i == n - 1
            if isinstance(node, Bracket):
                if node.kind == "block":
                    self.block(node, prev)
                    prev = node.close
                    continue
                self.token(node.open, prev, trail=False)
                inner = self.flat_bracket(node)
                if inner is not None and (
                    not self.breakable(node)
                    or self.w.col + len(inner)
                    + self.rest_width(nodes, i + 1, node.close, tail, node.kind == "params")
                    <= self.width
                ):
                    self.w.text(inner)
                else:
                    self.broken(node)
                if last and defer_last_trail:
                    deferred = [c for c in node.close.trail if c.forced]
                    for c in node.close.trail:
                        if not c.forced:
                            self.loose(c)
                else:
                    self.trailing(node.close)
                prev = node.close
            else:
                if last and defer_last_trail:
                    self.token(node, prev, trail=False)
                    for c in node.trail:
                        if c.forced:
                            deferred.append(c)
                        else:
                            self.loose(c)
                else:
                    self.token(node, prev)
                prev = node
            if _ends_attribute(nodes, i):
                self.w.newline()
        return prev, deferred

    def broken(self, br: Bracket) -> None:
        """``br`` (its opening token already printed) one element per line."""
        w = self.w
        self.trailing(br.open)
        elements = _split(br.items)
        comma = br.kind in _TRAILING_COMMA
        w.depth += 1
        for j, (element, sep) in enumerate(elements):
            w.newline()
            more = j < len(elements) - 1
            put_comma = more or comma
            _, deferred = self.seq(element, None, 1 if put_comma else 0,
                                   defer_last_trail=sep is None)
            if put_comma:
                w.text(",")
            for c in deferred:
                self.loose(c)
            if sep is not None:
                for c in sep.lead + sep.trail:
                    self.loose(c)
        self.close_comments(br.close)
        w.depth -= 1
        w.newline()
        w.text(br.close.text)

    def close_comments(self, close: Token) -> None:
        """Comments after the last element, before the closing bracket (inside the body)."""
        w = self.w
        for i, c in enumerate(close.lead):
            if i == 0 and not c.nl:
                w.newline()
            self.loose(c)

    # ---- bodies --------------------------------------------------------------------------

    def block(self, br: Bracket, prev: Token | None) -> None:
        w = self.w
        self.token(br.open, prev, trail=False)
        if not br.items and not br.close.lead and not br.open.trail:
            w.text("}")
            self.trailing(br.close)
            return
        w.depth += 1
        if not br.items and not any(c.forced for c in br.open.trail):
            # `{ /* c */ }`: the comment goes inside the body, on its own line.
            for c in br.open.trail:
                w.newline()
                w.comment(c)
        else:
            w.depth -= 1
            self.trailing(br.open)
            w.depth += 1
        self.members(br.items, top=False, comma_body=_is_comma_body(self.current_head))
        self.close_comments(br.close)
        w.depth -= 1
        w.newline()
        w.text("}")
        self.trailing(br.close)

    def members(self, nodes: list[Node], top: bool, comma_body: bool = False) -> None:
        w = self.w
        for index, (member, sep) in enumerate(_members(nodes, comma_body)):
            first = _first(member[0])
            nl = first.lead[0].nl if first.lead else first.nl
            blank = nl - 1 if nl > 1 else 0
            if top and index and nl == 0:
                blank = 1
            if index == 0:
                blank = 0
            w.newline(blank)
            # Keep the blank line before the first leading comment; the rest is the member's.
            out_first = len(w.lines)
            span = MemberSpan(self.starts.get(first.start, first.start), 0, out_first, 0,
                              w.depth, self.parent)
            self.spans.append(span)
            me = len(self.spans) - 1
            if self.parent >= 0:
                self.spans[self.parent].children.append(me)
            saved_parent = self.parent
            self.parent = me
            saved_head = self.current_head
            self.current_head = member
            if first.lead:
                self.leading(first)
                first.lead = []
            if comma_body:
                _, deferred = self.seq(member, None, 1, defer_last_trail=sep is None)
                w.text(",")
                for c in deferred:
                    self.loose(c)
            else:
                self.seq(member, None)
            last = sep if sep is not None else _last_token(member)
            if sep is not None:
                for c in sep.lead + sep.trail:
                    self.loose(c)
            self.current_head = saved_head
            self.parent = saved_parent
            span.end = last.trail[-1].end if last.trail else last.end
            span.out_last = len(w.lines) if w.parts else len(w.lines) - 1


def _ends_attribute(nodes: list[Node], i: int) -> bool:
    """``nodes[i]`` ends an attribute (`@name` or `@name(...)`), which sits on its own line."""
    node = nodes[i]
    if isinstance(node, Bracket):
        return node.kind == "attr"
    if node.kind != "id" or i == 0:
        return False
    before = nodes[i - 1]
    if not (isinstance(before, Token) and before.text == "@"):
        return False
    after = nodes[i + 1] if i + 1 < len(nodes) else None
    return not (isinstance(after, Bracket) and after.kind == "attr")


def _last_token(nodes: list[Node]) -> Token:
    node = nodes[-1]
    return node.close if isinstance(node, Bracket) else node


def _is_comma_body(head: list[Node]) -> bool:
    for node in head:
        if isinstance(node, Token) and node.kind == "id":
            if node.text in _COMMA_BODIES:
                return True
            if node.text not in ("@",) and not _after_at(head, node):
                return False
    return False


def _after_at(head: list[Node], token: Token) -> bool:
    i = head.index(token)
    before = head[i - 1] if i else None
    return isinstance(before, Token) and before.text == "@"


def _split(items: list[Node]) -> list[tuple[list[Node], Token | None]]:
    """Elements of an inline list and the comma after each (None after the last one)."""
    out: list[tuple[list[Node], Token | None]] = []
    current: list[Node] = []
    for node in items:
        if isinstance(node, Token) and node.text == ",":
            if current:
                out.append((current, node))
            elif out:  # `a,,`: not valid WIT; keep the comma's comments with the previous one
                pass
            current = []
        else:
            current.append(node)
    if current:
        out.append((current, None))
    return out


def _members(nodes: list[Node], comma_body: bool) -> list[tuple[list[Node], Token | None]]:
    """Members of a body: each ends with `;`, with a body or `with` list, or (in record,
    variant, enum and flags bodies) at a comma, which is returned apart."""
    out: list[tuple[list[Node], Token | None]] = []
    current: list[Node] = []
    for node in nodes:
        if isinstance(node, Bracket):
            current.append(node)
            if node.kind in ("block", "with"):
                out.append((current, None))
                current = []
            continue
        if comma_body and node.text == ",":
            if current:
                out.append((current, node))
            current = []
            continue
        current.append(node)
        if node.text == ";":
            out.append((current, None))
            current = []
    if current:
        out.append((current, None))
    return out


def layout(text: str, options: FormatOptions | None = None) -> tuple[str, list[MemberSpan]]:
    """Format valid WIT ``text`` (any line endings; the output uses ``\\n``). Also returns
    where each member went."""
    opts = options or FormatOptions()
    tokens, starts = tokenize(text)
    eof = tokens.pop()
    start_of = {t.start: s for t, s in zip(tokens, starts, strict=False)}
    nodes = _group(tokens)
    printer = _Printer(opts, start_of)
    printer.members(nodes, top=True)
    if eof.lead:
        printer.close_comments(eof)
    lines = printer.w.finish()
    if not lines:
        return "", printer.spans
    return "\n".join(lines) + "\n", printer.spans
