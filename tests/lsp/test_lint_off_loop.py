"""Lint off the latency path: a lint pass runs in the server's lint thread, so syntax and
model diagnostics of a newer edit, and requests, are answered while it runs; and the findings
of a pass over text that has changed since are never shown.

The server is ``slow_lint_server.py``: a lint pass over a text holding ``// slow-lint GATE``
waits until the test creates ``GATE/release`` (nothing here is timed: the test decides when
lint may finish, and only waits for what the server must send)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from conftest import make_client, uri
from lsp_helpers import change, doc, pos
from lsprotocol import types as t
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

pytestmark = [pytest.mark.asyncio]

SERVER = [sys.executable, str(Path(__file__).with_name("slow_lint_server.py"))]

TEXT = """package example:slow@0.1.0;

// slow-lint {gate}
interface api {{
  use types.{{id, unused-thing}};

  /// Look something up.
  find: func(key: id) -> result<string, string>;
}}

interface types {{
  /// An id.
  type id = u64;
  /// Not used.
  type unused-thing = u8;
}}
"""


@pytest.fixture
def gate(tmp_path: Path) -> Iterator[Path]:
    """The folder a slow lint pass waits on; released at the end whatever happens, so that
    the server can shut down."""
    folder = tmp_path / "gate"
    folder.mkdir()
    yield folder
    (folder / "release").touch()


async def _init(client: LanguageClient, root: Path, *, pull: bool) -> None:
    caps = client_capabilities("neovim")
    if pull:
        caps.workspace.diagnostics = t.DiagnosticWorkspaceClientCapabilities(
            refresh_support=True)
    else:
        caps.text_document.diagnostic = None
    result = await client.initialize_session(t.InitializeParams(
        capabilities=caps, workspace_folders=[t.WorkspaceFolder(uri=uri(root), name="ws")]))
    client.encoding = str(getattr(  # type: ignore[attr-defined]
        result.capabilities.position_encoding, "value", result.capabilities.position_encoding)
        or "utf-16")


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER,
                                              client_factory=make_client))
async def pushed(lsp_client: LanguageClient, tmp_path: Path) -> Any:
    """A client that is pushed diagnostics."""
    await _init(lsp_client, tmp_path, pull=False)
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER,
                                              client_factory=make_client))
async def pulling(lsp_client: LanguageClient, tmp_path: Path) -> Any:
    """A client that pulls diagnostics and can be asked to pull again."""
    await _init(lsp_client, tmp_path, pull=True)
    yield
    await lsp_client.shutdown_session()


def _open(client: Any, tmp_path: Path, gate: Path) -> tuple[str, str]:
    text = TEXT.format(gate=gate.as_posix())
    path = tmp_path / "slow" / "api.wit"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    uri_ = path.resolve().as_uri()
    client.text_document_did_open(t.DidOpenTextDocumentParams(text_document=t.TextDocumentItem(
        uri=uri_, language_id="wit", version=1, text=text)))
    return uri_, text


async def _until(condition: Any, what: str) -> None:
    """Wait until ``condition()`` holds (the server must get there; a generous bound only
    turns a hang into a failure)."""
    for _ in range(6000):
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError(f"never happened: {what}")


async def _answer(request: Awaitable[Any]) -> Any:
    """The answer to ``request`` (a generous bound only turns a hang into a failure)."""
    return await asyncio.wait_for(request, 30)


def _codes(diags: list[t.Diagnostic]) -> set[str]:
    return {str(d.code) for d in diags}


def _published(client: Any, uri_: str) -> list[tuple[int | None, list[t.Diagnostic]]]:
    return list(client.published.get(uri_, []))


async def _lint_started(gate: Path, n: int = 1) -> None:
    await _until(lambda: (gate / f"started-{n}").exists(), f"lint pass {n} started")


async def test_diagnostics_of_an_edit_arrive_while_lint_runs(
        pushed: Any, tmp_path: Path, gate: Path) -> None:
    client: Any = pushed
    uri_, text = _open(client, tmp_path, gate)
    await _lint_started(gate)
    assert _published(client, uri_) and all(
        "string-error" not in _codes(d) for _, d in _published(client, uri_))
    # A syntax error typed at the end while the lint pass of version 1 waits.
    lines = text.split("\n")
    end = t.Position(line=len(lines) - 1, character=0)
    change(client, uri_, 2, "oops", end, end)
    await _until(lambda: any(v == 2 for v, _ in _published(client, uri_)),
                 "diagnostics of version 2 while lint waits")
    second = next(d for v, d in _published(client, uri_) if v == 2)
    assert any(d.severity == t.DiagnosticSeverity.Error for d in second), second
    assert not (gate / "release").exists()
    # Once lint may go on, version 2 gets its findings.
    (gate / "release").touch()
    await _until(lambda: any(v == 2 and "string-error" in _codes(d)
                             for v, d in _published(client, uri_)),
                 "lint findings of version 2")


async def test_hover_is_answered_while_lint_runs(
        pushed: Any, tmp_path: Path, gate: Path) -> None:
    client: Any = pushed
    uri_, text = _open(client, tmp_path, gate)
    await _lint_started(gate)
    hover = await _answer(client.text_document_hover_async(t.HoverParams(
        text_document=doc(uri_), position=pos(client, text, "key: id", delta=len("key: ")))))
    assert hover is not None and "u64" in str(hover.contents)
    assert not (gate / "release").exists()


async def test_findings_of_older_text_are_never_shown(
        pushed: Any, tmp_path: Path, gate: Path) -> None:
    client: Any = pushed
    uri_, text = _open(client, tmp_path, gate)
    await _lint_started(gate)
    # While the pass over version 1 waits, the unused name goes away.
    start = pos(client, text, ", unused-thing")
    end = pos(client, text, ", unused-thing", delta=len(", unused-thing"))
    change(client, uri_, 2, "", start, end)
    await _until(lambda: any(v == 2 for v, _ in _published(client, uri_)),
                 "diagnostics of version 2")
    (gate / "release").touch()
    await _until(lambda: any(v == 2 and "string-error" in _codes(d)
                             for v, d in _published(client, uri_)),
                 "lint findings of version 2")
    # The pass over version 1 (which found `unused-thing` unused) was never published,
    # neither as version 1 nor over version 2's text.
    assert all("unused-use" not in _codes(d) for _, d in _published(client, uri_)), \
        _published(client, uri_)


async def test_a_pull_is_answered_while_lint_runs_and_a_refresh_follows(
        pulling: Any, tmp_path: Path, gate: Path) -> None:
    client: Any = pulling
    uri_, _text = _open(client, tmp_path, gate)
    report = await _answer(client.text_document_diagnostic_async(
        t.DocumentDiagnosticParams(text_document=doc(uri_))))
    assert "string-error" not in _codes(report.items)
    await _lint_started(gate)
    again = await _answer(client.text_document_diagnostic_async(
        t.DocumentDiagnosticParams(text_document=doc(uri_))))
    assert "string-error" not in _codes(again.items)
    assert not (gate / "release").exists()
    before = client.refreshes
    (gate / "release").touch()
    await _until(lambda: client.refreshes > before, "a refresh once lint has finished")
    fresh = await _answer(client.text_document_diagnostic_async(
        t.DocumentDiagnosticParams(text_document=doc(uri_))))
    assert {"string-error", "unused-use"} <= _codes(fresh.items)
