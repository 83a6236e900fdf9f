"""A live ``wit-ls serve`` over stdio pipes, fed what a buggy or hostile client sends: every
request is answered (with the right error code), the process stays up and in sync, and its
documents never silently differ from the editor's."""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.raw_client import RawClient, frame, opened

TEXT = """package example:app@0.1.0;

interface api {
  /// A thing with a name.
  record thing { name: string }
  make: func(name: string) -> thing;
}
"""
# The `thing` in `-> thing` (line 5, column 30).
HOVER_AT = {"line": 5, "character": 31}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[RawClient, str]]:
    with opened(tmp_path, TEXT) as both:
        yield both


def _hover(client: RawClient, uri: str) -> dict[str, Any]:
    return client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                 "position": HOVER_AT})


def _assert_hover_is_right(client: RawClient, uri: str) -> None:
    answer = _hover(client, uri)
    assert "error" not in answer, answer
    assert "A thing with a name." in answer["result"]["contents"]["value"], answer


def test_invalid_params_are_answered_with_invalid_params(server: tuple[RawClient, str]) -> None:
    client, uri = server
    doc = {"uri": uri}
    for params in (
        {"textDocument": doc, "position": {"line": -1, "character": 0}},
        {"textDocument": doc, "position": {"line": 2**31, "character": 0}},
        {"textDocument": doc, "position": {"line": "3", "character": 0}},
        {"textDocument": doc, "position": {"line": 1.5, "character": 0}},
        {"textDocument": doc, "position": {"line": True, "character": 0}},
        {"textDocument": doc},
        None,
        [],
        "x",
    ):
        answer = client.request("textDocument/hover", params)
        assert answer.get("error", {}).get("code") == -32602, (params, answer)
    _assert_hover_is_right(client, uri)
    # None of them is a popup.
    assert client.messages("window/showMessage") == []


def test_unparsable_and_invalid_messages(server: tuple[RawClient, str]) -> None:
    client, uri = server
    client.send_raw(frame(b"{not json"))
    client.send_raw(frame(b"\xff\xfe"))
    client.send_raw(frame(b"[" * 100_000))
    client.send_raw(frame(b"[1, 2]"))
    client.send_raw(frame(b'{"jsonrpc": "1.0", "id": 99, "method": "textDocument/hover"}'))
    client.send_raw(frame(b'{"jsonrpc": "2.0", "id": 98, "method": 5}'))
    assert client.wait(99)["error"]["code"] == -32600
    assert client.wait(98)["error"]["code"] == -32600
    _assert_hover_is_right(client, uri)
    codes = sorted(m["error"]["code"] for m in client.null_id_errors)
    assert codes == [-32700, -32700, -32700, -32600], client.null_id_errors
    assert client.messages("window/showMessage") == []


def test_broken_framing_never_kills_or_desynchronises(server: tuple[RawClient, str]) -> None:
    client, uri = server
    for junk in (
        b"Content-Length: 99999999999999999999999999\r\n\r\n{}",
        b"Content-Length: 67108865\r\n\r\n{}",
        b"Content-Length: twelve\r\n\r\n{}",
        b"Content-Type: application/json\r\n\r\n{}",
        b"\r\n\r\n\r\n",
        os.urandom(3000).replace(b"\r", b"").replace(b"C", b""),
    ):
        client.send_raw(junk)
        _assert_hover_is_right(client, uri)
    # A lower-case header name is a header like any other.
    msg_id = client.new_id()
    client.send_raw(frame(json.dumps({"jsonrpc": "2.0", "id": msg_id, "method": "shutdown"})
                          .encode(), b"content-length"))
    assert client.wait(msg_id).get("result", "missing") is None
    assert client.proc.poll() is None


def test_requests_after_shutdown_and_exit_codes(server: tuple[RawClient, str]) -> None:
    client, uri = server
    assert "error" not in client.request("shutdown")
    assert client.request("textDocument/hover", {
        "textDocument": {"uri": uri}, "position": HOVER_AT})["error"]["code"] == -32600
    assert client.close() == 0


