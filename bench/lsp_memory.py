"""The language server's memory across edits: RSS after 1,000 and after 10,000 single-character
didChange notifications to one document (each followed, every 100, by a hover that waits for
the server to catch up). Flat means the second figure is within a few MB of the first.

    python bench/lsp_memory.py            # 1,000 then 10,000 edits
    python bench/lsp_memory.py 200 2000   # other checkpoints
    python bench/lsp_memory.py --corpus 200 2000   # the whole real corpus as the workspace,
                                                   # edits to wasi-http's types.wit; and peak

With ``--corpus`` it also prints the server's peak memory (VmHWM) at the end.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _paths  # noqa: F401  (makes tests/support importable)
from support.raw_client import RawClient

TEXT = """package example:mem@0.1.0;

/// A counter.
interface counter {
  record state { value: u64, label: string }
  bump: func(s: state) -> state;
}
"""


REAL = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "real"


def edit(server: RawClient, uri: str, version: int, end: int) -> None:
    """Insert a space at the end of line 0 (``end`` characters long, ASCII) (odd versions) or
    remove it (even versions)."""
    if version % 2:
        change = {"range": {"start": {"line": 0, "character": end},
                            "end": {"line": 0, "character": end}}, "text": " "}
    else:
        change = {"range": {"start": {"line": 0, "character": end},
                            "end": {"line": 0, "character": end + 1}}, "text": ""}
    server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                             "contentChanges": [change]})


def run(checkpoints: list[int], corpus: bool = False) -> tuple[list[tuple[int, int]], int]:
    """(edits, RSS in KB) at each checkpoint, and the peak (VmHWM, KB) at the end."""
    out: list[tuple[int, int]] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = REAL if corpus else Path(tmp)
        path = root / "WebAssembly__wasi-http" / "wit" / "types.wit" if corpus else root / "mem.wit"
        if not corpus:
            path.write_text(TEXT)
        text = path.read_text(encoding="utf-8")
        server = RawClient(root)
        peak = 0
        try:
            server.initialize(root)
            uri = path.as_uri()
            server.notify("textDocument/didOpen", {"textDocument": {
                "uri": uri, "languageId": "wit", "version": 0, "text": text}})
            line = 4 if not corpus else text[:text.index("resource fields")].count("\n")
            hover = {"textDocument": {"uri": uri}, "position": {"line": line, "character": 12}}
            end = len(text.split("\n", 1)[0])
            if corpus:  # measure once every package is indexed (the server logs it)
                deadline = time.monotonic() + 600
                while not any("indexed" in str(m.get("params", {}).get("message"))
                              for m in server.messages("window/logMessage")):
                    assert time.monotonic() < deadline, "the workspace was never indexed"
                    server.request("textDocument/hover", hover)
                    time.sleep(0.1)
            done = 0
            for target in checkpoints:
                while done < target:
                    done += 1
                    edit(server, uri, done, end)
                    if done % 100 == 0:
                        server.request("textDocument/hover", hover)
                # Let the debounced diagnostics run, then measure.
                server.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
                server.request("textDocument/hover", hover)
                out.append((done, server.rss_kb()))
            status = Path(f"/proc/{server.proc.pid}/status").read_text()
            peak = next(int(row.split()[1]) for row in status.splitlines()
                        if row.startswith("VmHWM:"))
        finally:
            server.close()
    return out, peak


def main(argv: list[str]) -> None:
    corpus = "--corpus" in argv
    if corpus and not REAL.is_dir():
        sys.exit("the real corpus (../shared/corpus/real) is absent")
    checkpoints = [int(a) for a in argv if a != "--corpus"] or [1000, 10000]
    results, peak = run(checkpoints, corpus)
    for edits, rss in results:
        print(f"RSS after {edits:6} edits: {rss / 1024:7.1f} MB")
    if len(results) > 1:
        growth = (results[-1][1] - results[0][1]) / 1024
        print(f"growth from {results[0][0]} to {results[-1][0]} edits: {growth:+.1f} MB")
    if corpus:
        print(f"peak (VmHWM), whole real corpus as the workspace: {peak / 1024:.1f} MB")


if __name__ == "__main__":
    main(sys.argv[1:])
