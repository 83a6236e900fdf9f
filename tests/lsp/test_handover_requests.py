"""The requests an editor sends right after ``initialize`` (VS Code sends document symbols, code
actions, links, inlay hints, folding ranges, semantic tokens, code lenses and, as soon as the
pointer rests on a name, a hover), with ``$/setTrace``, a ``$/cancelRequest`` and late answers to
the server's own requests, sent at each point of the light first answer's handover to the
pygls server (see :mod:`wit_ls.lsp.first_answer`): while the light path reads, while it
publishes, while pygls is imported, while the replayed ``initialized`` waits for the client.

Every request must get exactly one answer, and that answer must equal the pygls-only server's
(``WIT_LS_FIRST_ANSWER=0``) in a session where everything came after the server was ready.
Raw JSON-RPC over the pipes of ``wit-ls serve``, so that what is written together arrives
together (a client library would send each message by itself)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import write_workspace
from pygls.protocol import default_converter
from pytest_lsp import client_capabilities

SERVER = [sys.executable, "-m", "wit_ls", "serve"]
WAIT = 60.0  # seconds; only reached when an answer never comes
CANCELLED = -32800
Message = dict[str, Any]


def frame(message: Message) -> bytes:
    body = json.dumps(message).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class RawClient:
    """``wit-ls serve`` on pipes: what it sends is kept in order, and its requests to the
    client are answered as soon as they come unless ``hold`` says to keep them for later."""

    def __init__(self, cwd: Path, first_answer: bool, log: Path,
                 hold: Callable[[Message], bool] = lambda _m: False) -> None:
        env = {**os.environ, "WIT_LS_FIRST_ANSWER": "1" if first_answer else "0"}
        self.proc = subprocess.Popen(
            [*SERVER, "--log-file", str(log), "--log-level", "INFO"], cwd=cwd, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.received: list[Message] = []
        self.held: list[Message] = []
        self.hold = hold
        self.settings: object = None
        self._changed = threading.Condition()
        self._write_lock = threading.Lock()
        self._hold_lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def write(self, *messages: Message) -> None:
        """The messages in one write: the server reads them together."""
        assert self.proc.stdin is not None
        with self._write_lock:
            self.proc.stdin.write(b"".join(frame(m) for m in messages))
            self.proc.stdin.flush()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    with self._changed:
                        self._changed.notify_all()
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            assert length is not None
            message = json.loads(out.read(length))
            if "id" in message and "method" in message:
                with self._hold_lock:
                    keep = self.hold(message)
                    if keep:
                        self.held.append(message)
                if not keep:
                    self.answer(message)
            with self._changed:
                self.received.append(message)
                self._changed.notify_all()

    def answer(self, request: Message) -> None:
        """What VS Code answers to the server's requests."""
        result: object = None
        if request["method"] == "workspace/configuration":
            result = [self.settings for _ in request["params"]["items"]]
        self.write({"jsonrpc": "2.0", "id": request["id"], "result": result})

    def release(self) -> None:
        """Answer the requests held so far, and every later one at once."""
        with self._hold_lock:
            self.hold = lambda _m: False
            held, self.held = self.held, []
        for request in held:
            self.answer(request)

    def wait(self, found: Callable[[Message], bool], what: str) -> Message:
        with self._changed:
            ok = self._changed.wait_for(
                lambda: any(found(m) for m in self.received) or self.proc.poll() is not None,
                timeout=WAIT)
            match = next((m for m in self.received if found(m)), None)
        seen = [(m.get("id"), m.get("method")) for m in self.received]
        assert ok and match is not None, f"no {what}; received (id, method): {seen}"
        return match

    def close(self) -> None:
        self.write({"jsonrpc": "2.0", "id": "shutdown", "method": "shutdown"})
        self.wait(lambda m: m.get("id") == "shutdown" and "method" not in m, "shutdown answer")
        self.write({"jsonrpc": "2.0", "method": "exit"})
        assert self.proc.wait(timeout=WAIT) == 0
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.close()
        self.proc.stdout.close()


