"""The small file-system interface through which the model reads its inputs.

The model never touches the disk itself: the front doors hand it a :class:`FileSystem`
(``wit_ls.host.disk.DiskFileSystem`` for the real one, possibly wrapped in an overlay of unsaved
editor buffers) and tests hand it a :class:`MemoryFileSystem`. Paths are POSIX-style strings.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping

TYPE_CHECKING = False  # not typing's: see wit_ls.light_typing
if TYPE_CHECKING:
    from typing import Protocol
else:
    from wit_ls.light_typing import Protocol


class FileSystem(Protocol):
    def read_bytes(self, path: str) -> bytes:
        """The file's contents; raises OSError."""
        ...

    def list_dir(self, path: str) -> list[str]:
        """Entry names of a directory; raises OSError."""
        ...

    def is_dir(self, path: str) -> bool: ...

    def is_file(self, path: str) -> bool: ...


def normalize(path: str) -> str:
    """A normalised POSIX path (no trailing slash, no ``.`` segments)."""
    if not path:
        return "."
    return posixpath.normpath(path.replace("\\", "/"))


class MemoryFileSystem:
    """A :class:`FileSystem` over ``{posix path: text or bytes}``; directories are implied."""

    def __init__(self, files: Mapping[str, str | bytes]) -> None:
        self._files: dict[str, bytes] = {}
        self._dirs: dict[str, set[str]] = {}
        for raw, content in files.items():
            path = normalize(raw)
            data = content.encode("utf-8") if isinstance(content, str) else content
            self._files[path] = data
            child = path
            parent = posixpath.dirname(child)
            while True:
                key = parent or ("/" if child.startswith("/") else ".")
                self._dirs.setdefault(key, set()).add(posixpath.basename(child))
                if not parent or parent == child or parent in ("/", "."):
                    break
                child, parent = parent, posixpath.dirname(parent)

    def read_bytes(self, path: str) -> bytes:
        key = normalize(path)
        try:
            return self._files[key]
        except KeyError:
            raise FileNotFoundError(2, "No such file or directory", path) from None

    def list_dir(self, path: str) -> list[str]:
        key = normalize(path)
        entries = self._dirs.get(key)
        if entries is None:
            raise FileNotFoundError(2, "No such file or directory", path)
        return sorted(entries)

    def is_dir(self, path: str) -> bool:
        return normalize(path) in self._dirs

    def is_file(self, path: str) -> bool:
        return normalize(path) in self._files


class MemoFileSystem:
    """A :class:`FileSystem` that asks ``fs`` each question once and answers it again from
    memory (errors included), for one analysis read in several passes (see
    `wit_ls.model.package_groups`): every question reaches ``fs`` once, and a forked process
    answers from the parent's memory."""

    def __init__(self, fs: FileSystem) -> None:
        self.fs = fs
        self._reads: dict[str, bytes | OSError] = {}
        self._lists: dict[str, list[str] | OSError] = {}
        self._dirs: dict[str, bool] = {}
        self._files: dict[str, bool] = {}

    def read_bytes(self, path: str) -> bytes:
        found = self._reads.get(path)
        if found is None:
            try:
                found = self.fs.read_bytes(path)
            except OSError as err:
                found = err.with_traceback(None)
            self._reads[path] = found
        if isinstance(found, OSError):
            raise _again(found)
        return found

    def list_dir(self, path: str) -> list[str]:
        found = self._lists.get(path)
        if found is None:
            try:
                found = self.fs.list_dir(path)
            except OSError as err:
                found = err.with_traceback(None)
            self._lists[path] = found
        if isinstance(found, OSError):
            raise _again(found)
        return list(found)

    def is_dir(self, path: str) -> bool:
        found = self._dirs.get(path)
        if found is None:
            found = self._dirs[path] = self.fs.is_dir(path)
        return found

    def is_file(self, path: str) -> bool:
        found = self._files.get(path)
        if found is None:
            found = self._files[path] = self.fs.is_file(path)
        return found


def _again(err: OSError) -> OSError:
    """A new error like ``err`` (raising the kept one again would tie it to this frame)."""
    if err.errno is None:
        return OSError(*err.args)
    if err.filename is None:
        return OSError(err.errno, err.strerror)
    return OSError(err.errno, err.strerror, err.filename)
