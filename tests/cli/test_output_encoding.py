"""The commands never fail on an output encoding that cannot write every character (a Windows
runner's code page on a pipe, ``PYTHONIOENCODING=ascii``, a Latin-1 locale): a report that
quotes a source line with ``é`` or ``→`` in a comment is written with those characters as
backslash escapes, and the exit code is the one a UTF-8 output gives (``cli._set_up_stdout``).
The expected bytes are the UTF-8 run's output escaped here with Python's own
``backslashreplace``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SOURCE = ("package demo:enc@1.0.0;\n\n"
          "/// Caf\u00e9 \u2192 bar \U0001f600\n"
          "interface i {\n"
          "  f: func() -> nope; // caf\u00e9 \u2192 \u4e2d\n"
          "  g: func(x: u32) -> u32;\n"
          "}\n")


def _run(args: list[str], cwd: Path, encoding: str, unbuffered: bool) -> tuple[int, bytes, str]:
    env = dict(os.environ, PYTHONIOENCODING=encoding, NO_COLOR="1")
    env.pop("PYTHONUNBUFFERED", None)
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    done = subprocess.run([sys.executable, "-m", "wit_ls", *args], cwd=cwd, env=env,
                          capture_output=True, timeout=120, check=False)
    return done.returncode, done.stdout, done.stderr.decode("utf-8", "replace")


@pytest.mark.parametrize("args", [["check", "."], ["lint", "."], ["parse", "enc.wit"]],
                         ids=["check", "lint", "parse"])
@pytest.mark.parametrize("encoding", ["ascii", "cp1252", "latin-1"])
@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "unbuffered"])
def test_reports_are_escaped_not_failed(tmp_path: Path, args: list[str], encoding: str,
                                        unbuffered: bool) -> None:
    (tmp_path / "enc.wit").write_text(SOURCE, encoding="utf-8")
    code, utf8, _ = _run(args, tmp_path, "utf-8", unbuffered)
    assert "\u2192".encode() in utf8  # (the report does quote the line)
    got_code, got, err = _run(args, tmp_path, encoding, unbuffered)
    assert "internal error" not in err
    assert got_code == code
    assert got == utf8.decode("utf-8").encode(encoding, "backslashreplace")


FORMATS = ["full", "concise", "json", "sarif", "github", "gitlab", "junit"]
JSON_FORMATS = {"json", "sarif", "gitlab"}


def _odd_folder(tmp_path: Path) -> Path | None:
    """A package in a folder whose name is not UTF-8 (byte 0xff), or None where the file
    system refuses such names (macOS, Windows)."""
    folder = os.fsencode(tmp_path) + b"/pkg\xffname"
    try:
        os.mkdir(folder)
    except OSError:
        return None
    with open(folder + b"/enc.wit", "w", encoding="utf-8") as out:
        out.write(SOURCE)
    return Path(os.fsdecode(folder))


@pytest.mark.parametrize("fmt", FORMATS)
def test_lint_reports_a_file_whose_name_is_not_utf8(tmp_path: Path, fmt: str) -> None:
    folder = _odd_folder(tmp_path)
    if folder is None:
        pytest.skip("this file system refuses file names that are not UTF-8")
    code, out, err = _run(["lint", "-f", fmt, folder.name], tmp_path, "utf-8", True)
    assert "internal error" not in err
    assert code == 1, err
    assert b"nope" in out
    if fmt in JSON_FORMATS:
        json.loads(out)
    # The same report written to a file (``-o``): the same bytes.
    code, _, err = _run(["lint", "-f", fmt, "-o", "report", folder.name], tmp_path, "utf-8",
                        True)
    assert "internal error" not in err
    assert code == 1, err
    assert (tmp_path / "report").read_bytes() == out


@pytest.mark.parametrize("args", [["check"], ["check", "--format", "json"], ["resolve"],
                                  ["fmt", "--check"], ["graph"]],
                         ids=["check", "check-json", "resolve", "fmt", "graph"])
def test_commands_report_a_folder_whose_name_is_not_utf8(tmp_path: Path,
                                                        args: list[str]) -> None:
    folder = _odd_folder(tmp_path)
    if folder is None:
        pytest.skip("this file system refuses file names that are not UTF-8")
    code, _, err = _run([*args, folder.name], tmp_path, "utf-8", True)
    assert "internal error" not in err
    assert "Traceback" not in err
    assert code in (0, 1), err
