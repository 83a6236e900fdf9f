"""``wit-ls check`` and ``wit-ls resolve`` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wit_ls", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=60)


def test_check_and_resolve(tmp_path: Path) -> None:
    wit = tmp_path / "wit"
    wit.mkdir()
    (wit / "a.wit").write_text("package a:b;\ninterface i { f: func(x: nope); }\n")
    proc = run("check", cwd=tmp_path)
    assert proc.returncode == 1 and "name `nope` does not exist" in proc.stdout
    assert "a.wit:2:" in proc.stdout
    proc = run("check", "--format", "json", "wit", cwd=tmp_path)
    (diag,) = json.loads(proc.stdout)
    assert diag["range"]["start"] == {"line": 1, "character": 25}
    assert diag["severity"] == "error" and diag["code"] == "unknown-name"
    (wit / "a.wit").write_text("package a:b;\ninterface i { f: func(x: u32); }\n")
    assert run("check", "wit", cwd=tmp_path).returncode == 0
    proc = run("resolve", "wit", "--json", cwd=tmp_path)
    assert proc.returncode == 0 and json.loads(proc.stdout)["packages"][0]["name"] == "a:b"
    assert run("check", "missing", cwd=tmp_path).returncode == 2
    (wit / "b.wit").write_bytes(b"package a:b;\n\xff\n")
    proc = run("check", "wit", cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr  # input error


def test_check_does_not_import_the_language_server(tmp_path: Path) -> None:
    code = ("import sys; from wit_ls.cli import main; main(['check', '.']); "
            "print(any(m.startswith(('pygls', 'lsprotocol')) for m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)
    assert proc.stdout.strip().endswith("False")
