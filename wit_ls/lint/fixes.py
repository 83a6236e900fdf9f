"""Fixes and code actions as text edits (UTF-8 byte offsets)."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from wit_ls.lint.context import FileFacts, file_facts
from wit_ls.lint.rule import FixEdit
from wit_ls.lint.suppression import _DIRECTIVE
from wit_ls.syntax import Diagnostic, SyntaxTree, TextEdit


@dataclass(frozen=True)
class CodeAction:
    """A quick fix for one diagnostic: a title and the edits (against the current text)."""

    title: str
    edits: tuple[TextEdit, ...]
    kind: str = "quickfix"
    preferred: bool = False
    applicability: str = "safe"  # "safe" | "unsafe" | "suppression"


def fix_of(diagnostic: Diagnostic) -> tuple[str, str, list[FixEdit]] | None:
    """(message, applicability, edits) of a lint diagnostic's fix, if it has one."""
    fix = diagnostic.data.get("fix") if diagnostic.data else None
    if not isinstance(fix, dict):
        return None
    edits = [FixEdit(int(e["start"]), int(e["end"]), str(e["new_text"]))
             for e in fix.get("edits", [])]
    return str(fix.get("message", "Fix")), str(fix.get("applicability", "unsafe")), edits


def apply_edits(source: bytes, edits: Iterable[FixEdit]) -> tuple[bytes, int]:
    """Apply non-overlapping edits (later overlapping ones are skipped). Returns the new text
    and how many edits were applied."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    out: list[bytes] = []
    position = 0
    applied = 0
    for edit in ordered:
        if edit.start < position:
            continue
        out.append(source[position : edit.start])
        out.append(edit.new_text.encode("utf-8"))
        position = max(edit.end, edit.start)
        applied += 1
    out.append(source[position:])
    return b"".join(out), applied


def select_fixes(diagnostics: Sequence[Diagnostic], unsafe: bool) -> list[list[FixEdit]]:
    """The fixes to apply, as groups of edits (all edits of one fix go together)."""
    groups: list[list[FixEdit]] = []
    for diag in diagnostics:
        fix = fix_of(diag)
        if fix is None:
            continue
        _message, applicability, edits = fix
        if applicability == "safe" or unsafe:
            groups.append(edits)
    return groups


def apply_fix_groups(source: bytes, groups: list[list[FixEdit]]) -> tuple[bytes, int]:
    """Apply whole fixes whose edits overlap no earlier fix. Returns text and fix count."""
    taken: list[tuple[int, int]] = []
    chosen: list[FixEdit] = []
    count = 0
    for group in sorted(groups, key=lambda g: min((e.start for e in g), default=0)):
        spans = [(e.start, e.end) for e in group]
        if any(_overlaps(s, t) for s in spans for t in taken):
            continue
        taken.extend(spans)
        chosen.extend(group)
        count += 1
    new, _ = apply_edits(source, chosen)
    return new, count


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a[0] == a[1] or b[0] == b[1]:  # insertions conflict only strictly inside a range
        return b[0] < a[0] < b[1] or a[0] < b[0] < a[1] or a == b
    return a[0] < b[1] and b[0] < a[1]


def code_actions(diagnostic: Diagnostic, tree: SyntaxTree) -> list[CodeAction]:
    """Quick fixes for a lint diagnostic: its fix (safe ones preferred) and "suppress here"
    and "suppress in this file" edits."""
    out: list[CodeAction] = []
    fix = fix_of(diagnostic)
    if fix is not None:
        message, applicability, edits = fix
        title = message if applicability == "safe" else f"{message} (unsafe)"
        out.append(CodeAction(title, tuple(_text_edit(e) for e in edits),
                              preferred=applicability == "safe", applicability=applicability))
    rule = diagnostic.code
    if diagnostic.data and "rule" in diagnostic.data and rule != "internal-error":
        line_edit = suppress_line_edits(diagnostic, tree)
        if line_edit:
            out.append(CodeAction(f"Suppress `{rule}` on this line",
                                  tuple(_text_edit(e) for e in line_edit),
                                  applicability="suppression"))
        out.append(CodeAction(f"Suppress `{rule}` in this file",
                              tuple(_text_edit(e) for e in suppress_file_edits(diagnostic, tree)),
                              applicability="suppression"))
    return out


def _text_edit(edit: FixEdit) -> TextEdit:
    return TextEdit(edit.start, edit.end, edit.new_text.encode("utf-8"))


_facts_of: tuple[SyntaxTree, FileFacts] | None = None


def _facts(tree: SyntaxTree) -> FileFacts:
    """The tree's facts, computed once for all the diagnostics of one code-action request
    (recomputing them per diagnostic made code actions quadratic in the file's size)."""
    global _facts_of
    if _facts_of is None or _facts_of[0] is not tree:
        _facts_of = (tree, file_facts(tree))
    return _facts_of[1]


def suppress_line_edits(diagnostic: Diagnostic, tree: SyntaxTree) -> list[FixEdit]:
    """Edits that suppress the diagnostic's rule on its line, in a place where wit-parser does
    not turn the comment into docs (extends an existing directive on that line if any)."""
    rule = diagnostic.code
    index = tree.line_index
    source = tree.source
    line = index.line_of(diagnostic.start)
    start, end = index.line_start(line), index.line_end(line)
    facts = _facts(tree)
    first = max(0, bisect_left(facts.comment_starts, start) - 1)
    for comment in facts.comments[first:]:
        if comment.start_byte >= end:
            break
        if comment.end_byte < start:
            continue
        text = tree.node_text(comment)
        m = _DIRECTIVE.search(text)
        if m and m.group("kind") == "ignore" and m.group("rules") is not None:
            close = comment.start_byte + len(text[: m.end("rules")].encode("utf-8"))
            sep = ", " if m.group("rules").strip() else ""
            return [FixEdit(close, close, f"{sep}{rule}")]
    # The previous line is a gate of the same item: a comment line between gates and item is
    # dropped by wit-parser.
    if line > 0:
        prev = index.line_text(line - 1).strip()
        if prev.startswith(b"@") and prev.endswith(b")"):
            indent = source[start:end][: len(source[start:end]) - len(source[start:end].lstrip())]
            return [FixEdit(start, start, f"{indent.decode()}// wit-ls: ignore[{rule}]\n")]
    code = source[start:end].rstrip()
    comment_start = _line_comment_start(facts.comments[first:], start, end)
    if comment_start is not None:
        code = source[start:comment_start].rstrip()
    if not code.strip():
        return []
    last = code[-1:]
    position = start + len(code)
    if last in (b";", b"{", b",", b"(") and len(code.strip()) > 1:
        position -= 1
        return [FixEdit(position, position, f" /* wit-ls: ignore[{rule}] */")]
    return [FixEdit(position, position, f" /* wit-ls: ignore[{rule}] */")]


def _line_comment_start(comments: list, start: int, end: int) -> int | None:  # type: ignore[type-arg]
    for comment in comments:
        if comment.start_byte >= end:
            break
        if start <= comment.start_byte and comment.type == "line_comment":
            return int(comment.start_byte)
    return None


def suppress_file_edits(diagnostic: Diagnostic, tree: SyntaxTree) -> list[FixEdit]:
    """Append ``// wit-ls: ignore-file[rule]`` at the end of the file (where wit-parser drops
    comments), or extend an existing ``ignore-file`` directive."""
    rule = diagnostic.code
    for comment in _facts(tree).comments:
        text = tree.node_text(comment)
        m = _DIRECTIVE.search(text)
        if m and m.group("kind") == "ignore-file" and m.group("rules") is not None:
            close = comment.start_byte + len(text[: m.end("rules")].encode("utf-8"))
            sep = ", " if m.group("rules").strip() else ""
            return [FixEdit(close, close, f"{sep}{rule}")]
    source = tree.source
    prefix = "" if not source or source.endswith(b"\n") else "\n"
    return [FixEdit(len(source), len(source), f"{prefix}// wit-ls: ignore-file[{rule}]\n")]


_ = re
