"""unstable-feature-naming: `@unstable(feature = x)` names not prefixed with the package."""

from __future__ import annotations

from collections.abc import Iterator

from wit_ls.lint.context import GATEABLE, LintContext
from wit_ls.lint.rule import Finding, Rule


def check(ctx: LintContext) -> Iterator[Finding]:
    template = str(ctx.option("unstable-feature-naming", "prefix", "{package}-"))
    for item in ctx.nodes(*sorted(GATEABLE)):
        gate = ctx.gate(item, "unstable")
        if gate is None or gate.key != "feature" or not gate.value:
            continue
        package = ctx.package_of(item)
        if package is None:
            continue
        path = item.child_by_field_name("path")
        if path is not None and path.child_by_field_name("namespace") is not None:
            continue  # gating an import of another package uses that package's feature
        prefix = template.replace("{package}", package.name).replace(
            "{namespace}", package.namespace)
        if gate.value.startswith(prefix) or gate.value == prefix.rstrip("-"):
            continue
        yield Finding(
            gate.node.start_byte, gate.node.end_byte,
            f"feature `{gate.value}` should start with `{prefix}` (e.g. "
            f"`{prefix}{gate.value}`) so that feature names stay unique across packages",
        )


RULE = Rule(
    check=check,
    name="unstable-feature-naming",
    code="WIT403",
    category="versioning",
    default_level="info",
    fix="none",
    options={"prefix": "{package}-"},
    summary="An `@unstable` feature name not prefixed with the package name",
    what=(
        "Reports `@unstable(feature = f)` where `f` does not start with the package name and "
        "`-` (WASI's convention, e.g. `clocks-timezone` in `wasi:clocks`). Option `prefix` "
        "changes the expected prefix (`{package}` and `{namespace}` are replaced). Gates on "
        "imports, exports and includes of another package are exempt (they use that "
        "package's feature names)."
    ),
    why=(
        "Features are enabled by name across all packages at once (`--features`), so short "
        "names collide. An error in the `wasi` preset."
    ),
    bad="package wasi:clocks@0.3.0;\n\n@unstable(feature = timezone)\ninterface timezone {}\n",
    good="package wasi:clocks@0.3.0;\n\n@unstable(feature = clocks-timezone)\n"
         "interface timezone {}\n",
    fix_doc="No automatic fix: renaming a feature breaks users who enable it.",
)
