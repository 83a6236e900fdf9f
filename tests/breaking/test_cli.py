"""`wit-ls breaking` end to end: two versions of a package on disk, run as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

OLD = """package example:app@0.1.0;

interface api {
  enum color { red, green }
  paint: func(c: color) -> string;
}

world app {
  export api;
}
"""


def _write(root: Path, text: str) -> Path:
    root.mkdir(parents=True)
    (root / "app.wit").write_text(text, encoding="utf-8")
    return root


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wit_ls", "breaking", *args],
                          capture_output=True, text=True, timeout=120)


def test_enum_case_added_within_a_track_fails_with_a_location(tmp_path: Path) -> None:
    old = _write(tmp_path / "old", OLD)
    new = _write(tmp_path / "new", OLD.replace("red, green", "red, green, blue")
                 .replace("0.1.0", "0.1.1"))
    done = _run(str(new), "--against", str(old))
    assert done.returncode == 1, done.stdout + done.stderr
    first = done.stdout.splitlines()[0]
    assert first.startswith(f"{new / 'app.wit'}:4:")
    assert "error[enum-case-added]" in first


def test_json_output_and_a_compatible_change(tmp_path: Path) -> None:
    old = _write(tmp_path / "old", OLD)
    new = _write(tmp_path / "new", OLD.replace("0.1.0", "0.2.0")
                 .replace("red, green", "red, green, blue"))
    done = _run(str(new), "--against", str(old), "--format", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    changes = json.loads(done.stdout)
    assert [(c["rule"], c["level"]) for c in changes] == [("enum-case-added", "info")]
    assert changes[0]["path"].endswith("app.wit")


def test_a_version_that_does_not_resolve_exits_2(tmp_path: Path) -> None:
    old = _write(tmp_path / "old", OLD)
    new = _write(tmp_path / "new", OLD.replace("paint: func(c: color)", "paint: func(c: colour)"))
    done = _run(str(new), "--against", str(old))
    assert done.returncode == 2
    assert "does not resolve" in done.stderr
