"""Reading an older version of the workspace from its git repository: ``git rev-parse``,
``git ls-tree`` and ``git cat-file`` only (no network, no checkout, the working tree untouched).
A front-door module: the layers below get the files as plain data."""

from __future__ import annotations

import os
import subprocess

_TIMEOUT = 20


def _git(cwd: str, *args: str, data: bytes | None = None) -> bytes | None:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, input=data, capture_output=True,
                              timeout=_TIMEOUT, check=False,
                              env={**os.environ, "GIT_TERMINAL_PROMPT": "0",
                                   "GIT_OPTIONAL_LOCKS": "0"})
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def toplevel(path: str) -> str | None:
    """The working tree root of the repository holding ``path`` (a folder), if any."""
    out = _git(path, "rev-parse", "--show-toplevel")
    return out.decode("utf-8", "replace").strip() or None if out else None


def commit_of(top: str, revision: str) -> str | None:
    """The commit a revision names now (a branch moves; callers cache by this id)."""
    if revision.startswith("-"):
        return None
    out = _git(top, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    return out.decode().strip() or None if out else None


def read_tree(top: str, commit: str, folder: str) -> dict[str, bytes]:
    """Every ``*.wit`` file under ``folder`` (relative to ``top``, ``""`` for all) at
    ``commit``, keyed by its path joined to ``top`` (where it is in the working tree)."""
    args = ["ls-tree", "-r", "-z", "--full-tree", commit]
    if folder:
        args += ["--", folder.rstrip("/") + "/"]
    listing = _git(top, *args)
    if listing is None:
        return {}
    wanted: list[tuple[str, str]] = []
    for entry in listing.split(b"\0"):
        if not entry or b"\t" not in entry:
            continue
        meta, name = entry.split(b"\t", 1)
        parts = meta.split()
        path = name.decode("utf-8", "replace")
        if len(parts) == 3 and parts[1] == b"blob" and path.endswith(".wit"):
            wanted.append((parts[2].decode(), path))
    if not wanted:
        return {}
    batch = _git(top, "cat-file", "--batch", data="".join(f"{sha}\n" for sha, _ in wanted).encode())
    if batch is None:
        return {}
    files: dict[str, bytes] = {}
    pos = 0
    for _, path in wanted:
        header_end = batch.index(b"\n", pos)
        header = batch[pos:header_end].split()
        size = int(header[2]) if len(header) == 3 else 0
        start = header_end + 1
        files[os.path.join(top, path)] = batch[start:start + size]
        pos = start + size + 1
    return files
