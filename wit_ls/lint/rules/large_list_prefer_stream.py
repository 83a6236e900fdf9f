"""large-list-prefer-stream: bulk data passed as `list<u8>`."""

from __future__ import annotations

import re
from collections.abc import Iterator

from wit_ls.lint.context import LintContext
from wit_ls.lint.rule import Finding, Rule

_BULK = r"(^|-)(body|data|contents|content|bytes|payload|blob|buffer|file|image|archive)($|-)"


def _is_bytes(ctx: LintContext, node: object) -> bool:
    from tree_sitter import Node

    assert isinstance(node, Node)
    element = node.child_by_field_name("element")
    return (node.type == "list_type" and node.child_by_field_name("size") is None
            and element is not None and ctx.text(element) == "u8")


def check(ctx: LintContext) -> Iterator[Finding]:
    bulk = re.compile(str(ctx.option("large-list-prefer-stream", "names", _BULK)))
    for item in ctx.functions():
        fname = ctx.name_of(item) or ""
        _sig, params, result = ctx.signature(item)
        for param in ctx.params(params):
            ptype = param.child_by_field_name("type")
            pname = ctx.name_of(param) or ""
            if ptype is not None and _is_bytes(ctx, ptype) and bulk.search(pname):
                yield Finding(ptype.start_byte, ptype.end_byte,
                              f"`{pname}` passes bulk data as one `list<u8>`, copied whole into "
                              "the callee's memory; consider `stream<u8>`")
        if result is not None and _is_bytes(ctx, result) and bulk.search(fname):
            yield Finding(result.start_byte, result.end_byte,
                          f"`{fname}` returns bulk data as one `list<u8>`; consider `stream<u8>`")


RULE = Rule(
    check=check,
    name="large-list-prefer-stream",
    code="WIT602",
    category="performance",
    default_level="off",
    strict_level="info",
    fix="none",
    options={"names": _BULK},
    summary="Bulk data (`body`, `contents`, `payload`, ...) passed as `list<u8>`",
    what=(
        "Reports a `list<u8>` parameter named like bulk data (`body`, `data`, `contents`, "
        "`bytes`, `payload`, `buffer`, ...; option `names` is a regular expression) and a "
        "`list<u8>` result of a function named so."
    ),
    why=(
        "A list is copied whole into the receiver's linear memory; the Explainer recommends "
        "streams for potentially large data, which can be processed incrementally (WASI 0.3)."
    ),
    bad="package a:b;\n\ninterface fs {\n    write-contents: func(contents: list<u8>);\n}\n",
    good="package a:b;\n\ninterface fs {\n    write-contents: func(contents: stream<u8>);\n}\n",
    fix_doc="No automatic fix: streams change the calling convention.",
)
