"""The command line's output is written whole when ``PYTHONUNBUFFERED`` is set and a stop
(job control's SIGSTOP/SIGCONT) cuts a write to the pipe short: ``wit-ls fmt --stdin`` as an
editor's formatting filter hands the editor the whole formatted file, never its first 64 KiB
(``cli._set_up_stdout``)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from support.stopped_writer import LINUX, PIPE_BYTES, read_while_stopping

REPO = Path(__file__).resolve().parents[2]


def _source() -> bytes:
    """A package of about 300 KB, written the way the formatter writes it back."""
    rows = ["package demo:big@1.0.0;", ""]
    for n in range(60):
        rows += [f"interface iface{n} {{"]
        rows += [f"  op{n}-{k}: func(first: u32, second: string) -> result<list<u8>, string>;"
                 for k in range(60)]
        rows += ["}", ""]
    return "\n".join(rows).encode()


def _fmt(stdin: bytes, env: dict[str, str], stop: bool) -> tuple[bytes, int, int]:
    with tempfile.TemporaryFile() as source:
        source.write(stdin)
        source.seek(0)
        child = subprocess.Popen([sys.executable, "-m", "wit_ls", "fmt", "--stdin"], stdin=source,
                                 stdout=subprocess.PIPE, env=env, cwd=REPO)
        if stop:
            got, stops = read_while_stopping(child)
        else:
            got = child.communicate(timeout=120)[0]
            stops = 0
    return got, stops, child.returncode


@pytest.mark.skipif(not LINUX, reason="stops a child process through Linux's /proc")
def test_fmt_filter_output_is_whole_after_stops() -> None:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    source = _source()
    expected, _, code = _fmt(source, env, stop=False)
    assert code == 0
    assert len(expected) > 3 * PIPE_BYTES
    got, stops, code = _fmt(source, env, stop=True)
    assert code == 0
    assert stops >= 1
    assert len(got) == len(expected)
    assert got == expected
