"""stream-without-completion: a returned `stream<T>` with no way to learn how it ended."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from wit_ls.lint.context import LintContext
from wit_ls.lint.rule import Finding, Rule
from wit_ls.lint.rules._util import type_args


def _streams_and_futures(ctx: LintContext, node: Node) -> tuple[list[Node], bool]:
    """The streams a result hands out (directly, in a tuple, in a `result`'s ok) and whether a
    future travels with them."""
    if node.type == "stream_type":
        return [node], False
    if node.type == "future_type":
        return [], True
    if node.type in ("tuple_type", "result_type"):
        streams: list[Node] = []
        future = False
        for arg in type_args(node):
            if node.type == "result_type" and arg == node.child_by_field_name("err"):
                continue
            found, has = _streams_and_futures(ctx, arg)
            streams += found
            future = future or has
        return streams, future
    return [], False


def check(ctx: LintContext) -> Iterator[Finding]:
    for item in ctx.functions():
        _sig, _params, result = ctx.signature(item)
        if result is None:
            continue
        streams, future = _streams_and_futures(ctx, result)
        if future:
            continue
        for stream in streams:
            yield Finding(stream.start_byte, stream.end_byte,
                          f"`{ctx.text(stream)}` is returned with no way to learn whether it "
                          "ended normally or failed; return a `future<result<_, error-code>>` "
                          "with it, as WASI 0.3 does")


RULE = Rule(
    check=check,
    name="stream-without-completion",
    code="WIT512",
    category="api-design",
    default_level="off",
    strict_level="info",
    fix="none",
    summary="A returned `stream<T>` without a future that reports how it ended",
    what=(
        "Reports a function that returns a `stream` (directly, in a tuple or as the ok value "
        "of a `result`) with no `future` beside it. Off in the default preset (`strict` "
        "tier): a stream that never ends by design (a listener's incoming connections) needs "
        "no completion."
    ),
    why=(
        "A stream's end looks the same whether the data ran out or something failed. WASI 0.3 "
        "returns a companion `future<result<_, error-code>>` (`tuple<stream<u8>, "
        "future<result<_, error-code>>>`) so readers can tell."
    ),
    bad="package a:b;\n\ninterface files {\n    read: func(path: string) -> stream<u8>;\n}\n",
    good="package a:b;\n\ninterface files {\n    enum error-code { not-found, io }\n"
         "    read: func(path: string) -> tuple<stream<u8>, future<result<_, error-code>>>;\n"
         "}\n",
    fix_doc="No automatic fix: the error type is part of the design.",
)
