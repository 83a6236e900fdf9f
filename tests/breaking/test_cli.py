"""`wit-ls breaking` end to end: two versions of a package on disk, run as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support.git_repo import commit_all, git

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


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wit_ls", "breaking", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def _repo(root: Path) -> Path:
    """A repository whose HEAD has OLD in wit/app.wit, and a working tree that has it too."""
    wit = _write(root / "wit", OLD)
    commit_all(root, "release 0.1.0")
    return wit


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


def test_a_git_revision_as_the_old_version(tmp_path: Path) -> None:
    wit = _repo(tmp_path)
    assert _run("wit", "--against", "HEAD", cwd=tmp_path).returncode == 0
    (wit / "app.wit").write_text(OLD.replace("red, green", "red, green, blue"), encoding="utf-8")
    done = _run("wit", "--against", "HEAD", cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert any(x.startswith("wit/app.wit:4:") and "error[enum-case-added]" in x
               for x in done.stdout.splitlines()), done.stdout
    # The same from inside the package folder, with the file as PATH and an older commit.
    commit_all(tmp_path, "blue")
    done = _run("app.wit", "--against", "HEAD~1", cwd=wit)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "error[enum-case-added]" in done.stdout
    assert _run("app.wit", "--against", "HEAD", cwd=wit).returncode == 0
    # The working tree is left as it was.
    assert git(tmp_path, "status", "--porcelain") == ""


def test_a_tag_and_a_branch_name_are_revisions(tmp_path: Path) -> None:
    wit = _repo(tmp_path)
    git(tmp_path, "tag", "v0.1.0")
    git(tmp_path, "checkout", "-q", "-b", "next")
    (wit / "app.wit").write_text(OLD.replace("paint: func(c: color)", "paint: func(k: color)"),
                                 encoding="utf-8")
    commit_all(tmp_path, "rename")
    for revision in ("v0.1.0", "main", "main~0"):
        done = _run(str(wit), "--against", revision, "--format", "json")
        assert done.returncode == 1, (revision, done.stdout, done.stderr)
        rules = [c["rule"] for c in json.loads(done.stdout)["changes"]]
        assert "function-param-renamed" in rules, (revision, rules)


def test_an_existing_path_wins_over_a_revision_of_the_same_name(tmp_path: Path) -> None:
    _repo(tmp_path)
    git(tmp_path, "tag", "old")
    # A folder named like the tag, holding a version with one case fewer.
    _write(tmp_path / "old", OLD.replace("red, green", "red"))
    done = _run("wit", "--against", "old", "--format", "json", cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert [c["rule"] for c in json.loads(done.stdout)["changes"]][-1] == "enum-case-added"
    # Written so that it is no path, the name is the revision (where nothing changed).
    assert _run("wit", "--against", "old^0", cwd=tmp_path).returncode == 0


def test_neither_a_path_nor_a_revision_is_a_usage_error(tmp_path: Path) -> None:
    _repo(tmp_path / "repo")
    done = _run("wit", "--against", "no-such-thing", cwd=tmp_path / "repo")
    assert done.returncode == 2
    assert done.stderr.startswith("wit-ls: error: --against no-such-thing: no such file or "
                                  "directory, and not a git revision of the repository at "), \
        done.stderr
    outside = _write(tmp_path / "outside", OLD)
    done = _run(str(outside), "--against", "HEAD", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("wit-ls: error: --against HEAD: no such file or directory, "
                                  "and not a git revision ("), done.stderr
    assert "is not in a git repository" in done.stderr


def test_a_package_that_the_revision_does_not_have_exits_2(tmp_path: Path) -> None:
    _repo(tmp_path)
    _write(tmp_path / "later", OLD)
    done = _run("later", "--against", "HEAD", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("wit-ls: error: the old version (HEAD:later) does not "
                                  "resolve"), done.stderr
    assert "HEAD:later: no .wit files found" in done.stderr


def test_the_configuration_file_names_the_old_version(tmp_path: Path) -> None:
    wit = _repo(tmp_path)
    done = _run("wit", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("wit-ls: error: breaking: --against is needed"), done.stderr
    (tmp_path / "wit-ls.toml").write_text('[breaking]\nagainst = "HEAD"\n', encoding="utf-8")
    commit_all(tmp_path, "configured")
    assert _run("wit", cwd=tmp_path).returncode == 0
    (wit / "app.wit").write_text(OLD.replace("red, green", "green, red"), encoding="utf-8")
    done = _run("wit", cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "error[enum-case-changed]" in done.stdout
    # --against wins over the file.
    assert _run("wit", "--against", str(wit), cwd=tmp_path).returncode == 0
    (tmp_path / "wit-ls.toml").write_text('[breaking]\nagainst = ""\n', encoding="utf-8")
    done = _run("wit", cwd=tmp_path)
    assert done.returncode == 2
    assert "wit-ls.toml:2:" in done.stderr
