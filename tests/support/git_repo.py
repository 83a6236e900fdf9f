"""Git repositories made by tests, in a temporary folder: a fixed author, no signing, nothing
read from the user's configuration that could change the outcome."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd`` and return its output (raises on failure)."""
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_TERMINAL_PROMPT": "0"}
    done = subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@localhost",
                           "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
                          cwd=cwd, check=True, capture_output=True, text=True, timeout=60,
                          env=env)
    return done.stdout


def commit_all(root: Path, message: str) -> None:
    """Commit everything under ``root`` (made a repository first if it is not one)."""
    if not (root / ".git").exists():
        git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
