"""since-missing: items of a versioned package without `@since` or `@unstable`."""

from __future__ import annotations

from collections.abc import Iterator

from wit_ls.lint.context import TYPE_DEFINITIONS, LintContext
from wit_ls.lint.rule import Finding, Fix, FixEdit, Rule

_TOP = ("interface_item", "world_item", *sorted(TYPE_DEFINITIONS))
_ALL = (*_TOP, "func_item", "method_item", "constructor_item", "use_item", "import_item",
        "export_item", "include_item")


def check(ctx: LintContext) -> Iterator[Finding]:
    scope = ctx.option("since-missing", "scope", "all")
    kinds = _ALL if scope == "all" else _TOP
    index = ctx.tree.line_index
    for item in ctx.nodes(*kinds):
        package = ctx.package_of(item)
        if package is None or package.version is None:
            continue
        if ctx.gate(item, "since") is not None or ctx.gate(item, "unstable") is not None:
            continue
        anchor = item.child_by_field_name("name")
        if anchor is None:
            anchor = next((c for c in item.children if not c.is_named), item)
        line_start = index.line_start(index.line_of(item.start_byte))
        indent = ctx.source[line_start : item.start_byte]
        if indent.strip():
            indent = b""
        yield Finding(
            anchor.start_byte, anchor.end_byte,
            f"missing `@since` (or `@unstable`) in versioned package `{package.qualified}`",
            Fix(f"Add `@since(version = {package.version})`",
                (FixEdit(item.start_byte, item.start_byte,
                      f"@since(version = {package.version})\n{indent.decode()}"),), "unsafe"),
        )


RULE = Rule(
    check=check,
    name="since-missing",
    code="WIT402",
    category="versioning",
    default_level="off",
    strict_level="warn",
    fix="unsafe",
    options={"scope": "all"},
    option_choices={"scope": ("all", "top-level")},
    summary="An item of a versioned package without `@since` or `@unstable` (WASI rule)",
    what=(
        "In a package with a version, reports items with neither `@since` nor `@unstable`. "
        "Option `scope = \"top-level\"` checks interfaces, worlds and types only (what WASI's "
        "CI checks); `\"all\"` (the default) also functions, methods, constructors, `use`, "
        "`include` and world imports and exports (what WASI does in practice)."
    ),
    why=(
        "Gates let bindings generators and hosts target an older release of a package; an "
        "ungated item silently claims it has always existed. An error in the `wasi` preset."
    ),
    bad="package wasi:clocks@0.3.0;\n\ninterface monotonic-clock {\n    now: func() -> u64;\n}\n",
    good="package wasi:clocks@0.3.0;\n\n@since(version = 0.3.0)\ninterface monotonic-clock {\n"
         "    @since(version = 0.3.0)\n    now: func() -> u64;\n}\n",
    fix_doc=(
        "Unsafe: inserts `@since(version = <package version>)`, which claims the item first "
        "appeared in the current version."
    ),
)
