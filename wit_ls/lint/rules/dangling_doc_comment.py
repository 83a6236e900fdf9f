"""dangling-doc-comment: a `///` comment that wit-parser drops."""

from __future__ import annotations

from collections.abc import Iterator

from wit_ls.lint.context import LintContext
from wit_ls.lint.rule import Finding, Rule


def check(ctx: LintContext) -> Iterator[Finding]:
    # One finding per run of dropped doc comments (a multi-line doc comment is one run).
    run: list[tuple[int, int, str]] = []
    for start, end, message in _dropped(ctx):
        if run and run[-1][2] == message and not ctx.source[run[-1][1]:start].strip():
            run.append((start, end, message))
            continue
        if run:
            yield Finding(run[0][0], run[-1][1], run[0][2])
        run = [(start, end, message)]
    if run:
        yield Finding(run[0][0], run[-1][1], run[0][2])


def _dropped(ctx: LintContext) -> Iterator[tuple[int, int, str]]:
    params = bool(ctx.option("dangling-doc-comment", "params", False))
    for comment in ctx.nodes("doc_comment"):
        if ctx.comment_becomes_docs_of(comment) is not None:
            continue
        if ctx.in_error(ctx.next_token_offset(comment.end_byte)) or ctx.in_error(
                comment.start_byte):
            continue  # inside code that did not parse: attachment is unknowable
        nxt_node = ctx.tree.root.descendant_for_byte_range(
            ctx.next_token_offset(comment.end_byte), ctx.next_token_offset(comment.end_byte))
        if not params and nxt_node is not None and (
                nxt_node.type == "param" or (nxt_node.parent is not None
                                             and nxt_node.parent.type == "param")):
            continue  # WASI documents parameters this way on purpose
        nxt = ctx.next_token_offset(comment.end_byte)
        prev = comment.prev_sibling
        if prev is not None and prev.type == "attribute":
            where = "between gates and the item it is dropped; put docs above the gates"
        elif nxt >= len(ctx.source) or ctx.source[nxt : nxt + 1] == b"}":
            where = "before a closing `}` or at the end of the file it documents nothing"
        else:
            where = "here it is not attached to an item (docs on parameters, `use` and " \
                    "`include` are dropped)"
        yield (comment.start_byte, comment.end_byte,
               f"doc comment is dropped by wit-parser: {where}")


RULE = Rule(
    check=check,
    name="dangling-doc-comment",
    code="WIT305",
    category="docs",
    default_level="warn",
    fix="none",
    options={"params": False},
    summary="A `///` doc comment that is not attached to anything",
    what=(
        "Reports a `///` or `/** */` comment that wit-parser drops: between an item's gates and "
        "the item, before a closing `}`, at the end of a file, before a `use` or an `include`. "
        "Docs on parameters are dropped too, but WASI writes them on purpose as source "
        "documentation, so they are reported only with option `params = true`."
    ),
    why="The author meant documentation, but bindings and registries will never show it.",
    bad="package a:b@1.0.0;\n\ninterface i {\n    @since(version = 1.0.0)\n"
        "    /// Start the thing.\n    start: func();\n}\n",
    good="package a:b@1.0.0;\n\ninterface i {\n    /// Start the thing.\n"
         "    @since(version = 1.0.0)\n    start: func();\n}\n",
    fix_doc="No automatic fix: move the comment above the item's gates.",
)
