"""Folders of ``deps/`` that hold no ``*.wit`` file: wit-parser parses every directory of
``deps/`` as a package, so an empty one (or one of other files, or a symlink to a folder of
folders) fails with "no `package` header was found in any WIT file for this package", at
that directory. wit-ls once skipped such folders and accepted what wasm-tools rejects. The
expected verdict and message come from wasm-tools where it is installed; the model's are
checked on disk and over an in-memory file system."""

from __future__ import annotations

import contextlib
import io
import json
import os
from pathlib import Path

import pytest
from support.oracle import run_oracle, wasm_tools

from wit_ls.cli import main
from wit_ls.model import MemoryFileSystem, Options, analyze
from wit_ls.syntax import Severity

MESSAGE = "no `package` header was found in any WIT file for this package"
ROOT = "package a:b;\ninterface i { f: func(); }\n"


def _layout(tmp_path: Path, kind: str) -> Path:
    root = tmp_path / "wit"
    (root / "deps").mkdir(parents=True)
    (root / "a.wit").write_text(ROOT, encoding="utf-8")
    dep = root / "deps" / "empty"
    if kind == "empty":
        dep.mkdir()
    elif kind == "other files":
        dep.mkdir()
        (dep / "README.md").write_text("vendored by hand\n", encoding="utf-8")
        (dep / "deps.toml").write_text("", encoding="utf-8")
    elif kind == "folder of folders":
        (dep / "inner").mkdir(parents=True)
        (dep / "inner" / "x.wit").write_text("package x:y;\ninterface j {}\n", encoding="utf-8")
    elif kind == "symlink up":
        os.symlink("../..", dep)  # wit/deps/empty -> the folder that holds wit/
    return root


def _check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[dict[str, str]]]:
    """``wit-ls check --format json wit`` in ``tmp_path``: the exit code and the errors."""
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["check", "--format", "json", "--no-cache", "wit"])
    return code, [e for e in json.loads(out.getvalue()) if e["severity"] == "error"]


KINDS = ["empty", "other files", "folder of folders", "symlink up"]


@pytest.mark.parametrize("kind", KINDS)
def test_check_rejects_a_deps_folder_without_wit_files(tmp_path: Path, kind: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    root = _layout(tmp_path, kind)
    code, errors = _check(tmp_path, monkeypatch)
    assert code == 1
    assert [(e["path"], e["message"]) for e in errors] == [("wit/deps/empty", MESSAGE)]
    if wasm_tools() is not None:
        result = run_oracle(root.relative_to(tmp_path), cwd=tmp_path)
        assert not result.ok
        assert MESSAGE in result.output and "wit/deps/empty" in result.output, result.output


def test_model_reports_it_over_any_file_system() -> None:
    files = {"wit/a.wit": ROOT, "wit/deps/empty/README.md": "x\n",
             "wit/deps/ok/x.wit": "package x:y;\ninterface j {}\n"}
    analysis = analyze(MemoryFileSystem(files), ["wit"], Options())
    errors = [(d.path, d.message) for d in analysis.diagnostics
              if d.severity == Severity.ERROR]
    assert errors == [("wit/deps/empty", MESSAGE)]


# Entries wit-parser cannot read or ask about: (layout, the path reported, wasm-tools judges
# it). A FIFO named `*.wit` wasm-tools reads and waits on for good; wit-ls never opens one
# but to see it is not a regular file.
ODD = [("dangling .wit link in the package", "wit/broken.wit", True),
       ("dangling link in deps", "wit/deps/broken", True),
       ("dangling .wit link in deps", "wit/deps/broken.wit", True),
       ("link loop in deps", "wit/deps/loop-a", True),
       ("fifo named .wit", "wit/pipe.wit", False)]


def _odd_layout(tmp_path: Path, kind: str) -> Path:
    root = tmp_path / "wit"
    (root / "deps").mkdir(parents=True)
    (root / "a.wit").write_text(ROOT, encoding="utf-8")
    if kind == "dangling .wit link in the package":
        os.symlink("nowhere.wit", root / "broken.wit")
    elif kind == "dangling link in deps":
        os.symlink("nowhere", root / "deps" / "broken")
    elif kind == "dangling .wit link in deps":
        os.symlink("nowhere.wit", root / "deps" / "broken.wit")
    elif kind == "link loop in deps":
        os.symlink("loop-b", root / "deps" / "loop-a")
        os.symlink("loop-a", root / "deps" / "loop-b")
    elif kind == "fifo named .wit":
        os.mkfifo(root / "pipe.wit")
    return root


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX links and FIFOs")
@pytest.mark.parametrize(("kind", "where", "oracle"), ODD, ids=[o[0] for o in ODD])
def test_entries_that_cannot_be_read_are_errors(tmp_path: Path, kind: str, where: str,
                                                oracle: bool,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    root = _odd_layout(tmp_path, kind)
    code, errors = _check(tmp_path, monkeypatch)
    assert code == 2  # (a read error is an input error)
    assert [(e["path"], e["code"]) for e in errors][:1] == [(where, "read-error")]
    if oracle and wasm_tools() is not None:
        result = run_oracle(root.relative_to(tmp_path), cwd=tmp_path, timeout=30)
        assert not result.ok
