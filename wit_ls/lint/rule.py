"""What a lint rule is: plain data (name, code, category, level, fix availability, docs) plus
one ``check`` function over a :class:`~wit_ls.lint.context.LintContext`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from wit_ls.syntax import Severity

if TYPE_CHECKING:
    from wit_ls.lint.context import LintContext

Level = Literal["error", "warn", "info", "hint", "off"]
FixAvailability = Literal["safe", "unsafe", "none"]
Applicability = Literal["safe", "unsafe"]

LEVELS: tuple[Level, ...] = ("error", "warn", "info", "hint", "off")
CATEGORIES = ("correctness", "style", "docs", "versioning", "api-design", "performance", "meta")

LEVEL_SEVERITY: dict[str, Severity] = {
    "error": Severity.ERROR,
    "warn": Severity.WARNING,
    "info": Severity.INFORMATION,
    "hint": Severity.HINT,
}

# Where the rule pages live (``docs/rules.md`` rendered by the repository host).
DOCS_URL = "https://github.com/wit-ls/wit-ls/blob/main/docs/rules.md"


@dataclass(frozen=True)
class FixEdit:
    """One edit of a lint fix: replace ``source[start:end]`` (UTF-8 byte offsets) with
    ``new_text`` as text (the syntax layer's ``TextEdit`` carries bytes for a reparse; the
    features' ``FileEdit`` names its file)."""

    start: int
    end: int
    new_text: str


@dataclass(frozen=True)
class Fix:
    """A text change that resolves one finding."""

    message: str
    edits: tuple[FixEdit, ...]
    applicability: Applicability = "safe"

    def to_data(self) -> dict[str, object]:
        return {
            "message": self.message,
            "applicability": self.applicability,
            "edits": [
                {"start": e.start, "end": e.end, "new_text": e.new_text} for e in self.edits
            ],
        }


@dataclass(frozen=True)
class Finding:
    """What a rule reports: a byte range in the context's file, a message, maybe a fix."""

    start: int
    end: int
    message: str
    fix: Fix | None = None
    tags: tuple[str, ...] = ()


CheckFn = Callable[["LintContext"], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """One lint rule. ``default_level`` is its level in the ``recommended`` preset;
    ``strict_level`` is the level ``strict`` gives a rule that is off by default."""

    name: str
    code: str
    category: str
    default_level: Level
    fix: FixAvailability
    summary: str
    what: str
    why: str
    bad: str
    good: str
    fix_doc: str
    check: CheckFn
    strict_level: Level = "info"
    tags: tuple[str, ...] = ()
    options: dict[str, object] = field(default_factory=dict)
    # Allowed values of string options that take one of a few words.
    option_choices: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"{DOCS_URL}#{self.name}"
