"""Finding and reading WIT files for the command line (the front door owns the disk)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator

TYPE_CHECKING = False  # not typing's: see wit_ls.light_typing
if TYPE_CHECKING:  # pathlib costs `wit-ls check` start-up; only the commands that walk use it
    from pathlib import Path

# Diagnostic codes that mean a file is not WIT text (or could not be read): an input error,
# exit code 2 in every command, not a finding.
INPUT_ERROR_CODES = frozenset({"binary-file", "invalid-utf8", "read-error"})

NO_SUCH_PATH = "no such file or directory"


def no_wit_files(path: str) -> str:
    return f"{path}: no .wit files found"


def iter_wit_files(paths: Iterable[str]) -> Iterator[tuple[str, Path | None, str | None]]:
    """Yield (display path, path or None, problem or None) for every ``*.wit`` under ``paths``.

    Directories are walked recursively in sorted order; a path that does not exist, or a folder
    without any ``.wit`` file, yields a problem instead of raising.
    """
    from pathlib import Path

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = False
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    full = Path(root) / name
                    if name.endswith(".wit") and full.is_file():
                        found = True
                        yield str(full), full, None
            if not found:
                yield str(path), None, "no .wit files found"
        elif path.exists():
            yield str(path), path, None
        else:
            yield str(path), None, NO_SUCH_PATH


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


def error(message: str) -> int:
    """Print an error that is not a diagnostic, in the one shape every command uses, and return
    the exit code for usage, configuration, input and internal errors (2)."""
    print(f"wit-ls: error: {message}", file=sys.stderr)
    return 2
