"""How ``wit-ls serve`` reads its standard input: from a pipe, the event loop reads it itself
(a message wakes the server once, not a reader thread and then the loop); from a regular
file, which the loop cannot watch, a reader thread does. Both read every message, with the
light first answer (which reads the descriptor itself before the handover) and without."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from wit_ls.lsp.transport import stdin_reader

# `wit-ls serve` with the name of every thread started written to stderr at exit.
SERVE_NAMING_THREADS = """
import sys, threading
names = []
start = threading.Thread.start
def recorded(self):
    names.append(self.name)
    start(self)
threading.Thread.start = recorded
sys.argv = ["wit-ls", "serve"]
from wit_ls.cli import main
code = main()
sys.stderr.write("threads: %r\\n" % names)
sys.exit(code)
"""


def _frame(message: dict[str, object]) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


SESSION = b"".join(_frame(m) for m in [
    {"jsonrpc": "2.0", "id": 1, "method": "initialize",
     "params": {"processId": None, "capabilities": {}, "rootUri": None}},
    {"jsonrpc": "2.0", "method": "initialized", "params": {}},
    {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
    {"jsonrpc": "2.0", "method": "exit"},
])


def _serve(stdin: int | None, data: bytes | None, first_answer: bool,
           tmp_path: Path) -> tuple[bytes, str]:
    env = {**os.environ, "WIT_LS_FIRST_ANSWER": "1" if first_answer else "0"}
    proc = subprocess.run([sys.executable, "-c", SERVE_NAMING_THREADS], input=data,
                          stdin=stdin, capture_output=True, cwd=tmp_path, env=env,
                          timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout, proc.stderr.decode()


@pytest.mark.parametrize("first_answer", [True, False])
def test_a_pipe_is_read_by_the_event_loop(first_answer: bool, tmp_path: Path) -> None:
    out, err = _serve(None, SESSION, first_answer, tmp_path)
    assert b'"id": 1' in out and b'"id": 2' in out, out
    assert "threads:" in err and "wit-ls-stdin" not in err, err


@pytest.mark.parametrize("first_answer", [True, False])
def test_a_regular_file_is_read_by_a_thread(first_answer: bool, tmp_path: Path) -> None:
    messages = tmp_path / "in.bin"
    messages.write_bytes(SESSION)
    with messages.open("rb") as stdin:
        out, err = _serve(stdin.fileno(), None, first_answer, tmp_path)
    assert b'"id": 1' in out and b'"id": 2' in out, out
    assert "wit-ls-stdin" in err, err


def _chunks(unbuffered: bool) -> tuple[bytes, bool]:
    """Everything written to a pipe in three pieces, read back through `stdin_reader`, and
    whether a reader thread was started."""
    read_fd, write_fd = os.pipe()
    before = set(threading.enumerate())

    async def main() -> bytes:
        with os.fdopen(read_fd, "rb") as stream:
            read = stdin_reader(stream, unbuffered=unbuffered)
            loop = asyncio.get_running_loop()
            for i, piece in enumerate((b"one ", b"two ", b"three")):
                loop.call_later(0.01 * (i + 1), os.write, write_fd, piece)
            loop.call_later(0.05, os.close, write_fd)
            got = b""
            while chunk := await read():
                got += chunk
            return got

    got = asyncio.run(main())
    threaded = any(t.name == "wit-ls-stdin" for t in set(threading.enumerate()) - before)
    return got, threaded


def test_the_reader_over_a_pipe() -> None:
    assert _chunks(unbuffered=True) == (b"one two three", False)
    got, _threaded = _chunks(unbuffered=False)
    assert got == b"one two three"


def test_what_was_taken_ahead_does_not_block_the_loop() -> None:
    """The loop saw the pipe readable, but a callback before the loop's read took the bytes
    first (`Chunks.ready`, as the server does to find a cancellation ahead): the loop's read
    must then do nothing, not wait in a blocking read for bytes the client will never send
    (the client waits for an answer). A watchdog closes the pipe after a while, which would
    end such a read; it must not be needed."""
    read_fd, write_fd = os.pipe()
    watchdog = threading.Timer(10.0, os.close, (write_fd,))
    taken: list[bytes] = []

    async def main() -> bytes:
        with os.fdopen(read_fd, "rb") as stream:
            chunks = stdin_reader(stream, unbuffered=True)
            loop = asyncio.get_running_loop()
            os.write(write_fd, b"message")
            # Runs in the next loop turn before the reader's callback for this readiness.
            loop.call_soon(lambda: taken.append(chunks.ready()))  # type: ignore[attr-defined]
            await asyncio.sleep(0.1)
            fired = not watchdog.is_alive()
            watchdog.cancel()
            if not fired:
                os.write(write_fd, b" more")
                os.close(write_fd)
            got = b""
            while chunk := await chunks():
                got += chunk
            return got if not fired else b"<blocked until the watchdog closed the pipe>"

    watchdog.start()
    assert asyncio.run(main()) == b" more"
    assert taken == [b"message"]
