"""missing-member-docs: record fields, cases and flags without documentation."""

from __future__ import annotations

from collections.abc import Iterator

from wit_ls.lint.context import LintContext
from wit_ls.lint.rule import Finding, Rule

_MEMBERS = {"record_field": "field", "variant_case": "case", "enum_case": "case",
            "flag": "flag"}


def check(ctx: LintContext) -> Iterator[Finding]:
    for member in ctx.nodes(*_MEMBERS):
        if ctx.has_docs(member):
            continue
        name = member.child_by_field_name("name")
        if name is None:
            continue
        yield Finding(name.start_byte, name.end_byte,
                      f"{_MEMBERS[member.type]} `{ctx.text(name)}` has no documentation")


RULE = Rule(
    check=check,
    name="missing-member-docs",
    code="WIT302",
    category="docs",
    default_level="off",
    strict_level="info",
    fix="none",
    summary="A record field, variant or enum case, or flag without docs",
    what="Reports record fields, variant cases, enum cases and flags with no doc comment.",
    why="Members are where the meaning lives (units, error conditions); bindings show their docs.",
    bad="package a:b;\n\ninterface i {\n    enum family { ipv4, ipv6 }\n}\n",
    good="package a:b;\n\ninterface i {\n    enum family {\n        /// `AF_INET`.\n        ipv4,\n"
         "        /// `AF_INET6`.\n        ipv6,\n    }\n}\n",
    fix_doc="No automatic fix.",
)
