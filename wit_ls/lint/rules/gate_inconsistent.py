"""gate-inconsistent: feature gates that break WIT.md's rules for gate usage."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from wit_ls.lint.context import GATEABLE, LintContext, version_key
from wit_ls.lint.rule import Finding, Fix, FixEdit, Rule


def _since(ctx: LintContext, item: Node) -> tuple[str, Node] | None:
    gate = ctx.gate(item, "since")
    if gate is None or gate.key != "version":
        return None
    return gate.value, gate.node


def _container(item: Node) -> Node | None:
    parent = item.parent
    while parent is not None:
        if parent.type in GATEABLE:
            return parent
        parent = parent.parent
    return None


def _path_extern(item: Node) -> bool:
    """`import a:b/c;` / `export i;`: WASI leaves these ungated inside gated worlds."""
    return item.type in ("import_item", "export_item") \
        and item.child_by_field_name("name") is None


def check(ctx: LintContext) -> Iterator[Finding]:
    members = bool(ctx.option("gate-inconsistent", "resource-members", False))
    for item in ctx.nodes(*sorted(GATEABLE)):
        own = _since(ctx, item)
        unstable = ctx.gate(item, "unstable")
        container = _container(item)
        if container is not None:
            outer = _since(ctx, container)
            if outer is not None and own is None and unstable is None \
                    and item.type not in ("use_item", "include_item") \
                    and not _path_extern(item) \
                    and (members or item.type not in ("method_item", "constructor_item")):
                name = item.child_by_field_name("name")
                anchor = name or item
                indent = b" " * (item.start_byte - ctx.tree.line_index.line_start(
                    ctx.tree.line_index.line_of(item.start_byte)))
                yield Finding(
                    anchor.start_byte, anchor.end_byte,
                    f"item has no gate inside a container gated `@since(version = {outer[0]})`; "
                    "give it a gate at least as new as its container",
                    Fix(f"Add `@since(version = {outer[0]})`",
                        (FixEdit(item.start_byte, item.start_byte,
                              f"@since(version = {outer[0]})\n" + indent.decode()),),
                        "unsafe"),
                )
            elif outer is not None and own is not None:
                mine, outer_key = version_key(own[0]), version_key(outer[0])
                if mine is not None and outer_key is not None and mine < outer_key:
                    yield Finding(
                        own[1].start_byte, own[1].end_byte,
                        f"`@since(version = {own[0]})` is older than its container's "
                        f"`@since(version = {outer[0]})`; an item cannot exist before its "
                        "container",
                        Fix(f"Raise to `{outer[0]}`",
                            (FixEdit(own[1].start_byte, own[1].end_byte,
                                  f"@since(version = {outer[0]})"),), "unsafe"),
                    )
        deprecated = ctx.gate(item, "deprecated")
        if deprecated is not None and deprecated.key == "version":
            dep = version_key(deprecated.value)
            if own is not None:
                since = version_key(own[0])
                if dep is not None and since is not None and dep < since:
                    yield Finding(
                        deprecated.node.start_byte, deprecated.node.end_byte,
                        f"deprecated in {deprecated.value}, before it was introduced in "
                        f"{own[0]}",
                    )
            package = ctx.package_of(item)
            pkg_version = version_key(package.version) if package and package.version else None
            if dep is not None and pkg_version is not None and dep > pkg_version:
                yield Finding(
                    deprecated.node.start_byte, deprecated.node.end_byte,
                    f"deprecated in {deprecated.value}, a version newer than the package "
                    f"version {package.version if package else ''}",
                )


RULE = Rule(
    check=check,
    name="gate-inconsistent",
    code="WIT102",
    category="correctness",
    default_level="warn",
    fix="unsafe",
    options={"resource-members": False},
    summary="Feature gates that WIT.md's gate rules forbid but wit-parser does not check",
    what=(
        "Reports an item without `@since`/`@unstable` inside a container gated with `@since` "
        "(`use`, `include` and world imports/exports of interfaces by path are exempt: WASI "
        "leaves them ungated; so are methods and constructors of a gated resource unless option "
        "`resource-members = true`, as WASI 0.3 leaves those ungated too), "
        "an item whose `@since` is older than its container's, and a `@deprecated` version "
        "older than the item's `@since` or newer than the package version."
    ),
    why=(
        "WIT.md says these are errors, but wasm-tools 1.262 accepts them, so tools that select "
        "items by version (bindings for an older target, `wasm-tools component wit "
        "--features`) see an API that never existed."
    ),
    bad="package a:b@1.2.0;\n\n@since(version = 1.1.0)\ninterface i {\n    f: func();\n"
        "    @since(version = 1.0.0)\n    g: func();\n}\n",
    good="package a:b@1.2.0;\n\n@since(version = 1.1.0)\ninterface i {\n"
         "    @since(version = 1.1.0)\n    f: func();\n    @since(version = 1.1.0)\n"
         "    g: func();\n}\n",
    fix_doc=(
        "Unsafe: adds or raises `@since` to the container's version. This claims a history, "
        "so check it against your releases."
    ),
)
