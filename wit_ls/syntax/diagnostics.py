"""Diagnostics as plain data, shared by every layer.

Ranges are UTF-8 byte offsets into the file's source; the front doors convert them to
line/column in whatever unit their client wants (see :mod:`wit_ls.syntax.line_index`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum


class Severity(IntEnum):
    """Severity levels, numbered as in LSP."""

    ERROR = 1
    WARNING = 2
    INFORMATION = 3
    HINT = 4

    @property
    def label(self) -> str:
        return ("error", "warning", "information", "hint")[self.value - 1]


@dataclass(frozen=True)
class Related:
    """A secondary location of a diagnostic ("previously defined here")."""

    path: str
    start: int
    end: int
    message: str


@dataclass(frozen=True)
class Diagnostic:
    """One problem: a byte range in ``path`` with a stable ``code`` and a message."""

    start: int
    end: int
    message: str
    code: str
    severity: Severity = Severity.ERROR
    path: str = ""
    related: tuple[Related, ...] = ()
    # "unnecessary" and/or "deprecated", mapped to LSP diagnostic tags by the server.
    tags: tuple[str, ...] = ()
    # Free-form data for code actions (e.g. suggested names); JSON-serialisable values only.
    data: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    def with_path(self, path: str) -> Diagnostic:
        return Diagnostic(
            self.start,
            self.end,
            self.message,
            self.code,
            self.severity,
            path,
            self.related,
            self.tags,
            self.data,
        )
