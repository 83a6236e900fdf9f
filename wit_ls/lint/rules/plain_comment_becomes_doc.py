"""plain-comment-becomes-doc: a `//` comment that wit-parser folds into an item's docs."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from wit_ls.lint.context import LintContext
from wit_ls.lint.rule import Finding, Fix, FixEdit, Rule

_NOTE = re.compile(r"\b(TODO|FIXME|XXX|HACK|NOTE)\b|copyright|license|spdx", re.IGNORECASE)
_DIRECTIVE = re.compile(r"^\s*(/[/*]+)\s*wit-ls\s*:")


def check(ctx: LintContext) -> Iterator[Finding]:
    # One finding per run of comments that ends up in the same item's docs.
    runs: dict[int, list[Node]] = {}
    targets: dict[int, Node] = {}
    for comment in ctx.facts.comments:
        if comment.type == "doc_comment":
            continue
        text = ctx.text(comment)
        if _DIRECTIVE.match(text):
            continue  # suppression-in-docs reports those
        target = ctx.comment_becomes_docs_of(comment)
        if target is None:
            continue
        runs.setdefault(target.start_byte, []).append(comment)
        targets[target.start_byte] = target
    for key, comments in runs.items():
        target = targets[key]
        name = target.child_by_field_name("name")
        if name is None:
            name = target.child_by_field_name("path")
        what = f"`{ctx.text(name)}`" if name is not None else "the next item"
        texts = [ctx.text(c) for c in comments]
        note = next((m for m in (_NOTE.search(t) for t in texts) if m), None)
        fix = None
        # The slashes a `//` comment starts with become `///` (wit-parser drops every leading
        # slash from a doc line, so the docs stay the same). A `////...` comment stays a plain
        # comment with a slash more, so it gets the same `///`; a run with a line of slashes
        # only (a banner) gets no fix: it is not documentation.
        slashes = [len(t) - len(t.lstrip("/")) for t in texts]
        if note is None and all(c.type == "line_comment" for c in comments) \
                and all(t[n:].strip() for t, n in zip(texts, slashes, strict=True)):
            fix = Fix("Make it a `///` doc comment",
                      tuple(FixEdit(c.start_byte, c.start_byte + n, "///")
                            for c, n in zip(comments, slashes, strict=True)),
                      "unsafe")
        lines = "this comment" if len(comments) == 1 else f"these {len(comments)} comments"
        if note is not None:
            message = (f"{lines} become{'s' if len(comments) == 1 else ''} part of the public "
                       f"docs of {what} (wit-parser treats every comment before an item as "
                       "docs); move it before a `}` or to the end of the file")
        else:
            message = (f"{lines} become{'s' if len(comments) == 1 else ''} part of the docs of "
                       f"{what}; write `///` if it is documentation, or move it")
        yield Finding(comments[0].start_byte, comments[-1].end_byte, message, fix)


RULE = Rule(
    check=check,
    name="plain-comment-becomes-doc",
    code="WIT303",
    category="docs",
    default_level="info",
    fix="unsafe",
    summary="A plain `//` or `/* */` comment that becomes documentation",
    what=(
        "Reports a non-doc comment (`//`, `/* */`) that wit-parser collects as documentation "
        "of the following item: directly above it (blank lines do not separate them), at the "
        "end of the previous item's line, or a licence header above the package."
    ),
    why=(
        "wit-parser folds every comment before an item into its docs (wasm-tools PR #1313), so "
        "TODOs and licence headers end up in generated bindings and registry pages. Two files "
        "of one package with a comment above `package` are even an error."
    ),
    bad="package a:b;\n\ninterface fs {\n    // TODO: rename before 1.0\n"
        "    open: func(path: string);\n}\n",
    good="package a:b;\n\ninterface fs {\n    /// Open a file.\n    open: func(path: string);\n"
         "    // TODO: rename before 1.0 (here, before `}`, the comment is dropped)\n}\n",
    fix_doc=(
        "Unsafe: turns `//` (or `////...`) into `///` when the comment reads like documentation "
        "(it already is documentation for wit-parser, so the package does not change, but the "
        "intent may differ). No fix for TODO or licence comments, nor for banner lines made "
        "only of slashes: move them."
    ),
)
