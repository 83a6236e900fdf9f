"""plain-comment-becomes-doc: a `//` comment that wit-parser folds into an item's docs."""

from __future__ import annotations

import re
from collections.abc import Iterator

from wit_ls.lint.context import LintContext
from wit_ls.lint.rule import Edit, Finding, Fix, Rule

_NOTE = re.compile(r"\b(TODO|FIXME|XXX|HACK|NOTE)\b|copyright|license|spdx", re.IGNORECASE)
_DIRECTIVE = re.compile(r"^\s*(/[/*]+)\s*wit-ls\s*:")


def check(ctx: LintContext) -> Iterator[Finding]:
    for comment in ctx.facts.comments:
        if comment.type == "doc_comment":
            continue
        text = ctx.text(comment)
        if _DIRECTIVE.match(text):
            continue  # suppression-in-docs reports those
        target = ctx.comment_becomes_docs_of(comment)
        if target is None:
            continue
        name = target.child_by_field_name("name")
        what = f"`{ctx.text(name)}`" if name is not None else "the next item"
        note = _NOTE.search(text)
        fix = None
        if note is None and comment.type == "line_comment":
            fix = Fix("Make it a `///` doc comment",
                      (Edit(comment.start_byte, comment.start_byte + 2, "///"),), "unsafe")
        if note is not None:
            message = (f"this comment becomes part of the public docs of {what} (wit-parser "
                       "treats every comment before an item as docs); move it before a `}` "
                       "or to the end of the file")
        else:
            message = (f"this `{text[:2]}` comment becomes part of the docs of {what}; write "
                       "`///` if it is documentation, or move it")
        yield Finding(comment.start_byte, comment.end_byte, message, fix)


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
        "Unsafe: turns `//` into `///` when the comment reads like documentation (it already is "
        "documentation for wit-parser, so the package does not change, but the intent may "
        "differ). No fix for TODO or licence comments: move them."
    ),
)
