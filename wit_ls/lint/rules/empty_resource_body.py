"""empty-resource-body: `resource r {}` where `resource r;` says the same."""

from __future__ import annotations

from collections.abc import Iterator

from wit_ls.lint.context import LintContext
from wit_ls.lint.rule import Finding, Fix, FixEdit, Rule


def check(ctx: LintContext) -> Iterator[Finding]:
    for node in ctx.nodes("resource_item"):
        body = node.child_by_field_name("body")
        name = node.child_by_field_name("name")
        if body is None or name is None or body.has_error:
            continue
        if any(c.type not in ("{", "}") for c in body.children):
            continue  # members or comments inside
        yield Finding(
            body.start_byte, body.end_byte,
            f"resource `{ctx.text(name)}` has an empty body; write `resource "
            f"{ctx.text(name)};`",
            Fix("Replace `{}` with `;`", (FixEdit(name.end_byte, body.end_byte, ";"),), "safe"),
            tags=("unnecessary",),
        )


RULE = Rule(
    check=check,
    name="empty-resource-body",
    code="WIT206",
    category="style",
    default_level="hint",
    fix="safe",
    tags=("unnecessary",),
    summary="`resource r {}` with an empty body",
    what="Reports a resource declared with an empty `{}` body.",
    why="`resource r;` is the idiomatic spelling of a resource without members.",
    bad="package a:b;\n\ninterface i {\n    resource handle {}\n}\n",
    good="package a:b;\n\ninterface i {\n    resource handle;\n}\n",
    fix_doc="Safe: `{}` becomes `;`; the package is the same.",
)
