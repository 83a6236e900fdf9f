"""A bare JSON-RPC client over the pipes of a ``wit-ls serve`` process: it writes any bytes
(broken framings included) and collects what the server sends, on a reader thread, so the
tests can say exactly what went over the wire. The benchmarks that time single requests use
it too (no client library in between)."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

SERVER = [sys.executable, "-m", "wit_ls", "serve"]


def frame(body: bytes, header: bytes = b"Content-Length") -> bytes:
    return header + b": %d\r\n\r\n" % len(body) + body


def read_header(stream: IO[bytes]) -> bytes | None:
    """The next message's header, through the blank line that ends it (None: the stream
    ended)."""
    header = b""
    while not header.endswith(b"\r\n\r\n"):
        byte = stream.read(1)
        if not byte:
            return None
        header += byte
    return header


def content_length(header: bytes) -> int | None:
    """The Content-Length a header gives (None: it gives none)."""
    for line in header.strip().split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return None


class RawClient:
    def __init__(self, cwd: Path) -> None:
        self.proc = subprocess.Popen(SERVER, cwd=cwd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.responses: dict[object, dict[str, Any]] = {}
        self.null_id_errors: list[dict[str, Any]] = []
        self.notifications: list[dict[str, Any]] = []
        self.malformed: list[bytes] = []
        self._lock = threading.Condition()
        self._write_lock = threading.Lock()
        self._next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    # ---- writing ------------------------------------------------------------------------

    def send_raw(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        with self._write_lock:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()

    def send(self, message: object) -> None:
        self.send_raw(frame(json.dumps(message).encode()))

    def new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def notify(self, method: str, params: object) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: object = None, timeout: float = 60) -> dict[str, Any]:
        msg_id = self.new_id()
        message: dict[str, object] = {"jsonrpc": "2.0", "id": msg_id, "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)
        return self.wait(msg_id, timeout)

    def initialize(self, root: Path) -> dict[str, Any]:
        answer = self.request("initialize", {"processId": None, "capabilities": {},
                                             "rootUri": root.as_uri()})
        self.notify("initialized", {})
        return answer

    # ---- reading ------------------------------------------------------------------------

    def wait(self, msg_id: object, timeout: float = 60) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        with self._lock:
            while msg_id not in self.responses:
                left = deadline - time.monotonic()
                assert left > 0, f"no answer to request {msg_id!r} within {timeout}s"
                assert self.proc.poll() is None, f"the server ended ({self.proc.returncode})"
                self._lock.wait(min(left, 0.5))
            return self.responses[msg_id]

    def wait_first(self, ids: list[object], timeout: float = 60) -> object:
        """The first of ``ids`` to be answered (in the order the answers arrived)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                answered = [i for i in self.responses if i in ids]
                if answered:
                    return answered[0]
                left = deadline - time.monotonic()
                assert left > 0, f"no answer to any of {ids!r} within {timeout}s"
                assert self.proc.poll() is None, f"the server ended ({self.proc.returncode})"
                self._lock.wait(min(left, 0.5))

    def wait_all(self, ids: list[object], timeout: float) -> list[object]:
        """The ids among ``ids`` still unanswered after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                missing = [i for i in ids if i not in self.responses]
                if not missing or time.monotonic() > deadline or self.proc.poll() is not None:
                    return missing
                self._lock.wait(0.5)

    def messages(self, method: str) -> list[dict[str, Any]]:
        with self._lock:
            return [n for n in self.notifications if n.get("method") == method]

    def rss_kb(self) -> int:
        """The server's resident memory in KB (Linux)."""
        with open(f"/proc/{self.proc.pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise AssertionError("no VmRSS")

    def _read(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        while True:
            header = read_header(stream)
            length = None if header is None else content_length(header)
            if length is None:
                return
            body = stream.read(length)
            try:
                message = json.loads(body)
            except ValueError:
                self.malformed.append(body)
                continue
            with self._lock:
                if "method" in message and "id" in message:
                    # A request from the server (registrations, configuration): answer null
                    # (not once the client has closed the pipe: a refresh may come late).
                    with contextlib.suppress(ValueError, OSError):
                        self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})
                elif "method" in message:
                    self.notifications.append(message)
                elif message.get("id") is None:
                    self.null_id_errors.append(message)
                else:
                    self.responses[message["id"]] = message
                self._lock.notify_all()

    def close(self) -> int:
        """End the server (exit, then kill if it hangs); its exit code."""
        if self.proc.poll() is None:
            try:
                self.notify("exit", None)
                assert self.proc.stdin is not None
                self.proc.stdin.close()
            except (BrokenPipeError, OSError):
                pass
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


@contextlib.contextmanager
def opened(tmp_path: Path, text: str) -> Iterator[tuple[RawClient, str]]:
    """A server on a workspace of one file, ``wit/api.wit`` holding ``text``, initialized and
    with that file opened: the client and the file's URI."""
    root = tmp_path / "ws"
    (root / "wit").mkdir(parents=True)
    path = root / "wit" / "api.wit"
    path.write_text(text, encoding="utf-8")
    client = RawClient(root)
    client.initialize(root)
    uri = path.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "wit", "version": 1, "text": text}})
    try:
        yield client, uri
    finally:
        client.close()
