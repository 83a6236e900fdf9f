"""semver-duplicate-dependency: one package referenced at two versions of a semver track."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from wit_ls.lint.context import LintContext, MemoKey, ident, version_key, version_track
from wit_ls.lint.rule import Finding, Fix, FixEdit, Rule
from wit_ls.syntax.semver import Version

_DEP_VERSIONS: MemoKey[dict[tuple[str, str], dict[str, str]]] = MemoKey("dep_versions")


def _versions(ctx: LintContext) -> dict[tuple[str, str], dict[str, str]]:
    """(namespace:package, track) -> {version: ...} across the whole package."""
    return ctx.index.memo(_DEP_VERSIONS, lambda: _compute_versions(ctx))


def _compute_versions(ctx: LintContext) -> dict[tuple[str, str], dict[str, str]]:
    out: dict[tuple[str, str], dict[str, str]] = {}
    for path, tree in ctx.index.trees.items():
        other = ctx.for_tree(path, tree)
        for use_path in other.nodes_holding("use_path", "version"):
            info = _dep(other, use_path)
            if info is not None:
                out.setdefault((info[0], info[1]), {})[info[2]] = path
    return out


def _dep(ctx: LintContext, use_path: Node) -> tuple[str, str, str, Node] | None:
    ns = use_path.child_by_field_name("namespace")
    pkg = use_path.child_by_field_name("package")
    ver = use_path.child_by_field_name("version")
    if ns is None or pkg is None or ver is None:
        return None
    version = ctx.text(ver)
    track = version_track(version)
    if track is None:
        return None
    return f"{ident(ctx.text(ns))}:{ident(ctx.text(pkg))}", track, version, ver


def _order(version: Version | None) -> tuple[object, ...]:
    return version.sort_key() if version is not None else ()


def check(ctx: LintContext) -> Iterator[Finding]:
    versions = _versions(ctx)
    for use_path in ctx.nodes_holding("use_path", "version"):
        info = _dep(ctx, use_path)
        if info is None:
            continue
        name, track, version, node = info
        seen = versions.get((name, track), {})
        if len(seen) < 2:
            continue
        highest = max(seen, key=lambda v: _order(version_key(v)))
        if version == highest:
            continue
        fix = None
        if not _named_at(ctx, use_path, highest):
            fix = Fix(f"Use {highest}", (FixEdit(node.start_byte, node.end_byte, highest),),
                      "unsafe")
        yield Finding(
            node.start_byte, node.end_byte,
            f"`{name}` is used at {version} here and at {highest} elsewhere in this package; "
            f"use one version per semver track (components link only one)",
            fix,
        )


def _named_at(ctx: LintContext, use_path: Node, version: str) -> bool:
    """Whether the world of an `import`/`export` of ``use_path`` already imports (or exports,
    as the item does) the same interface at ``version``: the fix would name it twice, which
    wit-parser rejects."""
    item = use_path.parent
    body = item.parent if item is not None else None
    if item is None or body is None or body.type != "world_body":
        return False
    target = _interface(ctx, use_path)
    for other in body.named_children:
        path = other.child_by_field_name("path") if other.type == item.type else None
        if path is None or path.type != "use_path" or path == use_path:
            continue
        ver = path.child_by_field_name("version")
        if ver is not None and ctx.text(ver) == version and _interface(ctx, path) == target:
            return True
    return False


def _interface(ctx: LintContext, use_path: Node) -> tuple[str, ...]:
    return tuple(ident(ctx.text(n)) if n is not None else ""
                 for n in (use_path.child_by_field_name(f)
                           for f in ("namespace", "package", "name")))


RULE = Rule(
    check=check,
    name="semver-duplicate-dependency",
    code="WIT404",
    category="versioning",
    default_level="warn",
    fix="unsafe",
    summary="The same dependency used at two versions of one semver track",
    what=(
        "Reports a versioned reference (`use`, `import`, `export`, `include`) to a package "
        "that the same package also references at another version of the same track "
        "(`0.2.0` and `0.2.3`; the track of `1.2.3` is `1`, of `0.2.6` is `0.2`)."
    ),
    why=(
        "wit-parser merges world imports of one track to the highest version, and hosts link "
        "one version per track, so the lower reference is misleading and may need items that "
        "differ. WASI pins one version across a package."
    ),
    bad="package a:b;\n\nworld w {\n    import wasi:io/streams@0.2.0;\n"
        "    import wasi:io/poll@0.2.3;\n}\n"
        "",
    good="package a:b;\n\nworld w {\n    import wasi:io/streams@0.2.3;\n"
         "    import wasi:io/poll@0.2.3;\n}\n\n"
         "package wasi:io@0.2.3 {\n    interface streams {}\n    interface poll {}\n}\n",
    fix_doc=(
        "Unsafe: rewrites the lower version to the highest one seen in the package (versions "
        "ordered by semver, `1.0.0-rc.10` after `1.0.0-rc.9`). It changes which version a "
        "component imports, so hosts that provide only the lower version no longer link it. "
        "No fix for a world that imports (or exports) the interface at both versions: it "
        "would name it twice."
    ),
)
