"""invalid-suppression: malformed `wit-ls:` comments and unknown rule names.

Reported by the engine (:mod:`wit_ls.lint.engine`)."""

from __future__ import annotations

from collections.abc import Iterator

from wit_ls.lint.context import LintContext
from wit_ls.lint.rule import Finding, Rule


def check(_ctx: LintContext) -> Iterator[Finding]:
    return iter(())


RULE = Rule(
    check=check,
    name="invalid-suppression",
    code="WIT902",
    category="meta",
    default_level="warn",
    fix="none",
    summary="A malformed suppression comment, or one naming an unknown rule",
    what=(
        "Reports a comment starting with `wit-ls:` that is not `ignore[rules]` or "
        "`ignore-file[rules]` (optionally followed by `-- reason`), an empty rule list, and "
        "names or codes that are not rules."
    ),
    why="A typo in a suppression silently suppresses nothing.",
    bad="package a:b;\n\ninterface i {\n    f: func() /* wit-ls: ignore[strnig-error] */;\n}\n",
    good="package a:b;\n\ninterface i {\n    f: func() /* wit-ls: ignore[string-error] */;\n}\n",
    fix_doc="No automatic fix.",
)
