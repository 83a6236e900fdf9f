"""missing-docs: interfaces, worlds, types and functions without documentation."""

from __future__ import annotations

from collections.abc import Iterator

from wit_ls.lint.context import LintContext
from wit_ls.lint.rule import Finding, Rule

_ITEMS = {
    "interface_item": "interface", "world_item": "world", "func_item": "function",
    "method_item": "method", "constructor_item": "constructor", "type_alias": "type",
    "record_item": "record", "flags_item": "flags", "variant_item": "variant",
    "enum_item": "enum", "resource_item": "resource",
}


def check(ctx: LintContext) -> Iterator[Finding]:
    for item in ctx.nodes(*_ITEMS):
        if ctx.has_docs(item):
            continue
        anchor = item.child_by_field_name("name")
        if anchor is None:
            anchor = next((c for c in item.children if c.type == "constructor"), None)
        if anchor is None:
            continue
        what = _ITEMS[item.type]
        label = ctx.text(anchor)
        yield Finding(anchor.start_byte, anchor.end_byte,
                      f"{what} `{label}` has no documentation; add a `///` comment above it"
                      if what != "constructor" else
                      "constructor has no documentation; add a `///` comment above it")


RULE = Rule(
    check=check,
    name="missing-docs",
    code="WIT301",
    category="docs",
    default_level="off",
    strict_level="warn",
    fix="none",
    summary="An interface, world, type, function, method or constructor without docs",
    what=(
        "Reports an interface, world, named type, function, resource method or constructor "
        "with no doc comment before it (before its gates)."
    ),
    why=(
        "Docs flow into every generated binding; WASI documents every item. Opt-in (on in the "
        "`strict` and `wasi` presets)."
    ),
    bad="package a:b;\n\ninterface clock {\n    now: func() -> u64;\n}\n",
    good="package a:b;\n\n/// Wall-clock time.\ninterface clock {\n"
         "    /// Nanoseconds since the epoch.\n    now: func() -> u64;\n}\n",
    fix_doc="No automatic fix: only you know what to write.",
)
