"""A pulled report comes before the requests read with it: VS Code pulls the diagnostics of a
changed document right after the change, and asks for code lenses, links and inlay hints as
well (each of which analyses the package). Read together, the report used to wait for all of
them (it was a coroutine, run after the handlers answered on the spot); it is now answered as
it is read, so a keystroke's diagnostics never wait for those requests. Nothing is timed: the
test looks at the order of the answers, which is fixed when the report is answered as read."""

from __future__ import annotations

import json
from pathlib import Path

from pygls.protocol import default_converter
from support.raw_client import RawClient, frame
from support.vscode_client import pull_capabilities

TEXT = """package a:b;

interface i {
  record r {
    x: u32,
  }
  f: func(v: r) -> r;
}

world w {
  import i;
}
"""


def _request(msg_id: int, method: str, params: object) -> bytes:
    return frame(json.dumps({"jsonrpc": "2.0", "id": msg_id, "method": method,
                             "params": params}).encode())


def test_the_report_is_answered_before_the_requests_read_with_it(tmp_path: Path) -> None:
    path = tmp_path / "a.wit"
    path.write_text(TEXT, encoding="utf-8")
    uri = path.as_uri()
    doc = {"uri": uri}
    client = RawClient(tmp_path)
    try:
        caps = default_converter().unstructure(pull_capabilities())
        client.send({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
            "processId": None, "rootUri": tmp_path.as_uri(), "capabilities": caps,
            "workspaceFolders": [{"uri": tmp_path.as_uri(), "name": "ws"}]}})
        client.wait(0)
        client.notify("initialized", {})
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "wit", "version": 1, "text": TEXT}})
        client.send({"jsonrpc": "2.0", "id": 1, "method": "textDocument/diagnostic",
                     "params": {"textDocument": doc}})
        assert client.wait(1)["result"]["items"] == []
        # A letter that names a type nobody declared, then what VS Code asks, in one write.
        at = {"line": 6, "character": 14}
        change = frame(json.dumps({"jsonrpc": "2.0", "method": "textDocument/didChange",
                                   "params": {"textDocument": {"uri": uri, "version": 2},
                                              "contentChanges": [{"range": {"start": at,
                                                                            "end": at},
                                                                  "text": "x"}]}}).encode())
        whole = {"start": {"line": 0, "character": 0}, "end": {"line": 13, "character": 0}}
        asked = [(2, "textDocument/codeLens", {"textDocument": doc}),
                 (3, "textDocument/documentLink", {"textDocument": doc}),
                 (4, "textDocument/inlayHint", {"textDocument": doc, "range": whole}),
                 (5, "textDocument/diagnostic", {"textDocument": doc}),
                 (6, "textDocument/documentHighlight", {"textDocument": doc,
                                                        "position": at})]
        client.send_raw(change + _request(*asked[0]) + _request(*asked[1])
                        + _request(*asked[2]) + _request(*asked[3]) + _request(*asked[4]))
        assert client.wait_all([i for i, _m, _p in asked], 60) == []
        with client._lock:
            order = [i for i in client.responses if i in (2, 3, 4, 5, 6)]
        # Answered in the order read: the report in its turn, not after the others.
        assert order == [2, 3, 4, 5, 6]
        report = client.responses[5]["result"]
        assert [d["message"] for d in report["items"]] == ["name `rx` does not exist"]
    finally:
        client.request("shutdown")
        client.close()
