"""Cross-package requests after an edit, on a workspace of the whole real corpus: references
(and workspace symbols) on `wasi-http/types.wit` right after a one-character edit of that file,
which makes every package analysis that reads the file stale and no other.

    python bench/lsp_cross_package.py            # 10 edits
    python bench/lsp_cross_package.py --edits 30

Prints the median and the worst seconds per request over stdio, and the first (cold) request,
which analyses every package of the workspace.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import _paths  # noqa: F401  (makes tests/support importable)
from support.raw_client import RawClient

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "real"
FILE = REAL / "WebAssembly__wasi-http" / "wit" / "types.wit"
NEEDLE = "resource fields"


def _timed(client: RawClient, method: str, params: Any) -> float:
    started = time.perf_counter()
    answer = client.request(method, params, timeout=600)
    assert "result" in answer, answer
    return time.perf_counter() - started


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=10)
    args = parser.parse_args(argv)
    if not FILE.is_file():
        print(f"the real corpus is absent ({FILE}): nothing to measure")
        return
    text = FILE.read_text(encoding="utf-8")
    line = text[:text.index(NEEDLE)].count("\n")
    column = len(text.splitlines()[line]) - len(text.splitlines()[line].lstrip()) + \
        len("resource ")
    uri = FILE.as_uri()
    doc = {"uri": uri}
    refs = {"textDocument": doc, "position": {"line": line, "character": column},
            "context": {"includeDeclaration": True}}
    client = RawClient(REAL)
    try:
        client.initialize(REAL)
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "wit", "version": 1, "text": text}})
        cold = _timed(client, "textDocument/references", refs)
        found = len(client.request("textDocument/references", refs)["result"])
        after_edit: dict[str, list[float]] = {"references": [], "workspace/symbol": []}
        version = 1
        for _ in range(args.edits):
            for method, params in (("references", refs),
                                   ("workspace/symbol", {"query": "fields"})):
                # A space at the start of the first line, then removed: the text stays valid.
                version += 1
                end = 0 if version % 2 == 0 else 1
                client.notify("textDocument/didChange", {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"range": {"start": {"line": 0, "character": 0},
                                                  "end": {"line": 0, "character": end}},
                                        "text": " " if end == 0 else ""}]})
                full = "textDocument/references" if method == "references" else method
                after_edit[method].append(_timed(client, full, params))
        print(f"workspace: {REAL.name} ({sum(1 for _ in REAL.iterdir())} folders); "
              f"{found} references to `fields`")
        print(f"  first references (every package analysed): {cold:7.3f} s")
        for method, times in after_edit.items():
            print(f"  {method:17} after an edit: median {statistics.median(times):7.3f} s, "
                  f"worst {max(times):7.3f} s ({len(times)} edits)")
        client.request("shutdown", None)
    finally:
        client.close()


if __name__ == "__main__":
    main(sys.argv[1:])
