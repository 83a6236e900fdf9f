"""deprecated-usage: references to items marked `@deprecated`."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from wit_ls.lint.context import LintContext, Resolved, ident
from wit_ls.lint.rule import Finding, Rule


def _deprecated(ctx: LintContext, found: Resolved | None) -> str | None:
    if found is None:
        return None
    gate = ctx.for_tree(found.path, found.tree).gate(found.node, "deprecated")
    return gate.value if gate is not None else None


def _message(name: str, version: str) -> str:
    return (f"`{name}` is deprecated (since {version}); see its documentation for the "
            "replacement")


def check(ctx: LintContext) -> Iterator[Finding]:
    for node in ctx.nodes("named_type", "handle_type"):
        field = "resource" if node.type == "handle_type" else "name"
        name = node.child_by_field_name(field)
        if name is None:
            continue
        if node.parent is not None and node.parent.type == "type_alias":
            continue  # `type new-name = old-name;`: the replacement alias, added on purpose
        found = ctx.resolve_ident(name)
        version = _deprecated(ctx, found)
        if version is not None and not _inside(ctx, node, found):
            yield Finding(name.start_byte, name.end_byte,
                          _message(ident(ctx.text(name)), version), tags=("deprecated",))
    for use in ctx.nodes("use_item"):
        path = use.child_by_field_name("path")
        names = use.child_by_field_name("names")
        if path is None or names is None or path.child_by_field_name("namespace") is not None:
            continue
        target = path.child_by_field_name("name")
        if target is None:
            continue
        iface = ctx.resolve_ident(target)
        if iface is None or iface.node.type != "interface_item":
            continue
        for use_name in names.named_children:
            original = use_name.child_by_field_name("name")
            if original is None:
                continue
            found = ctx.resolve_ident(original)
            version = _deprecated(ctx, found)
            if version is not None:
                yield Finding(original.start_byte, original.end_byte,
                              _message(ident(ctx.text(original)), version),
                              tags=("deprecated",))
    for item in ctx.nodes("import_item", "export_item", "include_item"):
        path = item.child_by_field_name("path")
        if path is None or path.child_by_field_name("namespace") is not None:
            continue
        target = path.child_by_field_name("name")
        if target is None:
            continue
        entry = ctx.resolve_ident(target)
        wanted = "world_item" if item.type == "include_item" else "interface_item"
        if entry is None or entry.node.type != wanted:
            continue
        version = _deprecated(ctx, entry)
        if version is not None:
            yield Finding(target.start_byte, target.end_byte,
                          _message(ident(ctx.text(target)), version), tags=("deprecated",))


def _inside(ctx: LintContext, node: Node, found: Resolved | None) -> bool:
    """A reference inside the deprecated item itself (a method of a deprecated resource)."""
    if found is None or found.path != ctx.path:
        return False
    return found.node.start_byte <= node.start_byte < found.node.end_byte


RULE = Rule(
    check=check,
    name="deprecated-usage",
    code="WIT104",
    category="correctness",
    default_level="warn",
    fix="none",
    tags=("deprecated",),
    summary="A reference to a type, interface or world marked `@deprecated`",
    what=(
        "Reports type references, `use` names, world imports/exports and `include`s that point "
        "at an item carrying `@deprecated(version = ..)`. An alias that renames the deprecated "
        "item (`type field-name = field-key;`, the way WASI introduces a replacement) is not "
        "a use. Names are resolved by the model, as `wit-ls check` resolves them (into `deps/` "
        "too)."
    ),
    why=(
        "Deprecated items are removed in the next major version (WIT.md); new uses make that "
        "upgrade harder."
    ),
    bad="package a:b@1.1.0;\n\ninterface i {\n    @since(version = 1.0.0)\n"
        "    @deprecated(version = 1.1.0)\n    type old-id = u32;\n    @since(version = 1.0.0)\n"
        "    lookup: func(id: old-id);\n}\n",
    good="package a:b@1.1.0;\n\ninterface i {\n    @since(version = 1.1.0)\n    type id = u64;\n"
         "    @since(version = 1.1.0)\n    lookup: func(id: id);\n}\n",
    fix_doc="No automatic fix: the replacement is named in the deprecated item's docs.",
)
