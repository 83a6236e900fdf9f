"""The real file system, and an overlay of in-memory texts (an editor's unsaved documents)."""

from __future__ import annotations

import os
from collections.abc import Mapping

from wit_ls.model.fs import FileSystem, normalize


class DiskFileSystem:
    """:class:`wit_ls.model.fs.FileSystem` over the local disk."""

    def read_bytes(self, path: str) -> bytes:
        with open(path, "rb") as handle:
            return handle.read()

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
