"""Runs the language server between the extension and itself, keeping what went between them.

Used by e2e/run.sh, whose stand-in for the Python interpreter (the `wit.server.python`
setting) runs `python -m wit_ls serve ...` through this script:

    python record-stdio.py OUT_DIR python -m wit_ls serve --stdio

The server gets `--log-file OUT_DIR/server.log --log-level INFO` added; every message in both
directions is written to OUT_DIR/messages.log, one line each, with the wall-clock time it
passed (`->` from the client to the server, `<-` back), and the server's stderr goes to
OUT_DIR/server-stderr.log. The bytes are passed on unchanged, as they are read. A second
server of the same run (a restart) writes files with a numbered suffix."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from typing import BinaryIO


def _stamp() -> str:
    now = time.time()
    return time.strftime("%H:%M:%S", time.gmtime(now)) + f".{int(now * 1000) % 1000:03d}"


class Log:
    """One line per message, written and flushed as it passes."""

    def __init__(self, path: str) -> None:
        self._file = open(path, "a", encoding="utf-8")  # noqa: SIM115 (open for the whole run)
        self._lock = threading.Lock()

    def line(self, arrow: str, text: str) -> None:
        with self._lock:
            self._file.write(f"{_stamp()} {arrow} {text}\n")
            self._file.flush()


class Splitter:
    """Message bodies out of one direction's bytes (Content-Length framing)."""

    def __init__(self) -> None:
        self._buf = b""

    def feed(self, data: bytes) -> list[bytes]:
        self._buf += data
        out: list[bytes] = []
        while True:
            head, sep, rest = self._buf.partition(b"\r\n\r\n")
            if not sep:
                return out
            length = None
            for line in head.split(b"\r\n"):
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length" and value.strip().isdigit():
                    length = int(value.strip())
            if length is None:
                out.append(b"(unframed) " + head)
                self._buf = rest
                continue
            if len(rest) < length:
                return out
            out.append(rest[:length])
            self._buf = rest[length:]


def pass_on(source: int, sink: BinaryIO, log: Log, arrow: str) -> None:
    split = Splitter()
    while True:
        try:
            chunk = os.read(source, 65536)
        except OSError:
            chunk = b""
        if not chunk:
            log.line(arrow, "(end of stream)")
            with contextlib.suppress(OSError):
                sink.close()
            return
        try:
            sink.write(chunk)
            sink.flush()
        except OSError:
            log.line(arrow, "(could not pass this on: the other side is gone)")
        for body in split.feed(chunk):
            log.line(arrow, body.decode("utf-8", "replace"))


def free_name(folder: str, name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    path = os.path.join(folder, name)
    n = 1
    while os.path.exists(path):
        n += 1
        path = os.path.join(folder, f"{stem}-{n}{dot}{ext}")
    return path


def main() -> int:
    folder, command = sys.argv[1], sys.argv[2:]
    os.makedirs(folder, exist_ok=True)
    log = Log(free_name(folder, "messages.log"))
    server_log = free_name(folder, "server.log")
    with open(free_name(folder, "server-stderr.log"), "ab") as stderr:
        child = subprocess.Popen([*command, "--log-file", server_log, "--log-level", "INFO"],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr)
        assert child.stdin is not None and child.stdout is not None
        log.line("--", f"started {' '.join(command)} (pid {child.pid})")
        down = threading.Thread(target=pass_on, daemon=True,
                                args=(sys.stdin.fileno(), child.stdin, log, "->"))
        up = threading.Thread(target=pass_on, daemon=True,
                              args=(child.stdout.fileno(), sys.stdout.buffer, log, "<-"))
        down.start()
        up.start()
        code = child.wait()
        up.join(5)
        log.line("--", f"the server exited with {code}")
    return code


if __name__ == "__main__":
    sys.exit(main())
