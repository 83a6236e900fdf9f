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
    [line] = [x for x in done.stdout.splitlines() if "error[enum-case-added]" in x]
    assert line.startswith(f"{new / 'app.wit'}:4:")


def test_json_output_and_a_compatible_change(tmp_path: Path) -> None:
    old = _write(tmp_path / "old", OLD)
    new = _write(tmp_path / "new", OLD.replace("0.1.0", "0.2.0")
                 .replace("red, green", "red, green, blue"))
    done = _run(str(new), "--against", str(old), "--format", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    changes = json.loads(done.stdout)["changes"]
    assert [(c["rule"], c["level"]) for c in changes] == [("enum-case-added", "info")]
    assert changes[0]["path"].endswith("app.wit")


def test_a_version_that_does_not_resolve_exits_2(tmp_path: Path) -> None:
    old = _write(tmp_path / "old", OLD)
    new = _write(tmp_path / "new", OLD.replace("paint: func(c: color)", "paint: func(c: colour)"))
    done = _run(str(new), "--against", str(old))
    assert done.returncode == 2
    assert "does not resolve" in done.stderr


def test_a_package_that_is_not_there_is_a_usage_error(tmp_path: Path) -> None:
    old = _write(tmp_path / "old", OLD)
    new = _write(tmp_path / "new", OLD)
    done = _run(str(new), "--against", str(old), "--package", "example:nope")
    assert done.returncode == 2
    assert "no package `example:nope`" in done.stderr


def test_findings_are_sorted_by_file_and_position(tmp_path: Path) -> None:
    old = _write(tmp_path / "old", OLD)
    (old / "more.wit").write_text("package example:app@0.1.0;\n\ninterface zz {\n  z: func();\n}\n",
                                 encoding="utf-8")
    new = _write(tmp_path / "new", OLD.replace("paint: func(c: color)", "paint: func(c: color, d: u8)")
                 .replace("red, green", "red, green, blue"))
    (new / "more.wit").write_text("package example:app@0.1.0;\n\ninterface zz {\n  z: func(a: u8);\n}\n",
                                 encoding="utf-8")
    done = _run(str(new), "--against", str(old), "--format", "json")
    places = [(c["path"], c["line"], c["column"]) for c in json.loads(done.stdout)["changes"]]
    assert len(places) >= 3
    assert places == sorted(places)
    assert {Path(p).name for p, _, _ in places} == {"app.wit", "more.wit"}


def test_fail_on_takes_the_level_names_of_lint(tmp_path: Path) -> None:
    old = _write(tmp_path / "old", OLD)
    # A new function: a warning (it breaks exporters only).
    new = _write(tmp_path / "new", OLD.replace("  paint:", "  other: func();\n  paint:")
                 .replace("0.1.0", "0.1.1"))
    assert _run(str(new), "--against", str(old)).returncode == 0
    assert _run(str(new), "--against", str(old), "--fail-on", "warn").returncode == 1
    assert _run(str(new), "--against", str(old), "--fail-on", "hint").returncode == 1
    assert _run(str(new), "--against", str(old), "--fail-on", "bogus").returncode == 2
