"""`wit-ls lint --fix` over the whole real-world corpus, under every preset, with and without
unsafe fixes: safe fixes leave `wasm-tools component wit --json` of every package unchanged,
every package wasm-tools accepted before still passes, and a second run finds nothing to fix
(fixes converge in one run, across all files of a package)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from lint.helpers import CORPUS
from support.oracle import read_tsv, wasm_tools

from wit_ls.cli import main
from wit_ls.lint.config import PRESETS

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"real-world corpus not present at {CORPUS}"),
    pytest.mark.skipif(wasm_tools() is None, reason="wasm-tools not found"),
]


def _accepted() -> list[str]:
    """Inputs (folders or files, relative to the corpus) that wasm-tools accepts as they are."""
    return [row["path"] for row in read_tsv(CORPUS / "verdicts.tsv") if row["verdict"] == "ok"]


def _json(root: Path, rel: str) -> bytes | None:
    tool = wasm_tools()
    assert tool is not None
    proc = subprocess.run([tool, "component", "wit", "--json", rel], cwd=root,
                          capture_output=True, timeout=120, check=False)
    return proc.stdout if proc.returncode == 0 else None


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.wit")}


def _changed(rel: str, before: dict[str, bytes], after: dict[str, bytes]) -> bool:
    inside = [k for k in before if k == rel or k.startswith(rel + "/")]
    return any(before[k] != after.get(k) for k in inside)


_ORIGINAL: dict[str, bytes | None] = {}


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
@pytest.mark.parametrize("preset", PRESETS)
def test_fix_the_corpus(preset: str, unsafe: bool, tmp_path: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "real"
    shutil.copytree(CORPUS, root)
    before = _snapshot(root)
    flags = ["--fix", "--preset", preset, "--isolated", "--exit-zero", "-f", "concise"]
    if unsafe:
        flags.append("--unsafe-fixes")
    assert main(["lint", str(root), *flags]) == 0
    after = _snapshot(root)
    capsys.readouterr()
    assert main(["lint", str(root), *flags]) == 0
    second = capsys.readouterr().out
    assert _snapshot(root) == after, "a second --fix run still changed files"
    assert "Fixed" not in second
    broken, changed_meaning = [], []
    for rel in _accepted():
        if not _changed(rel, before, after):
            continue
        if rel not in _ORIGINAL:
            _ORIGINAL[rel] = _json(CORPUS, rel)
        now = _json(root, rel)
        if now is None:
            broken.append(rel)
        elif not unsafe and now != _ORIGINAL[rel]:
            changed_meaning.append(rel)
    assert not broken, f"fixes broke packages wasm-tools accepted: {broken}"
    assert not changed_meaning, f"safe fixes changed `component wit --json` of {changed_meaning}"