def _position(text: str, needle: str, delta: int = 0) -> dict[str, int]:
    before = text[:text.index(needle) + delta]
    return {"line": before.count("\n"),
            "character": len(before.rsplit("\n", 1)[-1].encode("utf-16-le")) // 2}


def requests(uri: str, text: str, pull: bool, first_id: int) -> list[Message]:
    """What VS Code sends about a newly opened document, a hover on a name, and a hover that
    is cancelled at once."""
    doc = {"uri": uri}
    whole = {"start": {"line": 0, "character": 0},
             "end": {"line": text.count("\n") + 1, "character": 0}}
    on_name = _position(text, "thing-kind", 2)
    kinds: list[tuple[str, dict[str, object]]] = [
        ("textDocument/documentSymbol", {"textDocument": doc}),
        ("textDocument/codeAction", {"textDocument": doc, "range": whole,
                                     "context": {"diagnostics": [], "triggerKind": 2}}),
        ("textDocument/documentLink", {"textDocument": doc}),
        ("textDocument/inlayHint", {"textDocument": doc, "range": whole}),
        ("textDocument/foldingRange", {"textDocument": doc}),
        ("textDocument/semanticTokens/full", {"textDocument": doc}),
        ("textDocument/semanticTokens/range", {"textDocument": doc, "range": whole}),
        ("textDocument/codeLens", {"textDocument": doc}),
        ("textDocument/hover", {"textDocument": doc, "position": on_name}),
        ("textDocument/documentHighlight", {"textDocument": doc, "position": on_name}),
        ("textDocument/definition", {"textDocument": doc, "position": on_name}),
    ]
    if pull:
        kinds.append(("textDocument/diagnostic", {"textDocument": doc}))
    out: list[Message] = [{"jsonrpc": "2.0", "method": "$/setTrace", "params": {"value": "off"}}]
    for i, (method, params) in enumerate(kinds):
        out.append({"jsonrpc": "2.0", "id": first_id + i, "method": method, "params": params})
    cancelled = first_id + len(kinds)
    out.append({"jsonrpc": "2.0", "id": cancelled, "method": "textDocument/hover",
                "params": {"textDocument": doc, "position": on_name}})
    out.append({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": cancelled}})
    return out


# Where the requests are sent, each in a session of its own (after `initialize` is answered):
#   with-open:   in the write that also holds `initialized` and `didOpen`
#   before-open: after `initialized`, before `didOpen` (about the file on disk)
#   after-open:  right after `initialized` and `didOpen`, without waiting
#   published:   when the first diagnostics are published (pushed: the light path's)
#   held:        when the server's first request comes (pygls has replayed `initialized`),
#                before it is answered; its answer comes after the requests
#   configuring: when `workspace/configuration` comes, before it is answered
#   ready:       once the server has indexed the workspace (the reference session)
POINTS = ["with-open", "before-open", "after-open", "published", "held", "configuring", "ready"]
CLIENTS = {"visual-studio-code": False, "neovim": True}  # pull diagnostics?
SETTINGS = {"lint": {"preset": "strict"}}
# Answers that depend on when a lint pass ends: the report pulled, and the quick fixes of lint
# findings. Each must still be answered once, without an error.
TIMED = frozenset(["textDocument/diagnostic", "textDocument/codeAction"])


def session(folder: Path, client_name: str, point: str, first_answer: bool,
            log: Path) -> tuple[dict[str, Message], list[Message], str]:
    """The answers to the requests sent at ``point`` (by method), everything received, and
    the server's log."""
    pull = CLIENTS[client_name]
    held_methods = {"held": lambda _m: True,
                    "configuring": lambda m: m["method"] == "workspace/configuration"}
    hold = held_methods.get(point, lambda _m: False)
    client = RawClient(folder, first_answer, log, hold)
    client.settings = SETTINGS
    caps = default_converter().unstructure(client_capabilities(client_name))
    path = folder / "app/wit/api.wit"
    text = path.read_text(encoding="utf-8")
    uri = path.as_uri()
    client.write({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
        "processId": None, "rootUri": folder.as_uri(), "capabilities": caps,
        "initializationOptions": SETTINGS, "trace": "off",
        "workspaceFolders": [{"uri": folder.as_uri(), "name": "ws"}]}})
    client.wait(lambda m: m.get("id") == 0, "initialize answer")
    initialized = {"jsonrpc": "2.0", "method": "initialized", "params": {}}
    did_open = {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "wit", "version": 1, "text": text}}}
    sent = requests(uri, text, pull, first_id=1)
    if point == "with-open":
        client.write(initialized, did_open, *sent)
    elif point == "before-open":
        client.write(initialized)
        client.write(*sent)
        client.write(did_open)
    else:
        client.write(initialized, did_open)
        if point == "published":
            client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                        or (pull and m.get("method") is not None and "id" in m),
                        "first diagnostics (or, pulled, the server's first request)")
        elif point == "held":
            client.wait(lambda m: "id" in m and "method" in m, "the server's first request")
        elif point == "configuring":
            client.wait(lambda m: m.get("method") == "workspace/configuration",
                        "workspace/configuration")
        elif point == "ready":
            client.wait(lambda m: m.get("method") == "window/logMessage"
                        and "indexed" in m["params"]["message"], "the end of indexing")
        client.write(*sent)
        client.release()
    ids = {m["id"]: m["method"] for m in sent if "id" in m}
    for msg_id in ids:
        client.wait(lambda m, i=msg_id: m.get("id") == i and "method" not in m,
                    f"answer to {ids[msg_id]} ({msg_id})")
    client.close()
    answers = [m for m in client.received if "method" not in m]
    by_method: dict[str, Message] = {}
    for msg_id, method in ids.items():
        got = [m for m in answers if m.get("id") == msg_id]
        assert len(got) == 1, (point, method, got)
        key = method if method not in by_method else "cancelled " + method
        by_method[key] = got[0]
    # Nothing answered that was not asked, and `initialize` answered once.
    assert sorted(str(m.get("id")) for m in answers) == sorted(
        str(i) for i in [0, "shutdown", *ids]), answers
    return by_method, client.received, log.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_workspace(tmp_path_factory.mktemp("handover") / "ws")


