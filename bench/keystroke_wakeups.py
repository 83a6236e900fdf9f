"""Wake-ups of ``wit-ls serve`` per keystroke: context switches over all its threads (and per
thread), and its CPU time, while wasi-http's ``types.wit`` is typed in over stdio (a letter or
a space at line ends, then deleted, each waited for). Under load every wake-up of a thread
waits for a time slice, so this counts what a keystroke costs in scheduling, a figure a loaded
machine hardly changes (the wall times printed beside it it changes a lot).

    python bench/keystroke_wakeups.py            # a letter, then a space; 100 of each
    python bench/keystroke_wakeups.py x 300

Linux only (reads /proc). Needs ../shared/corpus/real.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Any

import _paths  # noqa: F401
from lsp_latency import REAL


def _send(stdin: IO[bytes], message: dict[str, Any]) -> None:
    body = json.dumps(message).encode()
    stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    stdin.flush()


def _receive(out: IO[bytes]) -> dict[str, Any]:
    length = 0
    while (line := out.readline()) not in (b"\r\n", b""):
        if line.lower().startswith(b"content-length"):
            length = int(line.split(b":")[1])
    message: dict[str, Any] = json.loads(out.read(length))
    return message


def _switches(pid: int) -> dict[str, int]:
    """Context switches (voluntary and not) of each thread of ``pid``."""
    found: dict[str, int] = {}
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/status", encoding="ascii") as status:
                found[task] = sum(int(line.split()[1]) for line in status
                                  if "ctxt_switches" in line)
        except FileNotFoundError:
            pass
    return found


def _cpu(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(typed: str, n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "http"
        shutil.copytree(REAL / "WebAssembly__wasi-http" / "wit", folder)
        path = folder / "types.wit"
        text = path.read_text(encoding="utf-8")
        proc = subprocess.Popen([sys.executable, "-m", "wit_ls", "serve"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=tmp)
        assert proc.stdin is not None and proc.stdout is not None
        stdin, out = proc.stdin, proc.stdout

        def wait(version: int | None = None, msg_id: int | None = None) -> None:
            while True:
                message = _receive(out)
                if "id" in message and "method" in message:
                    _send(stdin, {"jsonrpc": "2.0", "id": message["id"], "result": None})
                    continue
                answered = msg_id is not None and message.get("id") == msg_id
                published = version is not None and message.get("method") == \
                    "textDocument/publishDiagnostics" and \
                    message["params"].get("version") == version
                if answered or published:
                    return

        uri = path.as_uri()
        _send(stdin, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "processId": None, "capabilities": {},
            "workspaceFolders": [{"uri": folder.as_uri(), "name": "http"}]}})
        wait(msg_id=1)
        _send(stdin, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
        _send(stdin, {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": uri, "languageId": "wit", "version": 1, "text": text}}})
        wait(version=1)
        time.sleep(3)  # the handover, indexing and the first lint pass are over
        rows = text.split("\n")
        lines = [i for i, row in enumerate(rows) if row.strip()]
        version = 1
        walls: list[float] = []
        before: dict[str, int] = {}
        cpu = 0.0
        for k in range(20 + n):  # (the first 20: not counted)
            if k == 20:
                before, cpu = _switches(proc.pid), _cpu(proc.pid)
            line = lines[(k * 7919) % len(lines)]
            col = len(rows[line].encode("utf-16-le")) // 2
            for insert in (True, False):
                version += 1
                end = col + (0 if insert else 1)
                started = time.perf_counter()
                _send(stdin, {"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"range": {
                        "start": {"line": line, "character": col},
                        "end": {"line": line, "character": end}},
                        "text": typed if insert else ""}]}})
                wait(version=version)
                if k >= 20:
                    walls.append(time.perf_counter() - started)
        after, cpu = _switches(proc.pid), _cpu(proc.pid) - cpu
        per_thread = sorted((after[t] - before.get(t, 0) for t in after), reverse=True)
        walls.sort()
        keystrokes = 2 * n
        print(f"{typed!r}: {keystrokes} keystrokes: context switches per keystroke "
              f"{sum(per_thread) / keystrokes:.2f} (by thread: "
              f"{', '.join(f'{s / keystrokes:.2f}' for s in per_thread)}), CPU per keystroke "
              f"{cpu / keystrokes * 1000:.2f} ms; wall median "
              f"{walls[len(walls) // 2] * 1000:.1f} ms, p95 "
              f"{walls[int(0.95 * (len(walls) - 1))] * 1000:.1f} ms (load "
              f"{os.getloadavg()[0]:.1f})")
        _send(stdin, {"jsonrpc": "2.0", "id": 99, "method": "shutdown"})
        wait(msg_id=99)
        _send(stdin, {"jsonrpc": "2.0", "method": "exit"})
        proc.wait(timeout=30)


def main() -> int:
    if not (REAL / "WebAssembly__wasi-http" / "wit").is_dir():
        print("needs ../shared/corpus/real", file=sys.stderr)
        return 2
    args = sys.argv[1:]
    n = int(args[1]) if len(args) > 1 else 100
    for typed in ([args[0]] if args else ["x", " "]):
        measure(typed, n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
