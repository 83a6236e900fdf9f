"""The language server: construction, capabilities, document sync, workspace folders, file
watching, settings and diagnostics (pushed and pulled). Feature requests live in
:mod:`wit_ls.lsp.handlers`."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import inspect
import logging
import time
import traceback
import uuid
from collections.abc import Callable
from typing import Any, TypeVar, cast

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer

from wit_ls import __version__
from wit_ls.features.common import Context
from wit_ls.lsp.convert import Converter, encoding_of, path_of, uri_of
from wit_ls.lsp.settings import parse_settings
from wit_ls.lsp.workspace import Document, Workspace
from wit_ls.syntax import Diagnostic, LineIndex, TextEdit

log = logging.getLogger("wit_ls.lsp")

# How long typing must pause before lint findings are recomputed (lint is advisory and slower).
LINT_IDLE_SECONDS = 0.15


class WitLanguageServer(LanguageServer):
    """pygls server holding a :class:`Workspace` and the session's :class:`Converter`."""

    def __init__(self) -> None:
        super().__init__("wit-ls", __version__,
                         text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.ws = Workspace()
        self.conv = Converter("utf-16", self.line_index)
        self._line_indexes: dict[str, tuple[bytes, LineIndex]] = {}
        self._dirty: dict[str, None] = {}
        self._publish_task: asyncio.Task[None] | None = None
        self._index_task: asyncio.Task[None] | None = None
        self._published: dict[str, int | None] = {}
        self._pull_client = False
        self.init_options: object = None
        self.token_cache: dict[str, tuple[str, list[int]]] = {}
        self._token_counter = 0

    # ---- helpers ------------------------------------------------------------------------

    def line_index(self, path: str) -> LineIndex | None:
        doc = self.ws.documents.get(path)
        if doc is not None:
            return doc.tree.line_index
        try:
            data = self.ws.fs.read_bytes(path)
        except OSError:
            return None
        cached = self._line_indexes.get(path)
        if cached is not None and cached[0] is data:
            return cached[1]
        index = LineIndex(data)
        self._line_indexes[path] = (data, index)
        return index

    def log(self, message: str, level: lsp.MessageType = lsp.MessageType.Log) -> None:
        try:
            self.window_log_message(lsp.LogMessageParams(type=level, message=message))
        except Exception:  # the transport may already be closed
            log.warning("%s", message)

    def capability(self, path: str, default: Any = None) -> Any:
        current: Any = self.client_capabilities
        for part in path.split("."):
            current = getattr(current, part, None)
            if current is None:
                return default
        return current

    def document(self, uri: str) -> Document | None:
        path = path_of(uri)
        return self.ws.documents.get(path) if path is not None else None

    def context(self, uri: str) -> Context | None:
        """The feature context of a document (open, or read from disk)."""
        path = path_of(uri)
        if path is None:
            return None
        tree = self.ws.tree(path)
        if tree is None:
            return None
        trees = {p: d.tree for p, d in self.ws.documents.items()}
        return Context(path, tree, self.ws.analysis_for(path), trees)

    def global_context(self, uri: str) -> Context | None:
        """Like :meth:`context` but over every package of the workspace (references)."""
        ctx = self.context(uri)
        if ctx is None:
            return None
        analysis = self.ws.global_analysis()
        if analysis is not None:
            ctx.analysis = analysis
        return ctx

    # ---- diagnostics --------------------------------------------------------------------

    def compute_diagnostics(self, path: str, lint: str = "run") -> list[lsp.Diagnostic]:
        index = self.line_index(path)
        if index is None:
            return []
        found = self.conv.diagnostics(index, self.ws.diagnostics_for(path, lint))
        for problem in self.ws.take_config_problems():
            self.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Error,
                                                           message=problem))
        return found

    def schedule_diagnostics(self, paths: list[str] | None = None) -> None:
        """Recompute and push diagnostics of open documents soon (debounced)."""
        targets = paths if paths is not None else list(self.ws.documents)
        for path in targets:
            self._dirty[path] = None
        # Open documents of the same packages may be affected too.
        roots = {self.ws.roots_for(p) for p in targets}
        for path in self.ws.documents:
            if self.ws.roots_for(path) in roots:
                self._dirty[path] = None
        if self._publish_task is not None and not self._publish_task.done():
            self._publish_task.cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._publish_task = loop.create_task(self._publish_later())

    def _delay(self) -> float:
        configured = self.ws.settings.diagnostics_delay_ms
        if configured:
            return configured / 1000
        first = next(iter(self._dirty), None)
        cost = self.ws.last_analysis_seconds(first) if first else 0.0
        # Coalesce bursts of typing without adding noticeable latency.
        return min(0.005, max(0.001, cost / 10))

    def _publish(self, path: str, lint: str) -> None:
        doc = self.ws.documents.get(path)
        if doc is None or not self.push_diagnostics_enabled():
            return
        version = doc.version
        try:
            items = self.compute_diagnostics(path, lint)
        except Exception as err:
            self.log(f"diagnostics of {path} failed: {err!r}\n" + traceback.format_exc(),
                     lsp.MessageType.Error)
            items = []
        current = self.ws.documents.get(path)
        if current is not None and current.version == version:
            self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
                uri=doc.uri, diagnostics=items, version=version))
            self._published[path] = version

    async def _publish_later(self) -> None:
        """Two passes: syntax and model diagnostics at once (with the file's previous lint
        findings), then, once typing pauses, the same with fresh lint findings."""
        try:
            await asyncio.sleep(self._delay())
            linted = list(self._dirty)
            while self._dirty:
                path = next(iter(self._dirty))
                self._publish(path, "previous")
                self._dirty.pop(path, None)
                await asyncio.sleep(0)
            self.ws.release_retired()
            await asyncio.sleep(LINT_IDLE_SECONDS)
            for path in linted:
                self._publish(path, "run")
                await asyncio.sleep(0)
            if self._pull_client and len(linted) > 1:
                # An edit changed what other open documents of its packages report: a client
                # that pulls re-pulls them when asked to.
                self.refresh_pulled_diagnostics()
        except asyncio.CancelledError:
            # Interrupted by a newer change: its task lints what this one did not.
            for path in locals().get("linted", []):
                self._dirty.setdefault(path, None)

    def push_diagnostics_enabled(self) -> bool:
        """Clients that pull diagnostics get them only by pulling: pushing as well would show
        every problem twice (VS Code keeps pushed and pulled diagnostics apart)."""
        return not self._pull_client

    def refresh_pulled_diagnostics(self) -> None:
        if self.capability("workspace.diagnostics.refresh_support", False):
            with contextlib.suppress(Exception):
                self.workspace_diagnostic_refresh(None, callback=lambda *_: None)

    def report_id(self, items: list[lsp.Diagnostic]) -> str:
        digest = hashlib.sha1(repr([(d.range, d.message, d.code, d.severity)
                                    for d in items]).encode()).hexdigest()[:16]
        return digest

    # ---- indexing -----------------------------------------------------------------------

    async def index_workspace(self) -> None:
        """Analyse every package of the workspace once, with work-done progress."""
        token: str | None = None
        try:
            roots = self.ws.package_roots()
            if self.capability("window.work_done_progress", False) and roots:
                token = f"wit-ls-index-{uuid.uuid4().hex[:8]}"
                try:
                    await self.work_done_progress.create_async(token)
                except Exception:
                    token = None
            if token is not None:
                self.work_done_progress.begin(token, lsp.WorkDoneProgressBegin(
                    title="Indexing WIT packages", percentage=0, cancellable=False))
            started = time.perf_counter()
            for i, root in enumerate(roots):
                await asyncio.sleep(0)
                self.ws.analysis((root,))
                if token is not None:
                    self.work_done_progress.report(token, lsp.WorkDoneProgressReport(
                        message=f"{i + 1}/{len(roots)} packages",
                        percentage=int(100 * (i + 1) / len(roots))))
            self.log(f"indexed {len(roots)} package(s) in {time.perf_counter() - started:.2f}s",
                     lsp.MessageType.Info)
            if self.ws.model_error:
                self.log(self.ws.model_error, lsp.MessageType.Warning)
        except asyncio.CancelledError:
            pass
        except Exception as err:
            self.log(f"indexing failed: {err!r}\n{traceback.format_exc()}", lsp.MessageType.Error)
        finally:
            if token is not None:
                self.work_done_progress.end(token, lsp.WorkDoneProgressEnd(message="done"))

    def start_indexing(self) -> None:
        if self._index_task is not None and not self._index_task.done():
            self._index_task.cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._index_task = loop.create_task(self.index_workspace())

    # ---- settings -----------------------------------------------------------------------

    def apply_settings(self, raw: object, source: str) -> None:
        settings, problems = parse_settings(raw)
        for problem in problems:
            self.window_show_message(lsp.ShowMessageParams(
                type=lsp.MessageType.Warning, message=f"wit-ls: invalid {source}: {problem}"))
        if settings != self.ws.settings or settings.diagnostics_delay_ms != \
                self.ws.settings.diagnostics_delay_ms:
            self.ws.set_settings(settings)
            self.schedule_diagnostics()
            self.refresh_pulled_diagnostics()

    async def pull_configuration(self) -> None:
        if not self.capability("workspace.configuration", False):
            return
        try:
            result = await self.workspace_configuration_async(lsp.ConfigurationParams(
                items=[lsp.ConfigurationItem(section="wit")]))
        except Exception as err:
            self.log(f"workspace/configuration failed: {err!r}", lsp.MessageType.Warning)
            return
        value = result[0] if result else None
        if value is None:
            return
        self.apply_settings(_plain(value), "settings")


