"""large-tuple: tuples with many elements."""

from __future__ import annotations

from collections.abc import Iterator

from wit_ls.lint.context import LintContext
from wit_ls.lint.rule import Finding, Rule
from wit_ls.lint.rules._util import type_args


def check(ctx: LintContext) -> Iterator[Finding]:
    limit = int(ctx.option("large-tuple", "max-arity", 4))
    for node in ctx.nodes("tuple_type"):
        elements = type_args(node)
        if len(elements) <= limit:
            continue
        parent = node.parent
        homogeneous = len({ctx.text(e) for e in elements}) == 1
        if parent is not None and parent.type in ("type_alias", "record_field") and homogeneous:
            continue  # e.g. `type ipv6-address = tuple<u16, ...>`, `mac: tuple<u8, ...>`
        yield Finding(node.start_byte, node.end_byte,
                      f"tuple of {len(elements)} elements (more than {limit}); a record names "
                      "each one")


RULE = Rule(
    check=check,
    name="large-tuple",
    code="WIT506",
    category="api-design",
    default_level="info",
    fix="none",
    options={"max-arity": 4},
    summary="A tuple with more than 4 elements",
    what=(
        "Reports a `tuple` with more elements than option `max-arity` (4). A homogeneous "
        "tuple that is already named, by an alias (`type ipv6-address = tuple<u16, ...>`) or "
        "a record field (`mac: tuple<u8, u8, u8, u8, u8, u8>`), is exempt."
    ),
    why="Positional fields are easy to mix up; a record documents each field by name.",
    bad="package a:b;\n\ninterface fs {\n"
        "    stat: func() -> tuple<u64, u64, u32, bool, string>;\n}\n",
    good="package a:b;\n\ninterface fs {\n"
         "    record file-stat { size: u64, ino: u64, nlink: u32, dir: bool, name: string }\n"
         "    stat: func() -> file-stat;\n}\n",
    fix_doc="No automatic fix.",
)
