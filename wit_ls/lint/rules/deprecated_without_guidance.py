"""deprecated-without-guidance: `@deprecated` items whose docs name no replacement."""

from __future__ import annotations

import re
from collections.abc import Iterator

from wit_ls.lint.context import GATEABLE, LintContext
from wit_ls.lint.rule import Finding, Rule

_GUIDANCE = re.compile(r"`[^`]+`|\buse\b|\binstead\b|\bdeprecated\b|\breplac|\bremoved\b",
                       re.IGNORECASE)


def check(ctx: LintContext) -> Iterator[Finding]:
    for item in ctx.nodes(*sorted(GATEABLE)):
        gate = ctx.gate(item, "deprecated")
        if gate is None:
            continue
        if _GUIDANCE.search(ctx.docs(item)):
            continue
        yield Finding(gate.node.start_byte, gate.node.end_byte,
                      "deprecated item without guidance: say in its docs what to use instead "
                      "(for example \"Deprecated: use `x` instead.\")")


RULE = Rule(
    check=check,
    name="deprecated-without-guidance",
    code="WIT304",
    category="docs",
    default_level="warn",
    fix="none",
    summary="A `@deprecated` item whose docs do not say what to use instead",
    what=(
        "Reports an item with `@deprecated` whose docs contain no backticked name and none of "
        "the words use, instead, deprecated, replaced or removed."
    ),
    why="A deprecation is only actionable when users learn what replaces the item.",
    bad="package a:b@0.2.2;\n\ninterface i {\n    @since(version = 0.2.0)\n"
        "    @deprecated(version = 0.2.2)\n    add-one: func(x: s32) -> s32;\n}\n",
    good="package a:b@0.2.2;\n\ninterface i {\n    /// Deprecated: use `add` instead.\n"
         "    @since(version = 0.2.0)\n    @deprecated(version = 0.2.2)\n"
         "    add-one: func(x: s32) -> s32;\n}\n",
    fix_doc="No automatic fix.",
)
