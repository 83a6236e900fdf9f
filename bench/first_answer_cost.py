"""Instructions (valgrind) from the start of ``wit-ls serve`` to the first diagnostics of
wasi-http's ``types.wit``, the whole real corpus as the workspace, on an installed copy (bytecode
compiled), as an editor starts it: initialize, initialized, didOpen on stdin.

    python bench/first_answer_cost.py
    python bench/first_answer_cost.py --pull   # to the first pulled report, as VS Code pulls

Prints the light first answer's count (the process stops where the pygls server would take
over, right after the first diagnostics were written) and the pygls server's alone
(``WIT_LS_FIRST_ANSWER=0``), whose input ends once it has published them. With ``--pull``
the client pulls diagnostics (and can be asked to pull again, as VS Code): the counts are to
the answer of its ``textDocument/diagnostic`` request, sent after the open (a light path that
leaves the pull to the pygls server prints "never sent": that server's import, about the
pygls-alone count, comes before the answer). Needs valgrind and ../shared/corpus/real.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import _paths  # noqa: F401
from lsp_latency import REAL, installed_copy

# Run as the server, but end the process where the pygls server would be created (and load
# none of its modules in the thread the light path loads them in after the first answer).
STOP_AT_HANDOVER = """
import os, sys, types
stop = types.ModuleType("wit_ls.lsp.server")
def create_server():
    sys.stdout.flush()
    os._exit(0)
stop.create_server = create_server
sys.modules["wit_ls.lsp.server"] = stop
for name in ("handlers", "lifecycle"):
    sys.modules["wit_ls.lsp." + name] = types.ModuleType("wit_ls.lsp." + name)
"""


PULL_CAPABILITIES = {"textDocument": {"diagnostic": {"dynamicRegistration": True}},
                     "workspace": {"diagnostics": {"refreshSupport": True}}}


def session(path: Path, pull: bool = False) -> bytes:
    messages: list[dict[str, object]] = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"processId": None, "capabilities": PULL_CAPABILITIES if pull else {},
                    "workspaceFolders": [{"uri": REAL.as_uri(), "name": "corpus"}]}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": path.as_uri(), "languageId": "wit", "version": 1,
            "text": path.read_text(encoding="utf-8")}}}]
    if pull:
        messages.append({"jsonrpc": "2.0", "id": 2, "method": "textDocument/diagnostic",
                         "params": {"textDocument": {"uri": path.as_uri()},
                                    "identifier": "wit-ls"}})
    out = b""
    for message in messages:
        body = json.dumps(message).encode()
        out += b"Content-Length: %d\r\n\r\n" % len(body) + body
    return out


def instructions(command: list[str], data: bytes, env: dict[str, str],
                 marker: bytes = b"textDocument/publishDiagnostics") -> str:
    """The instructions of ``command`` fed ``data``; its input ends once it has sent
    ``marker`` (the first diagnostics) or ended."""
    proc = subprocess.Popen(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                             *command], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    proc.stdin.write(data)
    proc.stdin.flush()
    seen = b""
    while marker not in seen:
        chunk = proc.stdout.read1(65536)
        if not chunk:
            break
        seen = seen[-64:] + chunk
    published = marker in seen
    proc.stdin.close()
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.wait()
    for line in err.splitlines():
        if "Collected" in line:
            count = int(line.split()[-1])
            return f"{count / 1e6:,.0f}M{'' if published else ' (never sent)'}"
    return "?"


def main() -> int:
    pull = "--pull" in sys.argv[1:]
    marker = b'"resultId"' if pull else b"textDocument/publishDiagnostics"
    what = "first pulled report" if pull else "first diagnostics"
    target = REAL / "WebAssembly__wasi-http" / "wit" / "types.wit"
    if shutil.which("valgrind") is None or not target.is_file():
        print("needs valgrind and ../shared/corpus/real", file=sys.stderr)
        return 2
    data = session(target, pull)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONHASHSEED"] = "0"
    with tempfile.TemporaryDirectory() as tmp:
        command = installed_copy(Path(tmp))  # [python, -S, -c, boot, "serve"]
        light = [*command[:3], STOP_AT_HANDOVER + command[3].replace("; ", "\n"), "serve"]
        print(f"{f'light first answer, start -> {what}':<52} "
              f"{instructions(light, data, {**env, 'WIT_LS_FIRST_ANSWER': '1'}, marker)}")
        print(f"{f'pygls server alone, start -> {what}':<52} "
              f"{instructions(command, data, {**env, 'WIT_LS_FIRST_ANSWER': '0'}, marker)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
