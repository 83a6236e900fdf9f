"""The semantic model: lowered items, package loading, name resolution, checks, world
elaboration and the JSON export, over texts handed in through a small file-system interface
(no disk access here)."""

from __future__ import annotations

from wit_ls.model.api import Analysis, Location, Options, analyze
from wit_ls.model.fs import FileSystem, MemoryFileSystem
from wit_ls.model.items import FileItems
from wit_ls.model.loader import FileCache
from wit_ls.model.symbols import Symbol
from wit_ls.syntax import Diagnostic

__all__ = [
    "Analysis",
    "Diagnostic",
    "FileCache",
    "FileItems",
    "FileSystem",
    "Location",
    "MemoryFileSystem",
    "Options",
    "Symbol",
    "analyze",
]
