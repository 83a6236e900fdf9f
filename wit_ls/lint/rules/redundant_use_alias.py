"""redundant-use-alias: `use i.{x as x}`."""

from __future__ import annotations

from collections.abc import Iterator

from wit_ls.lint.context import LintContext, ident
from wit_ls.lint.rule import Finding, Fix, FixEdit, Rule


def check(ctx: LintContext) -> Iterator[Finding]:
    for node in ctx.nodes("use_name", "include_name", "toplevel_use"):
        if node.type == "toplevel_use":
            path = node.child_by_field_name("path")
            original = path.child_by_field_name("name") if path is not None else None
        else:
            original = node.child_by_field_name("name")
        alias = node.child_by_field_name("alias")
        if original is None or alias is None:
            continue
        if ident(ctx.text(original)) != ident(ctx.text(alias)):
            continue
        start = original.end_byte
        if node.type == "toplevel_use" and path is not None:
            start = path.end_byte
        if node.type == "include_name":
            yield Finding(alias.start_byte, alias.end_byte,
                          f"`{ctx.text(original)} as {ctx.text(alias)}` renames to the same "
                          "name; remove the entry", tags=("unnecessary",))
            continue
        yield Finding(
            alias.start_byte, alias.end_byte,
            f"`as {ctx.text(alias)}` renames `{ident(ctx.text(original))}` to itself",
            Fix("Remove the alias", (FixEdit(start, alias.end_byte, ""),), "safe"),
            tags=("unnecessary",),
        )


RULE = Rule(
    check=check,
    name="redundant-use-alias",
    code="WIT205",
    category="style",
    default_level="warn",
    fix="safe",
    tags=("unnecessary",),
    summary="An `as` rename to the same name",
    what="Reports `use i.{x as x}`, `use a:b/c as c;` and `include w with { x as x }`.",
    why="The rename does nothing and makes the reader look for a difference.",
    bad="package a:b;\n\ninterface t { type x = u32; }\n\ninterface i {\n"
        "    use t.{x as x};\n    f: func() -> x;\n}\n",
    good="package a:b;\n\ninterface t { type x = u32; }\n\ninterface i {\n"
         "    use t.{x};\n    f: func() -> x;\n}\n",
    fix_doc="Safe: removes ` as x` from `use` (no fix for `include ... with`).",
)
