"""The deliberate differences between `wasm-tools component wit` output and `wit-ls fmt`
(docs/formatting.md), as text rules written independently of the formatter, and the corpus
packages wasm-tools accepts."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from support.oracle import corpus_dir, read_tsv

_EMPTY_BODY = re.compile(r"\{\n[ \t]*\}")
_BLANK_RUNS = re.compile(r"\n(?:[ \t]*\n){2,}")


def deliberate(printed: str) -> str:
    """``printed`` with the documented differences applied: an empty body on two lines becomes
    `{}`, runs of blank lines become one, the file ends with one line break."""
    text = _EMPTY_BODY.sub("{}", printed)
    text = _BLANK_RUNS.sub("\n\n", text)
    return text.rstrip("\n") + "\n"


def accepted_packages() -> list[Path]:
    """Every corpus input (folder or file) whose verdict is `ok` in verdicts.tsv."""
    out: list[Path] = []
    for name in ("real", "wasm-tools-tests"):
        root = corpus_dir(name)
        if root is None:
            continue
        for row in read_tsv(root / "verdicts.tsv"):
            if row.get("verdict") == "ok":
                out.append(root / row["path"])
    return out


def printed(tool: str, path: Path, *extra: str) -> str | None:
    """What wasm-tools prints for ``path`` (with all features if it needs them), or None."""
    for flags in ([], ["--all-features"]):
        proc = subprocess.run([tool, "component", "wit", str(path), *flags, *extra],
                              capture_output=True, check=False, timeout=120)
        if proc.returncode == 0:
            return proc.stdout.decode("utf-8")
    return None
