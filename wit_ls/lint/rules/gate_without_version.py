"""gate-without-version: `@unstable` in a package that has no version."""

from __future__ import annotations

from collections.abc import Iterator

from wit_ls.lint.context import LintContext
from wit_ls.lint.rule import Finding, Rule


def check(ctx: LintContext) -> Iterator[Finding]:
    for attribute in ctx.nodes("attribute"):
        name = attribute.child_by_field_name("name")
        if name is None or ctx.text(name) != "unstable":
            continue
        package = ctx.package_of(attribute)
        if package is None or package.version is not None:
            continue
        yield Finding(attribute.start_byte, attribute.end_byte,
                      f"`@unstable` in `{package.qualified}`, which has no version: the "
                      "feature can never become `@since`; give the package a version")


RULE = Rule(
    check=check,
    name="gate-without-version",
    code="WIT406",
    category="versioning",
    default_level="info",
    fix="none",
    summary="A feature gate in a package without a version",
    what=(
        "Reports `@unstable(feature = ..)` in a package declared without a version. "
        "(`@since` and `@deprecated` there are errors of `wit-ls check`, as in wit-parser.)"
    ),
    why=(
        "Gates describe how a package evolves across versions: an unstable feature is "
        "stabilised as `@since(version = <the release>)`, which an unversioned package "
        "cannot name."
    ),
    bad="package a:b;\n\ninterface i {\n    @unstable(feature = b-tracing)\n"
        "    trace: func();\n}\n",
    good="package a:b@0.1.0;\n\ninterface i {\n    @unstable(feature = b-tracing)\n"
         "    trace: func();\n}\n",
    fix_doc="No automatic fix: choose the package's version.",
)
