"""Helpers shared by rules (not a rule)."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from wit_ls.lint.context import LintContext, Resolved, ident

TYPE_NODES = frozenset({
    "primitive_type", "tuple_type", "list_type", "map_type", "option_type", "result_type",
    "future_type", "stream_type", "handle_type", "named_type",
})


def type_args(node: Node) -> list[Node]:
    """The direct type arguments of a type node (elements, ok/err, key/value)."""
    return [c for c in node.named_children if c.type in TYPE_NODES]


def walk_types(node: Node) -> Iterator[Node]:
    """``node`` and every type nested in it (syntactically, no resolution)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in TYPE_NODES:
            yield current
        stack.extend(reversed([c for c in current.named_children if c.type in TYPE_NODES]))


def resolved_primitive(ctx: LintContext, node: Node | None) -> str | None:
    """The primitive a type is (through local aliases), or None."""
    if node is None:
        return None
    if node.type == "primitive_type":
        return ctx.text(node)
    if node.type == "named_type":
        found = ctx.resolve(node)
        if found is not None and found.node.type == "type_alias":
            target = found.node.child_by_field_name("type")
            if target is not None and target.type == "primitive_type":
                return found.text(target)
    return None


def contains(ctx: LintContext, node: Node, predicate: object, depth: int = 0,
             seen: set[tuple[str, int]] | None = None) -> Node | None:
    """The first type under ``node`` (following local definitions) for which
    ``predicate(ctx, type_node)`` holds, or None."""
    assert callable(predicate)
    seen = seen if seen is not None else set()
    if depth > 24:
        return None
    for t in walk_types(node):
        if predicate(ctx, t):
            return t
        if t.type == "named_type":
            found = ctx.resolve(t)
            if found is None:
                continue
            key = (found.path, found.node.start_byte)
            if key in seen:
                continue
            seen.add(key)
            sub = ctx.for_tree(found.path, found.tree)
            for inner in definition_types(found):
                if contains(sub, inner, predicate, depth + 1, seen) is not None:
                    return t
    return None


def definition_types(found: Resolved) -> list[Node]:
    """The type nodes a definition is made of (alias target, fields, case payloads)."""
    node = found.node
    if node.type == "type_alias":
        t = node.child_by_field_name("type")
        return [t] if t is not None else []
    body = node.child_by_field_name("body")
    if body is None or node.type == "resource_item":
        return []
    out: list[Node] = []
    for member in body.named_children:
        t = member.child_by_field_name("type")
        if t is not None:
            out.append(t)
    return out


def words(name: str) -> list[str]:
    return [w for w in ident(name).split("-") if w]