def _plain(value: object) -> object:
    """Settings as plain JSON values (pygls may hand us attrs objects or namedtuples)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple) and not hasattr(value, "_fields"):
        return [_plain(v) for v in value]
    if hasattr(value, "_asdict"):
        return {str(k): _plain(v) for k, v in value._asdict().items()}
    if hasattr(value, "__dict__") and not isinstance(value, str | int | float | bool):
        return {str(k): _plain(v) for k, v in vars(value).items()}
    return value


# ---- guards -------------------------------------------------------------------------------


F = TypeVar("F", bound=Callable[..., Any])


def guarded(default: Callable[[], object]) -> Callable[[F], F]:
    """Wrap a handler so that an exception is logged and answered with ``default()``
    (protocol errors raised on purpose, such as a refused rename, pass through)."""

    def decorate(fn: F) -> F:
        if inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def wrapper_async(ls: WitLanguageServer, params: Any) -> Any:
                try:
                    return await fn(ls, params)
                except JsonRpcException:
                    raise
                except Exception as err:
                    _report(ls, fn.__name__, err)
                    return default()

            return cast("F", wrapper_async)

        @functools.wraps(fn)
        def wrapper(ls: WitLanguageServer, params: Any) -> Any:
            try:
                return fn(ls, params)
            except JsonRpcException:
                raise
            except Exception as err:
                _report(ls, fn.__name__, err)
                return default()

        return cast("F", wrapper)

    return decorate


def _report(ls: WitLanguageServer, name: str, err: BaseException) -> None:
    ls.log(f"wit-ls: {name} failed: {type(err).__name__}: {err}\n{traceback.format_exc()}",
           lsp.MessageType.Error)


def _none() -> None:
    return None


# ---- lifecycle and sync -------------------------------------------------------------------


def create_server() -> WitLanguageServer:
    server = WitLanguageServer()
    _register_lifecycle(server)
    from wit_ls.lsp import handlers

    handlers.register(server)
    return server


def _register_lifecycle(server: WitLanguageServer) -> None:
    @server.feature(lsp.INITIALIZE)
    @guarded(_none)
    def initialize(ls: WitLanguageServer, params: lsp.InitializeParams) -> None:
        ls.conv = Converter(
            encoding_of(ls.workspace.position_encoding), ls.line_index,
            code_descriptions=bool(
                ls.capability("text_document.publish_diagnostics.code_description_support", False)
                or ls.capability("text_document.diagnostic", None) is not None))
        for folder in params.workspace_folders or []:
            path = path_of(folder.uri)
            if path is not None:
                ls.ws.add_folder(folder.uri, path)
        if not params.workspace_folders and params.root_uri:
            path = path_of(params.root_uri)
            if path is not None:
                ls.ws.add_folder(params.root_uri, path)
        ls._pull_client = ls.capability("text_document.diagnostic") is not None
        ls.init_options = params.initialization_options
        if params.initialization_options is not None:
            settings, problems = parse_settings(_plain(params.initialization_options))
            ls.ws.set_settings(settings)
            ls._init_problems = problems  # type: ignore[attr-defined]

    @server.feature(lsp.INITIALIZED)
    @guarded(_none)
    async def initialized(ls: WitLanguageServer, params: lsp.InitializedParams) -> None:
        for problem in getattr(ls, "_init_problems", []):
            ls.window_show_message(lsp.ShowMessageParams(
                type=lsp.MessageType.Warning,
                message=f"wit-ls: invalid initializationOptions: {problem}"))
        registrations = []
        if ls.capability("workspace.did_change_watched_files.dynamic_registration", False):
            registrations.append(lsp.Registration(
                id="wit-ls-watch", method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=lsp.DidChangeWatchedFilesRegistrationOptions(watchers=[
                    lsp.FileSystemWatcher(glob_pattern="**/*.wit"),
                    lsp.FileSystemWatcher(glob_pattern="**/deps/**"),
                ])))
        if ls.capability("workspace.did_change_configuration.dynamic_registration", False):
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

    @server.feature(lsp.SHUTDOWN)
    @guarded(_none)
    def shutdown(ls: WitLanguageServer, params: None) -> None:
        for task in (ls._publish_task, ls._index_task):
            if task is not None and not task.done():
                task.cancel()

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    @guarded(_none)
    def did_open(ls: WitLanguageServer, params: lsp.DidOpenTextDocumentParams) -> None:
        path = path_of(params.text_document.uri)
        if path is None:
            return
        ls.ws.open(params.text_document.uri, path, params.text_document.version,
                   params.text_document.text)
        ls.schedule_diagnostics([path])

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    @guarded(_none)
    def did_change(ls: WitLanguageServer, params: lsp.DidChangeTextDocumentParams) -> None:
        path = path_of(params.text_document.uri)
        if path is None:
            return
        doc = ls.ws.documents.get(path)
        if doc is None:
            return
        edits: list[TextEdit | str] = []
        index = doc.tree.line_index
        source = doc.tree.source
        for change in params.content_changes:
            if isinstance(change, lsp.TextDocumentContentChangePartial):
                start, end = ls.conv.offsets(index, change.range)
                edit = TextEdit(start, end, change.text.encode("utf-8", "surrogatepass"))
                edits.append(edit)
                source = source[:start] + edit.new_text + source[end:]
                index = LineIndex(source) if len(params.content_changes) > 1 else index
            else:
                edits.append(change.text)
                source = change.text.encode("utf-8", "surrogatepass")
                index = LineIndex(source)
        ls.ws.change(path, params.text_document.version, edits)
        ls.token_cache.pop(path, None)
        ls.schedule_diagnostics([path])

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    @guarded(_none)
    def did_close(ls: WitLanguageServer, params: lsp.DidCloseTextDocumentParams) -> None:
        path = path_of(params.text_document.uri)
        if path is None:
            return
        ls.ws.close(path)
        ls._dirty.pop(path, None)
        ls.token_cache.pop(path, None)
        ls._published.pop(path, None)
        # Its diagnostics now belong to the workspace report (or nobody).
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
            uri=params.text_document.uri, diagnostics=[]))
        ls.schedule_diagnostics()

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    @guarded(_none)
    def did_save(ls: WitLanguageServer, params: lsp.DidSaveTextDocumentParams) -> None:
        path = path_of(params.text_document.uri)
        if path is not None:
            ls.ws.fs.invalidate(path)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @guarded(_none)
    def watched(ls: WitLanguageServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        paths = [p for p in (path_of(c.uri) for c in params.changes) if p is not None]
        if not paths:
            return
        ls.ws.files_changed(paths)
        for path in paths:
            ls._line_indexes.pop(path, None)
        ls.schedule_diagnostics()
        ls.refresh_pulled_diagnostics()

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    @guarded(_none)
    def folders(ls: WitLanguageServer, params: lsp.DidChangeWorkspaceFoldersParams) -> None:
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

    @server.feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
    @guarded(_none)
    async def configuration(ls: WitLanguageServer,
                            params: lsp.DidChangeConfigurationParams) -> None:
        settings = _plain(params.settings)
        if isinstance(settings, dict) and isinstance(settings.get("wit"), dict):
            ls.apply_settings(settings["wit"], "settings")
        elif ls.capability("workspace.configuration", False):
            await ls.pull_configuration()
        elif isinstance(settings, dict) and settings:
            ls.apply_settings(settings, "settings")

    # ---- diagnostics: pull ----------------------------------------------------------------

    @server.feature(lsp.TEXT_DOCUMENT_DIAGNOSTIC, lsp.DiagnosticOptions(
        identifier="wit-ls", inter_file_dependencies=True, workspace_diagnostics=True))
    @guarded(lambda: lsp.RelatedFullDocumentDiagnosticReport(items=[]))
    def document_diagnostic(ls: WitLanguageServer, params: lsp.DocumentDiagnosticParams
                            ) -> lsp.DocumentDiagnosticReport:
        path = path_of(params.text_document.uri)
        if path is None:
            return lsp.RelatedFullDocumentDiagnosticReport(items=[])
        items = ls.compute_diagnostics(path)
        result_id = ls.report_id(items)
        if params.previous_result_id == result_id:
            return lsp.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
        return lsp.RelatedFullDocumentDiagnosticReport(items=items, result_id=result_id)

    @server.feature(lsp.WORKSPACE_DIAGNOSTIC)
    @guarded(lambda: lsp.WorkspaceDiagnosticReport(items=[]))
    def workspace_diagnostic(ls: WitLanguageServer, params: lsp.WorkspaceDiagnosticParams
                             ) -> lsp.WorkspaceDiagnosticReport:
        previous = {p.uri: p.value for p in params.previous_result_ids}
        reports: list[lsp.WorkspaceDocumentDiagnosticReport] = []
        for path, _roots in ls.ws.workspace_files():
            uri = uri_of(path)
            items = ls.compute_diagnostics(path)
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


def diagnostics_of(ls: WitLanguageServer, path: str) -> list[Diagnostic]:
    return ls.ws.diagnostics_for(path)
