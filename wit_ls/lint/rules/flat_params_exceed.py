"""flat-params-exceed: signatures whose canonical-ABI flattening goes through memory."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from wit_ls.lint.context import LintContext, ident
from wit_ls.lint.rule import Finding, Rule
from wit_ls.lint.rules._util import type_args
from wit_ls.syntax.vocabulary import COMMENT_NODES, PRIMITIVE_TYPES

MAX_FLAT_PARAMS = 16
MAX_FLAT_RESULTS = 1
# Primitive types that flatten to one core value (a string is a pointer and a length).
_ONE = PRIMITIVE_TYPES - {"string"}


def flat_count(ctx: LintContext, node: Node | None, depth: int = 0) -> int | None:
    """Number of flattened core values of a type (canonical ABI ``flatten_type``), or None
    when part of it cannot be resolved."""
    if node is None or depth > 32:
        return None
    kind = node.type
    if kind == "primitive_type":
        text = ctx.text(node)
        return 2 if text == "string" else 1 if text in _ONE else None
    if kind == "list_type":
        size = node.child_by_field_name("size")
        if size is None:
            return 2
        inner = flat_count(ctx, node.child_by_field_name("element"), depth + 1)
        return None if inner is None else inner * int(ctx.text(size))
    if kind == "map_type":
        return 2
    if kind in ("handle_type", "future_type", "stream_type"):
        return 1
    if kind == "tuple_type":
        return _sum(ctx, type_args(node), depth)
    if kind == "option_type":
        inner = flat_count(ctx, node.child_by_field_name("element"), depth + 1)
        return None if inner is None else 1 + inner
    if kind == "result_type":
        cases = [c for c in (node.child_by_field_name("ok"), node.child_by_field_name("err"))
                 if c is not None]
        counts = [flat_count(ctx, c, depth + 1) for c in cases]
        if any(c is None for c in counts):
            return None
        return 1 + max([0, *[c for c in counts if c is not None]])
    if kind == "named_type":
        found = ctx.resolve(node)
        if found is None:
            return None
        sub = ctx.for_tree(found.path, found.tree)
        return _definition_count(sub, found.node, depth + 1)
    return None


def _sum(ctx: LintContext, nodes: list[Node], depth: int) -> int | None:
    total = 0
    for n in nodes:
        c = flat_count(ctx, n, depth + 1)
        if c is None:
            return None
        total += c
    return total


def _definition_count(ctx: LintContext, node: Node, depth: int) -> int | None:
    kind = node.type
    if kind == "type_alias":
        return flat_count(ctx, node.child_by_field_name("type"), depth)
    if kind == "resource_item":
        return 1
    body = node.child_by_field_name("body")
    if body is None:
        return None
    members = [m for m in body.named_children if m.type not in COMMENT_NODES]
    if kind == "record_item":
        return _sum(ctx, [t for m in members if (t := m.child_by_field_name("type"))], depth)
    if kind == "enum_item":
        return 1
    if kind == "flags_item":
        return (len(members) + 31) // 32
    if kind == "variant_item":
        best = 0
        for m in members:
            t = m.child_by_field_name("type")
            if t is None:
                continue
            c = flat_count(ctx, t, depth + 1)
            if c is None:
                return None
            best = max(best, c)
        return 1 + best
    return None


def check(ctx: LintContext) -> Iterator[Finding]:
    check_results = bool(ctx.option("flat-params-exceed", "results", True))
    for item in ctx.functions():
        sig, params, result = ctx.signature(item)
        if params is None:
            continue
        is_async = sig is not None and sig.child_by_field_name("async") is not None
        plist = ctx.params(params)
        count = _sum(ctx, [t for p in plist if (t := p.child_by_field_name("type"))], 0)
        if count is not None and item.type == "method_item" \
                and item.child_by_field_name("static") is None:
            count += 1  # `self`
        if count is not None and count > MAX_FLAT_PARAMS:
            yield Finding(params.start_byte, params.end_byte,
                          f"parameters flatten to {count} core values (more than "
                          f"{MAX_FLAT_PARAMS}), so every call stores them in linear memory "
                          "first; pass a record or fewer values")
        if not check_results or result is None or is_async or item.type == "constructor_item":
            continue
        rcount = flat_count(ctx, result)
        if rcount is not None and rcount > MAX_FLAT_RESULTS:
            what = ident(ctx.text(result))
            yield Finding(result.start_byte, result.end_byte,
                          f"result `{what}` flattens to {rcount} core values (more than "
                          f"{MAX_FLAT_RESULTS}), so it is returned through linear memory")


RULE = Rule(
    check=check,
    name="flat-params-exceed",
    code="WIT603",
    category="performance",
    default_level="off",
    strict_level="hint",
    fix="none",
    options={"results": True},
    summary="Parameters or results that the canonical ABI passes through memory",
    what=(
        "Computes the canonical ABI flattening of each function signature and reports "
        "parameters that flatten to more than 16 core values (`MAX_FLAT_PARAMS`; `self` "
        "counts for methods) and results that flatten to more than 1 (`MAX_FLAT_RESULTS`; "
        "option `results = false` turns that part off). Types that cannot be resolved "
        "(from `deps/` without the semantic model) are skipped."
    ),
    why=(
        "Beyond those limits the caller writes the values to linear memory and the callee "
        "reads them back. It is rarely a problem (strings and lists always have two values), "
        "so this is a hint for hot paths, off by default."
    ),
    bad="package a:b;\n\ninterface m {\n    record mat { a: tuple<f64, f64, f64, f64>, "
        "b: tuple<f64, f64, f64, f64> }\n"
        "    mul: func(x: mat, y: mat, z: f64) -> u32;\n}\n",
    good="package a:b;\n\ninterface m {\n    resource mat;\n"
         "    mul: func(x: borrow<mat>, y: borrow<mat>, z: f64) -> u32;\n}\n",
    fix_doc="No automatic fix.",
)
