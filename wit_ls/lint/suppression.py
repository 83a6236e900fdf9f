"""Suppression comments.

* ``// wit-ls: ignore[rule, ...]`` at the end of a line suppresses those rules on that line;
  on a line of its own it suppresses them on the next line of code (and, when that line starts
  with gates, through the gates to the item itself).
* ``// wit-ls: ignore-file[rule, ...]`` anywhere suppresses them in the whole file.
* ``/* ... */`` works the same. Rules are named by name (``unused-use``), code (``WIT204``)
  or category (``style``: every rule of the category), as in the configuration.
  A ``-- reason`` may follow the closing bracket.

wit-parser folds every comment before an item into that item's documentation, including a
comment at the end of the previous item's line. The leak-free places are: between an item's
gates and the item, inside an item's header as a block comment (``foo: func() /* wit-ls:
ignore[x] */;``), before a closing ``}``, and at the end of the file. ``suppression-in-docs``
reports the others.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from tree_sitter import Node

from wit_ls.lint.context import GATEABLE, LintContext

_MARKER = re.compile(r"wit-ls\s*:")
_DIRECTIVE = re.compile(
    r"wit-ls\s*:\s*(?P<kind>[A-Za-z-]*)\s*(?:\[(?P<rules>[^\]]*)\])?(?P<rest>.*)", re.DOTALL
)
KINDS = ("ignore", "ignore-file")


@dataclass
class RuleRef:
    token: str
    start: int
    end: int
    rule: str | None  # canonical rule name (or category), None when unknown
    used: bool = False
    members: frozenset[str] = frozenset()  # the rules it suppresses

@dataclass
class Directive:
    comment: Node
    kind: str
    rules: list[RuleRef]
    lines: frozenset[int] = frozenset()
    trailing: bool = False
    problems: list[tuple[int, int, str]] = field(default_factory=list)

    @property
    def file_level(self) -> bool:
        return self.kind == "ignore-file"

    def covers(self, rule: str, line: int) -> RuleRef | None:
        if not self.file_level and line not in self.lines:
            return None
        for ref in self.rules:
            if rule in ref.members:
                return ref
        return None


def parse_directives(ctx: LintContext, resolve: Mapping[str, str],
                     categories: Mapping[str, frozenset[str]] | None = None) -> list[Directive]:
    """Every ``wit-ls:`` directive of the file; ``resolve`` maps names and codes to names,
    ``categories`` category names to their rules."""
    categories = categories or {}
    out: list[Directive] = []
    source = ctx.source
    for comment in ctx.facts.comments:
        raw = source[comment.start_byte : comment.end_byte]
        if b"wit-ls" not in raw:
            continue
        text = raw.decode("utf-8", "replace")
        marker = _MARKER.search(text)
        if marker is None:
            continue
        # Only a directive when `wit-ls:` starts the comment's text.
        body = text.lstrip("/*! \t")
        if not body.startswith("wit-ls"):
            continue
        m = _DIRECTIVE.match(text, marker.start())
        assert m is not None
        base = comment.start_byte
        kind = m.group("kind")
        directive = Directive(comment, kind, [])
        prefix_bytes = len(text[: m.start()].encode("utf-8"))
        span = (base + prefix_bytes, comment.end_byte)
        if kind not in KINDS:
            directive.problems.append(
                (*span, f"unknown directive `{kind or '?'}`: use `wit-ls: ignore[rule]` or "
                        "`wit-ls: ignore-file[rule]`")
            )
            out.append(directive)
            continue
        if m.group("rules") is None:
            directive.problems.append(
                (*span, f"`{kind}` needs a list of rules, e.g. `wit-ls: {kind}[unused-use]`")
            )
            out.append(directive)
            continue
        rules_start = m.start("rules")
        offset = rules_start
        for part in m.group("rules").split(","):
            token = part.strip()
            lead = len(part) - len(part.lstrip())
            if token:
                t_start = base + len(text[: offset + lead].encode("utf-8"))
                t_end = t_start + len(token.encode("utf-8"))
                name = resolve.get(token)
                if name is not None:
                    members = frozenset({name})
                elif token in categories:
                    name, members = token, categories[token]
                else:
                    members = frozenset()
                directive.rules.append(RuleRef(token, t_start, t_end, name, members=members))
            offset += len(part) + 1
        if not directive.rules:
            directive.problems.append((*span, f"`{kind}[]` names no rule"))
        rest = m.group("rest").strip().rstrip("*/").strip()
        if rest and not rest.startswith("--"):
            directive.problems.append(
                (*span, "unexpected text after the rule list; write a reason as `-- reason`")
            )
        if kind == "ignore":
            directive.trailing = _has_code_before(ctx, comment)
            directive.lines = _target_lines(ctx, comment, directive.trailing)
        out.append(directive)
    return out


def _has_code_before(ctx: LintContext, comment: Node) -> bool:
    index = ctx.tree.line_index
    line = index.line_of(comment.start_byte)
    before = ctx.source[index.line_start(line) : comment.start_byte]
    if not before.strip():
        return False
    # Only other comments before it on the line do not count as code.
    for other in ctx.facts.comments:
        if other.start_byte >= comment.start_byte:
            break
        if other.end_byte > index.line_start(line):
            start = max(other.start_byte, index.line_start(line)) - index.line_start(line)
            end = other.end_byte - index.line_start(line)
            before = before[:start] + b" " * (end - start) + before[end:]
    return bool(before.strip())


def _target_lines(ctx: LintContext, comment: Node, trailing: bool) -> frozenset[int]:
    index = ctx.tree.line_index
    if trailing:
        return frozenset({index.line_of(comment.start_byte)})
    lines = {index.line_of(comment.end_byte)}  # a block comment's own last line
    nxt = ctx.next_token_offset(comment.end_byte)
    if nxt >= len(ctx.source):
        return frozenset(lines)
    first = index.line_of(nxt)
    lines.add(first)
    if ctx.source[nxt : nxt + 1] == b"@":
        node = ctx.tree.root.descendant_for_byte_range(nxt, nxt)
        while node is not None and not (node.start_byte == nxt and node.type in GATEABLE):
            node = node.parent
        if node is not None:
            for child in node.children:
                if child.type != "attribute" and child.type not in ("line_comment",
                                                                     "block_comment",
                                                                     "doc_comment"):
                    lines.update(range(first, index.line_of(child.start_byte) + 1))
                    break
    return frozenset(lines)
