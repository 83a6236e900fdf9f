"""What formatting must keep, checked independently of the formatter: the syntax tree's tokens
(comments included, trailing commas left out, since the formatter adds and drops them) and
idempotence. A comment may not cross a comma: wit-parser makes a comment after a comma the
documentation of the next field or case."""

from __future__ import annotations

from wit_ls.fmt import format_source
from wit_ls.syntax import parse


def tokens(text: str) -> list[str]:
    """Leaves of the syntax tree in order, comments included, trailing commas (the last
    non-comment token before a closing bracket) left out; a `//` comment without trailing blanks
    and block comments with `\\n` line breaks."""
    tree = parse(text)
    out: list[str] = []
    stack = [tree.root]
    while stack:
        node = stack.pop()
        if node.child_count == 0 or node.type.endswith("comment"):
            token = tree.node_text(node)
            if token.startswith("//"):
                token = token.rstrip()
            out.append(token.replace("\r\n", "\n"))
        else:
            stack.extend(reversed(node.children))
    kept: list[str] = []
    for i, token in enumerate(out):
        if token == ",":
            following = next((t for t in out[i + 1:] if not t.startswith(("//", "/*"))), "")
            if following in (")", ">", "}"):
                continue
        kept.append(token)
    return kept


def problems(text: str, options: object = None) -> list[str]:
    """Why formatting ``text`` is wrong ([] when it keeps everything and is stable)."""
    once = format_source(text, options)  # type: ignore[arg-type]
    if once is None:
        return [] if parse(text).root.has_error else ["refused a file without syntax errors"]
    if parse(once).root.has_error:
        return ["the output has syntax errors"]
    found: list[str] = []
    if tokens(once) != tokens(text):
        found.append("tokens or comments changed")
    twice = format_source(once, options)  # type: ignore[arg-type]
    if twice != once:
        found.append("not idempotent")
    return found
