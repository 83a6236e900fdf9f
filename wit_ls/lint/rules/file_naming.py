"""file-naming: `.wit` file names that are not kebab-case."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePath

from wit_ls.lint.context import LintContext
from wit_ls.lint.rule import Finding, Rule

_KEBAB = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def check(ctx: LintContext) -> Iterator[Finding]:
    stem = PurePath(ctx.path.replace("\\", "/")).name
    if not stem.endswith(".wit"):
        return
    stem = stem[:-4]
    if _KEBAB.match(stem):
        return
    suggestion = re.sub(r"[^a-z0-9]+", "-", re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", stem).lower())
    yield Finding(0, 0, f"file name `{stem}.wit` is not kebab-case; consider "
                        f"`{suggestion.strip('-') or 'package'}.wit`")


RULE = Rule(
    check=check,
    name="file-naming",
    code="WIT207",
    category="style",
    default_level="off",
    strict_level="info",
    fix="none",
    summary="A `.wit` file whose name is not kebab-case",
    what="Reports a file name (without `.wit`) that is not lower-case kebab-case.",
    why=(
        "WASI and most component projects name files after the interface they hold "
        "(`monotonic-clock.wit`, `world.wit`); consistent names make packages easy to navigate."
    ),
    bad="wit/MonoClock.wit\n",
    good="wit/monotonic-clock.wit\n",
    fix_doc="No automatic fix: renaming files is left to you (file names do not affect WIT).",
)
