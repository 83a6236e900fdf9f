"""Formatter options for a document in the editor: the `[format]` table of the nearest
configuration file (found as the linter finds it, through the workspace's file system, so an
unsaved configuration counts), with the editor's tab size only where no file sets the indent."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from typing import Any

from wit_ls.features.formatting import editor_indent
from wit_ls.fmt import FormatOptions
from wit_ls.fmt.config import FormatConfigError, FormatSettings, read_format_settings


def format_options(fs: Any, path: str, tab_size: int, insert_spaces: bool,
                   report: Callable[[str], None] | None = None) -> FormatOptions:
    fallback = editor_indent(tab_size, insert_spaces)
    settings = FormatSettings()
    try:
        from wit_ls.lint.config import find_config

        found = find_config(path, fs)
        if found is not None:
            text = fs.read_bytes(found).decode("utf-8", errors="replace")
            settings = read_format_settings(
                text, pyproject=posixpath.basename(found) == "pyproject.toml")
    except FormatConfigError as err:
        if report is not None:
            report(f"wit-ls: {found}:{err.line}: {err.message}; formatting with the editor's "
                   "settings")
    except Exception as err:  # an unreadable configuration must not stop formatting
        if report is not None:
            report(f"wit-ls: cannot read the formatting configuration: {err}")
    return settings.options(fallback_indent=fallback)
