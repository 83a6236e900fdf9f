"""The semantic model: lowered items, package loading, name resolution, checks, world
elaboration and the JSON export, over texts handed in through a small file-system interface
(no disk access here).

The names below are imported on first use (PEP 562), so that importing one submodule (say
``wit_ls.model.fs``) does not load the whole model.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: see wit_ls.light_typing
if TYPE_CHECKING:
    from wit_ls.model.api import Analysis, Location, analyze
    from wit_ls.model.fs import FileSystem, MemoryFileSystem
    from wit_ls.model.items import FileItems
    from wit_ls.model.loader import FileCache
    from wit_ls.model.options import Options
    from wit_ls.model.symbols import Symbol
    from wit_ls.syntax import Diagnostic

_WHERE = {
    "Analysis": "wit_ls.model.api",
    "Diagnostic": "wit_ls.syntax",
    "FileCache": "wit_ls.model.loader",
    "FileItems": "wit_ls.model.items",
    "FileSystem": "wit_ls.model.fs",
    "Location": "wit_ls.model.api",
    "MemoryFileSystem": "wit_ls.model.fs",
    "Options": "wit_ls.model.options",
    "Symbol": "wit_ls.model.symbols",
    "analyze": "wit_ls.model.api",
}

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


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'wit_ls.model' has no attribute {name!r}")
    import importlib  # (here: `importlib` and the `warnings` it loads cost a check's start-up)

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
