"""string-error: `result<T, string>`: prefer a typed error."""

from __future__ import annotations

from collections.abc import Iterator

from wit_ls.lint.context import LintContext
from wit_ls.lint.rule import Finding, Rule
from wit_ls.lint.rules._util import resolved_primitive


def check(ctx: LintContext) -> Iterator[Finding]:
    for node in ctx.nodes("result_type"):
        err = node.child_by_field_name("err")
        if err is None or resolved_primitive(ctx, err) != "string":
            continue
        via = "" if err.type == "primitive_type" else f" (`{ctx.text(err)}` is a `string`)"
        yield Finding(err.start_byte, err.end_byte,
                      f"error type is a plain string{via}; callers cannot match on failures. "
                      "Use an `enum` or `variant` (e.g. `error-code`)")


RULE = Rule(
    check=check,
    name="string-error",
    code="WIT501",
    category="api-design",
    default_level="warn",
    fix="none",
    summary="`result<T, string>`: an error that callers can only print",
    what=(
        "Reports a `result` whose error type is `string`, directly or through type aliases "
        "of this package."
    ),
    why=(
        "A string error cannot be matched on, localised or extended compatibly. WASI's "
        "convention is `result<T, error-code>` with a documented `variant` or `enum`."
    ),
    bad="package a:b;\n\ninterface fs {\n    open: func(p: string) -> result<u32, string>;\n}\n",
    good="package a:b;\n\ninterface fs {\n    enum error-code { not-found, access, other }\n"
         "    open: func(p: string) -> result<u32, error-code>;\n}\n",
    fix_doc="No automatic fix: design the error cases.",
)
