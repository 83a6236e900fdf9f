"""``wit-ls fmt`` as a process: in place, --check, --diff, --stdin, configuration, deps/
exclusion, bad input, line endings, and the pre-commit hook's entry."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MESSY = "package a:b;\ninterface i{f:func(a:u32);}\n"
TIDY = "package a:b;\ninterface i {\n  f: func(a: u32);\n}\n"
LONG = "package a:b;\ninterface i {\n  f: func(first-parameter: u32, second-parameter: u32);\n}\n"


def fmt(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.run([sys.executable, "-m", "wit_ls", "fmt", *args], cwd=cwd, env=env,
                          input=stdin, capture_output=True, timeout=120)
    assert b"Traceback" not in proc.stderr, proc.stderr.decode()
    return proc


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def test_in_place_then_nothing_to_do(tmp_path: Path) -> None:
    file = write(tmp_path / "wit" / "a.wit", MESSY)
    proc = fmt("wit", cwd=tmp_path)
    assert proc.returncode == 0
    assert file.read_text("utf-8") == TIDY
    assert b"reformatted wit/a.wit" in proc.stderr
    again = fmt("--check", "wit", cwd=tmp_path)
    assert (again.returncode, again.stderr) == (0, b"")


def test_check_and_diff_change_nothing_and_exit_1(tmp_path: Path) -> None:
    file = write(tmp_path / "wit" / "a.wit", MESSY)
    check = fmt("--check", "wit", cwd=tmp_path)
    assert check.returncode == 1
    assert b"would reformat wit/a.wit" in check.stderr
    diff = fmt("--diff", "wit", cwd=tmp_path)
    assert diff.returncode == 1
    assert b"--- a/wit/a.wit" in diff.stdout and b"+interface i {" in diff.stdout
    assert file.read_text("utf-8") == MESSY


def test_deps_are_skipped_unless_named(tmp_path: Path) -> None:
    dep = write(tmp_path / "wit" / "deps" / "d" / "d.wit", MESSY)
    write(tmp_path / "wit" / "a.wit", TIDY)
    assert fmt("--check", "wit", cwd=tmp_path).returncode == 0
    assert fmt("--check", "--include-deps", "wit", cwd=tmp_path).returncode == 1
    named = fmt("wit/deps/d/d.wit", cwd=tmp_path)
    assert named.returncode == 0
    assert dep.read_text("utf-8") == TIDY


@pytest.mark.parametrize("name,table", [
    ("wit-ls.toml", "[format]"),
    (".wit-ls.toml", "[format]"),
    ("pyproject.toml", "[tool.wit-ls.format]"),
])
def test_format_table_sets_indent_and_width(tmp_path: Path, name: str, table: str) -> None:
    write(tmp_path / name, f"{table}\nindent-width = 4\nline-width = 50\n")
    file = write(tmp_path / "wit" / "a.wit", LONG)
    assert fmt("wit", cwd=tmp_path).returncode == 0
    assert file.read_text("utf-8") == (
        "package a:b;\ninterface i {\n    f: func(\n        first-parameter: u32,\n"
        "        second-parameter: u32,\n    );\n}\n")
    # The command line wins over the file.
    assert fmt("--indent", "2", "--line-width", "100", "wit", cwd=tmp_path).returncode == 0
    assert file.read_text("utf-8") == LONG


def test_bad_format_table_is_exit_2_with_its_location(tmp_path: Path) -> None:
    write(tmp_path / "wit-ls.toml", "[format]\nline-width = 100\nindent = 3\n")
    write(tmp_path / "wit" / "a.wit", MESSY)
    proc = fmt("wit", cwd=tmp_path)
    assert proc.returncode == 2
    assert re.search(rb"wit-ls\.toml:3:1: unknown key `format\.indent`", proc.stderr)


def test_stdin_filter_check_and_diff(tmp_path: Path) -> None:
    plain = fmt("--stdin", cwd=tmp_path, stdin=MESSY.encode())
    assert (plain.returncode, plain.stdout) == (0, TIDY.encode())
    check = fmt("--stdin", "--check", cwd=tmp_path, stdin=MESSY.encode())
    assert (check.returncode, check.stdout) == (1, b"")
    assert b"would reformat <stdin>" in check.stderr
    assert fmt("--stdin", "--check", cwd=tmp_path, stdin=TIDY.encode()).returncode == 0
    diff = fmt("--stdin", "--diff", "--stdin-filename", "wit/a.wit", cwd=tmp_path,
               stdin=MESSY.encode())
    assert diff.returncode == 1 and b"+++ b/wit/a.wit" in diff.stdout


def test_stdin_filename_finds_the_configuration(tmp_path: Path) -> None:
    write(tmp_path / "sub" / "wit-ls.toml", "[format]\nindent-width = 4\n")
    proc = fmt("--stdin", "--stdin-filename", "sub/wit/a.wit", cwd=tmp_path,
               stdin=MESSY.encode())
    assert proc.stdout == TIDY.replace("  f:", "    f:").encode()
    assert fmt("--stdin", cwd=tmp_path, stdin=MESSY.encode()).stdout == TIDY.encode()


def test_bad_input_is_reported_and_left_alone(tmp_path: Path) -> None:
    latin = write(tmp_path / "wit" / "a.wit", b"package a:b;\ninterface \xe9 {}\n")
    broken = write(tmp_path / "wit" / "b.wit", "package a:b;\ninterface j { f: func(; }\n")
    good = write(tmp_path / "wit" / "c.wit", MESSY)
    proc = fmt("wit", cwd=tmp_path)
    assert proc.returncode == 2  # undecodable input
    lines = proc.stderr.decode().splitlines()
    assert any(line.startswith("wit/a.wit:2:11: not UTF-8") for line in lines), lines
    assert any(re.match(r"wit/b\.wit:2:\d+: ", line) for line in lines), lines
    assert latin.read_bytes() == b"package a:b;\ninterface \xe9 {}\n"
    assert broken.read_text("utf-8") == "package a:b;\ninterface j { f: func(; }\n"
    assert good.read_text("utf-8") == TIDY
    # Syntax errors alone: exit 1.
    latin.unlink()
    assert fmt("--check", "wit", cwd=tmp_path).returncode == 1
    missing = fmt("wit/nope.wit", cwd=tmp_path)
    assert missing.returncode == 2


def test_crlf_and_bom_survive(tmp_path: Path) -> None:
    crlf = write(tmp_path / "wit" / "a.wit", MESSY.replace("\n", "\r\n"))
    bom = write(tmp_path / "wit" / "b.wit", "\ufeff" + MESSY)
    assert fmt("wit", cwd=tmp_path).returncode == 0
    assert crlf.read_bytes() == TIDY.replace("\n", "\r\n").encode()
    assert bom.read_bytes() == ("\ufeff" + TIDY).encode()
    assert fmt("--check", "wit", cwd=tmp_path).returncode == 0


def test_bad_options_exit_2(tmp_path: Path) -> None:
    assert fmt("--indent", "40", cwd=tmp_path).returncode == 2
    assert fmt("--line-width", "5", cwd=tmp_path).returncode == 2


def _hook(hook_id: str) -> dict[str, str]:
    text = (REPO / ".pre-commit-hooks.yaml").read_text("utf-8")
    block = text.split(f"- id: {hook_id}\n", 1)[1].split("\n- id:", 1)[0]
    return dict(re.findall(r"^\s+([a-z_]+): (.*)$", block, re.M))


def test_pre_commit_hook_formats_the_files_it_is_given(tmp_path: Path) -> None:
    """What pre-commit runs: the hook's entry with the staged files that match `files`."""
    hook = _hook("wit-ls-fmt")
    changed = write(tmp_path / "wit" / "a.wit", MESSY)
    untouched = write(tmp_path / "wit" / "b.wit", MESSY)
    write(tmp_path / "README.md", "not wit")
    staged = [p for p in ("wit/a.wit", "README.md") if re.search(hook["files"], p)]
    assert staged == ["wit/a.wit"]
    entry = shlex.split(hook["entry"])
    assert entry[:2] == ["wit-ls", "fmt"]
    proc = fmt(*entry[2:], *staged, cwd=tmp_path)
    assert proc.returncode == 0  # pre-commit fails the hook because the file changed
    assert changed.read_text("utf-8") == TIDY
    assert untouched.read_text("utf-8") == MESSY
    check = _hook("wit-ls-fmt-check")
    proc = fmt(*shlex.split(check["entry"])[2:], "wit/b.wit", cwd=tmp_path)
    assert proc.returncode == 1 and untouched.read_text("utf-8") == MESSY


