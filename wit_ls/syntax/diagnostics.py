"""Diagnostics as plain data, shared by every layer.

Ranges are UTF-8 byte offsets into the file's source; the front doors convert them to
line/column in whatever unit their client wants (see :mod:`wit_ls.syntax.line_index`).
"""

from __future__ import annotations

from enum import IntEnum

TYPE_CHECKING = False  # not typing's: see wit_ls.light_typing
if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from wit_ls.light_typing import NamedTuple


class Severity(IntEnum):
    """Severity levels, numbered as in LSP."""

    ERROR = 1
    WARNING = 2
    INFORMATION = 3
    HINT = 4

    @property
    def label(self) -> str:
        return ("error", "warning", "information", "hint")[self.value - 1]


class Related(NamedTuple):
    """A secondary location of a diagnostic ("previously defined here")."""

    path: str
    start: int
    end: int
    message: str


class Diagnostic:
    """One problem: a byte range in ``path`` with a stable ``code`` and a message.

    Immutable by convention; equality and hashing ignore ``data``. (A plain class rather than
    a dataclass: importing :mod:`dataclasses` costs every ``wit-ls check`` process time.)
    """

    __slots__ = ("code", "data", "end", "message", "path", "related", "severity", "start", "tags")

    def __init__(
        self,
        start: int,
        end: int,
        message: str,
        code: str,
        severity: Severity = Severity.ERROR,
        path: str = "",
        related: tuple[Related, ...] = (),
        tags: tuple[str, ...] = (),
        data: dict[str, object] | None = None,
    ) -> None:
        self.start = start
        self.end = end
        self.message = message
        self.code = code
        self.severity = severity
        self.path = path
        self.related = related
        # "unnecessary" and/or "deprecated", mapped to LSP diagnostic tags by the server.
        self.tags = tags
        # Free-form data for code actions (e.g. suggested names); JSON-serialisable values.
        self.data: dict[str, object] = data if data is not None else {}

    def _key(self) -> tuple[object, ...]:
        return (
            self.start,
            self.end,
            self.message,
            self.code,
            self.severity,
            self.path,
            self.related,
            self.tags,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Diagnostic):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"Diagnostic(start={self.start}, end={self.end}, message={self.message!r}, "
            f"code={self.code!r}, severity={self.severity!r}, path={self.path!r})"
        )

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
