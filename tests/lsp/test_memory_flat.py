"""Memory stays flat across edits: nothing is retained per didChange (pygls kept a future per
notification, about 2 MB per 1,000 edits). bench/lsp_memory.py prints the 1,000 -> 10,000
figures; this is the smaller check."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from support.raw_client import RawClient

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

TEXT = "package example:mem@0.1.0;\n\ninterface counter {\n  bump: func(n: u64) -> u64;\n}\n"
END = len("package example:mem@0.1.0;")


def test_rss_is_flat_across_edits(tmp_path: Path) -> None:
    (tmp_path / "mem.wit").write_text(TEXT)
    client = RawClient(tmp_path)
    try:
        client.initialize(tmp_path)
        uri = (tmp_path / "mem.wit").as_uri()
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "wit", "version": 0, "text": TEXT}})
        hover = {"textDocument": {"uri": uri}, "position": {"line": 3, "character": 4}}

        def edits(first: int, last: int) -> None:
            for version in range(first, last + 1):
                start = {"line": 0, "character": END}
                end = {"line": 0, "character": END + (0 if version % 2 else 1)}
                client.notify("textDocument/didChange", {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"range": {"start": start, "end": end},
                                        "text": " " if version % 2 else ""}]})
                if version % 100 == 0:
                    client.request("textDocument/hover", hover)
            client.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})

        edits(1, 500)
        before = client.rss_kb()
        edits(501, 4500)
        after = client.rss_kb()
        assert after - before < 5 * 1024, f"RSS grew {after - before} KB over 4,000 edits"
        # The text is what the edits made it (an even number of them: unchanged).
        answer = client.request("textDocument/hover", hover)
        assert "bump" in answer["result"]["contents"]["value"]
    finally:
        client.close()
