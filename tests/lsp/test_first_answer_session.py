"""Whole ``wit-ls serve`` sessions through the light first answer's handover, compared with the
pygls-only server (``WIT_LS_FIRST_ANSWER=0``): an editor session whose edits and requests
arrive while the pygls server is still being imported, and broken input of every kind."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import make_client, write_workspace
from lsp_helpers import change, doc, open_doc, wait_diagnostics
from lsprotocol import types as t
from pygls.protocol import default_converter
from pytest_lsp import client_capabilities
from support.vscode_client import pull_capabilities

SERVER = [sys.executable, "-m", "wit_ls", "serve"]


def _position(text: str, needle: str, delta: int = 0) -> t.Position:
    before = text[:text.index(needle) + delta]
    line = before.count("\n")
    column = len(before.rsplit("\n", 1)[-1].encode("utf-16-le")) // 2
    return t.Position(line=line, character=column)


async def _session(folder: Path, log_file: Path) -> dict[str, Any]:
    client: Any = make_client()
    await client.start_io(*SERVER, "--log-file", str(log_file), "--log-level", "INFO")
    await client.initialize_session(t.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        workspace_folders=[t.WorkspaceFolder(uri=folder.as_uri(), name="ws")]))
    path = folder / "app/wit/api.wit"
    text = path.read_text(encoding="utf-8")
    uri = open_doc(client, path, text)
    first = await wait_diagnostics(client, uri, 1, timeout=120)
    # Sent at once after the first diagnostics, so they reach the server while it hands over:
    # two edits, the second only meaningful after the first, and requests over the result.
    at = _position(text, "  wrap:")
    change(client, uri, 2, "  extra: func(t: thing);\n", at, at)
    after = t.Position(line=at.line, character=at.character + len("  extra"))
    change(client, uri, 3, "2", after, after)
    edited = text.replace("  wrap:", "  extra2: func(t: thing);\n  wrap:", 1)
    hover, definition, symbols = await asyncio.gather(
        client.text_document_hover_async(t.HoverParams(
            text_document=doc(uri), position=_position(edited, "thing-kind", 2))),
        client.text_document_definition_async(t.DefinitionParams(
            text_document=doc(uri), position=_position(edited, "t: thing)", 4))),
        client.text_document_document_symbol_async(t.DocumentSymbolParams(
            text_document=doc(uri))))
    third = await wait_diagnostics(client, uri, 3, timeout=120)
    # An edit that breaks the file, then one that repairs it.
    end = _position(edited, "thing);", 5)
    change(client, uri, 4, " +", end, end)
    broken = await wait_diagnostics(client, uri, 4, timeout=120)
    change(client, uri, 5, "", end, t.Position(line=end.line, character=end.character + 2))
    repaired = await wait_diagnostics(client, uri, 5, timeout=120)
    hover_after = await client.text_document_hover_async(t.HoverParams(
        text_document=doc(uri), position=_position(edited, "thing-kind", 2)))
    versions = [v for v, _ in client.published[uri]]
    await client.shutdown_session()
    await client.stop()
    plain = default_converter().unstructure
    return {"first": plain(first), "hover": plain(hover), "definition": plain(definition),
            "symbols": plain(symbols), "third": plain(third), "broken": plain(broken),
            "repaired": plain(repaired), "hover_after": plain(hover_after),
            "versions": versions}


def test_session_through_the_handover_equals_pygls_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_workspace(tmp_path / "ws")
    light = asyncio.run(_session(folder, tmp_path / "light.log"))
    log = (tmp_path / "light.log").read_text(encoding="utf-8")
    assert "takes over (the opened documents' first diagnostics are published" in log, log
    monkeypatch.setenv("WIT_LS_FIRST_ANSWER", "0")
    pygls_only = asyncio.run(_session(folder, tmp_path / "pygls.log"))
    assert "takes over" not in (tmp_path / "pygls.log").read_text(encoding="utf-8")
    # Versions arrive in order; which intermediate versions get published depends on timing.
    for run in (light, pygls_only):
        versions = run.pop("versions")
        assert versions == sorted(versions) and versions[-1] == 5, versions
    assert light == pygls_only

    def names(symbols: list[dict[str, Any]]) -> list[str]:
        return [n for s in symbols for n in (s["name"], *names(s.get("children") or []))]

    names = names(light["symbols"])
    assert "extra2" in names and names.index("extra2") < names.index("wrap"), names
    assert light["broken"] and not light["repaired"], light


async def _pull_session(folder: Path, log_file: Path) -> list[Any]:
    """Every report a pulling client gets: the first pull and one with its id (sent together,
    before the handover), one after the first lint pass, and pulls after an edit that breaks
    the file and one that repairs it, each with the last report's id."""
    client: Any = make_client()
    await client.start_io(*SERVER, "--log-file", str(log_file), "--log-level", "INFO")
    await client.initialize_session(t.InitializeParams(
        capabilities=pull_capabilities(),
        workspace_folders=[t.WorkspaceFolder(uri=folder.as_uri(), name="ws")]))
    path = folder / "app/wit/types.wit"
    text = path.read_text(encoding="utf-8")
    uri = open_doc(client, path, text)

    async def pull(previous: str | None) -> Any:
        return await client.text_document_diagnostic_async(t.DocumentDiagnosticParams(
            text_document=doc(uri), identifier="wit-ls", previous_result_id=previous))

    first = await pull(None)
    again = await pull(first.result_id)
    reports = [first, again]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 120
    while client.refreshes == 0 and loop.time() < deadline:  # the first lint pass is in
        await asyncio.sleep(0.02)
    reports.append(await pull(first.result_id))
    end = _position(text, "size: u32,", len("size: u32"))
    change(client, uri, 2, " +", end, end)
    reports.append(await pull(reports[-1].result_id))
    change(client, uri, 3, "", end, t.Position(line=end.line, character=end.character + 2))
    reports.append(await pull(reports[-1].result_id))
    reports.append(await pull(reports[-1].result_id))
    await client.shutdown_session()
    await client.stop()
    plain = default_converter().unstructure
    return [plain(r) for r in reports]


