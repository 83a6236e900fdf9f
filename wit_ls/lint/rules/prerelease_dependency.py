"""prerelease-dependency: a released package that depends on a prerelease version."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from wit_ls.lint.context import LintContext, MemoKey, PackageHeader, ident
from wit_ls.lint.rule import Finding, Rule
from wit_ls.model.checks import version_or_none

_FIRST: MemoKey[dict[str, tuple[str, int]]] = MemoKey("prerelease-dependency-first")


def _prerelease_refs(ctx: LintContext) -> Iterator[tuple[Node, Node, str, PackageHeader]]:
    """(use path, version node, dependency, own package) of each prerelease reference made
    by a released package."""
    for use_path in ctx.nodes_holding("use_path", "version"):
        ver = use_path.child_by_field_name("version")
        if ver is None:
            continue
        parsed = version_or_none(ctx.text(ver))
        if parsed is None or not parsed.pre:
            continue
        package = ctx.package_of(use_path)
        if package is None or package.version is None:
            continue
        own = version_or_none(package.version)
        if own is None or own.pre:
            continue  # a prerelease may depend on prereleases
        ns = use_path.child_by_field_name("namespace")
        pkg = use_path.child_by_field_name("package")
        dep = f"{ident(ctx.text(ns))}:{ident(ctx.text(pkg))}" if ns and pkg else "dependency"
        yield use_path, ver, f"{dep}@{ctx.text(ver)}", package


def _first(ctx: LintContext) -> dict[str, tuple[str, int]]:
    """Each prerelease dependency -> where the package first refers to it."""
    out: dict[str, tuple[str, int]] = {}
    for path in sorted(ctx.index.trees):
        other = ctx.for_tree(path, ctx.index.trees[path])
        for _use, ver, dep, package in _prerelease_refs(other):
            out.setdefault(f"{package.qualified} {dep}", (path, ver.start_byte))
    return out


def check(ctx: LintContext) -> Iterator[Finding]:
    first = ctx.index.memo(_FIRST, lambda: _first(ctx))
    for _use, ver, dep, package in _prerelease_refs(ctx):
        if first.get(f"{package.qualified} {dep}") != (ctx.path, ver.start_byte):
            continue  # reported once per package, at its first reference
        yield Finding(
            ver.start_byte, ver.end_byte,
            f"released package `{package.qualified}` depends on prerelease `{dep}`; hosts "
            "link prereleases only by exact version",
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
        "package whose own version has no prerelease tag, once per package and dependency "
        "(at its first reference)."
    ),
    why=(
        "Semver-aware linkers give prereleases no compatible aliases, so every consumer must "
        "provide exactly that prerelease; a stable release should not promise that."
    ),
    bad="package acme:app@1.0.0;\n\nworld app {\n"
        "    import wasi:http/types@0.3.0-rc-2025-09-16;\n}\n",
    good="package acme:app@1.0.0;\n\nworld app {\n    import wasi:http/types@0.3.0;\n}\n\n"
         "package wasi:http@0.3.0 {\n    interface types {}\n}\n",
    fix_doc="No automatic fix: pick a released version, or make this package a prerelease.",
)
