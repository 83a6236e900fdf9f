"""Finding and reading WIT files for the command line (the front door owns the disk)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path


def iter_wit_files(paths: Iterable[str]) -> Iterator[tuple[str, Path | None, str | None]]:
    """Yield (display path, path or None, problem or None) for every ``*.wit`` under ``paths``.

    Directories are walked recursively in sorted order; a path that does not exist yields a
    problem instead of raising.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if name.endswith(".wit"):
                        full = Path(root) / name
                        yield str(full), full, None
        elif path.exists():
            yield str(path), path, None
        else:
            yield str(path), None, "no such file or directory"


def read_bytes(path: Path) -> tuple[bytes | None, str | None]:
    """The file's bytes, or a one-line reason it could not be read."""
    try:
        return path.read_bytes(), None
    except IsADirectoryError:
        return None, "is a directory"
    except PermissionError:
        return None, "permission denied"
    except OSError as err:
        return None, err.strerror or str(err)


def warn(message: str) -> None:
    print(f"wit-ls: {message}", file=sys.stderr)