def test_exit_without_shutdown_is_exit_code_1(server: tuple[RawClient, str]) -> None:
    client, _ = server
    assert client.close() == 1


def test_changes_that_cannot_apply_leave_the_document_out_of_sync_once(
        server: tuple[RawClient, str]) -> None:
    client, uri = server
    elsewhere = uri.replace("api.wit", "missing.wit")
    client.notify("textDocument/didChange", {"textDocument": {"uri": elsewhere, "version": 2},
                                             "contentChanges": [{"text": "garbage"}]})
    whole = {"start": {"line": 0, "character": 0}, "end": {"line": 99, "character": 0}}
    bad_ranges = [
        {"start": {"line": 3, "character": 0}, "end": {"line": 0, "character": 0}},  # reversed
        {"start": {"line": -1, "character": 0}, "end": {"line": 0, "character": 0}},
        {"start": {"line": 0, "character": 0}, "end": {"line": 2**31, "character": 0}},
    ]
    for version, rng in enumerate(bad_ranges, start=2):
        # A good edit before the bad one: it must not be applied alone either.
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": whole, "text": ""}, {"range": rng, "text": "x"}]})
    # A later incremental edit does not apply to the stale text.
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 9},
                                             "contentChanges": [{"range": whole, "text": ""}]})
    _assert_hover_is_right(client, uri)
    shown = client.messages("window/showMessage")
    assert len(shown) == 1 and "out of sync" in shown[0]["params"]["message"], shown
    # The full text resynchronises.
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 10},
                                             "contentChanges": [{"text": TEXT + "\n"}]})
    _assert_hover_is_right(client, uri)


def test_lone_surrogates_count_as_one_utf16_unit(server: tuple[RawClient, str]) -> None:
    client, uri = server
    # A lone surrogate in a comment before `interface` on the same line: the client counts it
    # as one UTF-16 unit; positions after it must agree.
    text = TEXT.replace("interface api {", "/*\ud800*/ interface api {")
    body = json.dumps({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": text}]}})
    client.send_raw(frame(body.encode()))
    answer = client.request("textDocument/documentHighlight", {
        "textDocument": {"uri": uri}, "position": {"line": 2, "character": 17}})
    ranges = [h["range"] for h in answer["result"]]
    assert {"start": {"line": 2, "character": 16}, "end": {"line": 2, "character": 19}} in ranges


# ---- the fuzz test ----------------------------------------------------------------------------

FUZZ_MESSAGES = int(os.environ.get("WIT_LS_FUZZ_MESSAGES", "1500"))
METHODS = ["textDocument/hover", "textDocument/definition", "textDocument/completion",
           "textDocument/documentHighlight", "textDocument/references",
           "textDocument/documentSymbol", "textDocument/semanticTokens/full",
           "textDocument/foldingRange", "textDocument/selectionRange",
           "textDocument/codeAction", "textDocument/formatting", "textDocument/inlayHint",
           "textDocument/prepareRename", "textDocument/documentLink",
           "textDocument/diagnostic", "wit-ls/syntaxTree", "workspace/symbol"]
ODD_VALUES: list[object] = [-1, 2**31, 2**63, 1.5, "3", "x" * 300, None, [], {}, True, "",
                            [[[[[[[[]]]]]]]], {"a": {"b": {"c": 1}}}, "\ud800", 0]


def _valid(method: str, uri: str, rng: random.Random) -> dict[str, Any]:
    pos = {"line": rng.randrange(0, 9), "character": rng.randrange(0, 40)}
    span = {"start": pos, "end": {"line": pos["line"] + rng.randrange(0, 3), "character": 5}}
    doc = {"uri": uri}
    params: dict[str, Any] = {"textDocument": doc, "position": pos}
    if method == "textDocument/references":
        params["context"] = {"includeDeclaration": True}
    elif method == "textDocument/selectionRange":
        params = {"textDocument": doc, "positions": [pos]}
    elif method == "textDocument/codeAction":
        params = {"textDocument": doc, "range": span, "context": {"diagnostics": []}}
    elif method == "textDocument/formatting":
        params = {"textDocument": doc, "options": {"tabSize": 2, "insertSpaces": True}}
    elif method == "textDocument/inlayHint":
        params = {"textDocument": doc, "range": span}
    elif method in ("textDocument/documentSymbol", "textDocument/semanticTokens/full",
                    "textDocument/foldingRange", "textDocument/documentLink",
                    "textDocument/diagnostic", "wit-ls/syntaxTree"):
        params = {"textDocument": doc}
    elif method == "workspace/symbol":
        params = {"query": "th"}
    return params


def _mutate(value: Any, rng: random.Random, depth: int = 0) -> Any:
    """``value`` with one random part replaced, removed or added."""
    if isinstance(value, dict) and value and depth < 6 and rng.random() < 0.7:
        key = rng.choice(list(value))
        out = dict(value)
        roll = rng.random()
        if roll < 0.2:
            del out[key]
        elif roll < 0.3:
            out["extra"] = rng.choice(ODD_VALUES)
        else:
            out[key] = _mutate(value[key], rng, depth + 1)
        return out
    if isinstance(value, list) and value and depth < 6 and rng.random() < 0.7:
        out_list = list(value)
        i = rng.randrange(len(out_list))
        out_list[i] = _mutate(out_list[i], rng, depth + 1)
        return out_list
    return rng.choice(ODD_VALUES)


def _bad_framing(rng: random.Random) -> bytes:
    body = json.dumps({"jsonrpc": "2.0", "method": "textDocument/hover"}).encode()
    return rng.choice([
        b"Content-Length: %d\r\n\r\n" % (64 * 1024 * 1024 + rng.randrange(1, 10**9)) + body,
        b"Content-Length: 12a\r\n\r\n" + body,
        b"Content-Length: -1\r\n\r\n" + body,
        b"X-Other: 1\r\n\r\n" + body,
        b"Content-Length: 7\r\n\r\n" + body,  # too short: the rest is garbage
        bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200))).replace(b"\r", b"")
        .replace(b"C", b"").replace(b"c", b""),
        b"\r\n",
        b"Content-Length: 0\r\n\r\n",
    ])


