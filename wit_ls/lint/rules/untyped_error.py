"""untyped-error: a function returning `result` or `result<T>` without an error type."""

from __future__ import annotations

from collections.abc import Iterator

from wit_ls.lint.context import LintContext
from wit_ls.lint.rule import Finding, Rule


def check(ctx: LintContext) -> Iterator[Finding]:
    for item in ctx.functions():
        _sig, _params, result = ctx.signature(item)
        if result is None or result.type != "result_type":
            continue
        if result.child_by_field_name("err") is not None:
            continue
        ok = result.child_by_field_name("ok")
        ok_text = ctx.text(ok) if ok is not None else "_"
        yield Finding(result.start_byte, result.end_byte,
                      f"`{ctx.text(result)}` has no error type; callers cannot tell failures "
                      f"apart. Add one: `result<{ok_text}, error-code>`")


RULE = Rule(
    check=check,
    name="untyped-error",
    code="WIT502",
    category="api-design",
    default_level="off",
    strict_level="info",
    fix="none",
    summary="A function result `result` or `result<T>` with no error type",
    what=(
        "Reports a function whose result is a `result` without an error type. Off in the "
        "default preset (`strict` tier): a bare `result<T>` is WASI's idiom for a function "
        "with a single failure mode, so the rule is for packages that want every failure typed."
    ),
    why="A failure without a payload tells callers nothing about what went wrong or what to do.",
    bad="package a:b;\n\ninterface i {\n    finish: func() -> result;\n}\n",
    good="package a:b;\n\ninterface i {\n    enum error-code { busy, closed }\n"
         "    finish: func() -> result<_, error-code>;\n}\n",
    fix_doc="No automatic fix.",
)
