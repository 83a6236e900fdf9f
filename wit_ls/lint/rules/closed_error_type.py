"""closed-error-type: an error enum/variant with no catch-all case."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from wit_ls.lint.context import LintContext, MemoKey, ident
from wit_ls.lint.rule import Finding, Rule

CATCH_ALL_NAMES = ("other", "unknown", "unexpected")


_ERROR_DEFINITIONS: MemoKey[set[tuple[str, int]]] = MemoKey("error_definitions")


def _error_definitions(ctx: LintContext) -> set[tuple[str, int]]:
    return ctx.index.memo(_ERROR_DEFINITIONS, lambda: _compute_error_definitions(ctx))


def _compute_error_definitions(ctx: LintContext) -> set[tuple[str, int]]:
    out: set[tuple[str, int]] = set()
    for path, tree in ctx.index.trees.items():
        other = ctx.for_tree(path, tree)
        for node in other.nodes("result_type"):
            err = node.child_by_field_name("err")
            if err is None or err.type != "named_type":
                continue
            found = other.resolve(err)
            if found is not None and found.node.type in ("enum_item", "variant_item"):
                out.add((found.path, found.node.start_byte))
    return out


def _is_catch_all(ctx: LintContext, case: Node, names: set[str]) -> bool:
    """A case named as a catch-all, or one that carries a free-form message
    (`internal-error(option<string>)`): implementations can report anything through it."""
    name = case.child_by_field_name("name")
    if name is None:
        return False
    if ident(ctx.text(name)) in names:
        return True
    payload = case.child_by_field_name("type")
    if payload is None:
        return False
    text = "".join(ctx.text(payload).split())
    return text in ("string", "option<string>")


def check(ctx: LintContext) -> Iterator[Finding]:
    names = ctx.option("closed-error-type", "catch-all-names", list(CATCH_ALL_NAMES))
    catch_all = {str(n) for n in names}
    errors = _error_definitions(ctx)
    for item in ctx.nodes("enum_item", "variant_item"):
        if (ctx.path, item.start_byte) not in errors:
            continue
        package = ctx.package_of(item)
        if package is None or package.version is None:
            continue
        body = item.child_by_field_name("body")
        name = item.child_by_field_name("name")
        if body is None or name is None:
            continue
        if any(_is_catch_all(ctx, case, catch_all) for case in body.named_children):
            continue
        yield Finding(
            name.start_byte, name.end_byte,
            f"error type `{ident(ctx.text(name))}` has no catch-all case ("
            + ", ".join(f"`{n}`" for n in sorted(catch_all))
            + "); adding a case later is a breaking change",
        )


RULE = Rule(
    check=check,
    name="closed-error-type",
    code="WIT503",
    category="api-design",
    default_level="off",
    strict_level="info",
    fix="none",
    options={"catch-all-names": list(CATCH_ALL_NAMES)},
    summary="An error `enum`/`variant` of a versioned package without a catch-all case",
    what=(
        "Reports an `enum` or `variant` used as the error type of a `result` in this package, "
        "in a versioned package, with no catch-all case: none named `other`, `unknown` or "
        "`unexpected` (option `catch-all-names`) and none carrying a free-form message (a "
        "case of type `string` or `option<string>`, whatever its name). Off in the default preset "
        "(`strict` tier): not every enum of errors is meant to grow, and WASI 0.2 closes its "
        "error enums on purpose."
    ),
    why=(
        "Adding a case to a variant or enum is a breaking change (WIT.md); WASI 0.3 error "
        "types end with `other(option<string>)` so implementations can report new failures "
        "without a new major version."
    ),
    bad="package a:b@1.0.0;\n\ninterface i {\n    variant error-code { access, busy }\n"
        "    run: func() -> result<_, error-code>;\n}\n",
    good="package a:b@1.0.0;\n\ninterface i {\n"
         "    variant error-code { access, busy, other(option<string>) }\n"
         "    run: func() -> result<_, error-code>;\n}\n",
    fix_doc="No automatic fix: adding a case to a released type is itself a breaking change.",
)
