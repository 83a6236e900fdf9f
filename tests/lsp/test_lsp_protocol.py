"""Protocol and workspace behaviour over stdio, for each recorded client."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from conftest import uri
from lsp_helpers import change, doc, errors, open_doc, pos, wait_diagnostics
from lsprotocol import types as t

pytestmark = pytest.mark.asyncio


async def test_capabilities(client: Any) -> None:
    caps = client.init_result.capabilities
    assert caps.hover_provider and caps.definition_provider and caps.references_provider
    assert caps.declaration_provider and caps.type_definition_provider
    assert caps.rename_provider and caps.document_symbol_provider and caps.workspace_symbol_provider
    assert caps.completion_provider is not None and caps.completion_provider.resolve_provider
    assert caps.folding_range_provider and caps.selection_range_provider
    assert caps.document_link_provider is not None and caps.inlay_hint_provider
    assert caps.code_action_provider and caps.document_highlight_provider
    tokens = caps.semantic_tokens_provider
    assert tokens is not None and "interface" in tokens.legend.token_types
    assert "defaultLibrary" in tokens.legend.token_modifiers
    assert caps.diagnostic_provider is not None and caps.diagnostic_provider.workspace_diagnostics
    sync = caps.text_document_sync
    assert sync.change == t.TextDocumentSyncKind.Incremental
    expected = "utf-8" if client.client_name == "neovim" else "utf-16"
    assert client.encoding == expected


async def test_push_diagnostics_follow_versions(client: Any, workspace: Path) -> None:
    path = workspace / "lib/wit/lib.wit"
    text = path.read_text()
    uri_ = open_doc(client, path, text)
    assert errors(await wait_diagnostics(client, uri_, 1)) == []
    # Delete the `;` after the function: a syntax error at the next token.
    at = pos(client, text, "-> f64;", delta=len("-> f64"))
    after = t.Position(line=at.line, character=at.character + 1)
    change(client, uri_, 2, "", at, after)
    diags = errors(await wait_diagnostics(client, uri_, 2))
    assert diags and diags[0].severity == t.DiagnosticSeverity.Error
    assert "';'" in diags[0].message or "`;`" in diags[0].message
    change(client, uri_, 3, ";", at, at)
    assert errors(await wait_diagnostics(client, uri_, 3)) == []
    if client.pulls:
        # A client that pulls is never pushed to: it would see every problem twice.
        assert uri_ not in client.published or all(not d for _, d in client.published[uri_])
    else:
        # Every push carried the version it was computed for, in order.
        versions = [v for v, _ in client.published[uri_]]
        assert versions == sorted(versions)


async def test_non_ascii_does_not_shift_ranges(client: Any, workspace: Path) -> None:
    path = workspace / "lib/wit/lib.wit"
    text = "package example:lib;\n\ninterface shared {\n  /* ünï 😀 */ type x = %bogus-;\n}\n"
    uri_ = open_doc(client, path, text)
    diags = await wait_diagnostics(client, uri_, 1)
    assert diags
    expected = pos(client, text, "%bogus-")
    starts = [(d.range.start.line, d.range.start.character) for d in diags]
    assert (expected.line, expected.character) in starts, (starts, expected)


async def test_pull_diagnostics(client: Any, workspace: Path) -> None:
    bad = workspace / "lib/wit/broken.wit"
    bad.write_text("interface broken { x: func( }\n")
    uri_ = open_doc(client, workspace / "lib/wit/lib.wit")
    report = await client.text_document_diagnostic_async(t.DocumentDiagnosticParams(
        text_document=doc(uri_)))
    assert isinstance(report, t.RelatedFullDocumentDiagnosticReport)
    again = await client.text_document_diagnostic_async(t.DocumentDiagnosticParams(
        text_document=doc(uri_), previous_result_id=report.result_id))
    assert isinstance(again, t.RelatedUnchangedDocumentDiagnosticReport)
    # The workspace report covers unopened files of every package.
    result = await client.workspace_diagnostic_async(t.WorkspaceDiagnosticParams(
        previous_result_ids=[]))
    by_uri = {r.uri: r for r in result.items}
    assert uri(bad) in by_uri and by_uri[uri(bad)].items
    assert uri(workspace / "app/wit/types.wit") in by_uri
    assert by_uri[uri(bad)].version is None


async def test_watched_file_changes_are_seen(client: Any, workspace: Path) -> None:
    if client.client_name == "visual-studio-code":  # dynamic registration allowed
        # The pygls server registers once it has taken over from the light first answer,
        # which waits a moment for a document to open: allow a loaded machine its time.
        for _ in range(3000):
            if client.registrations:
                break
            await asyncio.sleep(0.01)
        methods = [r.method for r in client.registrations]
        assert t.WORKSPACE_DID_CHANGE_WATCHED_FILES in methods
    other = workspace / "lib/wit/extra.wit"
    other.write_text("interface extra { f: func() -> ; }\n")
    client.workspace_did_change_watched_files(t.DidChangeWatchedFilesParams(changes=[
        t.FileEvent(uri=uri(other), type=t.FileChangeType.Created)]))
    result = await client.workspace_diagnostic_async(t.WorkspaceDiagnosticParams(
        previous_result_ids=[]))
    items = {r.uri: r for r in result.items}
    assert items[uri(other)].items
    other.write_text("interface extra { f: func() -> u32; }\n")
    client.workspace_did_change_watched_files(t.DidChangeWatchedFilesParams(changes=[
        t.FileEvent(uri=uri(other), type=t.FileChangeType.Changed)]))
    result = await client.workspace_diagnostic_async(t.WorkspaceDiagnosticParams(
        previous_result_ids=[]))
    items = {r.uri: r for r in result.items}
    assert not errors(items[uri(other)].items)


async def test_workspace_folders_added_and_removed(client: Any, tmp_path: Path) -> None:
    extra = tmp_path / "more"
    (extra / "wit").mkdir(parents=True)
    (extra / "wit/more.wit").write_text(
        "package example:more;\n\ninterface zebra-stripes { type n = u32; }\n")
    client.workspace_did_change_workspace_folders(t.DidChangeWorkspaceFoldersParams(
        event=t.WorkspaceFoldersChangeEvent(
            added=[t.WorkspaceFolder(uri=uri(extra), name="more")], removed=[])))
    result = await client.workspace_diagnostic_async(t.WorkspaceDiagnosticParams(
        previous_result_ids=[]))
    assert uri(extra / "wit/more.wit") in {r.uri for r in result.items}
    client.workspace_did_change_workspace_folders(t.DidChangeWorkspaceFoldersParams(
        event=t.WorkspaceFoldersChangeEvent(
            added=[], removed=[t.WorkspaceFolder(uri=uri(extra), name="more")])))
    result = await client.workspace_diagnostic_async(t.WorkspaceDiagnosticParams(
        previous_result_ids=[]))
    assert uri(extra / "wit/more.wit") not in {r.uri for r in result.items}


async def test_file_outside_folders(client: Any, tmp_path: Path) -> None:
    lone = tmp_path / "elsewhere" / "lone.wit"
    lone.parent.mkdir()
    (lone.parent / "sibling.wit").write_text("interface sibling { type s = u8; }\n")
    text = "package example:lone;\n\ninterface lone { type x = u32 }\n"
    uri_ = open_doc(client, lone, text)
    diags = await wait_diagnostics(client, uri_, 1)
    assert diags  # the missing `;`
    symbols = await client.text_document_document_symbol_async(t.DocumentSymbolParams(
        text_document=doc(uri_)))
    assert symbols


async def test_progress_while_indexing(client: Any) -> None:
    for _ in range(3000):
        if any(isinstance(r, t.WorkDoneProgressEnd)
               for reports in client.progress_reports.values() for r in reports):
            break
        await asyncio.sleep(0.01)
    reports = [r for rs in client.progress_reports.values() for r in rs]
    assert any(isinstance(r, t.WorkDoneProgressBegin) for r in reports)
    assert any(isinstance(r, t.WorkDoneProgressEnd) for r in reports)


async def test_guarded_handlers_answer_empty(client: Any, workspace: Path) -> None:
    missing = (workspace / "nope.wit").as_uri()
    hover = await client.text_document_hover_async(t.HoverParams(
        text_document=doc(missing), position=t.Position(line=99, character=99)))
    assert hover is None
    uri_ = open_doc(client, workspace / "lib/wit/lib.wit")
    # Positions past the end of the document are clamped, never fatal.
    for line, character in ((10_000, 0), (0, 10_000)):
        await client.text_document_hover_async(t.HoverParams(
            text_document=doc(uri_), position=t.Position(line=line, character=character)))
        await client.text_document_completion_async(t.CompletionParams(
            text_document=doc(uri_), position=t.Position(line=line, character=character)))
    tree = await client.protocol.send_request_async("wit-ls/syntaxTree", {"bogus": 1})
    assert tree.text == ""
    symbols = await client.text_document_document_symbol_async(t.DocumentSymbolParams(
        text_document=doc(uri_)))
    assert symbols


async def test_settings_validated_and_reloaded(client: Any, workspace: Path) -> None:
    client.set_configuration({"features": "not-a-list", "lint": {"rules": {"x": "loud"}}},
                             section="wit")
    client.workspace_did_change_configuration(t.DidChangeConfigurationParams(settings=None))
    # Asked for by the pygls server once it has taken over from the light first answer.
    for _ in range(3000):
        texts = [m.message for m in client.messages]
        if any("features" in m for m in texts) and any("lint.rules.x" in m for m in texts):
            break
        await asyncio.sleep(0.01)
    texts = [m.message for m in client.messages]
    assert any("features" in m for m in texts), texts
    assert any("lint.rules.x" in m for m in texts), texts
    # The server still answers (defaults were used).
    uri_ = open_doc(client, workspace / "lib/wit/lib.wit")
    assert errors(await wait_diagnostics(client, uri_, 1)) == []


async def test_diagnostics_of_other_open_documents_follow_edits(client: Any,
                                                               workspace: Path) -> None:
    types_path = workspace / "app/wit/types.wit"
    api_path = workspace / "app/wit/api.wit"
    types_text = types_path.read_text()
    api_uri = open_doc(client, api_path)
    types_uri = open_doc(client, types_path, types_text)
    assert errors(await wait_diagnostics(client, api_uri, 1)) == []
    await wait_diagnostics(client, types_uri, 1)
    # Renaming `record thing` in types.wit breaks `use types.{thing}` in api.wit.
    start = pos(client, types_text, "record thing", delta=len("record "))
    end = t.Position(line=start.line, character=start.character + len("thing"))
    change(client, types_uri, 2, "thang", start, end)
    if client.pulls:
        assert errors(await wait_diagnostics(client, api_uri)), "api.wit should report `thing` missing"
        return
    for _ in range(500):
        published = client.published.get(api_uri, [])
        if published and errors(published[-1][1]):
            break
        await asyncio.sleep(0.01)
    assert errors(client.published[api_uri][-1][1]), "api.wit should report `thing` missing"
