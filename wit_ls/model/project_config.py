"""Where a project's configuration file is: the one discovery that every command and the
language server share.

Walking up from a file or folder, the first folder holding ``.wit-ls.toml``, ``wit-ls.toml`` or
a ``pyproject.toml`` with a ``[tool.wit-ls]`` table wins (in that order within one folder).
Reading and validating the file's contents is :mod:`wit_ls.lint.config`'s job; this module stays
small so that ``wit-ls check`` pays for the TOML reader only when a file exists.
"""

from __future__ import annotations

import posixpath
import re

from wit_ls.syntax.lazy_pattern import LazyPattern

TYPE_CHECKING = False  # not typing's: see wit_ls.light_typing
if TYPE_CHECKING:
    from typing import Protocol
else:
    from wit_ls.light_typing import Protocol

CONFIG_NAMES = (".wit-ls.toml", "wit-ls.toml")

_TOOL_TABLE = LazyPattern(r"^\s*\[\s*tool\s*\.\s*(\"wit-ls\"|wit-ls)\s*[\].]", re.M)


class ConfigFileSystem(Protocol):
    """What discovery needs of a file system (a subset of ``wit_ls.model.fs.FileSystem``)."""

    def read_bytes(self, path: str) -> bytes: ...

    def is_dir(self, path: str) -> bool: ...

    def is_file(self, path: str) -> bool: ...


def find_config(start: str, fs: ConfigFileSystem) -> str | None:
    """The nearest configuration file at or above ``start`` (an absolute file or folder)."""
    folder = posixpath.normpath(start.replace("\\", "/"))
    if not fs.is_dir(folder):
        folder = posixpath.dirname(folder)
    while True:
        for name in CONFIG_NAMES:
            candidate = posixpath.join(folder, name)
            if fs.is_file(candidate):
                return candidate
        pyproject = posixpath.join(folder, "pyproject.toml")
        if fs.is_file(pyproject):
            try:
                text = fs.read_bytes(pyproject).decode("utf-8", errors="replace")
            except OSError:
                text = ""
            if _TOOL_TABLE.search(text):
                return pyproject
        parent = posixpath.dirname(folder)
        if parent == folder:
            return None
        folder = parent
