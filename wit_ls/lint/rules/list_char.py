"""list-char: `list<char>` where `string` is meant."""

from __future__ import annotations

from collections.abc import Iterator

from wit_ls.lint.context import LintContext
from wit_ls.lint.rule import Finding, Fix, FixEdit, Rule


def check(ctx: LintContext) -> Iterator[Finding]:
    for node in ctx.nodes("list_type"):
        element = node.child_by_field_name("element")
        if node.child_by_field_name("size") is not None or element is None:
            continue
        if element.type != "primitive_type" or ctx.text(element) != "char":
            continue
        yield Finding(node.start_byte, node.end_byte,
                      "`list<char>` costs 4 bytes per character plus validation of each; use "
                      "`string`",
                      Fix("Replace with `string`", (FixEdit(node.start_byte, node.end_byte,
                                                         "string"),), "unsafe"))


RULE = Rule(
    check=check,
    name="list-char",
    code="WIT601",
    category="performance",
    default_level="warn",
    fix="unsafe",
    summary="`list<char>` instead of `string`",
    what="Reports `list<char>`.",
    why=(
        "In the canonical ABI a `char` is a 32-bit Unicode scalar value checked one by one, "
        "while a `string` is copied as UTF-8 (or the language's native encoding) in bulk."
    ),
    bad="package a:b;\n\ninterface i {\n    set-name: func(n: list<char>);\n}\n",
    good="package a:b;\n\ninterface i {\n    set-name: func(n: string);\n}\n",
    fix_doc="Unsafe: `string` is a different type for bindings and for compatibility.",
)
