"""The `[format]` table of a configuration file (``wit-ls.toml``, ``.wit-ls.toml`` or
``[tool.wit-ls.format]`` in ``pyproject.toml``)::

    [format]
    indent-width = 2      # spaces per level (0-16)
    line-width = 100      # wrap lists that do not fit (40-1000)

Finding the file is the lint configuration's discovery (``wit_ls.lint.config.find_config``),
used by the command line and the server alike; this module only reads the table from the text.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import cast

from wit_ls.fmt.printer import FormatOptions

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[no-redef,import-not-found,unused-ignore]

DEFAULT_INDENT_WIDTH = 2
DEFAULT_LINE_WIDTH = 100
_LIMITS = {"indent-width": (0, 16), "line-width": (40, 1000)}


class FormatConfigError(ValueError):
    """A problem in the `[format]` table, with its 1-based line (0 when unknown)."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True)
class FormatSettings:
    """What a configuration file sets (None: not set)."""

    indent_width: int | None = None
    line_width: int | None = None

    def options(self, fallback_indent: str | None = None,
                indent_width: int | None = None, line_width: int | None = None) -> FormatOptions:
        """Formatter options: explicit arguments first, then the file, then (for the
        indentation only) ``fallback_indent`` (an editor's tab size), then the defaults."""
        width = indent_width if indent_width is not None else self.indent_width
        if width is not None:
            indent = " " * width
        elif fallback_indent is not None:
            indent = fallback_indent
        else:
            indent = " " * DEFAULT_INDENT_WIDTH
        if line_width is None:
            line_width = self.line_width if self.line_width is not None else DEFAULT_LINE_WIDTH
        return FormatOptions(indent=indent, line_width=line_width)


def _locate(text: str, key: str) -> tuple[int, int]:
    pattern = re.compile(r"^\s*(\"" + re.escape(key) + r"\"|" + re.escape(key) + r")\s*=")
    for number, line in enumerate(text.splitlines(), 1):
        m = pattern.search(line)
        if m:
            return number, m.start(1) + 1
    return 0, 0


def _table(data: dict[str, object], key: str) -> dict[str, object]:
    """``data[key]`` when it is a table, else an empty one."""
    value = data.get(key)
    return cast("dict[str, object]", value) if isinstance(value, dict) else {}


def read_format_settings(text: str, *, pyproject: bool = False) -> FormatSettings:
    """The `[format]` table of a configuration file's text. Raises FormatConfigError."""
    try:
        data: dict[str, object] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise FormatConfigError(f"invalid TOML: {err}") from err
    if pyproject:
        data = _table(_table(data, "tool"), "wit-ls")
    table = data.get("format", {})
    prefix = "tool.wit-ls.format" if pyproject else "format"
    if not isinstance(table, dict):
        raise FormatConfigError(f"`{prefix}` must be a table", *_locate(text, "format"))
    values: dict[str, int] = {}
    for key, value in table.items():
        if key not in _LIMITS:
            raise FormatConfigError(
                f"unknown key `{prefix}.{key}`; expected one of " + ", ".join(sorted(_LIMITS)),
                *_locate(text, key))
        low, high = _LIMITS[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise FormatConfigError(f"`{prefix}.{key}` must be a whole number from {low} to "
                                    f"{high}", *_locate(text, key))
        values[key] = value
    return FormatSettings(values.get("indent-width"), values.get("line-width"))
