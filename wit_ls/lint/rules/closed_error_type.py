"""closed-error-type: an error enum/variant with no catch-all case."""

from __future__ import annotations

from collections.abc import Iterator

from wit_ls.lint.context import LintContext, ident
from wit_ls.lint.rule import Finding, Rule


def _error_definitions(ctx: LintContext) -> set[tuple[str, int]]:
    cache = getattr(ctx.index, "_error_defs", None)
    if cache is not None:
        return cache  # type: ignore[no-any-return]
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
    ctx.index._error_defs = out  # type: ignore[attr-defined]
    return out


def check(ctx: LintContext) -> Iterator[Finding]:
    names = ctx.option("closed-error-type", "catch-all-names", ["other", "unknown"])
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
        cases = [ident(ctx.text(c.child_by_field_name("name")))  # type: ignore[arg-type]
                 for c in body.named_children if c.child_by_field_name("name") is not None]
        if any(c in catch_all for c in cases):
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
    default_level="info",
    fix="none",
    options={"catch-all-names": ["other", "unknown"]},
    summary="An error `enum`/`variant` of a versioned package without a catch-all case",
    what=(
        "Reports an `enum` or `variant` used as the error type of a `result` in this package, "
        "in a versioned package, with no case named `other` or `unknown` (option "
        "`catch-all-names`)."
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
