"""missing-package-version: a package header without `@x.y.z`."""

from __future__ import annotations

from collections.abc import Iterator

from wit_ls.lint.context import LintContext
from wit_ls.lint.rule import Finding, Fix, FixEdit, Rule


def check(ctx: LintContext) -> Iterator[Finding]:
    default = str(ctx.option("missing-package-version", "default-version", "0.1.0"))
    if not ctx.index.has_interfaces:
        return  # only worlds (an application, a test, an example): nothing for others to use
    for decl in ctx.nodes("package_decl"):
        name = decl.child_by_field_name("name")
        if name is None or name.has_error or name.child_by_field_name("version") is not None:
            continue
        yield Finding(
            name.start_byte, name.end_byte,
            f"package `{ctx.text(name)}` has no version; add one (`{ctx.text(name)}@{default}`) "
            "so that gates and semver-aware linking can be used",
            Fix(f"Add version `@{default}`",
                (FixEdit(name.end_byte, name.end_byte, f"@{default}"),),
                "unsafe"),
        )


RULE = Rule(
    check=check,
    name="missing-package-version",
    code="WIT401",
    category="versioning",
    default_level="info",
    fix="unsafe",
    options={"default-version": "0.1.0"},
    summary="A package declared without a version",
    what=(
        "Reports a file-level `package ns:name;` header without `@version`, in a package that "
        "defines interfaces. A package that only holds worlds (an application, a test, an "
        "example) is not reported: nothing else imports from it."
    ),
    why=(
        "Without a version a package cannot use `@since`/`@deprecated`, hosts cannot link it "
        "semver-compatibly (wasmtime registers `@0.2.1` also as `@0.2`), and registries cannot "
        "track releases."
    ),
    bad="package acme:kv;\n\ninterface store {}\n",
    good="package acme:kv@0.1.0;\n\ninterface store {}\n",
    fix_doc=(
        "Unsafe: appends `@0.1.0` (option `default-version`). Every reference from other "
        "packages must then name the version, so check your dependents."
    ),
)