def test_pull_session_through_the_handover_equals_pygls_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_workspace(tmp_path / "ws")
    light = asyncio.run(_pull_session(folder, tmp_path / "light.log"))
    log = (tmp_path / "light.log").read_text(encoding="utf-8")
    assert "takes over (the opened documents' first pulls are answered" in log, log
    monkeypatch.setenv("WIT_LS_FIRST_ANSWER", "0")
    pygls_only = asyncio.run(_pull_session(folder, tmp_path / "pygls.log"))
    assert "takes over" not in (tmp_path / "pygls.log").read_text(encoding="utf-8")
    assert light == pygls_only
    kinds = [r["kind"] for r in light]
    assert kinds[:2] == ["full", "unchanged"] and kinds[3:] == ["full", "full", "unchanged"]
    assert light[3]["items"] and light[4]["items"] == light[2].get("items", light[0]["items"])


# ---- broken input: whatever comes first, the same answers as the pygls server ---------------


def _frame(body: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _msg(method: str, params: object = None, msg_id: object = None) -> bytes:
    message: dict[str, object] = {"jsonrpc": "2.0", "method": method}
    if msg_id is not None:
        message["id"] = msg_id
    if params is not None:
        message["params"] = params
    return _frame(json.dumps(message).encode())


INIT = _msg("initialize", {"processId": None, "capabilities": {}}, 1)
INITIALIZED = _msg("initialized", {})
SHUTDOWN = _msg("shutdown", None, 99)
EXIT = _msg("exit")

INPUTS: dict[str, bytes] = {
    "bad JSON first": _frame(b"{not json") + INIT + SHUTDOWN + EXIT,
    "not an object first": _frame(b"[1, 2]") + INIT + SHUTDOWN + EXIT,
    "unknown method first": _msg("wit/nothing", {}, 5) + INIT + SHUTDOWN + EXIT,
    "hover before initialize": _msg("textDocument/hover", {
        "textDocument": {"uri": "file:///x.wit"},
        "position": {"line": 0, "character": 0}}, 5) + EXIT,
    "exit before initialize": EXIT,
    "shutdown before initialize": SHUTDOWN + EXIT,
    "end of input before initialize": b"",
    "invalid initialize params": _msg("initialize", {"processId": "x", "capabilities": {}}, 1)
    + INIT + SHUTDOWN + EXIT,
    "broken header": b"Content-Length: nope\r\n\r\n{}" + INIT + INITIALIZED + SHUTDOWN + EXIT,
    "initialize twice": INIT + _msg("initialize", {"processId": None, "capabilities": {}}, 2)
    + SHUTDOWN + EXIT,
    "bad JSON after initialize": INIT + _frame(b"}{") + INITIALIZED + SHUTDOWN + EXIT,
    "invalid didOpen": INIT + INITIALIZED + _msg("textDocument/didOpen", {"textDocument": {
        "uri": "file:///tmp/x.wit", "languageId": "wit", "version": "1", "text": ""}})
    + SHUTDOWN + EXIT,
    "request after initialize": INIT + _msg("textDocument/documentSymbol", {
        "textDocument": {"uri": "file:///nonexistent/x.wit"}}, 3) + SHUTDOWN + EXIT,
    "exit without shutdown": INIT + INITIALIZED + EXIT,
    "end of input after initialize": INIT + INITIALIZED,
}


def _run(data: bytes, first_answer: bool, cwd: Path) -> tuple[int, dict[str, object], str]:
    env = {**os.environ, "WIT_LS_FIRST_ANSWER": "1" if first_answer else "0"}
    done = subprocess.run(SERVER, input=data, capture_output=True, cwd=cwd, env=env,
                          timeout=120, check=False)
    answers: dict[str, object] = {}
    out = done.stdout
    while out:
        head, _, rest = out.partition(b"\r\n\r\n")
        length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
        message = json.loads(rest[:length])
        out = rest[length:]
        if "method" not in message:  # the answers (ids are the client's)
            answers[json.dumps(message.get("id"))] = message
    return done.returncode, answers, done.stderr.decode("utf-8", "replace")


@pytest.mark.parametrize("label", list(INPUTS))
def test_broken_input_is_answered_as_pygls_answers(label: str, tmp_path: Path) -> None:
    code, answers, err = _run(INPUTS[label], True, tmp_path)
    # pygls logs its own tracebacks of invalid params; none may come from the light path.
    assert "first_answer" not in err and "first answer failed" not in err, err
    assert (code, answers) == _run(INPUTS[label], False, tmp_path)[:2]
