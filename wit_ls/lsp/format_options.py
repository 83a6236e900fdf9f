"""Formatter options for a document in the editor: the `[format]` table of the nearest
configuration file (found as the linter finds it, through the workspace's file system, so an
unsaved configuration counts), with the editor's tab size only where no file sets the indent."""

from __future__ import annotations

import posixpath
from collections.abc import Callable

from wit_ls.features.formatting import editor_indent
from wit_ls.fmt import FormatOptions
from wit_ls.fmt.config import FormatConfigError, FormatSettings, read_format_settings
from wit_ls.model.project_config import ConfigFileSystem, find_config


def format_options(fs: ConfigFileSystem, path: str, tab_size: int, insert_spaces: bool,
                   report: Callable[[str], None] | None = None) -> FormatOptions:
    fallback = editor_indent(tab_size, insert_spaces)
    settings = FormatSettings()
    found = None
    try:
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
