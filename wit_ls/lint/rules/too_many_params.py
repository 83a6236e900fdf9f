"""too-many-params: functions with many parameters."""

from __future__ import annotations

from collections.abc import Iterator

from wit_ls.lint.context import LintContext
from wit_ls.lint.rule import Finding, Rule


def check(ctx: LintContext) -> Iterator[Finding]:
    limit = int(ctx.option("too-many-params", "max", 6))
    for item in ctx.functions():
        _sig, params, _result = ctx.signature(item)
        plist = ctx.params(params)
        if len(plist) <= limit or params is None:
            continue
        yield Finding(params.start_byte, params.end_byte,
                      f"{len(plist)} parameters (more than {limit}); group them in a record")


RULE = Rule(
    check=check,
    name="too-many-params",
    code="WIT509",
    category="api-design",
    default_level="info",
    fix="none",
    options={"max": 6},
    summary="A function with more than 6 parameters",
    what="Reports a function, method or constructor with more parameters than option `max` (6).",
    why=(
        "Long parameter lists are hard to call correctly and cannot grow compatibly; a record "
        "documents each value and can be passed around."
    ),
    bad="package a:b;\n\ninterface net {\n    connect: func(host: string, port: u16, tls: bool, "
        "timeout: u64, retries: u32, keepalive: bool, nodelay: bool);\n}\n",
    good="package a:b;\n\ninterface net {\n    record options { tls: bool, timeout: u64, "
         "retries: u32, keepalive: bool, nodelay: bool }\n"
         "    connect: func(host: string, port: u16, opts: options);\n}\n",
    fix_doc="No automatic fix.",
)
