"""prerelease-dependency: a released package that depends on a prerelease version."""

from __future__ import annotations

from collections.abc import Iterator

from wit_ls.lint.context import LintContext, ident, parse_version
from wit_ls.lint.rule import Finding, Rule


def check(ctx: LintContext) -> Iterator[Finding]:
    for use_path in ctx.nodes("use_path"):
        ver = use_path.child_by_field_name("version")
        if ver is None:
            continue
        parsed = parse_version(ctx.text(ver))
        if parsed is None or not parsed[3]:
            continue
        package = ctx.package_of(use_path)
        if package is None or package.version is None:
            continue
        own = parse_version(package.version)
        if own is None or own[3]:
            continue  # a prerelease may depend on prereleases
        ns = use_path.child_by_field_name("namespace")
        pkg = use_path.child_by_field_name("package")
        dep = f"{ident(ctx.text(ns))}:{ident(ctx.text(pkg))}" if ns and pkg else "dependency"
        yield Finding(
            ver.start_byte, ver.end_byte,
            f"released package `{package.qualified}` depends on prerelease `{dep}@"
            f"{ctx.text(ver)}`; hosts link prereleases only by exact version",
        )


RULE = Rule(
    check=check,
    name="prerelease-dependency",
    code="WIT405",
    category="versioning",
    default_level="info",
    fix="none",
    summary="A released package referencing a prerelease version of a dependency",
    what=(
        "Reports a versioned reference with a prerelease tag (`0.3.0-rc-2025-09-16`) in a "
        "package whose own version has no prerelease tag."
    ),
    why=(
        "Semver-aware linkers give prereleases no compatible aliases, so every consumer must "
        "provide exactly that prerelease; a stable release should not promise that."
    ),
    bad="package acme:app@1.0.0;\n\nworld app {\n"
        "    import wasi:http/types@0.3.0-rc-2025-09-16;\n}\n",
    good="package acme:app@1.0.0;\n\nworld app {\n    import wasi:http/types@0.3.0;\n}\n",
    fix_doc="No automatic fix: pick a released version, or make this package a prerelease.",
)
