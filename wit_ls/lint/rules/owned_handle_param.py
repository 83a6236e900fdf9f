"""owned-handle-param: a parameter that takes ownership of a resource without need."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from wit_ls.lint.context import LintContext
from wit_ls.lint.rule import Finding, Rule

_CONSUMING = ["drop", "finish", "close", "into-*", "consume*", "take*", "set*", "new*",
              "from-*", "with-*", "append*", "push*", "send*", "add*", "insert*", "transfer*",
              "release*", "free*", "destroy*", "dispose*", "delete*"]


def check(ctx: LintContext) -> Iterator[Finding]:
    patterns = [str(p) for p in ctx.option("owned-handle-param", "consuming-names", _CONSUMING)]
    for item in ctx.nodes("func_item", "method_item"):
        name = ctx.name_of(item)
        if name is None or any(fnmatch.fnmatchcase(name, p) for p in patterns):
            continue
        _sig, params, _result = ctx.signature(item)
        for param in ctx.params(params):
            ptype = param.child_by_field_name("type")
            if ptype is None:
                continue
            if ptype.type == "handle_type":
                kind = ptype.child_by_field_name("kind")
                if kind is None or ctx.text(kind) != "own":
                    continue
            elif ptype.type != "named_type":
                continue
            found = ctx.resolve(ptype)
            if found is None or found.node.type != "resource_item":
                continue
            pname = ctx.name_of(param)
            yield Finding(
                ptype.start_byte, ptype.end_byte,
                f"`{name}` takes ownership of `{pname}`; the caller loses the handle. Use "
                f"`borrow<{ctx.text(ptype).removeprefix('own<').rstrip('>')}>` unless the "
                "function consumes it",
            )


RULE = Rule(
    check=check,
    name="owned-handle-param",
    code="WIT504",
    category="api-design",
    default_level="off",
    strict_level="info",
    fix="none",
    options={"consuming-names": _CONSUMING},
    summary="A function parameter that takes an owned resource handle",
    what=(
        "Reports a parameter whose type is a resource (`r` or `own<r>`) of a function or method "
        "whose name does not say it consumes the handle. Names matching option "
        "`consuming-names` (`finish`, `into-*`, `set*`, `new*`, `push*`, ...) are exempt; "
        "constructors always are. Off by default: on the real-world corpus most findings were "
        "deliberate transfers (`handle(request: outgoing-request)`, `connect(this: connector)`)."
    ),
    why=(
        "Passing `r` moves the handle into the callee: the caller can no longer use it. Most "
        "operations only need `borrow<r>` (WASI: `splice(src: borrow<input-stream>)`)."
    ),
    bad="package a:b;\n\ninterface io {\n    resource pipe;\n"
        "    copy-to: func(dst: pipe, n: u64);\n}\n",
    good="package a:b;\n\ninterface io {\n    resource pipe;\n"
         "    copy-to: func(dst: borrow<pipe>, n: u64);\n}\n",
    fix_doc="No automatic fix: ownership is part of the contract.",
)
