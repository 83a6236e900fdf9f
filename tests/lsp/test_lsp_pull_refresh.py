"""A client that pulls diagnostics and supports `workspace/diagnostic/refresh` (as VS Code's
language client and Neovim do) is asked to re-pull when an edit changes what another open
document reports, and is never pushed diagnostics."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from conftest import CONFIG, uri, write_workspace
from lsp_helpers import change, doc, open_doc, pos
from lsprotocol import types as t
from pytest_lsp import LanguageClient, client_capabilities

pytestmark = [pytest.mark.asyncio]


@pytest_lsp.fixture(config=CONFIG)
async def client(lsp_client: LanguageClient, tmp_path: Path) -> Any:
    workspace = write_workspace(tmp_path / "ws")
    caps = client_capabilities("neovim")
    caps.workspace.diagnostics = t.DiagnosticWorkspaceClientCapabilities(refresh_support=True)
    result = await lsp_client.initialize_session(t.InitializeParams(
        capabilities=caps,
        workspace_folders=[t.WorkspaceFolder(uri=uri(workspace / "app"), name="app")],
    ))
    lsp_client.encoding = str(getattr(  # type: ignore[attr-defined]
        result.capabilities.position_encoding, "value", result.capabilities.position_encoding)
        or "utf-16")
    lsp_client.root = workspace  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


async def _errors(client: Any, uri_: str) -> list[t.Diagnostic]:
    report = await client.text_document_diagnostic_async(
        t.DocumentDiagnosticParams(text_document=doc(uri_)))
    return [d for d in getattr(report, "items", []) or []
            if d.severity == t.DiagnosticSeverity.Error]


async def test_edit_that_breaks_another_open_document_asks_for_a_refresh(client: Any) -> None:
    workspace: Path = client.root
    types_path = workspace / "app/wit/types.wit"
    types_text = types_path.read_text()
    api_uri = open_doc(client, workspace / "app/wit/api.wit")
    types_uri = open_doc(client, types_path, types_text)
    assert await _errors(client, api_uri) == []
    before = client.refreshes
    start = pos(client, types_text, "record thing", delta=len("record "))
    end = t.Position(line=start.line, character=start.character + len("thing"))
    change(client, types_uri, 2, "thang", start, end)
    for _ in range(300):
        if client.refreshes > before:
            break
        await asyncio.sleep(0.02)
    assert client.refreshes > before, "no workspace/diagnostic/refresh after a cross-file break"
    assert await _errors(client, api_uri), "api.wit should now report `thing` missing"
    assert not client.published, "a client that pulls must not be pushed diagnostics"