def test_fuzzed_messages_are_all_answered(server: tuple[RawClient, str]) -> None:
    """Thousands of mutated requests, notifications and framings (``WIT_LS_FUZZ_MESSAGES``
    sets how many; seeded, so a failure repeats): every request whose id and method survived
    is answered, the server stays alive, and a final hover is still right."""
    client, uri = server
    rng = random.Random(13)
    expected: list[object] = []
    for _ in range(FUZZ_MESSAGES):
        roll = rng.random()
        if roll < 0.1:
            client.send_raw(_bad_framing(rng))
            continue
        method = rng.choice(METHODS)
        message: dict[str, Any] = {"jsonrpc": "2.0", "id": client.new_id(), "method": method,
                                   "params": _valid(method, uri, rng)}
        if roll < 0.2:
            # A notification (cancel, change of another document, unknown method).
            del message["id"]
            message["method"] = rng.choice(["$/cancelRequest", "textDocument/didChange",
                                            "textDocument/didSave", "unknown/notification"])
            message["params"] = _mutate({"id": rng.randrange(100), "textDocument": {
                "uri": uri.replace("api.wit", "other.wit"), "version": 1},
                "contentChanges": [{"text": "x"}]}, rng)
        elif roll < 0.9:
            message = _mutate(message, rng)
        if not isinstance(message, dict):
            client.send(message)
            continue
        if message.get("method") in ("shutdown", "exit", "initialize"):
            continue
        if message.get("method") == "textDocument/didChange" and \
                "api.wit" in json.dumps(message):
            continue
        client.send(message)
        msg_id = message.get("id")
        if "method" in message and (isinstance(msg_id, str) or type(msg_id) is int):
            expected.append(msg_id)
    missing = client.wait_all(expected, timeout=max(120.0, FUZZ_MESSAGES / 10))
    assert client.proc.poll() is None, "the server died"
    assert missing == [], f"{len(missing)} of {len(expected)} requests unanswered"
    for msg_id in expected:
        answer = client.responses[msg_id]
        assert ("result" in answer) != ("error" in answer), answer
    assert client.malformed == []
    _assert_hover_is_right(client, uri)


