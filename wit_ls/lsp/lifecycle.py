"""Lifecycle, document sync, workspace and pulled-diagnostics handlers: module-level functions
of the server and the params, listed in :data:`HANDLERS`."""

from __future__ import annotations

import asyncio
from collections.abc import Generator
from typing import Any

from lsprotocol import types as lsp

from wit_ls.lsp.capabilities import client_support
from wit_ls.lsp.convert import Converter, encoding_of, path_of, uri_of
from wit_ls.lsp.first_forms import editor_text
from wit_ls.lsp.server import Handler, WitLanguageServer, handler, plain_json
from wit_ls.lsp.settings import parse_settings
from wit_ls.syntax import LineIndex, TextEdit


def initialize(ls: WitLanguageServer, params: lsp.InitializeParams) -> None:
    ls.client = client_support(params.capabilities)
    ls.conv = Converter(encoding_of(ls.workspace.position_encoding), ls.line_index,
                        code_descriptions=ls.client.code_descriptions,
                        forms=ls.wit_protocol.diagnostic_forms)
    for folder in params.workspace_folders or []:
        path = path_of(folder.uri)
        if path is not None:
            ls.ws.add_folder(folder.uri, path)
    if not params.workspace_folders and params.root_uri:
        path = path_of(params.root_uri)
        if path is not None:
            ls.ws.add_folder(params.root_uri, path)
    if params.initialization_options is not None:
        settings, problems = parse_settings(plain_json(params.initialization_options))
        ls.ws.set_settings(settings)
        ls.init_problems = problems


async def initialized(ls: WitLanguageServer, _params: lsp.InitializedParams) -> None:
    for problem in ls.init_problems:
        ls.window_show_message(lsp.ShowMessageParams(
            type=lsp.MessageType.Warning,
            message=f"wit-ls: invalid initializationOptions: {problem}"))
    registrations = []
    if ls.client.watched_files_registration:
        registrations.append(lsp.Registration(
            id="wit-ls-watch", method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=lsp.DidChangeWatchedFilesRegistrationOptions(watchers=[
                lsp.FileSystemWatcher(glob_pattern="**/*.wit"),
                lsp.FileSystemWatcher(glob_pattern="**/deps/**"),
            ])))
    if ls.client.configuration_registration:
        registrations.append(lsp.Registration(
            id="wit-ls-config", method=lsp.WORKSPACE_DID_CHANGE_CONFIGURATION,
            register_options=lsp.DidChangeConfigurationRegistrationOptions(section="wit")))
    if registrations:
        try:
            await ls.client_register_capability_async(
                lsp.RegistrationParams(registrations=registrations))
        except Exception as err:
            ls.log(f"could not register watchers: {err!r}", lsp.MessageType.Warning)
    await ls.pull_configuration()
    ls.start_indexing()


def shutdown(ls: WitLanguageServer, _params: None) -> None:
    ls.stop_background_work()


def did_open(ls: WitLanguageServer, params: lsp.DidOpenTextDocumentParams) -> None:
    path = path_of(params.text_document.uri)
    if path is None:
        return
    ls.ws.open(params.text_document.uri, path, params.text_document.version,
               editor_text(params.text_document.text))
    ls.out_of_sync_paths.discard(path)
    ls.token_cache.pop(path, None)
    ls.token_rows.pop(path, None)
    ls.outline_rows.pop(path, None)
    ls.schedule_diagnostics([path])


def did_change(ls: WitLanguageServer, params: lsp.DidChangeTextDocumentParams) -> None:
    """Applies every change or none: a change whose range is reversed (or follows one that
    was refused) is never applied, the document is marked out of sync (the user is told once)
    and keeps its text until it is reopened or sent whole."""
    uri = params.text_document.uri
    path = path_of(uri)
    if path is None:
        return
    doc = ls.ws.documents.get(path)
    if doc is None:
        ls.log(f"wit-ls: ignored a change to {uri}, which is not open", lsp.MessageType.Warning)
        return
    edits: list[TextEdit | str] = []
    index = doc.tree.line_index
    source = doc.tree.source
    in_sync = path not in ls.out_of_sync_paths
    for change in params.content_changes:
        if isinstance(change, lsp.TextDocumentContentChangePartial):
            rng = change.range
            if (rng.start.line, rng.start.character) > (rng.end.line, rng.end.character):
                ls.out_of_sync(uri, "an edit whose range ends before it starts")
                return
            if not in_sync:
                continue
            start, end = ls.conv.offsets(index, rng)
            edit = TextEdit(start, end, editor_text(change.text).encode("utf-8"))
            edits.append(edit)
            source = source[:start] + edit.new_text + source[end:]
            index = LineIndex(source) if len(params.content_changes) > 1 else index
        else:
            text = editor_text(change.text)
            edits = [text]
            source = text.encode("utf-8")
            index = LineIndex(source)
            in_sync = True
    if not edits:
        ls.out_of_sync(uri, "an edit to a document already out of sync")
        return
    ls.out_of_sync_paths.discard(path)
    ls.ws.change(path, params.text_document.version, edits)
    # The last semantic tokens answer is kept: a delta request names it (the client holds its
    # data, whatever the text was), so the answer after a change is the difference, not the
    # whole document's data again (about 1 MB of JSON in a 20,000-line file).
    ls.schedule_diagnostics([path])


def did_close(ls: WitLanguageServer, params: lsp.DidCloseTextDocumentParams) -> None:
    path = path_of(params.text_document.uri)
    if path is None:
        return
    ls.ws.close(path)
    ls.dirty.pop(path, None)
    ls.token_cache.pop(path, None)
    ls.token_rows.pop(path, None)
    ls.outline_rows.pop(path, None)
    ls.published.pop(path, None)
    ls.conv.forget(path)
    # Its diagnostics now belong to the workspace report (or nobody).
    ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
        uri=params.text_document.uri, diagnostics=[]))
    ls.schedule_diagnostics()


