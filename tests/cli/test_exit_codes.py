"""One contract for every command: exit 0 clean, 1 findings, 2 usage / configuration / input /
internal error, and errors that are not diagnostics as ``wit-ls: error: <what>`` on stderr.

The table below is commands x inputs; each cell is the exit code a user must see. The inputs are
made in a temporary folder as a user would meet them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

GOOD = "package a:b;\n\ninterface i {\n  f: func();\n}\n"
BROKEN = "package a:b;\n\ninterface i {\n  f: func(x: nope);\n}\n"


def _make(root: Path, name: str) -> str:
    """Create input ``name`` under ``root`` and return the path to pass to the command."""
    folder = root / name
    if name == "missing":
        return str(folder)
    folder.mkdir()
    if name == "empty":
        pass
    elif name == "no-wit":
        (folder / "README.md").write_text("not WIT\n")
    elif name == "non-utf8":
        (folder / "a.wit").write_bytes(GOOD.encode() + b"// caf\xe9\n")
    elif name == "binary":
        (folder / "a.wit").write_bytes(bytes(range(256)) * 40)
    elif name == "broken-config":
        (folder / "a.wit").write_text(GOOD)
        (folder / "wit-ls.toml").write_text("[lint\npreset = ")
    elif name == "error":
        (folder / "a.wit").write_text(BROKEN)
    elif name == "clean":
        (folder / "a.wit").write_text(GOOD)
    return str(folder)


INPUTS = ("missing", "empty", "no-wit", "non-utf8", "binary", "broken-config", "error", "clean")

# command -> expected exit code per input, in INPUTS order.
TABLE: dict[str, tuple[int, ...]] = {
    "parse": (2, 2, 2, 2, 2, 2, 0, 0),
    "parse --check": (2, 2, 2, 2, 2, 2, 0, 0),
    "check": (2, 2, 2, 2, 2, 2, 1, 0),
    "resolve --json": (2, 2, 2, 2, 2, 2, 1, 0),
    "lint": (2, 2, 2, 2, 2, 2, 1, 0),
    "fmt --check": (2, 2, 2, 2, 2, 2, 0, 0),
    # A graph is drawn from what resolved: errors are reported on stderr, not a failure.
    "graph": (2, 2, 2, 2, 2, 2, 0, 0),
    # Versions that do not resolve cannot be compared: an input error.
    "breaking {path} --against {path}": (2, 2, 2, 2, 2, 2, 2, 0),
}

CASES = [(cmd, name, code) for cmd, codes in TABLE.items()
         for name, code in zip(INPUTS, codes, strict=True)]


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wit_ls", *args], cwd=cwd, text=True,
                          capture_output=True, timeout=60, check=False)


@pytest.mark.parametrize(("command", "name", "expected"), CASES,
                         ids=[f"{c}-{n}" for c, n, _ in CASES])
def test_exit_code(tmp_path: Path, command: str, name: str, expected: int) -> None:
    path = _make(tmp_path, name)
    args = command.format(path=path).split() if "{path}" in command else [*command.split(), path]
    result = _run(args, tmp_path)
    assert result.returncode == expected, (result.stdout[-2000:], result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    if command == "lint" and expected == 2:
        assert "All checks passed" not in result.stdout
    if expected == 2 and name in ("missing", "empty", "no-wit", "broken-config"):
        # Not a diagnostic: one line in the shared shape, saying what is wrong.
        assert result.stderr.startswith("wit-ls: error: "), result.stderr
        what = {"missing": "no such file or directory", "empty": "no .wit files found",
                "no-wit": "no .wit files found", "broken-config": "wit-ls.toml:1:"}[name]
        assert what in result.stderr, result.stderr


# `breaking --against REV` in a repository whose HEAD holds GOOD, by what the working tree holds
# and what REV is: a revision that is neither a path nor a commit is a usage error.
REVISION_TABLE = [("clean", "HEAD", 0), ("changed", "HEAD", 1), ("error", "HEAD", 2),
                  ("clean", "no-such-revision", 2), ("clean", "HEAD~5", 2)]


@pytest.mark.parametrize(("tree", "revision", "expected"), REVISION_TABLE,
                         ids=[f"{t}-{r}" for t, r, _ in REVISION_TABLE])
def test_breaking_against_a_revision(tmp_path: Path, tree: str, revision: str,
                                     expected: int) -> None:
    from tests.support.git_repo import commit_all

    (tmp_path / "wit").mkdir()
    (tmp_path / "wit" / "a.wit").write_text(GOOD)
    commit_all(tmp_path, "one")
    text = {"clean": GOOD, "changed": GOOD.replace("func()", "func(x: u8)"), "error": BROKEN}
    (tmp_path / "wit" / "a.wit").write_text(text[tree])
    result = _run(["breaking", "wit", "--against", revision], tmp_path)
    assert result.returncode == expected, (result.stdout[-2000:], result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    if expected == 2:
        assert result.stderr.startswith("wit-ls: error: "), result.stderr
    if revision != "HEAD":
        assert f"--against {revision}: no such file or directory, and not a git revision" \
            in result.stderr


def test_binary_file_is_one_short_error(tmp_path: Path) -> None:
    path = _make(tmp_path, "binary")
    result = _run(["check", path], tmp_path)
    assert result.stdout.count("error[") == 1, result.stdout
    assert "binary-file" in result.stdout
    assert "missing-package-header" not in result.stdout
    # wit-parser's message, and why in a note under it.
    assert "error[binary-file]: Control code '\\u{0}'\n" in result.stdout, result.stdout
    assert "= help: this looks like a binary file, not WIT text" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) < 160


def test_config_features_apply_to_check(tmp_path: Path) -> None:
    (tmp_path / "a.wit").write_text(
        "package a:b;\n\n@unstable(feature = x)\ninterface i {}\n\nworld w {\n  import i;\n}\n")
    assert _run(["check", str(tmp_path)], tmp_path).returncode == 1
    (tmp_path / "wit-ls.toml").write_text('features = ["x"]\n')
    assert _run(["check", str(tmp_path)], tmp_path).returncode == 0


def test_serve_log_file_in_missing_folder(tmp_path: Path) -> None:
    result = _run(["serve", "--log-file", str(tmp_path / "nope" / "server.log")], tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("wit-ls: error: cannot write the log file"), result.stderr


def test_unknown_option_value_is_a_usage_error(tmp_path: Path) -> None:
    result = _run(["check", "--format", "yaml", str(tmp_path)], tmp_path)
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_tcp_ends_after_exit(tmp_path: Path) -> None:
    import json
    import socket
    import time

    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "wit_ls", "serve", "--tcp",
                               f"127.0.0.1:{port}"], cwd=tmp_path, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                conn = socket.create_connection(("127.0.0.1", port))
                break
            except OSError:
                assert time.monotonic() < deadline, "the server never listened"
                time.sleep(0.1)
        with conn:
            def send(message: dict[str, object]) -> None:
                body = json.dumps(message).encode()
                conn.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body)

            send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                  "params": {"capabilities": {}, "processId": None, "rootUri": None}})
            send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
            send({"jsonrpc": "2.0", "method": "exit"})
            assert server.wait(timeout=30) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_every_option_is_documented() -> None:
    import argparse
    import importlib

    from wit_ls.cli import COMMANDS, build_parser

    _, subparsers = build_parser()
    missing = []
    for name, (module, _) in COMMANDS.items():
        importlib.import_module(module).add_arguments(subparsers[name])
        missing += [f"{name} {action.option_strings or action.dest}"
                    for action in subparsers[name]._actions
                    if action.help is None and not isinstance(action, argparse._HelpAction)]
    assert not missing
