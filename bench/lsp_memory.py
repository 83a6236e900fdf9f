"""The language server's memory across edits: RSS after 1,000 and after 10,000 single-character
didChange notifications to one document (each followed, every 100, by a hover that waits for
the server to catch up). Flat means the second figure is within a few MB of the first.

    python bench/lsp_memory.py            # 1,000 then 10,000 edits
    python bench/lsp_memory.py 200 2000   # other checkpoints
"""

from __future__ import annotations

import sys
import tempfile
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


def edit(server: RawClient, uri: str, version: int) -> None:
    """Insert a space at the end of line 0 (odd versions) or remove it (even versions)."""
    end = len("package example:mem@0.1.0;")
    if version % 2:
        change = {"range": {"start": {"line": 0, "character": end},
                            "end": {"line": 0, "character": end}}, "text": " "}
    else:
        change = {"range": {"start": {"line": 0, "character": end},
                            "end": {"line": 0, "character": end + 1}}, "text": ""}
    server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                             "contentChanges": [change]})


def run(checkpoints: list[int]) -> list[tuple[int, int]]:
    """(edits, RSS in KB) at each checkpoint."""
    out: list[tuple[int, int]] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "mem.wit").write_text(TEXT)
        server = RawClient(root)
        try:
            server.initialize(root)
            uri = (root / "mem.wit").as_uri()
            server.notify("textDocument/didOpen", {"textDocument": {
                "uri": uri, "languageId": "wit", "version": 0, "text": TEXT}})
            hover = {"textDocument": {"uri": uri}, "position": {"line": 4, "character": 12}}
            done = 0
            for target in checkpoints:
                while done < target:
                    done += 1
                    edit(server, uri, done)
                    if done % 100 == 0:
                        server.request("textDocument/hover", hover)
                # Let the debounced diagnostics run, then measure.
                server.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
                server.request("textDocument/hover", hover)
                out.append((done, server.rss_kb()))
        finally:
            server.close()
    return out


def main(argv: list[str]) -> None:
    checkpoints = [int(a) for a in argv] or [1000, 10000]
    results = run(checkpoints)
    for edits, rss in results:
        print(f"RSS after {edits:6} edits: {rss / 1024:7.1f} MB")
    if len(results) > 1:
        growth = (results[-1][1] - results[0][1]) / 1024
        print(f"growth from {results[0][0]} to {results[-1][0]} edits: {growth:+.1f} MB")


if __name__ == "__main__":
    main(sys.argv[1:])