@pytest.fixture(scope="module")
def reference(workspace: Path, tmp_path_factory: pytest.TempPathFactory
              ) -> dict[str, dict[str, Message]]:
    """The pygls-only server's answers, everything sent once it was ready."""
    logs = tmp_path_factory.mktemp("reference")
    return {name: session(workspace, name, "ready", False, logs / f"{name}.log")[0]
            for name in CLIENTS}


@pytest.mark.slow  # 16 whole server sessions
@pytest.mark.parametrize("point", POINTS)
@pytest.mark.parametrize("client_name", list(CLIENTS))
def test_every_request_at_every_point_of_the_handover(
        workspace: Path, reference: dict[str, dict[str, Message]], client_name: str,
        point: str, tmp_path: Path) -> None:
    answers, _received, log = session(workspace, client_name, point, True,
                                      tmp_path / "server.log")
    # The light path ran and handed over.
    assert "the pygls server takes over" in log, log
    expected = reference[client_name]
    assert set(answers) == set(expected)
    for method, answer in answers.items():
        if method.startswith("cancelled "):
            # Answered once: with the hover, or as cancelled (in either session: the server
            # drops a request whose cancellation it has read before handling it).
            assert answer.get("result") == expected["textDocument/hover"].get("result") or \
                answer.get("error", {}).get("code") == CANCELLED, answer
        elif method in TIMED:
            assert "result" in answer, (method, answer)
        else:
            assert answer == expected[method], method
    assert "enum kind" in answers["textDocument/hover"]["result"]["contents"]["value"]
