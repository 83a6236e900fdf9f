"""unused-suppression: a `wit-ls: ignore[...]` entry that suppressed nothing.

Reported by the engine (:mod:`wit_ls.lint.engine`), which knows what was suppressed."""

from __future__ import annotations

from collections.abc import Iterator

from wit_ls.lint.context import LintContext
from wit_ls.lint.rule import Finding, Rule


def check(ctx: LintContext) -> Iterator[Finding]:
    return iter(())


RULE = Rule(
    check=check,
    name="unused-suppression",
    code="WIT901",
    category="meta",
    default_level="warn",
    fix="safe",
    tags=("unnecessary",),
    summary="A suppression that suppresses nothing",
    what=(
        "Reports each rule named in a `wit-ls: ignore[...]` or `ignore-file[...]` comment that "
        "did not suppress any finding. Rules that are not enabled for the file are not "
        "reported (the suppression may be for another preset)."
    ),
    why="Stale suppressions hide future problems and clutter the file.",
    bad="package a:b;\n\ninterface i {\n    f: func() /* wit-ls: ignore[string-error] */;\n}\n",
    good="package a:b;\n\ninterface i {\n    f: func();\n}\n",
    fix_doc=(
        "Removes the rule from the list, or the whole comment when nothing is left. Safe, "
        "except for a suppression that wit-parser folds into an item's docs (changing it "
        "changes the docs): unsafe there."
    ),
)
