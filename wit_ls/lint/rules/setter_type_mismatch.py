"""setter-type-mismatch: a setter whose value type differs from its getter's result."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from wit_ls.lint.context import LintContext
from wit_ls.lint.rule import Finding, Rule


def _norm(text: str) -> str:
    return re.sub(r"\s+|%", "", text)


def check(ctx: LintContext) -> Iterator[Finding]:
    for body_type in ("interface_body", "world_body", "resource_body"):
        for body in ctx.nodes(body_type):
            getters: dict[str, Node] = {}
            setters: list[tuple[str, Node]] = []
            for member in body.named_children:
                target = member
                if member.type in ("import_item", "export_item"):
                    target = member
                sig = target.child_by_field_name("type")
                if sig is None or sig.type != "accessor":
                    continue
                kind = sig.child_by_field_name("kind")
                name = ctx.name_of(target)
                if kind is None or name is None:
                    continue
                static = target.child_by_field_name("static") is not None
                key = ("static " if static else "") + name
                if ctx.text(kind) == "get":
                    result = sig.child_by_field_name("result")
                    if result is not None:
                        getters[key] = result
                else:
                    params = ctx.params(sig.child_by_field_name("params"))
                    if len(params) == 1:
                        ptype = params[0].child_by_field_name("type")
                        if ptype is not None:
                            setters.append((key, ptype))
            for key, ptype in setters:
                getter = getters.get(key)
                if getter is not None and _norm(ctx.text(getter)) != _norm(ctx.text(ptype)):
                    yield Finding(
                        ptype.start_byte, ptype.end_byte,
                        f"setter of `{key.removeprefix('static ')}` takes "
                        f"`{ctx.text(ptype)}` but its getter returns `{ctx.text(getter)}`",
                    )


RULE = Rule(
    check=check,
    name="setter-type-mismatch",
    code="WIT103",
    category="correctness",
    default_level="warn",
    fix="none",
    summary="A `set` accessor whose value type is not its `get` accessor's result type",
    what=(
        "Reports `x: set(v: T)` when the matching `x: get() -> U` returns a different type "
        "(compared as written, after removing whitespace and `%`)."
    ),
    why=(
        "wasm-tools 1.262 does not compare getter and setter types, but bindings generators map "
        "a getter/setter pair to one property, which needs one type."
    ),
    bad="package a:b;\n\ninterface i {\n    resource r {\n        size: get() -> u64;\n"
        "        size: set(v: u32);\n    }\n}\n",
    good="package a:b;\n\ninterface i {\n    resource r {\n        size: get() -> u64;\n"
         "        size: set(v: u64);\n    }\n}\n",
    fix_doc="No automatic fix: decide which type is right.",
)
