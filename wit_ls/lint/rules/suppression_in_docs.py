"""suppression-in-docs: a suppression comment that becomes documentation.

Reported by the engine (:mod:`wit_ls.lint.engine`), from the parsed directives."""

from __future__ import annotations

from collections.abc import Iterator

from wit_ls.lint.context import LintContext
from wit_ls.lint.rule import Finding, Rule


def check(ctx: LintContext) -> Iterator[Finding]:
    return iter(())


RULE = Rule(
    check=check,
    name="suppression-in-docs",
    code="WIT903",
    category="meta",
    default_level="warn",
    fix="unsafe",
    summary="A suppression comment in a place where wit-parser makes it documentation",
    what=(
        "Reports a `wit-ls:` comment that wit-parser folds into an item's docs: above an item "
        "(before its gates), at the end of the line of an item that is followed by another "
        "item (it becomes the next item's docs), or at the top of the file."
    ),
    why=(
        "wit-parser turns every comment before an item into documentation, so the directive "
        "shows up in bindings and registry pages. Leak-free places: between the gates and the "
        "item, a block comment inside the item (`f: func() /* wit-ls: ignore[x] */;`), "
        "before a closing `}` and at the end of the file."
    ),
    bad="package a:b@1.0.0;\n\ninterface i {\n    // wit-ls: ignore[string-error]\n"
        "    @since(version = 1.0.0)\n    f: func() -> result<u32, string>;\n}\n",
    good="package a:b@1.0.0;\n\ninterface i {\n    @since(version = 1.0.0)\n"
         "    // wit-ls: ignore[string-error]\n    f: func() -> result<u32, string>;\n}\n",
    fix_doc=(
        "Unsafe (it changes the item's docs, which is the point): moves a directive that "
        "sits above an item's gates to just after them, and turns "
        "a trailing `// wit-ls: ...` at the end of an item into a block comment before the "
        "item's `;` (or `{`). No fix elsewhere."
    ),
)
