"""unnecessary-escape: `%name` where `name` is not a keyword."""

from __future__ import annotations

from collections.abc import Iterator

from wit_ls.lint.context import LintContext
from wit_ls.lint.rule import Finding, Fix, FixEdit, Rule
from wit_ls.syntax.vocabulary import KEYWORDS

# Contextual words are not keywords; `get`/`set` parse as identifiers where a name is expected.


def check(ctx: LintContext) -> Iterator[Finding]:
    for node in ctx.nodes("identifier"):
        if ctx.source[node.start_byte : node.start_byte + 1] != b"%":
            continue
        name = ctx.text(node)[1:]
        if name in KEYWORDS:
            continue
        yield Finding(
            node.start_byte, node.end_byte,
            f"`%{name}` does not need the `%` escape: `{name}` is not a keyword",
            Fix("Remove the `%`", (FixEdit(node.start_byte, node.start_byte + 1, ""),), "safe"),
            tags=("unnecessary",),
        )


RULE = Rule(
    check=check,
    name="unnecessary-escape",
    code="WIT201",
    category="style",
    default_level="warn",
    fix="safe",
    tags=("unnecessary",),
    summary="A `%`-escaped identifier that is not a keyword",
    what="Reports `%name` where `name` is not a WIT keyword, so the `%` changes nothing.",
    why=(
        "The escape is purely lexical (wasm-tools prints `%foo` as `foo`); an unneeded one "
        "suggests a keyword where there is none and makes names harder to search for."
    ),
    bad="package a:b;\n\ninterface i {\n    %log: func(%msg: string);\n}\n",
    good="package a:b;\n\ninterface i {\n    log: func(msg: string);\n}\n",
    fix_doc="Safe: removes the `%`; the name and the encoded package are unchanged.",
)
