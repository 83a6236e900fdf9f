"""nested-option: `option<option<T>>`."""

from __future__ import annotations

from collections.abc import Iterator

from wit_ls.lint.context import LintContext
from wit_ls.lint.rule import Finding, Rule


def check(ctx: LintContext) -> Iterator[Finding]:
    for node in ctx.nodes("option_type"):
        element = node.child_by_field_name("element")
        if element is None:
            continue
        inner = element
        via = ""
        if element.type == "named_type":
            found = ctx.resolve(element)
            if found is not None and found.node.type == "type_alias":
                target = found.node.child_by_field_name("type")
                if target is not None and target.type == "option_type":
                    inner = target
                    via = f" (`{ctx.text(element)}` is an option)"
        if inner.type != "option_type":
            continue
        yield Finding(node.start_byte, node.end_byte,
                      f"nested option{via}: many languages map `option` to a nullable value, "
                      "so the two `none`s collapse; use a variant that names each case")


RULE = Rule(
    check=check,
    name="nested-option",
    code="WIT505",
    category="api-design",
    default_level="warn",
    fix="none",
    summary="`option<option<T>>`",
    what="Reports an `option` whose element is an `option` (directly or through an alias).",
    why=(
        "Bindings map `option<T>` to nullable types (`T | undefined`, `Optional[T]`); a nested "
        "option either collapses or needs an awkward wrapper, and readers cannot tell what the "
        "two `none`s mean."
    ),
    bad="package a:b;\n\ninterface kv {\n    get: func(k: string) -> option<option<string>>;\n}\n",
    good="package a:b;\n\ninterface kv {\n    variant lookup { missing, null, value(string) }\n"
         "    get: func(k: string) -> lookup;\n}\n",
    fix_doc="No automatic fix.",
)
