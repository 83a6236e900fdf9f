"""Randomized sessions against the real ``wit-ls serve`` over a pipe, written and read as raw
bytes by the test: hangs and lost answers.

Each session is made from a seed: ``initialize`` (the answer awaited, as clients do), then
``initialized``, the opening of real WIT files (a small workspace written here; in
:func:`test_corpus_sessions`, files of a real package from the shared corpus), then a random
mix of edits, requests and ``$/cancelRequest`` for earlier requests (some sent right after
the request, some long after it was answered), then ``shutdown`` and ``exit``. The client
answers the server's own requests between its messages, refusing some refreshes. The bytes go
in bursts of several messages in one ``write`` and in pieces cut anywhere (inside a header,
inside a body, across two messages) with short random sleeps between them. Both the light
first answer and the pygls server alone (``WIT_LS_FIRST_ANSWER=0``) are driven; stdin is a
pipe, which the server's event loop reads itself, peeking ahead for cancellations
(``transport.Chunks.ready``), the timing-dependent code where a hang once stopped CI.

Every request must be answered exactly once, in valid JSON-RPC, with a result (or, for a
request the client cancelled or one still running at ``shutdown``, ``RequestCancelled`` or
``ContentModified``); the server must exit with 0 after ``exit``, and write no traceback. A
session that is not done within :data:`SESSION_SECONDS` fails with what was sent, what was
answered, the ids never answered and the stacks of the server's threads (the server is
started with a ``SIGUSR1`` handler that dumps them), instead of hanging the suite.

``WIT_LS_STRESS_SEEDS=n`` in the environment runs n seeds per test instead of the default."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import FILES, REAL, copy_real, write_workspace
from support.raw_client import content_length, read_header

# `wit-ls serve` (as `python -m wit_ls serve` runs it), with the stacks of every thread written
# to stderr on SIGUSR1: what a hung server was doing.
SERVE = """
import faulthandler, runpy, signal, sys
faulthandler.register(signal.SIGUSR1, all_threads=True)
sys.argv = ["wit_ls", "serve"]
runpy.run_module("wit_ls", run_name="__main__", alter_sys=True)
"""

SEEDS = int(os.environ.get("WIT_LS_STRESS_SEEDS", "4"))
# The longest a session may take from the start of the server to its exit, and the longest
# the client waits for the answers it awaits (the server answers in milliseconds).
SESSION_SECONDS = 60.0
WAIT_SECONDS = 20.0
REQUEST_CANCELLED = -32800
CONTENT_MODIFIED = -32801

# Requests about one document, with or without a position.
AT_POSITION = ["textDocument/hover", "textDocument/definition",
               "textDocument/documentHighlight", "textDocument/completion",
               "textDocument/references"]
WHOLE_DOCUMENT = ["textDocument/documentSymbol", "textDocument/foldingRange",
                  "textDocument/semanticTokens/full", "textDocument/codeLens",
                  "textDocument/inlayHint", "textDocument/documentLink",
                  "textDocument/diagnostic", "textDocument/codeAction"]
# Requests answered by coroutines (they await the loop again before they answer): a server
# whose loop is stuck never answers them, where a handler that runs at once still answers.
ASYNC = ["textDocument/references", "textDocument/codeAction", "workspace/symbol"]
# The size of a pasted block: a burst with it spans two reads of the server (64 KiB each), the
# rest of the burst coming while the server handles the first part.
PASTE = (68 * 1024, 120 * 1024)
# What the light path answers itself (from the tree) or takes: sent often right after the
# opening, before the first edit, when the light path may still be reading.
EARLY = ["textDocument/documentSymbol", "textDocument/foldingRange",
         "textDocument/semanticTokens/full", "textDocument/diagnostic",
         "textDocument/hover", "textDocument/codeLens"]
# Text typed by the edits: WIT's punctuation, keywords, identifiers, non-ASCII, lines.
TYPED = [*"abcxyz-:;{}()<>,.@ \n", "record ", "func(", "😀", "é", "use ", "%", "/// doc\n",
         "  extra: func(a: u32) -> string;\n", "}\n", "interface ", "type t = u8;\n"]

# Two clients: one that takes pushed diagnostics (nothing declared), one that pulls them and
# can be asked to pull again (VS Code's way: the light path answers its first pulls).
CAPABILITIES: list[dict[str, Any]] = [
    {},
    {"textDocument": {
        "diagnostic": {"dynamicRegistration": True, "relatedDocumentSupport": False},
        "documentSymbol": {"hierarchicalDocumentSymbolSupport": True},
        "semanticTokens": {"requests": {"full": {"delta": True}, "range": True},
                           "tokenTypes": [], "tokenModifiers": [], "formats": ["relative"]},
        "synchronization": {"didSave": True}},
     "workspace": {"configuration": True, "workspaceFolders": True,
                   "diagnostics": {"refreshSupport": True},
                   "codeLens": {"refreshSupport": True},
                   "semanticTokens": {"refreshSupport": True},
                   "inlayHint": {"refreshSupport": True}},
     "window": {"workDoneProgress": True},
     "general": {"positionEncodings": ["utf-16"]}},
]


def frame(message: dict[str, Any]) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def utf16_position(text: str, offset: int) -> dict[str, int]:
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return {"line": line, "character": len(text[start:offset].encode("utf-16-le")) // 2}


# ---- the session a seed makes ---------------------------------------------------------------


@dataclass
class Write:
    """Bytes the client writes at once, and what it does after."""

    data: bytes
    pause: float  # seconds slept after the write
    whole: bool  # the bytes end at the end of a message
    wait: tuple[int, ...] = ()  # the requests whose answers the client then awaits


@dataclass
class Plan:
    """The messages of a session after ``initialize``, as the writes that carry them."""

    writes: list[Write] = field(default_factory=list)
    requests: dict[int, str] = field(default_factory=dict)  # id -> method
    cancelled: set[int] = field(default_factory=set)
    log: list[str] = field(default_factory=list)  # what was sent, in order, in short
    shutdown_id: int = 0
    wait_before_shutdown: bool = True


def make_plan(rng: random.Random, docs: dict[str, str], steps: int) -> Plan:
    """Messages from ``initialized`` to the last request before ``shutdown``, cut into writes.
    Now and then the client waits for the answers to everything it asked so far (as an
    editor waits for the answers a keystroke asked for): a server stuck until more input
    comes hangs there."""
    plan = Plan()
    texts = dict(docs)
    versions = dict.fromkeys(texts, 1)
    messages: list[dict[str, Any]] = [{"jsonrpc": "2.0", "method": "initialized", "params": {}}]
    for uri, text in texts.items():
        messages.append({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": uri, "languageId": "wit", "version": 1, "text": text}}})
    next_id = 2
    later: dict[int, list[int]] = {}  # message index -> ids to cancel then
    syncs: set[int] = set()  # the client waits after these many messages
    bursts: set[int] = set()  # a run written in one piece begins at these messages

    def cancel(msg_id: int) -> None:
        plan.cancelled.add(msg_id)
        messages.append({"jsonrpc": "2.0", "method": "$/cancelRequest",
                         "params": {"id": msg_id}})

    def request(method: str, uri: str) -> None:
        nonlocal next_id
        text = texts[uri]
        params: dict[str, Any] = {"textDocument": {"uri": uri}}
        if method in AT_POSITION:
            params["position"] = utf16_position(text, rng.randrange(len(text) + 1))
        if method == "textDocument/references":
            params["context"] = {"includeDeclaration": rng.random() < 0.5}
        if method in ("textDocument/inlayHint", "textDocument/codeAction"):
            a = rng.randrange(len(text) + 1)
            b = rng.choice([len(text), min(len(text), a + 40)])
            params["range"] = {"start": utf16_position(text, a),
                               "end": utf16_position(text, b)}
        if method == "textDocument/codeAction":
            params["context"] = {"diagnostics": []}
        if method == "workspace/symbol":
            params = {"query": rng.choice(["", "t", "thing", "stream", "zz"])}
        msg_id = next_id
        next_id += 1
        plan.requests[msg_id] = method
        messages.append({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
        if rng.random() < 0.3:  # cancelled: at once, soon, or long after
            delay = rng.choice([0, 0, 1, 3, 12])
            later.setdefault(len(messages) + delay, []).append(msg_id)

    def paste(uri: str) -> None:
        """A large comment pasted at a line's start (one message), then deleted again."""
        text = texts[uri]
        starts = [0, *(i + 1 for i, c in enumerate(text) if c == "\n")]
        at = rng.choice(starts)
        block = "".join(f"// {rng.randrange(10 ** 6)} " + "x" * 70 + "\n"
                        for _ in range(rng.randint(PASTE[0] // 80, PASTE[1] // 84)))
        for new, end in ((block, at), ("", at + len(block))):
            versions[uri] += 1
            messages.append({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": versions[uri]},
                "contentChanges": [{"range": {"start": utf16_position(texts[uri], at),
                                              "end": utf16_position(texts[uri], end)},
                                    "text": new}]}})
            texts[uri] = texts[uri][:at] + new + texts[uri][end:]

    def edit(uri: str) -> None:
        text = texts[uri]
        changes: list[dict[str, Any]] = []
        if rng.random() < 0.05:
            text = text[:rng.randrange(len(text) + 1)]  # the whole text, cut
            changes.append({"text": text})
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            a = rng.randrange(len(text) + 1)
            b = min(len(text), a + rng.choice([0, 0, 1, 2, 6, 30]))
            new = rng.choice(TYPED) if rng.random() < 0.75 else ""
            changes.append({"range": {"start": utf16_position(text, a),
                                      "end": utf16_position(text, b)}, "text": new})
            text = text[:a] + new + text[b:]
        texts[uri] = text
        versions[uri] += 1
        messages.append({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": versions[uri]},
            "contentChanges": changes}})

    uris = list(texts)
    for _ in range(rng.randrange(0, 8)):  # what the light path may answer or leave
        request(rng.choice(EARLY), rng.choice(uris))
    if rng.random() < 0.5:
        syncs.add(len(messages))
    for step in range(steps):
        for msg_id in later.pop(len(messages), []):
            cancel(msg_id)
        roll = rng.random()
        if step == steps // 2 or roll < 0.03:
            # A burst of more than 64 KiB ending with a request answered by a coroutine,
            # then the client waits: the server must read the end of the burst and answer.
            bursts.add(len(messages))
            request(rng.choice(WHOLE_DOCUMENT), rng.choice(uris))
            paste(rng.choice(uris))
            request(rng.choice(ASYNC), rng.choice(uris))
            syncs.add(len(messages))
        elif roll < 0.35:
            edit(rng.choice(uris))
        elif roll < 0.9:
            request(rng.choice(AT_POSITION + WHOLE_DOCUMENT + ["workspace/symbol"]),
                    rng.choice(uris))
        elif plan.requests:  # an earlier request, answered or not
            cancel(rng.choice(list(plan.requests)))
        if rng.random() < 0.12:
            syncs.add(len(messages))
    for ids in later.values():  # the cancellations still due
        for msg_id in ids:
            cancel(msg_id)
    plan.shutdown_id = next_id
    plan.wait_before_shutdown = rng.random() < 0.5
    if not plan.wait_before_shutdown:
        messages.append({"jsonrpc": "2.0", "id": next_id, "method": "shutdown"})
    plan.log = [_short(m) for m in messages]
    plan.writes = cut(rng, [frame(m) for m in messages], [m.get("id") for m in messages],
                      syncs, bursts)
    return plan


def _short(message: dict[str, Any]) -> str:
    method = message.get("method", "")
    if method == "$/cancelRequest":
        return f"cancel {message['params']['id']}"
    if "id" in message:
        return f"{message['id']} {method}"
    if method == "textDocument/didChange":
        return f"didChange v{message['params']['textDocument']['version']}"
    return str(method)


def cut(rng: random.Random, framed: list[bytes], ids: list[int | None],
        syncs: set[int], bursts: set[int]) -> list[Write]:
    """The framed messages as writes: runs of 1-8 messages (never past a point in
    ``syncs``), each written whole (a burst) or cut into pieces anywhere (inside a header,
    inside a body, across messages; often a small last piece at once after the rest: it
    comes while the server reads the run) with short sleeps between them, and sometimes a
    pause after a run (time for the server to answer, so that some cancellations come after
    the answer). A run that begins at a point in ``bursts`` goes up to the next point in
    ``syncs`` and is written whole. After a run that ends at a point in ``syncs``, the
    client waits for the answers to every request before it (``ids``: each message's id,
    None for notifications)."""
    writes: list[Write] = []
    i = 0
    while i < len(framed):
        burst = i in bursts
        end = min([len(framed), i + (len(framed) if burst else rng.randint(1, 8)),
                   *(s for s in syncs | bursts if s > i)])
        run = framed[i:end]
        i = end
        data = b"".join(run)
        # (0.3 s: the server lints in such pauses, then asks a pulling client to pull again)
        pause = rng.choice([0.0, 0.0, 0.0, 0.002, 0.01, 0.05, 0.15, 0.3])
        wait = tuple(x for x in ids[:end] if isinstance(x, int)) if end in syncs else ()
        if burst or rng.random() < 0.4:
            writes.append(Write(data, pause, True, wait))
            continue
        points = {rng.randrange(1, len(data)) for _ in range(rng.randint(0, 4))}
        # A cut inside one of the headers, always.
        header = rng.randrange(len(run))
        start = sum(len(m) for m in run[:header])
        points.add(start + rng.randrange(1, run[header].index(b"\r\n\r\n") + 4))
        if rng.random() < 0.5:  # a small last piece
            points.add(len(data) - rng.randint(1, min(len(run[-1]), 64)))
        bounds = [0, *sorted(points), len(data)]
        for a, b in itertools.pairwise(bounds):
            if a < b:
                writes.append(Write(data[a:b], rng.choice([0.0, 0.0, 0.0, 0.001, 0.005]),
                                    False))
        writes[-1] = Write(writes[-1].data, pause, True, wait)
    return writes


# ---- running it -------------------------------------------------------------------------------


class Server:
    """``wit-ls serve`` on pipes; a thread reads what it sends (and notes the requests it
    makes of the client, which the test's thread answers between its writes)."""

    def __init__(self, cwd: Path, first_answer: bool, stderr: Path, seed: int) -> None:
        self.refusals = random.Random(seed)
        env = {**os.environ, "WIT_LS_FIRST_ANSWER": "1" if first_answer else "0"}
        self._stderr_path = stderr
        self._stderr = stderr.open("wb")
        self.proc = subprocess.Popen([sys.executable, "-c", SERVE], cwd=cwd, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self._stderr)
        self.answers: dict[object, list[dict[str, Any]]] = {}
        self.notifications: list[dict[str, Any]] = []
        self.problems: list[str] = []  # what the server sent that is not valid JSON-RPC
        self.server_requests: list[dict[str, Any]] = []
        self._replied = 0
        self.changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def write(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def reply(self) -> None:
        """Answer the requests the server made of the client (only between messages)."""
        with self.changed:
            todo = self.server_requests[self._replied:]
            self._replied = len(self.server_requests)
        for request in todo:
            method = request.get("method", "")
            if method.endswith("/refresh") and self.refusals.random() < 0.3:
                # (a client may refuse a refresh it declared: the server must take it)
                self.write(frame({"jsonrpc": "2.0", "id": request["id"], "error": {
                    "code": -32603, "message": "refused by the test"}}))
                continue
            result: object = None
            if method == "workspace/configuration":
                result = [None] * len(request.get("params", {}).get("items", []))
            self.write(frame({"jsonrpc": "2.0", "id": request["id"], "result": result}))

    def wait_for(self, ids: list[int], deadline: float) -> list[int]:
        """Wait until ``ids`` are answered or the deadline passes; those still unanswered."""
        while True:
            self.reply()
            with self.changed:
                missing = [i for i in ids if i not in self.answers]
                if not missing or time.monotonic() > deadline or self.proc.poll() is not None:
                    return missing
                self.changed.wait(0.05)

    def stacks(self) -> str:
        """The stacks of the server's threads (faulthandler, on SIGUSR1), and its stderr."""
        if self.proc.poll() is None:
            with contextlib.suppress(OSError):
                self.proc.send_signal(signal.SIGUSR1)
            time.sleep(1.0)
        return self.stderr()

    def stderr(self) -> str:
        self._stderr.flush()
        return self._stderr_path.read_text("utf-8", "replace")

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self._stderr.close()

    def _read(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        while True:
            header = read_header(stream)
            if header is None:
                return
            length = content_length(header)
            if length is None:
                self.problems.append(f"a header without Content-Length: {header!r}")
                return
            body = stream.read(length)
            with self.changed:
                self._take(body)
                self.changed.notify_all()

    def _take(self, body: bytes) -> None:
        try:
            message = json.loads(body)
        except ValueError:
            self.problems.append(f"not JSON: {body[:200]!r}")
            return
        if not isinstance(message, dict) or message.get("jsonrpc") != "2.0":
            self.problems.append(f"not JSON-RPC 2.0: {body[:200]!r}")
            return
        if "method" in message:
            if not isinstance(message["method"], str):
                self.problems.append(f"a method that is no string: {body[:200]!r}")
            elif "id" in message:
                self.server_requests.append(message)
            else:
                self.notifications.append(message)
            return
        msg_id = message.get("id")
        has_result, error = "result" in message, message.get("error")
        if has_result == (error is not None) or (error is not None and not (
                isinstance(error, dict) and isinstance(error.get("code"), int)
                and isinstance(error.get("message"), str))):
            self.problems.append(f"an answer without exactly one result or error: {body[:300]!r}")
        self.answers.setdefault(msg_id, []).append(message)


def documents(folder: Path, names: list[str]) -> dict[str, str]:
    return {(folder / name).as_uri(): (folder / name).read_text("utf-8") for name in names}


def run_session(seed: int, first_answer: bool, root: Path, docs: dict[str, str],
                steps: int, tmp: Path) -> None:
    rng = random.Random(seed)
    plan = make_plan(rng, docs, steps)
    capabilities = rng.choice(CAPABILITIES)
    started = time.monotonic()
    deadline = started + SESSION_SECONDS
    server = Server(root, first_answer, tmp / f"stderr-{seed}-{int(first_answer)}.txt", seed)
    sent: list[str] = ["1 initialize"]
    step = "initialize"

    def fail(why: str) -> None:
        with server.changed:
            answered = {k: [a.get("error", {}).get("code", "result") for a in v]
                        for k, v in server.answers.items()}
        asked = [int(line.split()[0]) for line in sent if line.split()[0].isdigit()]
        missing = sorted(i for i in asked if i not in answered)
        stacks = server.stacks()[-12000:]
        server.kill()
        pytest.fail(
            f"seed {seed}, first answer {'on' if first_answer else 'off'}, capabilities "
            f"{'pull' if capabilities else 'none'}: {why} (during {step}, after "
            f"{time.monotonic() - started:.1f}s)\n"
            f"ids never answered: {missing}\n"
            f"cancelled by the client: {sorted(plan.cancelled)}\n"
            f"answers (id: result or error codes): {answered}\n"
            f"problems in what the server sent: {server.problems}\n"
            f"sent ({len(sent)} messages): {sent}\n"
            f"server stderr (with its threads' stacks when it was still running):\n{stacks}",
            pytrace=False)

    try:
        server.write(frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "processId": os.getpid(), "rootUri": root.as_uri(), "capabilities": capabilities,
            "workspaceFolders": [{"uri": root.as_uri(), "name": "ws"}]}}))
        if server.wait_for([1], deadline):
            fail("initialize was not answered")
        step = "the session"
        for write in plan.writes:
            server.write(write.data)
            if write.whole:  # (the server's requests are answered between messages only)
                server.reply()
            if write.wait and server.wait_for(
                    list(write.wait), min(deadline, time.monotonic() + WAIT_SECONDS)):
                sent.extend(plan.log[:count_messages(plan, write)])
                step = "waiting for the answers to the requests sent so far"
                fail("requests were not answered")
            if write.pause:
                time.sleep(write.pause)
        sent.extend(plan.log)
        pending = list(plan.requests)
        if plan.wait_before_shutdown:
            step = "waiting for the answers before shutdown"
            if server.wait_for(pending, deadline):
                fail("requests were not answered")
            server.write(frame({"jsonrpc": "2.0", "id": plan.shutdown_id, "method": "shutdown"}))
            sent.append(f"{plan.shutdown_id} shutdown")
        step = "waiting for the answers to everything and shutdown"
        if server.wait_for([*pending, plan.shutdown_id], deadline):
            fail("requests were not answered")
        server.write(frame({"jsonrpc": "2.0", "method": "exit"}))
        sent.append("exit")
        if rng.random() < 0.5:
            assert server.proc.stdin is not None
            server.proc.stdin.close()
        step = "waiting for the exit"
        try:
            code = server.proc.wait(max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            fail("the server did not exit after exit")
        if code != 0:
            fail(f"the server exited with {code}")
        step = "checking"
        _check(plan, server, fail)
    except BrokenPipeError:
        fail("the server closed its input")
    finally:
        server.kill()


def count_messages(plan: Plan, last: Write) -> int:
    """How many messages the writes up to ``last`` hold."""
    upto = plan.writes[:plan.writes.index(last) + 1]
    return b"".join(w.data for w in upto).count(b"Content-Length")


def _check(plan: Plan, server: Server, fail: Any) -> None:
    if server.problems:
        fail("invalid JSON-RPC")
    known = {1, plan.shutdown_id, *plan.requests}
    # Running requests are cancelled at `shutdown` when it comes before their answers.
    may_be_cancelled = plan.cancelled | (set() if plan.wait_before_shutdown
                                         else set(plan.requests))
    for msg_id, answers in server.answers.items():
        if msg_id not in known:
            fail(f"an answer to {msg_id!r}, never sent")
        if len(answers) != 1:
            fail(f"{msg_id} answered {len(answers)} times: {answers}")
        error = answers[0].get("error")
        if error is None:
            continue
        if not (msg_id in may_be_cancelled
                and error["code"] in (REQUEST_CANCELLED, CONTENT_MODIFIED)):
            fail(f"{msg_id} ({plan.requests.get(msg_id)}) answered with an error: {error}")
    for note in server.notifications:
        text = json.dumps(note.get("params"))
        if "Traceback" in text or (note.get("method") == "window/logMessage"
                                   and note["params"].get("type") == 1):
            fail(f"the server reported an error: {text[:2000]}")
    err = server.stderr()
    for sign in ("Traceback", "Exception in callback", "exception was never retrieved"):
        if sign in err:
            fail(f"{sign!r} in the server's stderr")


# ---- the tests --------------------------------------------------------------------------------

MODES = [pytest.param(True, id="first-answer"), pytest.param(False, id="pygls-only")]
APP_FILES = ["wit/api.wit", "wit/types.wit", "wit/world.wit"]
# Real packages of the corpus, smallest first; a session opens a few of their files.
CORPUS_PACKAGES = ["WebAssembly__wasi-random", "WebAssembly__wasi-io", "WebAssembly__wasi-cli",
                   "WebAssembly__wasi-http"]


@pytest.mark.parametrize("first_answer", MODES)
def test_sessions(first_answer: bool, tmp_path: Path) -> None:
    for seed in range(SEEDS):
        folder = tmp_path / f"s{seed}"
        app = write_workspace(folder) / "app"
        rng = random.Random(seed)
        names = rng.sample(APP_FILES, rng.randint(1, 3))
        run_session(seed, first_answer, app, documents(app, names), 70, tmp_path)


@pytest.mark.parametrize("first_answer", MODES)
def test_corpus_sessions(first_answer: bool, tmp_path: Path) -> None:
    if not REAL.is_dir():
        pytest.skip(f"no shared corpus at {REAL} (the sessions over its real packages need it)")
    for seed in range(1000, 1000 + max(1, SEEDS // 2)):
        rng = random.Random(seed)
        name = rng.choice(CORPUS_PACKAGES)
        package = copy_real(name, tmp_path / f"s{seed}")
        assert package is not None, name
        files = sorted(p.relative_to(package).as_posix() for p in package.glob("*.wit"))
        names = rng.sample(files, min(len(files), rng.randint(1, 3)))
        run_session(seed, first_answer, package, documents(package, names), 50, tmp_path)


def test_plans_cut_inside_headers_and_cancel_both_ways() -> None:
    """The plans do what the sessions rely on: every write of a run together is the run's
    bytes, headers are cut, and cancellations come both right after their request and long
    after it."""
    seen_header_cut = seen_soon = seen_late = seen_wait = False
    for seed in range(SEEDS):
        rng = random.Random(seed)
        plan = make_plan(rng, {"file:///x.wit": FILES["app/wit/api.wit"]}, 70)
        data = b"".join(w.data for w in plan.writes)
        assert data.count(b"Content-Length") == len(plan.log)
        sent = b""
        for write in plan.writes:
            sent += write.data
            header = sent.rfind(b"Content-Length")
            seen_header_cut |= sent.find(b"\r\n\r\n", header) < 0
        seen_wait |= any(w.wait for w in plan.writes)
        positions = {line: i for i, line in enumerate(plan.log)}
        for msg_id in plan.cancelled:
            gap = plan.log.index(f"cancel {msg_id}") - positions[f"{msg_id} {plan.requests[msg_id]}"]
            seen_soon |= gap == 1
            seen_late |= gap > 10
    assert seen_header_cut and seen_soon and seen_late and seen_wait
