"""The real file system, and an overlay of in-memory texts (an editor's unsaved documents)."""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping

from wit_ls.model.fs import FileSystem, normalize

# Files larger than this are not read by the language server (a log or a disk image named .wit).
MAX_FILE_BYTES = 10 * 1024 * 1024


class NotARegularFile(OSError):
    """A FIFO, device, socket or directory where a file was expected: never read (a read
    could block forever or never end)."""


class FileTooLarge(OSError):
    """A file above the size limit."""


def read_regular_file(path: str, limit: int | None = MAX_FILE_BYTES) -> bytes:
    """The bytes of ``path`` if it is a regular file (after symlinks) of at most ``limit``
    bytes. Opening never blocks (``O_NONBLOCK``: a FIFO without a writer would), and at most
    ``limit`` bytes are read even if the file grows meanwhile."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotARegularFile(f"{path} is not a regular file")
        if limit is not None and info.st_size > limit:
            raise FileTooLarge(f"{path} is larger than {limit} bytes ({info.st_size})")
        chunks: list[bytes] = []
        left = limit + 1 if limit is not None else -1
        while left != 0:
            chunk = os.read(fd, 1 << 20 if left < 0 else min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            if left > 0:
                left -= len(chunk)
        data = b"".join(chunks)
        if limit is not None and len(data) > limit:
            raise FileTooLarge(f"{path} is larger than {limit} bytes")
        return data
    finally:
        os.close(fd)


class DiskFileSystem:
    """:class:`wit_ls.model.fs.FileSystem` over the local disk."""

    def read_bytes(self, path: str) -> bytes:
        # (Never blocks: a FIFO named `*.wit` is an error, not a wait for a writer.)
        return read_regular_file(path, None)

    def list_dir(self, path: str) -> list[str]:
        return sorted(os.listdir(path))

    def is_dir(self, path: str) -> bool:
        return os.path.isdir(path)

    def is_file(self, path: str) -> bool:
        return os.path.isfile(path)


class OverlayFileSystem:
    """Wraps another file system; ``overrides`` ({path: text}) win over what it holds.

    Overridden files also appear in their directory's listing even when absent underneath
    (a new, unsaved file).
    """

    def __init__(
        self, base: FileSystem, overrides: Mapping[str, str | bytes] | None = None
    ) -> None:
        self.base = base
        self._overrides: dict[str, bytes] = {}
        for path, text in (overrides or {}).items():
            self.set(path, text)

    def set(self, path: str, text: str | bytes) -> None:
        self._overrides[normalize(path)] = text.encode("utf-8") if isinstance(text, str) else text

    def remove(self, path: str) -> None:
        self._overrides.pop(normalize(path), None)

    def read_bytes(self, path: str) -> bytes:
        data = self._overrides.get(normalize(path))
        if data is not None:
            return data
        return self.base.read_bytes(path)

    def list_dir(self, path: str) -> list[str]:
        key = normalize(path)
        extra = {os.path.basename(p) for p in self._overrides if os.path.dirname(p) == key}
        try:
            names = set(self.base.list_dir(path))
        except OSError:
            if not extra:
                raise
            names = set()
        return sorted(names | extra)

    def is_dir(self, path: str) -> bool:
        if self.base.is_dir(path):
            return True
        key = normalize(path).rstrip("/") + "/"
        return any(p.startswith(key) for p in self._overrides)

    def is_file(self, path: str) -> bool:
        return normalize(path) in self._overrides or self.base.is_file(path)