def test_many_files_same_results_in_order(tmp_path: Path) -> None:
    """Enough files for the worker processes: the same messages, in path order."""
    for i in range(80):
        write(tmp_path / "wit" / f"f{i:02}.wit", MESSY if i % 3 == 0 else TIDY)
    write(tmp_path / "wit" / "f50.wit", "package a:b;\ninterface j { f: func(; }\n")
    proc = fmt("--check", "wit", cwd=tmp_path)
    assert proc.returncode == 1
    lines = proc.stderr.decode().splitlines()
    expected = [f"would reformat wit/f{i:02}.wit" for i in range(0, 80, 3)]
    assert [line for line in lines if line.startswith("would")] == expected
    assert [line[:10] for line in lines if not line.startswith("would")] == ["wit/f50.wi"]
    assert fmt("wit", cwd=tmp_path).returncode == 1  # the broken file
    assert fmt("--check", "wit", cwd=tmp_path).stderr.decode().count("would reformat") == 0



# `wit-ls fmt`, saying so on stderr whenever it or a worker it forks is sent SIGTERM.
FMT_TELLING_SIGTERM = """
import os, signal, sys
signal.signal(signal.SIGTERM, lambda *_: os.write(2, b"signalled\\n"))
sys.argv = ["wit-ls", "fmt", *sys.argv[1:]]
from wit_ls.cli import main
sys.exit(main())
"""


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the worker processes need two cores")
def test_the_workers_are_asked_to_stop_not_signalled(tmp_path: Path) -> None:
    """Many files go to worker processes; once their results are in, the workers are asked to
    stop and waited for. Signalled instead (as a pool's `with` does), a worker stopped while it
    held the task queue's lock could leave another waiting for that lock for good, and the
    command with it (seen under coverage, which installs a SIGTERM handler)."""
    for i in range(80):
        write(tmp_path / "wit" / f"f{i:02}.wit", MESSY if i % 2 else TIDY)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.run([sys.executable, "-c", FMT_TELLING_SIGTERM, "--check", "wit"],
                          cwd=tmp_path, env=env, capture_output=True, timeout=120)
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert err.count("would reformat") == 40
    assert "signalled" not in err


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the worker processes need two cores")
def test_ctrl_c_ends_the_command_without_tracebacks(tmp_path: Path) -> None:
    """Ctrl-C reaches the whole process group: the command ends with 130 and its workers
    leave the interrupt to it (each wrote a KeyboardInterrupt traceback before)."""
    body = "".join(f"op{k}:func(a:u32,b:string)->result<list<u8>,string>;" for k in range(150))
    for i in range(300):
        write(tmp_path / "wit" / f"f{i:03}.wit", f"package a:b;\ninterface i{{{body}}}\n")
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.Popen([sys.executable, "-m", "wit_ls", "fmt", "--check", "wit"],
                            cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    assert proc.stderr is not None
    try:
        first = proc.stderr.readline()  # the workers are at work
        assert first.startswith(b"would reformat"), first
        os.killpg(proc.pid, signal.SIGINT)
        rest = proc.stderr.read().decode()
        code = proc.wait(60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        proc.stderr.close()
    assert "Traceback" not in rest and "KeyboardInterrupt" not in rest, rest
    assert code in (130, 1), rest  # (1: every file was done before the interrupt came)