def did_save(ls: WitLanguageServer, params: lsp.DidSaveTextDocumentParams) -> None:
    path = path_of(params.text_document.uri)
    if path is not None:
        ls.ws.fs.invalidate(path)


def watched_files(ls: WitLanguageServer, params: lsp.DidChangeWatchedFilesParams) -> None:
    paths = [p for p in (path_of(c.uri) for c in params.changes) if p is not None]
    if not paths:
        return
    ls.ws.files_changed(paths)
    for path in paths:
        ls.line_indexes.pop(path, None)
    ls.schedule_diagnostics()
    ls.refresh_pulled_diagnostics()
    ls.refresh_code_lenses()


def workspace_folders(ls: WitLanguageServer,
                      params: lsp.DidChangeWorkspaceFoldersParams) -> None:
    for folder in params.event.removed:
        path = path_of(folder.uri)
        if path is not None:
            ls.ws.remove_folder(path)
    for folder in params.event.added:
        path = path_of(folder.uri)
        if path is not None:
            ls.ws.add_folder(folder.uri, path)
    ls.schedule_diagnostics()
    ls.refresh_pulled_diagnostics()
    ls.start_indexing()


async def configuration(ls: WitLanguageServer, params: lsp.DidChangeConfigurationParams) -> None:
    settings = plain_json(params.settings)
    if isinstance(settings, dict) and isinstance(settings.get("wit"), dict):
        ls.apply_settings(settings["wit"], "settings")
    elif ls.client.configuration:
        await ls.pull_configuration()
    elif isinstance(settings, dict) and settings:
        ls.apply_settings(settings, "settings")


# ---- diagnostics: pull ----------------------------------------------------------------------


def document_diagnostic(ls: WitLanguageServer, params: lsp.DocumentDiagnosticParams
                        ) -> Generator[Any, Any, lsp.DocumentDiagnosticReport]:
    """The document's report. Lint findings are never computed on the message loop: a client
    that can be asked to pull again gets an open document's syntax and model diagnostics at
    once, with its last lint findings, and is asked to pull again when a lint pass in the lint
    thread changed them; any other waits for that pass (requests are answered meanwhile).

    A generator (see ``server.guarded``): answered at once when it does not wait, before the
    requests read with it (VS Code pulls right after a change, and the symbols, tokens and
    lenses it asks as well would otherwise be answered first: the keystroke's diagnostics
    waited for all of them)."""
    path = path_of(params.text_document.uri)
    if path is None:
        return lsp.RelatedFullDocumentDiagnosticReport(items=[])
    if ls.client.diagnostic_refresh and path in ls.ws.documents:
        ls.lint_later(path)
    else:
        yield ls.fresh_lint, (path,), {}
    items = ls.compute_diagnostics(path, "lint-cached")
    result_id = ls.report_id(items)
    if params.previous_result_id == result_id:
        return lsp.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
    return lsp.RelatedFullDocumentDiagnosticReport(items=items, result_id=result_id)


async def workspace_diagnostic(ls: WitLanguageServer, params: lsp.WorkspaceDiagnosticParams
                               ) -> lsp.WorkspaceDiagnosticReport:
    """Every file's report. Long on a big workspace, so it yields to the message loop between
    files: a ``$/cancelRequest`` (or a newer edit) is handled meanwhile, and a cancelled
    request is answered ``RequestCancelled``."""
    previous = {p.uri: p.value for p in params.previous_result_ids}
    reports: list[lsp.WorkspaceDocumentDiagnosticReport] = []
    for path, _roots in ls.ws.workspace_files():
        await asyncio.sleep(0)
        uri = uri_of(path)
        await ls.fresh_lint(path)
        items = ls.compute_diagnostics(path, "lint-cached")
        doc = ls.ws.documents.get(path)
        version = doc.version if doc is not None else None
        result_id = ls.report_id(items)
        if previous.get(uri) == result_id:
            reports.append(lsp.WorkspaceUnchangedDocumentDiagnosticReport(
                uri=uri, version=version, result_id=result_id))
        else:
            reports.append(lsp.WorkspaceFullDocumentDiagnosticReport(
                uri=uri, version=version, items=items, result_id=result_id))
    return lsp.WorkspaceDiagnosticReport(items=reports)


HANDLERS: list[Handler] = [
    handler(lsp.INITIALIZE, initialize),
    handler(lsp.INITIALIZED, initialized),
    handler(lsp.SHUTDOWN, shutdown),
    handler(lsp.TEXT_DOCUMENT_DID_OPEN, did_open),
    handler(lsp.TEXT_DOCUMENT_DID_CHANGE, did_change),
    handler(lsp.TEXT_DOCUMENT_DID_CLOSE, did_close),
    handler(lsp.TEXT_DOCUMENT_DID_SAVE, did_save),
    handler(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES, watched_files),
    handler(lsp.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS, workspace_folders),
    handler(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION, configuration),
    handler(lsp.TEXT_DOCUMENT_DIAGNOSTIC, document_diagnostic,
            lambda: lsp.RelatedFullDocumentDiagnosticReport(items=[]),
            lsp.DiagnosticOptions(identifier="wit-ls", inter_file_dependencies=True,
                                  workspace_diagnostics=True)),
    handler(lsp.WORKSPACE_DIAGNOSTIC, workspace_diagnostic,
            lambda: lsp.WorkspaceDiagnosticReport(items=[])),
]
