"""string-error: `result<T, string>`: prefer a typed error."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from wit_ls.lint.context import LintContext, MemoKey, Resolved, ident
from wit_ls.lint.rule import Finding, Rule
from wit_ls.lint.rules._util import resolved_primitive

_STRING_ALIASES: MemoKey[dict[tuple[str, int], str]] = MemoKey("string-error-aliases")


def _aliases(ctx: LintContext) -> dict[tuple[str, int], str]:
    return ctx.index.memo(_STRING_ALIASES, lambda: _compute_aliases(ctx))


def _compute_aliases(ctx: LintContext) -> dict[tuple[str, int], str]:
    """This package's aliases of `string` used as an error type somewhere in the package:
    (path, alias start) -> the first use, reported once at the alias."""
    out: dict[tuple[str, int], str] = {}
    for path in sorted(ctx.index.trees):
        other = ctx.for_tree(path, ctx.index.trees[path])
        for node in other.nodes("result_type"):
            err = node.child_by_field_name("err")
            if err is None or err.type != "named_type":
                continue
            alias = _string_alias(other, err)
            if alias is not None and alias.path in ctx.index.trees:
                out.setdefault((alias.path, alias.node.start_byte), other.text(err))
    return out


def _string_alias(ctx: LintContext, err: Node) -> Resolved | None:
    """The alias an error type names when it is (through aliases) a `string`."""
    if resolved_primitive(ctx, err) != "string":
        return None
    name = err.child_by_field_name("name")
    if name is None:
        return None
    return ctx.resolve_ident(name)


_MESSAGE = ("error type is a plain string{via}; callers cannot match on failures. "
            "Use an `enum` or `variant` (e.g. `error-code`)")


def check(ctx: LintContext) -> Iterator[Finding]:
    yield from item_findings(ctx)
    yield from alias_findings(ctx)


def item_findings(ctx: LintContext) -> Iterator[Finding]:
    """The findings at each `result`'s error type: each from that `result` and what the model
    says its names are (kept per top-level item between an editor's passes, see
    :data:`wit_ls.lint.incremental.ITEM_PARTS`)."""
    for node in ctx.nodes("result_type"):
        err = node.child_by_field_name("err")
        if err is None:
            continue
        if err.type == "primitive_type" and ctx.text(err) == "string":
            yield Finding(err.start_byte, err.end_byte, _MESSAGE.format(via=""))
        elif err.type == "named_type":
            alias = _string_alias(ctx, err)
            if alias is not None and alias.path not in ctx.index.trees:
                # an alias of another package: not ours to change, so report the use
                yield Finding(err.start_byte, err.end_byte, _MESSAGE.format(
                    via=f" (`{ctx.text(err)}` is a `string`)"))


def alias_findings(ctx: LintContext) -> Iterator[Finding]:
    """The findings at this package's aliases of `string` used as an error type anywhere in
    the package (a package-wide fact)."""
    for item in ctx.nodes("type_alias"):
        if (ctx.path, item.start_byte) not in _aliases(ctx):
            continue
        name = item.child_by_field_name("name")
        target = item.child_by_field_name("type")
        if name is None or target is None:
            continue
        yield Finding(name.start_byte, name.end_byte, _MESSAGE.format(
            via=f" (`{ident(ctx.text(name))}` is a `string`, used as an error type)"))


RULE = Rule(
    check=check,
    name="string-error",
    code="WIT501",
    category="api-design",
    default_level="warn",
    fix="none",
    summary="`result<T, string>`: an error that callers can only print",
    what=(
        "Reports a `result` whose error type is `string`. An alias of `string` used as an "
        "error type (`type error = string`) is reported once, at the alias, not at every use."
    ),
    why=(
        "A string error cannot be matched on, localised or extended compatibly. WASI's "
        "convention is `result<T, error-code>` with a documented `variant` or `enum`."
    ),
    bad="package a:b;\n\ninterface fs {\n    open: func(p: string) -> result<u32, string>;\n}\n",
    good="package a:b;\n\ninterface fs {\n    enum error-code { not-found, access, other }\n"
         "    open: func(p: string) -> result<u32, error-code>;\n}\n",
    fix_doc="No automatic fix: design the error cases.",
)
