"""static-self-param: a `static` function whose first parameter is its own resource."""

from __future__ import annotations

from collections.abc import Iterator

from wit_ls.lint.context import LintContext, ident
from wit_ls.lint.rule import Finding, Rule


def check(ctx: LintContext) -> Iterator[Finding]:
    for item in ctx.nodes("method_item"):
        if item.child_by_field_name("static") is None:
            continue
        resource = ctx.enclosing(item, "resource_item")
        owner = ctx.name_of(resource) if resource is not None else None
        _sig, params, _result = ctx.signature(item)
        first = next(iter(ctx.params(params)), None)
        if owner is None or first is None:
            continue
        kind = first.child_by_field_name("type")
        if kind is None:
            continue
        # Only a borrow: a static taking `own<r>` (or `r`) consumes the resource, which a
        # method cannot do (its `self` is always borrowed), as in WASI's `finish`.
        if kind.type != "handle_type" or not ctx.text(kind).lstrip().startswith("borrow"):
            continue
        target = kind.child_by_field_name("resource")
        if target is None or ident(ctx.text(target)) != owner:
            continue
        name = ctx.name_of(item) or "function"
        yield Finding(first.start_byte, first.end_byte,
                      f"static `{name}` borrows its own resource `{owner}` first; make it a "
                      "method")


RULE = Rule(
    check=check,
    name="static-self-param",
    code="WIT511",
    category="api-design",
    default_level="info",
    fix="none",
    summary="A `static` function whose first parameter is its own resource",
    what=(
        "Reports a `static` function of a resource whose first parameter borrows that resource "
        "(`borrow<r>`): a method in disguise. A static whose first parameter owns the resource "
        "(`own<r>` or `r`) is not reported: it consumes the resource, which a method cannot "
        "do (WASI's `finish: static func(this: outgoing-body, ..)`)."
    ),
    why=(
        "Bindings turn methods into methods on the resource's type (`file.size()`), and a "
        "method's `self` is borrowed implicitly; a static that takes the resource first makes "
        "callers write `File::size(file)` and spell the borrow themselves."
    ),
    bad="package a:b;\n\ninterface fs {\n    resource file {\n"
        "        size: static func(f: borrow<file>) -> u64;\n    }\n}\n",
    good="package a:b;\n\ninterface fs {\n    resource file {\n"
         "        size: func() -> u64;\n        open: static func(path: string) -> file;\n"
         "    }\n}\n",
    fix_doc="No automatic fix: turning a static into a method changes the API.",
)
