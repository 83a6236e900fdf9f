"""Runs the language server between the extension and itself, keeping what went between them.

Used by e2e/run.sh, whose stand-in for the Python interpreter (the `wit.server.python`
setting) runs `python -m wit_ls serve ...` through this script:

    python record-stdio.py OUT_DIR python -m wit_ls serve --stdio

The server gets `--log-file OUT_DIR/server.log --log-level INFO` added; every message in both
directions is written to OUT_DIR/messages.log, one line each, with the wall-clock time it
was passed on (`->` from the client to the server, `<-` back), and the server's stderr goes to
OUT_DIR/server-stderr.log. The bytes are passed on unchanged. A second server of the same run
(a restart) writes files with a numbered suffix.

Two settings in the environment (code-server passes it on to the server) make the server look
slow, to check the workbench steps against a server that answers late, as a loaded machine's
does: with `WIT_E2E_SLOW_SERVER=S`, what the server sends after its first message (the answer
to `initialize`) is passed on no sooner than S seconds after that message (as if the rest of
the server were still being imported); with `WIT_E2E_SLOW_HOVER=S`, each answer to a hover is
passed on S seconds after the other messages it came with."""

from __future__ import annotations

import contextlib
import heapq
import json
import os
import subprocess
import sys
import threading
import time
from typing import IO


def _stamp() -> str:
    now = time.time()
    return time.strftime("%H:%M:%S", time.gmtime(now)) + f".{int(now * 1000) % 1000:03d}"


def _seconds(name: str) -> float:
    try:
        return max(0.0, float(os.environ.get(name, "0") or 0))
    except ValueError:
        return 0.0


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
    """Messages out of one direction's bytes (Content-Length framing): each as its bytes on
    the wire (headers and body) and its body."""

    def __init__(self) -> None:
        self._buf = b""

    def feed(self, data: bytes) -> list[tuple[bytes, bytes]]:
        self._buf += data
        out: list[tuple[bytes, bytes]] = []
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
                out.append((head + sep, b"(unframed) " + head))
                self._buf = rest
                continue
            if len(rest) < length:
                return out
            out.append((head + sep + rest[:length], rest[:length]))
            self._buf = rest[length:]


class Direction:
    """Passes one direction's bytes on and logs each message; toward the client, messages may
    be held back (see the module docstring)."""

    def __init__(self, sink: IO[bytes], log: Log, arrow: str, slow_server: float = 0.0,
                 slow_hover: float = 0.0, hovers: set[object] | None = None) -> None:
        self.sink = sink
        self.log = log
        self.arrow = arrow
        self.slow_server = slow_server
        self.slow_hover = slow_hover
        self.hovers = hovers if hovers is not None else set()
        self.first: float | None = None
        self._due: list[tuple[float, int, bytes, bytes]] = []
        self._count = 0
        self._ready = threading.Condition()
        self._ended = False
        self._sender: threading.Thread | None = None
        if slow_server or slow_hover:
            self._sender = threading.Thread(target=self._send_due, daemon=True)
            self._sender.start()

    def pump(self, source: int) -> None:
        split = Splitter()
        while True:
            try:
                chunk = os.read(source, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                self._end()
                return
            messages = split.feed(chunk)
            if self.arrow == "->":
                for _raw, body in messages:
                    if b'"textDocument/hover"' in body:
                        with contextlib.suppress(ValueError, KeyError, TypeError):
                            self.hovers.add(json.loads(body)["id"])
            if not (self.slow_server or self.slow_hover):
                self._write(chunk)
                for _raw, body in messages:
                    self.log.line(self.arrow, body.decode("utf-8", "replace"))
                continue
            now = time.monotonic()
            for raw, body in messages:
                due = now
                if self.first is None:
                    self.first = now
                else:
                    due = max(due, self.first + self.slow_server)
                if self.slow_hover and self._answers_hover(body):
                    due += self.slow_hover
                with self._ready:
                    self._count += 1
                    heapq.heappush(self._due, (due, self._count, raw, body))
                    self._ready.notify()

    def _answers_hover(self, body: bytes) -> bool:
        try:
            message = json.loads(body)
        except ValueError:
            return False
        return isinstance(message, dict) and "method" not in message \
            and message.get("id") in self.hovers

    def _send_due(self) -> None:
        while True:
            with self._ready:
                while not self._due or self._due[0][0] > time.monotonic():
                    if self._ended and not self._due:
                        return
                    wait = self._due[0][0] - time.monotonic() if self._due else None
                    self._ready.wait(wait)
                _due, _n, raw, body = heapq.heappop(self._due)
            self._write(raw)
            self.log.line(self.arrow, body.decode("utf-8", "replace"))

    def _write(self, data: bytes) -> None:
        try:
            self.sink.write(data)
            self.sink.flush()
        except OSError:
            self.log.line(self.arrow, "(could not pass this on: the other side is gone)")

    def _end(self) -> None:
        if self._sender is not None:
            with self._ready:
                self._ended = True
                self._ready.notify()
            self._sender.join()
        self.log.line(self.arrow, "(end of stream)")
        with contextlib.suppress(OSError):
            self.sink.close()


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
    slow_server, slow_hover = _seconds("WIT_E2E_SLOW_SERVER"), _seconds("WIT_E2E_SLOW_HOVER")
    with open(free_name(folder, "server-stderr.log"), "ab") as stderr:
        child = subprocess.Popen([*command, "--log-file", server_log, "--log-level", "INFO"],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr)
        assert child.stdin is not None and child.stdout is not None
        log.line("--", f"started {' '.join(command)} (pid {child.pid})"
                 + (f"; slow server {slow_server} s, slow hover {slow_hover} s"
                    if slow_server or slow_hover else ""))
        hovers: set[object] = set()
        down = Direction(child.stdin, log, "->", hovers=hovers)
        up = Direction(sys.stdout.buffer, log, "<-", slow_server, slow_hover, hovers)
        threading.Thread(target=down.pump, args=(sys.stdin.fileno(),), daemon=True).start()
        reader = threading.Thread(target=up.pump, args=(child.stdout.fileno(),), daemon=True)
        reader.start()
        code = child.wait()
        reader.join(5)
        log.line("--", f"the server exited with {code}")
    return code


if __name__ == "__main__":
    sys.exit(main())
