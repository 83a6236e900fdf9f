"""since-before-reference: an item whose `@since` is older than that of an item it uses."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from wit_ls.lint.context import GATEABLE, LintContext, Resolved, ident, version_key
from wit_ls.lint.rule import Finding, Rule
from wit_ls.syntax.semver import Version


def _since(ctx: LintContext, node: Node) -> tuple[str, Node] | None:
    """The `@since` version that applies at ``node`` (of ``ctx``'s file): its own, else its
    nearest gated container's."""
    current: Node | None = node
    while current is not None:
        if current.type in GATEABLE:
            gate = ctx.gate(current, "since")
            if gate is not None and gate.key == "version":
                return gate.value, current
        current = current.parent
    return None


def _target(ctx: LintContext, node: Node) -> tuple[Resolved, str] | None:
    if node.type == "use_name":
        use = node.parent.parent if node.parent is not None else None
        path = use.child_by_field_name("path") if use is not None else None
        original = node.child_by_field_name("name")
        if path is None or original is None or path.child_by_field_name("namespace"):
            return None
        target = path.child_by_field_name("name")
        iface = ctx.resolve_ident(target) if target is not None else None
        if iface is None or iface.node.type != "interface_item":
            return None
        found = ctx.resolve_ident(original)
        return (found, ident(ctx.text(original))) if found is not None else None
    field = "resource" if node.type == "handle_type" else "name"
    name = node.child_by_field_name(field)
    if name is None:
        return None
    found = ctx.resolve_ident(name)
    return (found, ident(ctx.text(name))) if found is not None else None


def _order(version: Version | None) -> tuple[object, ...]:
    return version.sort_key() if version is not None else ()


def check(ctx: LintContext) -> Iterator[Finding]:
    for node in ctx.nodes("named_type", "handle_type", "use_name"):
        mine = _since(ctx, node)
        if mine is None:
            continue
        found = _target(ctx, node)
        if found is None or found[0].path not in ctx.index.trees:
            continue  # another package versions its items on its own scale
        resolved, name = found
        theirs = _since(ctx.for_tree(resolved.path, resolved.tree), resolved.node)
        if theirs is not None and resolved.node.type == "type_alias":
            # A newer alias of an older type (WASI's `type field-name = field-key`, a rename):
            # the type itself is as old as what it aliases.
            aliased = ctx.for_tree(resolved.path, resolved.tree).follow_aliases(resolved)
            if aliased is not None and aliased is not resolved:
                older_gate = _since(ctx.for_tree(aliased.path, aliased.tree), aliased.node)
                if older_gate is not None and aliased.path in ctx.index.trees:
                    theirs = min(theirs, older_gate,
                                 key=lambda g: _order(version_key(g[0])))
        if theirs is None:
            continue
        older, newer = version_key(mine[0]), version_key(theirs[0])
        if older is None or newer is None or not older < newer:
            continue
        yield Finding(node.start_byte, node.end_byte,
                      f"`@since(version = {mine[0]})` here, but `{name}` is only available "
                      f"`@since(version = {theirs[0]})`; the item cannot exist before what it "
                      "uses")


RULE = Rule(
    check=check,
    name="since-before-reference",
    code="WIT407",
    category="versioning",
    default_level="warn",
    fix="none",
    summary="An item whose `@since` is older than the `@since` of a type it uses",
    what=(
        "Reports a type reference, `use` or handle inside an item gated `@since(version = A)` "
        "(its own gate or its nearest gated container's) that points at an item of the same "
        "package gated `@since(version = B)` with B newer than A (semver order). A newer "
        "alias of an older type (a rename, `type field-name = field-key`) counts as old as "
        "the type it aliases."
    ),
    why=(
        "A consumer of version A sees the item but not the type it needs: bindings generated "
        "for A fail, and the gates no longer tell the true history of the package."
    ),
    bad="package a:b@0.2.1;\n\n@since(version = 0.2.0)\ninterface i {\n"
        "    @since(version = 0.2.1)\n    type id = u64;\n"
        "    @since(version = 0.2.0)\n    lookup: func(key: id);\n}\n",
    good="package a:b@0.2.1;\n\n@since(version = 0.2.0)\ninterface i {\n"
         "    @since(version = 0.2.1)\n    type id = u64;\n"
         "    @since(version = 0.2.1)\n    lookup: func(key: id);\n}\n",
    fix_doc="No automatic fix: raise the item's `@since`, or gate the type earlier.",
)