def test_cancelled_workspace_diagnostics_answer_request_cancelled(tmp_path: Path) -> None:
    root = tmp_path / "many"
    for i in range(300):
        folder = root / f"p{i}" / "wit"
        folder.mkdir(parents=True)
        (folder / "a.wit").write_text(f"package example:p{i};\ninterface i {{ type t = u32; }}\n")
    client = RawClient(root)
    try:
        client.initialize(root)
        msg_id = client.new_id()
        request = json.dumps({"jsonrpc": "2.0", "id": msg_id, "method": "workspace/diagnostic",
                              "params": {"previousResultIds": []}}).encode()
        cancel = json.dumps({"jsonrpc": "2.0", "method": "$/cancelRequest",
                             "params": {"id": msg_id}}).encode()
        client.send_raw(frame(request) + frame(cancel))
        assert client.wait(msg_id).get("error", {}).get("code") == -32800
        # The server goes on: the same request, not cancelled, is answered in full.
        answer = client.request("workspace/diagnostic", {"previousResultIds": []}, timeout=300)
        assert len(answer["result"]["items"]) == 300
    finally:
        client.close()


def _many_packages(root: Path, count: int) -> Path:
    """``count`` packages, each using the first one's type; the first package's file."""
    for i in range(count):
        folder = root / f"p{i}" / "wit"
        folder.mkdir(parents=True)
        (folder / "a.wit").write_text(
            f"package example:p{i};\ninterface i {{\n  type t = u32;\n  f: func(a: t);\n}}\n")
    return root / "p0" / "wit" / "a.wit"


@pytest.mark.parametrize("method", ["textDocument/references", "workspace/symbol",
                                    "textDocument/codeAction"])
def test_long_requests_are_cancelled_midway(tmp_path: Path, method: str) -> None:
    # The cancellation arrives while the request is running (not before it starts, which the
    # library handles alone): the request must give the message loop a turn as it goes.
    root = tmp_path / "ws"
    first = _many_packages(root, 400)
    text = first.read_text(encoding="utf-8")
    if method == "textDocument/codeAction":
        # Thousands of findings, each with its actions, in a file of its own.
        text = "package example:deep;\ninterface i {\n  type t = " + "option<" * 3000 + \
            "u32" + ">" * 3000 + ";\n}\n"
        first = root / "deep" / "wit" / "a.wit"
        first.parent.mkdir(parents=True)
        first.write_text(text, encoding="utf-8")
    uri = first.as_uri()
    doc = {"uri": uri}
    params: dict[str, object] = {
        "textDocument/references": {"textDocument": doc, "position": {"line": 2, "character": 7},
                                    "context": {"includeDeclaration": True}},
        "workspace/symbol": {"query": "t"},
        "textDocument/codeAction": {"textDocument": doc, "range": {
            "start": {"line": 0, "character": 0}, "end": {"line": 5, "character": 0}},
            "context": {"diagnostics": []}},
    }[method]
    client = RawClient(root)
    try:
        client.initialize(root)
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "wit", "version": 1, "text": text}})
        msg_id = client.new_id()
        client.send({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
        # A cheap request sent behind it is answered while it runs (the long request gives the
        # message loop a turn as it goes): once that answer is in, the long one has started
        # and is still running, whatever the speed of the machine. Then it is cancelled.
        probe = client.new_id()
        client.send({"jsonrpc": "2.0", "id": probe, "method": "textDocument/hover", "params": {
            "textDocument": doc, "position": {"line": 0, "character": 0}}})
        assert client.wait_first([msg_id, probe], timeout=300) == probe, \
            "the long request did not let a request behind it through while it ran"
        client.notify("$/cancelRequest", {"id": msg_id})
        answer = client.wait(msg_id, timeout=300)
        assert answer.get("error", {}).get("code") == -32800, answer
        # The server goes on: the same request, not cancelled, is answered in full.
        answer = client.request(method, params, timeout=300)
        assert answer.get("result"), answer
    finally:
        client.close()
