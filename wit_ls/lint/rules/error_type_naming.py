"""error-type-naming: error types with unconventional names."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from wit_ls.lint.context import LintContext, ident
from wit_ls.lint.rule import Finding, Rule

_NAMES = ["error-code", "error", "*-error", "*-error-code", "errno"]


def check(ctx: LintContext) -> Iterator[Finding]:
    patterns = [str(p) for p in ctx.option("error-type-naming", "error-names", _NAMES)]
    for node in ctx.nodes("result_type"):
        err = node.child_by_field_name("err")
        if err is None or err.type != "named_type":
            continue
        name = ident(ctx.text(err))
        if any(fnmatch.fnmatchcase(name, p) for p in patterns):
            continue
        found = ctx.resolve(err)
        if found is None or found.node.type not in ("enum_item", "variant_item", "record_item"):
            continue
        yield Finding(err.start_byte, err.end_byte,
                      f"error type `{name}` does not follow the naming convention ("
                      + ", ".join(f"`{p}`" for p in patterns) + ")")


RULE = Rule(
    check=check,
    name="error-type-naming",
    code="WIT510",
    category="api-design",
    default_level="off",
    strict_level="info",
    fix="none",
    options={"error-names": _NAMES},
    summary="A `result` error type whose name is not `error-code`, `*-error`, ...",
    what=(
        "Reports an `enum`, `variant` or `record` used as a `result` error whose name matches "
        "none of option `error-names` (`error-code`, `error`, `*-error`, `*-error-code`, `errno`)."
    ),
    why="Conventional names tell readers and tools which types are errors.",
    bad="package a:b;\n\ninterface i {\n    enum failure { busy }\n"
        "    run: func() -> result<_, failure>;\n}\n",
    good="package a:b;\n\ninterface i {\n    enum error-code { busy }\n"
         "    run: func() -> result<_, error-code>;\n}\n",
    fix_doc="No automatic fix: renaming is a breaking change.",
)
