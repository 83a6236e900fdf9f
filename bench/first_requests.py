"""Time from the start of ``wit-ls serve`` to the answer of each request VS Code sends about a
document it opens, the whole real corpus as the workspace, wasi-http's ``types.wit`` opened,
as a client that pulls diagnostics (and can be asked to pull again) sends them once
``initialize`` is answered: ``initialized``, ``didOpen``, the pull of the document,
``workspace/diagnostic``, then symbols, folding ranges, semantic tokens, code lenses, inlay
hints, links.

    python bench/first_requests.py            # median of 5 sessions each way
    python bench/first_requests.py --runs 9

Runs an installed copy (bytecode compiled, as ``bench/check_speed.py`` makes it) with the
light first answer (``wit_ls.lsp.first_answer``) and with the pygls server alone
(``WIT_LS_FIRST_ANSWER=0``); also the same with the requests sent ``LATE`` seconds after the
pull was answered (the light path has handed over by then: those wait for the pygls import).
Raw JSON-RPC over the server's pipes: a client library would add its own start-up and
threads. Needs ../shared/corpus/real.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Any

import _paths  # noqa: F401
from lsp_latency import REAL, installed_copy
from pygls.protocol import default_converter
from support.vscode_client import pull_capabilities

LATE = 0.1
REQUESTS = ["textDocument/documentSymbol", "textDocument/foldingRange",
            "textDocument/semanticTokens/full", "textDocument/codeLens",
            "textDocument/inlayHint", "textDocument/documentLink"]


def _frame(message: dict[str, Any]) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _read(out: IO[bytes]) -> dict[str, Any] | None:
    length = None
    while True:
        line = out.readline()
        if not line:
            return None
        if line in (b"\r\n", b"\n"):
            break
        if line.lower().startswith(b"content-length"):
            length = int(line.split(b":")[1])
    assert length is not None
    message: dict[str, Any] = json.loads(out.read(length))
    return message


def session(command: list[str], env: dict[str, str], target: Path, late: bool
            ) -> dict[str, float]:
    """Seconds from the start of the process to each answer, by method."""
    caps = default_converter().unstructure(pull_capabilities())
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=env, cwd=REAL)
    assert proc.stdin is not None and proc.stdout is not None
    stdin, out = proc.stdin, proc.stdout

    def send(*messages: dict[str, Any]) -> None:
        stdin.write(b"".join(_frame(m) for m in messages))
        stdin.flush()

    uri = target.as_uri()
    lines = target.read_text(encoding="utf-8").count("\n")
    send({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
        "processId": None, "capabilities": caps, "rootUri": REAL.as_uri(),
        "workspaceFolders": [{"uri": REAL.as_uri(), "name": "corpus"}]}})
    methods = {1: "textDocument/diagnostic", 2: "workspace/diagnostic"}
    methods.update({10 + i: m for i, m in enumerate(REQUESTS)})
    whole = {"start": {"line": 0, "character": 0}, "end": {"line": lines + 1, "character": 0}}
    params: dict[str, dict[str, Any]] = {
        "textDocument/diagnostic": {"textDocument": {"uri": uri}, "identifier": "wit-ls"},
        "workspace/diagnostic": {"identifier": "wit-ls", "previousResultIds": []},
        "textDocument/inlayHint": {"textDocument": {"uri": uri}, "range": whole}}
    requests = [{"jsonrpc": "2.0", "id": i, "method": m,
                 "params": params.get(m, {"textDocument": {"uri": uri}})}
                for i, m in methods.items() if i >= 10]
    answered: dict[str, float] = {}
    while len(answered) < len(methods) + 1:
        message = _read(out)
        if message is None:
            break
        now = time.perf_counter() - started
        if "id" in message and "method" in message:  # the server's request: answered at once
            send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            continue
        if "method" in message:
            continue
        if message["id"] == 0:
            answered["initialize"] = now
            send({"jsonrpc": "2.0", "method": "initialized", "params": {}},
                 {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
                     "textDocument": {"uri": uri, "languageId": "wit", "version": 1,
                                      "text": target.read_text(encoding="utf-8")}}},
                 {"jsonrpc": "2.0", "id": 1, "method": methods[1], "params": params[methods[1]]},
                 {"jsonrpc": "2.0", "id": 2, "method": methods[2], "params": params[methods[2]]},
                 *([] if late else requests))
        elif message["id"] in methods:
            answered[methods[message["id"]]] = now
            if message["id"] == 1 and late:
                time.sleep(LATE)
                send(*requests)
    send({"jsonrpc": "2.0", "id": "end", "method": "shutdown"})
    while (message := _read(out)) is not None and message.get("id") != "end":
        pass
    send({"jsonrpc": "2.0", "method": "exit"})
    proc.wait(timeout=60)
    return answered


def main() -> int:
    args = sys.argv[1:]
    runs = int(args[args.index("--runs") + 1]) if "--runs" in args else 5
    target = REAL / "WebAssembly__wasi-http" / "wit" / "types.wit"
    if not target.is_file():
        print("needs ../shared/corpus/real", file=sys.stderr)
        return 2
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        command = installed_copy(Path(tmp))
        ways = {"light first answer": ("1", False),
                f"light, requests {LATE * 1000:.0f} ms after the pull": ("1", True),
                "pygls server alone": ("0", False)}
        found: dict[str, list[dict[str, float]]] = {way: [] for way in ways}
        for _ in range(runs):
            for way, (light, late) in ways.items():
                found[way].append(session(command, {**env, "WIT_LS_FIRST_ANSWER": light},
                                          target, late))
    names = ["initialize", "textDocument/diagnostic", *REQUESTS, "workspace/diagnostic"]
    print(f"start -> answer, median ms of {runs} (load {os.getloadavg()[0]:.1f})")
    print(f"{'':<34}" + "".join(f"{way[:24]:>26}" for way in ways))
    for name in names:
        cells = []
        for way in ways:
            times = [r[name] for r in found[way] if name in r]
            cells.append(f"{statistics.median(times) * 1000:>26.0f}" if times else
                         f"{'-':>26}")
        print(f"{name.removeprefix('textDocument/'):<34}" + "".join(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
