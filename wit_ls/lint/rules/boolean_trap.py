"""boolean-trap: functions with two or more `bool` parameters."""

from __future__ import annotations

from collections.abc import Iterator

from wit_ls.lint.context import LintContext
from wit_ls.lint.rule import Finding, Rule
from wit_ls.lint.rules._util import resolved_primitive


def check(ctx: LintContext) -> Iterator[Finding]:
    limit = int(ctx.option("boolean-trap", "max-bools", 1))
    for item in ctx.functions():
        _sig, params, _result = ctx.signature(item)
        bools = [p for p in ctx.params(params)
                 if resolved_primitive(ctx, p.child_by_field_name("type")) == "bool"]
        if len(bools) <= limit:
            continue
        names = ", ".join(f"`{ctx.name_of(p)}`" for p in bools)
        yield Finding(bools[1].start_byte, bools[-1].end_byte,
                      f"{len(bools)} `bool` parameters ({names}) are easy to swap at call sites; "
                      "use `flags` or an `enum`")


RULE = Rule(
    check=check,
    name="boolean-trap",
    code="WIT508",
    category="api-design",
    default_level="off",
    strict_level="info",
    fix="none",
    options={"max-bools": 1},
    summary="A function with two or more `bool` parameters",
    what="Reports a function with more `bool` parameters than option `max-bools` (1).",
    why=(
        "`open(p, true, false)` does not say what is true; most languages' bindings have no "
        "named arguments. `flags` names each switch."
    ),
    bad="package a:b;\n\ninterface fs {\n"
        "    open: func(p: string, create: bool, truncate: bool);\n}\n",
    good="package a:b;\n\ninterface fs {\n    flags open-flags { create, truncate }\n"
         "    open: func(p: string, f: open-flags);\n}\n",
    fix_doc="No automatic fix.",
)
