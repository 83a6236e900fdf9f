"""unused-type: a type that nothing in the package refers to."""

from __future__ import annotations

from collections.abc import Iterator

from wit_ls.lint.context import TYPE_DEFINITIONS, LintContext, ident
from wit_ls.lint.rule import Finding, Rule


def check(ctx: LintContext) -> Iterator[Finding]:
    for item in ctx.nodes(*sorted(TYPE_DEFINITIONS)):
        if item.type == "resource_item":
            continue  # resources carry behaviour (methods), not just data
        name = item.child_by_field_name("name")
        if name is None or item.parent is None or item.parent.type != "interface_body":
            continue
        text = ident(ctx.text(name))
        if not ctx.index.referenced(ctx.path, name):
            yield Finding(name.start_byte, name.end_byte,
                          f"type `{text}` is not used by any function, type or `use` in this "
                          "package", tags=("unnecessary",))


RULE = Rule(
    check=check,
    name="unused-type",
    code="WIT208",
    category="style",
    default_level="off",
    strict_level="info",
    fix="none",
    summary="A type defined in an interface that nothing in the package refers to",
    what=(
        "Reports a record, variant, enum, flags or alias that no function, type, `use` or world "
        "of the package refers to (the references `wit-ls check` resolves)."
    ),
    why=(
        "Dead types are still exported, still appear in bindings and still need to stay "
        "compatible. Off by default: defining types for other packages is legitimate."
    ),
    bad="package a:b;\n\ninterface i {\n    record legacy-opts { a: u32 }\n    run: func();\n}\n",
    good="package a:b;\n\ninterface i {\n    run: func();\n}\n",
    fix_doc="No automatic fix: delete the type or use it.",
)
