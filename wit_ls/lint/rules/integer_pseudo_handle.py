"""integer-pseudo-handle: an integer that stands for a resource (`fd: u32` passed to `close`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from wit_ls.lint.context import LintContext
from wit_ls.lint.rule import Finding, Rule
from wit_ls.lint.rules._util import resolved_primitive

_RELEASE = re.compile(r"^(close|drop|release|free|destroy|dispose|delete|disconnect|shutdown)"
                      r"(-|$)")
_HANDLE_NAME = re.compile(r"^(fd|handle|descriptor|[a-z0-9-]+-(id|handle|fd))$")
_INTEGERS = frozenset({"u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64"})


def check(ctx: LintContext) -> Iterator[Finding]:
    for item in ctx.functions():
        name = ctx.name_of(item) or ""
        if not _RELEASE.match(name):
            continue
        _sig, params, _result = ctx.signature(item)
        for param in ctx.params(params):
            pname = ctx.name_of(param) or ""
            kind = param.child_by_field_name("type")
            if not _HANDLE_NAME.match(pname) or kind is None:
                continue
            if resolved_primitive(ctx, kind) not in _INTEGERS:
                continue
            yield Finding(param.start_byte, param.end_byte,
                          f"`{pname}` is an integer handle released by `{name}`; a `resource` "
                          "is released when its handle is dropped, cannot be forged or used "
                          "after release, and needs no `close`")


RULE = Rule(
    check=check,
    name="integer-pseudo-handle",
    code="WIT513",
    category="api-design",
    default_level="info",
    fix="none",
    summary="An integer used as a handle (`close: func(fd: u32)`) where a `resource` fits",
    what=(
        "Reports an integer parameter named like a handle (`fd`, `handle`, `descriptor`, "
        "`*-id`, `*-handle`, `*-fd`) of a function that releases something (`close`, `drop`, "
        "`release`, `free`, `destroy`, `dispose`, `delete`, `disconnect`, `shutdown`, or a "
        "name starting with one of them and `-`)."
    ),
    why=(
        "The component model has resources for exactly this: the host tracks ownership, a "
        "guest cannot forge or reuse a handle after it is dropped, and bindings release it "
        "automatically. Integer handles need a manual table and a `close`."
    ),
    bad="package a:b;\n\ninterface files {\n    open: func(path: string) -> u32;\n"
        "    read: func(fd: u32, n: u64) -> list<u8>;\n    close: func(fd: u32);\n}\n",
    good="package a:b;\n\ninterface files {\n    resource file {\n"
         "        read: func(n: u64) -> list<u8>;\n    }\n"
         "    open: func(path: string) -> file;\n}\n",
    fix_doc="No automatic fix: introducing a resource changes the API.",
)
