"""async-returns-future: `async func(...) -> future<T>`."""

from __future__ import annotations

from collections.abc import Iterator

from wit_ls.lint.context import LintContext
from wit_ls.lint.rule import Finding, Rule


def check(ctx: LintContext) -> Iterator[Finding]:
    for sig in ctx.nodes("func_type"):
        if sig.child_by_field_name("async") is None:
            continue
        result = sig.child_by_field_name("result")
        if result is None or result.type != "future_type":
            continue
        element = result.child_by_field_name("element")
        inner = ctx.text(element) if element is not None else ""
        yield Finding(result.start_byte, result.end_byte,
                      "an `async` function already delivers its result asynchronously; "
                      f"return {'`' + inner + '`' if inner else 'nothing'} instead of "
                      f"`{ctx.text(result)}`")


RULE = Rule(
    check=check,
    name="async-returns-future",
    code="WIT507",
    category="api-design",
    default_level="warn",
    fix="none",
    summary="An `async` function whose result is a `future`",
    what="Reports `async func(...) -> future<T>`.",
    why=(
        "The Component Model Explainer: an async function's result is already delivered "
        "asynchronously, so wrapping it in a `future` adds a second wait and a handle to manage."
    ),
    bad="package a:b;\n\ninterface http {\n    fetch: async func(url: string) -> future<u32>;\n}\n",
    good="package a:b;\n\ninterface http {\n    fetch: async func(url: string) -> u32;\n}\n",
    fix_doc=(
        "No automatic fix: a future can be right when the function returns before the value "
        "is ready (e.g. alongside a stream)."
    ),
)
