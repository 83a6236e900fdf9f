"""Paths of the grammar folder and of the shared corpora (../shared beside the checkout)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
GRAMMAR = REPO / "grammar"
SHARED = REPO.parent / "shared"
REAL = SHARED / "corpus" / "real"
UI = SHARED / "corpus" / "wasm-tools-tests"


def real_corpus_files() -> list[Path]:
    """Every .wit of ../shared/corpus/real that wasm-tools 1.262 accepts.

    A `dir` row is accepted when its verdict is `ok` or its note ends in `: ok` (it resolves once
    its deps.toml path dependencies are materialised); its files are the folder's *.wit and
    deps/**/*.wit. A `file` row is one file.
    """
    table = REAL / "verdicts.tsv"
    if not table.is_file():
        return []
    files: set[Path] = set()
    with table.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            note = (row.get("note") or "").strip()
            if row["verdict"] != "ok" and not note.endswith(": ok"):
                continue
            path = REAL / row["path"]
            if row["input_kind"] == "file":
                files.add(path)
            else:
                files.update(path.glob("*.wit"))
                files.update((path / "deps").glob("**/*.wit"))
    return sorted(files)


def ui_corpus_files() -> list[Path]:
    """Every .wit of the wit-parser `tests/ui` cases (not parse-fail) that wasm-tools accepts."""
    table = UI / "verdicts.tsv"
    if not table.is_file():
        return []
    files: set[Path] = set()
    with table.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            rel = row["path"]
            if row["verdict"] != "ok" or "/parse-fail/" in rel:
                continue
            path = UI / rel
            if path.is_dir():
                files.update(path.glob("**/*.wit"))
            elif path.suffix == ".wit":
                files.add(path)
    return sorted(files)


def require_shared() -> None:
    if not SHARED.is_dir():
        pytest.skip(f"no shared corpus beside the checkout ({SHARED.name}/ next to the repo)")


def relative(path: Path) -> str:
    try:
        return str(path.relative_to(SHARED))
    except ValueError:
        return str(path)
