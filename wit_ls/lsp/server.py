"""The language server's state and services: the workspace, the negotiated conversions and
client support, diagnostics scheduling (pushed and pulled), indexing and settings; the
per-request context handlers work over; the guard every handler runs in; and
:func:`create_server`, which registers the handler tables of :mod:`wit_ls.lsp.lifecycle`
(document sync, workspace, pulled diagnostics) and :mod:`wit_ls.lsp.handlers` (features)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import inspect
import json
import logging
import os
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Awaitable, Callable, Coroutine, Generator, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar, cast

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException, PyglsError
from pygls.lsp.server import LanguageServer

from wit_ls import __version__
from wit_ls.features.common import FeatureContext
from wit_ls.lsp.capabilities import ClientSupport
from wit_ls.lsp.convert import Converter, path_of
from wit_ls.lsp.first_forms import report_id
from wit_ls.lsp.protocol import WitProtocol, strict_converter
from wit_ls.lsp.settings import parse_settings
from wit_ls.lsp.transport import (
    CHUNK,
    Framer,
    QueuedWriter,
    default_stdin,
    pump,
    stdin_reader,
)
from wit_ls.lsp.workspace import LintJob, Workspace
from wit_ls.syntax import LineIndex, SyntaxTree

if TYPE_CHECKING:
    from wit_ls.lsp.first_answer import Takeover
    from wit_ls.lsp.outline_rows import KeptOutline
    from wit_ls.lsp.token_rows import KeptRows

log = logging.getLogger("wit_ls.lsp")

# How long typing must pause before a lint pass starts and its fresh findings are shown (lint
# is advisory and slower): the pass starts in the lint thread once this pause is over, never
# while the next keystroke may come (see `_publish_later`).
LINT_IDLE_SECONDS = 0.15
# While serving, the collector's oldest generation is collected after this many collections of
# the middle one (Python's default: 10). Each keystroke's answers and lint pass leave tens of
# thousands of container objects (findings, diagnostics, their LSP forms) that outlive a young
# collection, and a full collection walks every object not frozen (see
# `Workspace._analyse_root`: a large package's analyses and lint results are, so in the
# 20,000-line package none comes while typing; the whole corpus' small analyses are not).
OLD_GENERATION_AFTER = 100
# How long the handover waits for the first answers of the documents the light path answered
# before handling what was read after them (see `_serve`).
HANDOVER_ANSWER_SECONDS = 2.0


class WitLanguageServer(LanguageServer):
    """pygls server holding a :class:`Workspace` and the session's :class:`Converter`."""

    def __init__(self) -> None:
        super().__init__("wit-ls", __version__,
                         text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental,
                         protocol_cls=WitProtocol, converter_factory=strict_converter)
        self.wit_protocol = cast("WitProtocol", self.protocol)
        self.wit_protocol.on_invalid_notification = self._invalid_notification
        self.ws = Workspace(report_error=self._internal_error)
        self.conv = Converter("utf-16", self.line_index,
                              forms=self.wit_protocol.diagnostic_forms)
        self.client = ClientSupport()
        self.line_indexes: dict[str, tuple[bytes, LineIndex]] = {}
        self.dirty: dict[str, None] = {}
        self.publish_task: asyncio.Task[None] | None = None
        self.index_task: asyncio.Task[None] | None = None
        self.published: dict[str, int | None] = {}
        # Lint passes run in a thread of their own, one at a time (see `fresh_lint`); the
        # passes running or queued there, and the paths the pending publication will lint.
        self.lint_pool: ThreadPoolExecutor | None = None
        self.lint_jobs: list[LintJob] = []
        self.linting: set[str] = set()
        # Set while the message loop waits for input (no message is being answered): a lint
        # pass runs only then (see `LintJob.gate`).
        self.between_messages = threading.Event()
        self.between_messages.set()
        # Set while no open document waits for its first diagnostics: indexing the workspace
        # waits for it before each package, so that it never delays a first answer.
        self.answered = asyncio.Event()
        self.answered.set()
        # When diagnostics were last scheduled (an edit, an open...): see `typing_paused`.
        self.last_scheduled = 0.0
        # When the last message from the client was read: see `messages_paused`.
        self.last_message = 0.0
        # The writer of a session over stdio (see `serve_stdio`).
        self.queued_writer: QueuedWriter | None = None
        # Problems with initializationOptions, shown once the client is ready for messages.
        self.init_problems: list[str] = []
        self.token_cache: dict[str, tuple[str, list[int]]] = {}
        # Per document, the rows of its last semantic tokens by top-level node (see
        # wit_ls.lsp.token_rows; dropped with token_cache).
        self.token_rows: dict[str, KeptRows] = {}
        # Per document, its last symbols and folding ranges by top-level node (see
        # wit_ls.lsp.outline_rows).
        self.outline_rows: dict[str, KeptOutline] = {}
        self.token_counter = 0
        # Documents whose text may differ from the editor's since an edit was refused.
        self.out_of_sync_paths: set[str] = set()

    # ---- transport ----------------------------------------------------------------------

    def serve_stdio(self, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None,
                    takeover: Takeover | None = None) -> int:
        """Serve one client over stdio until ``exit`` or the end of input; the exit code.
        With ``takeover``, the session the light first answer began (see
        :mod:`wit_ls.lsp.first_answer`) goes on here: what it took is replayed first."""
        queued = self.queued_writer = QueuedWriter(stdout or sys.stdout.buffer)
        writer: Any = queued
        if takeover is not None:
            from wit_ls.lsp.first_answer import HandoverWriter

            writer = HandoverWriter(writer, takeover, repull=self._repull_soon)
        self.protocol.set_writer(writer)

        async def main() -> None:
            await self._serve(stdin_reader(stdin or default_stdin(), unbuffered=stdin is None),
                              takeover)

        try:
            return self._run(main())
        finally:
            queued.close()

    def serve_tcp(self, host: str, port: int) -> int:
        """Listen on ``host:port`` and serve the first client until ``exit`` or it hangs up."""

        async def main() -> None:
            finished = asyncio.Event()

            async def connection(reader: asyncio.StreamReader,
                                 writer: asyncio.StreamWriter) -> None:
                self.protocol.set_writer(cast("Any", writer))
                try:
                    await self._serve(functools.partial(reader.read, CHUNK))
                finally:
                    writer.close()
                    finished.set()

            server = await asyncio.start_server(connection, host, port)
            log.info("serving on %s:%s", host, port)
            async with server:
                await finished.wait()

        return self._run(main())

    def _run(self, main: Coroutine[Any, Any, None]) -> int:
        try:
            asyncio.run(main)
        except BrokenPipeError:
            log.error("the connection to the client is lost")
        except (KeyboardInterrupt, SystemExit):
            pass
        code = self.wit_protocol.exit_code
        return code if code is not None else 0

    async def _serve(self, read: Callable[[], Awaitable[bytes]],
                     takeover: Takeover | None = None) -> None:
        def report(problem: str) -> None:
            self.log(problem, lsp.MessageType.Warning)

        def deliver(body: bytes, ahead: Sequence[bytes]) -> bool:
            self.between_messages.clear()
            self.last_message = time.perf_counter()
            message, cancelled = cancelled_ahead(body, ahead)
            if message is None:
                self.wit_protocol.receive(body)
            elif cancelled:
                self.wit_protocol.cancelled(message.get("id"))
            else:
                self.wit_protocol.receive_json(message)
            return self.wit_protocol.exit_code is None

        async def read_next() -> bytes:
            self.between_messages.set()
            return await read()

        framer = Framer(report)
        if takeover is not None:
            log.info("wit-ls: the pygls server takes over (%s)", takeover.reason)
            framer = takeover.framer
            framer.report = report
            for problem in takeover.problems:
                report(problem)
            for body in takeover.consumed:
                self.wit_protocol.receive(body)
            # The documents the light path answered are analysed here before anything read
            # after them is handled (their repeated first answers are dropped): an edit sent
            # meanwhile is then answered from that analysis, and later keystrokes are compared
            # with the text the editor opened. Handled first, such an edit made the package's
            # first analysis here one of a text that is gone a keystroke later, and each letter
            # typed elsewhere after it needed a whole analysis (see Workspace._token_shift).
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.answered.wait(), HANDOVER_ANSWER_SECONDS)
            pending = takeover.pending
            if not all(deliver(body, pending[i + 1:]) for i, body in enumerate(pending)) \
                    or takeover.ended:
                self.stop_background_work()
                return
        thresholds = gc.get_threshold()
        gc.set_threshold(thresholds[0], thresholds[1], max(thresholds[2], OLD_GENERATION_AFTER))
        try:
            await pump(read_next, framer, deliver, getattr(read, "ready", None))
        finally:
            gc.set_threshold(*thresholds)
        self.stop_background_work()

    def stop_background_work(self) -> None:
        """Cancel the pending publication and indexing and stop the lint passes."""
        for task in (self.publish_task, self.index_task):
            if task is not None and not task.done():
                task.cancel()
        for job in self.lint_jobs:
            job.stop()
        self.between_messages.set()
        if self.lint_pool is not None:
            self.lint_pool.shutdown(wait=False, cancel_futures=True)
            self.lint_pool = None

    def report_server_error(self, error: Exception,
                            source: type[PyglsError] | type[JsonRpcException]) -> None:
        """Logged, never a popup: a bad message is the client's bug, not the user's."""
        self.log(f"wit-ls: {source.__name__}: {error}", lsp.MessageType.Warning)

    def _invalid_notification(self, method: str, params: object) -> None:
        if method == lsp.TEXT_DOCUMENT_DID_CHANGE:
            uri = params.get("textDocument", {}) if isinstance(params, dict) else None
            uri = uri.get("uri") if isinstance(uri, dict) else None
            if isinstance(uri, str):
                self.out_of_sync(uri, "a change with invalid params")

    def out_of_sync(self, uri: str, why: str) -> None:
        """The editor's text of ``uri`` and ours may now differ: tell the user once, and
        ignore incremental edits until the document is reopened or sent whole."""
        path = path_of(uri)
        doc = self.ws.documents.get(path) if path is not None else None
        if doc is None or path is None:
            return
        self.log(f"wit-ls: ignored {why} for {uri}", lsp.MessageType.Warning)
        if path in self.out_of_sync_paths:
            return
        self.out_of_sync_paths.add(path)
        with contextlib.suppress(Exception):
            self.window_show_message(lsp.ShowMessageParams(
                type=lsp.MessageType.Warning,
                message=f"wit-ls: {os.path.basename(path)} is out of sync with the editor "
                        f"({why}); close and reopen it to resynchronise"))

    # ---- helpers ------------------------------------------------------------------------

    def line_index(self, path: str) -> LineIndex | None:
        doc = self.ws.documents.get(path)
        if doc is not None:
            return doc.tree.line_index
        try:
            data = self.ws.fs.read_bytes(path)
        except OSError:
            return None
        cached = self.line_indexes.get(path)
        if cached is not None and cached[0] is data:
            return cached[1]
        index = LineIndex(data)
        self.line_indexes[path] = (data, index)
        return index

    def log(self, message: str, level: lsp.MessageType = lsp.MessageType.Log) -> None:
        try:
            self.window_log_message(lsp.LogMessageParams(type=level, message=message))
        except Exception:  # the transport may already be closed
            log.warning("%s", message)

    def _internal_error(self, message: str) -> None:
        self.log(message, lsp.MessageType.Error)

    async def analysed(self, roots: Iterable[str]) -> None:
        """Bring the analyses of ``roots`` up to date one package at a time, yielding to the
        message loop between packages: a ``$/cancelRequest`` for the request awaiting this
        (or a newer edit) is handled meanwhile, and a cancelled request is answered
        ``RequestCancelled``."""
        for root in self.ws.stale_roots(roots):
            await asyncio.sleep(0)
            self.ws.refresh(root)
        await asyncio.sleep(0)

    def request(self, uri: str) -> Request | None:
        """The context of a request about the document ``uri`` (open, or read from disk)."""
        path = path_of(uri)
        if path is None:
            return None
        tree = self.ws.tree(path)
        if tree is None:
            return None
        return Request(self, uri, path, tree)

    # ---- diagnostics --------------------------------------------------------------------

    def compute_diagnostics(self, path: str, lint: str = "run") -> list[lsp.Diagnostic]:
        index = self.line_index(path)
        if index is None:
            return []
        found = self.conv.diagnostics(index, self.ws.diagnostics_for(path, lint), path)
        for problem in self.ws.take_config_problems():
            self.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Error,
                                                           message=problem))
        return found

    def schedule_diagnostics(self, paths: list[str] | None = None) -> None:
        """Recompute and push diagnostics of open documents soon (debounced)."""
        targets = paths if paths is not None else list(self.ws.documents)
        for path in targets:
            self.dirty[path] = None
        if self.dirty:
            self.answered.clear()
        self.last_scheduled = time.perf_counter()
        # Open documents of the same packages may be affected too.
        roots = {self.ws.roots_for(p) for p in targets}
        for path in self.ws.documents:
            if self.ws.roots_for(path) in roots:
                self.dirty[path] = None
        # A lint pass over text that has changed since is of no use: stop it.
        for job in self.lint_jobs:
            if paths is None or self.ws.roots_for(job.path) in roots:
                job.stop()
        if self.publish_task is not None and not self.publish_task.done():
            self.publish_task.cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self.publish_task = loop.create_task(self._publish_later())

    def _delay(self) -> float:
        """The wait before the first answer: none unless the settings ask for one. The
        publication task runs after the messages already read (a burst of changes read
        together is answered once, for the last); a debounce timed on top of that made every
        keystroke's answer wait (1-5 ms of wasi-http's 3-6 ms over stdio) and coalesced nothing
        a typist sends (keystrokes tens of milliseconds apart)."""
        return self.ws.settings.diagnostics_delay_ms / 1000

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
            self.published[path] = version

    async def _publish_later(self) -> None:
        """Two answers: syntax and model diagnostics at once (with the file's previous lint
        findings), then, once messages pause (:meth:`messages_paused`: the keystrokes and the
        requests an editor sends after each), the same with fresh lint findings, computed in
        the lint thread (:meth:`fresh_lint`; it waits while a message is answered). The
        passes start only after the pause: one running while the user types would share the
        interpreter with the next keystroke's answer (started as soon as the first answer was
        sent, it made wasi-http's keystrokes about four times slower over stdio). A pass stops
        at the next item or rule when a newer edit comes: that edit cancels this task and
        stops its pass; the task it starts lints again."""
        linted: list[str] = []
        try:
            await asyncio.sleep(self._delay())
            linted = list(self.dirty)
            self.linting = set(linted)
            while self.dirty:
                path = next(iter(self.dirty))
                self._publish(path, "previous")
                self.dirty.pop(path, None)
                await asyncio.sleep(0)
            self.answered.set()
            self.ws.release_retired()
            await self.messages_paused()
            changed = False
            for path in linted:
                if path not in self.ws.documents:
                    continue
                before = self.ws.lint_results.get(path)
                if await self.fresh_lint(path) and path in self.ws.documents:
                    changed = changed or self.ws.lint_results.get(path) != before
                    self._publish(path, "lint-cached")
                await asyncio.sleep(0)
            self.linting = set()
            self.ws.freeze_kept()
            if self.client.pull_diagnostics and (len(linted) > 1 or changed):
                # An edit changed what other open documents of its packages report, or the
                # lint findings a client that pulls was last given: it re-pulls when asked to.
                self.refresh_pulled_diagnostics()
            if len(self.ws.documents) > 1:
                # The usage lenses of the other open documents may count differently now.
                self.refresh_code_lenses()
        except asyncio.CancelledError:
            # Interrupted by a newer change: its task lints what this one did not.
            for path in linted:
                self.dirty.setdefault(path, None)

    async def fresh_lint(self, path: str) -> bool:
        """Bring the lint findings of ``path`` up to date, running the pass in the lint thread
        so that the message loop goes on answering meanwhile; True when they are fresh (False
        when the pass was stopped, or the text changed while it ran: its findings are then
        dropped, never shown over the newer text)."""
        if self.ws.lint_is_fresh(path):
            return True
        job = self.ws.lint_job(path)
        if job is None:
            return False
        if self.lint_pool is None:
            self.lint_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wit-ls-lint")
        job.gate = self.between_messages
        self.lint_jobs.append(job)
        try:
            await asyncio.get_running_loop().run_in_executor(self.lint_pool, job.run)
        except BaseException:
            job.stop()
            raise
        finally:
            self.lint_jobs.remove(job)
        return self.ws.finish_lint(job)

    def lint_later(self, path: str) -> None:
        """Make sure a lint pass of the open document ``path`` is coming (a client that pulls
        is asked to pull again once it has finished)."""
        pending = self.publish_task is not None and not self.publish_task.done()
        if not self.ws.lint_is_fresh(path) and not (pending and (
                path in self.dirty or path in self.linting)):
            self.schedule_diagnostics([path])

    def push_diagnostics_enabled(self) -> bool:
        """Clients that pull diagnostics get them only by pulling: pushing as well would show
        every problem twice (VS Code keeps pushed and pulled diagnostics apart)."""
        return not self.client.pull_diagnostics

    def _repull_soon(self) -> None:
        """Ask the client to pull again, after the message being written (a pulled report the
        light first answer sent differed from this server's)."""
        with contextlib.suppress(RuntimeError):
            asyncio.get_running_loop().call_soon(self.refresh_pulled_diagnostics)

    def refresh_pulled_diagnostics(self) -> None:
        """Ask the client to pull diagnostics again. Its answer is not awaited, and no
        callback takes it: pygls calls a callback with the future's result, so a client
        that refused (an error answer) made that raise, and a traceback went to stderr."""
        if self.client.diagnostic_refresh:
            with contextlib.suppress(Exception):
                self.workspace_diagnostic_refresh(None)

    def refresh_code_lenses(self) -> None:
        """Ask the client to request code lenses again (their counts follow other files; the
        answer is not awaited, as for :meth:`refresh_pulled_diagnostics`)."""
        if self.client.code_lens_refresh:
            with contextlib.suppress(Exception):
                self.workspace_code_lens_refresh(None)

    def report_id(self, items: list[lsp.Diagnostic]) -> str:
        """A pulled report's result id, made from plain values (the light first answer makes
        the same: :func:`wit_ls.lsp.first_forms.report_id`)."""
        return report_id([(d.range.start.line, d.range.start.character, d.range.end.line,
                           d.range.end.character, d.message, d.code,
                           None if d.severity is None else int(d.severity)) for d in items])

    # ---- indexing -----------------------------------------------------------------------

    async def index_workspace(self) -> None:
        """Analyse every package of the workspace once, with work-done progress, in the
        background: between packages it yields to requests, and it waits for a pause in
        typing (:meth:`typing_paused`). Then it loads `ANSWER_MODULES`."""
        token: str | None = None
        try:
            roots = self.ws.package_roots()
            if self.client.work_done_progress and roots:
                token = f"wit-ls-index-{uuid.uuid4().hex[:8]}"
                try:
                    await self.work_done_progress.create_async(token)
                except Exception:
                    token = None
            if token is not None:
                self.work_done_progress.begin(token, lsp.WorkDoneProgressBegin(
                    title="Indexing WIT packages", percentage=0, cancellable=False))
            started = time.perf_counter()
            pending = dict.fromkeys(roots)
            for i in range(len(roots)):
                await asyncio.sleep(0)
                # The open documents' answers come first: indexing goes on only while nothing
                # waits for them and typing pauses, and the packages of open documents are
                # analysed before the others.
                await self.typing_paused()
                opened = (self.ws.roots_for(p)[0] for p in self.ws.documents)
                root = next((r for r in opened if r in pending), next(iter(pending)))
                del pending[root]
                self.ws.index(root)
                if token is not None:
                    self.work_done_progress.report(token, lsp.WorkDoneProgressReport(
                        message=f"{i + 1}/{len(roots)} packages",
                        percentage=int(100 * (i + 1) / len(roots))))
            self.log(f"indexed {len(roots)} package(s) in {time.perf_counter() - started:.2f}s",
                     lsp.MessageType.Info)
            await self.typing_paused()
            warm_answer_modules()
        except asyncio.CancelledError:
            pass
        except Exception as err:
            self.log(f"indexing failed: {err!r}\n{traceback.format_exc()}", lsp.MessageType.Error)
        finally:
            if token is not None:
                self.work_done_progress.end(token, lsp.WorkDoneProgressEnd(message="done"))

    async def messages_paused(self) -> None:
        """Return once `LINT_IDLE_SECONDS` have passed since this was called, since the last
        message was read and since the client took the last answer written: a lint pass
        starts only then, never while the requests an editor sends after a keystroke are
        being answered or read (it would share the interpreter with them)."""
        started = time.perf_counter()
        while True:
            writer = self.queued_writer
            last = max(started, self.last_message,
                       writer.last_written if writer is not None else 0.0)
            idle = time.perf_counter() - last
            if writer is not None and writer.waiting:
                idle = 0.0
            if idle >= LINT_IDLE_SECONDS:
                return
            await asyncio.sleep(LINT_IDLE_SECONDS - idle)

    async def typing_paused(self) -> None:
        """Return once no open document waits for its first diagnostics and none has been
        edited for `LINT_IDLE_SECONDS` (background work goes in the pauses of typing: a
        package analysed, or modules loaded, while the user types make the next keystroke's
        answer wait for them)."""
        while True:
            await self.answered.wait()
            idle = time.perf_counter() - self.last_scheduled
            if idle >= LINT_IDLE_SECONDS:
                return
            await asyncio.sleep(min(LINT_IDLE_SECONDS, LINT_IDLE_SECONDS - idle))

    def start_indexing(self) -> None:
        if self.index_task is not None and not self.index_task.done():
            self.index_task.cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self.index_task = loop.create_task(self.index_workspace())

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
            self.refresh_code_lenses()

    async def pull_configuration(self) -> None:
        if not self.client.configuration:
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
        self.apply_settings(plain_json(value), "settings")


# Modules the first answers may need that the model and syntax layers import only when a file
# has errors (so that `wit-ls check` of clean files never loads them). The server loads them
# after indexing, while nothing waits: loaded at the first broken keystroke, they cost that
# keystroke's answer 5-40 ms (compiling them, without bytecode).
ANSWER_MODULES = ("wit_ls.syntax.errors", "wit_ls.syntax.first_error", "wit_ls.syntax.describe",
                  "wit_ls.syntax.broken", "wit_ls.model.error_order", "wit_ls.model.teach",
                  "wit_ls.model.toposort", "wit_ls.model.shift", "wit_ls.model.reresolve")


def cancelled_ahead(body: bytes, ahead: Sequence[bytes]
                    ) -> tuple[dict[str, Any] | None, bool]:
    """Whether ``body`` is a request that one of the bodies ``ahead`` (read after it)
    cancels, with the message it holds when that had to be parsed (None: not parsed, or not
    a JSON object). A cancelled request is answered ``RequestCancelled`` without being
    handled, as the protocol allows: VS Code cancels the requests it sent for a document
    when the document changes, so after a keystroke the requests before it are dropped
    instead of answered for a text that is gone."""
    cancels = [b for b in ahead if b"$/cancelRequest" in b]
    if not cancels or b'"id"' not in body:
        return None, False
    wanted: set[tuple[type, object]] = set()
    for text in cancels:
        try:
            cancel = json.loads(text)
        except (ValueError, RecursionError):
            continue
        params = cancel.get("params") if isinstance(cancel, dict) else None
        if isinstance(cancel, dict) and cancel.get("method") == "$/cancelRequest" \
                and isinstance(params, dict):
            value = params.get("id")
            if isinstance(value, str) or (isinstance(value, int)
                                          and not isinstance(value, bool)):
                wanted.add((type(value), value))
    try:
        message = json.loads(body)
    except (ValueError, RecursionError):
        return None, False
    if not isinstance(message, dict):
        return None, False
    msg_id = message.get("id")
    if not isinstance(message.get("method"), str) or not isinstance(msg_id, int | str):
        return message, False
    return message, (type(msg_id), msg_id) in wanted


def warm_answer_modules() -> None:
    """Import :data:`ANSWER_MODULES`."""
    import importlib

    for name in ANSWER_MODULES:
        importlib.import_module(name)


def plain_json(value: object) -> object:
    """Settings (and custom request params) as plain JSON values (pygls may hand us attrs
    objects or namedtuples)."""
    if isinstance(value, dict):
        return {str(k): plain_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple) and not hasattr(value, "_fields"):
        return [plain_json(v) for v in value]
    if hasattr(value, "_asdict"):
        return {str(k): plain_json(v) for k, v in value._asdict().items()}
    if hasattr(value, "__dict__") and not isinstance(value, str | int | float | bool):
        return {str(k): plain_json(v) for k, v in vars(value).items()}
    return value


# ---- the per-request context ----------------------------------------------------------------


class Request:
    """One request about one document: the server, the document's path and tree, and the
    feature context, whose package analysis is computed only when a feature asks for it
    (semantic tokens, folding and selection ranges never do)."""

    def __init__(self, ls: WitLanguageServer, uri: str, path: str, tree: SyntaxTree) -> None:
        self.ls = ls
        self.uri = uri
        self.path = path
        self.tree = tree
        self.index = tree.line_index
        self.conv = ls.conv
        self._features: FeatureContext | None = None

    def offset(self, position: lsp.Position) -> int:
        return self.conv.offset(self.index, position)

    def offsets(self, rng: lsp.Range) -> tuple[int, int]:
        return self.conv.offsets(self.index, rng)

    def range(self, start: int, end: int) -> lsp.Range:
        return self.conv.range(self.index, start, end)

    def _open_trees(self) -> dict[str, SyntaxTree]:
        return {p: d.tree for p, d in self.ls.ws.documents.items()}

    @property
    def features(self) -> FeatureContext:
        """The feature context over this document's packages."""
        if self._features is None:
            ws = self.ls.ws
            self._features = FeatureContext(self.path, self.tree,
                                            lambda: ws.analysis_for(self.path),
                                            self._open_trees())
        return self._features

    def workspace_features(self) -> FeatureContext:
        """The feature context over every package of the workspace (references, rename)."""
        return FeatureContext(self.path, self.tree, self.ls.ws.global_analysis,
                              self._open_trees())

    def versions(self) -> dict[str, int]:
        return {p: d.version for p, d in self.ls.ws.documents.items()}


# ---- the guard and the handler tables -------------------------------------------------------

P = TypeVar("P")


@dataclass(frozen=True)
class Handler:
    """A request or notification handler: a module-level function of the server and the
    params, what to answer when it fails, and the registration options."""

    method: str
    fn: Callable[[WitLanguageServer, object], object]
    default: Callable[[], object] = lambda: None
    options: object = None


def handler(method: str, fn: Callable[[WitLanguageServer, P], object],
            default: Callable[[], object] = lambda: None, options: object = None) -> Handler:
    """A table row for ``fn`` (the params type is the handler's business)."""
    return Handler(method, cast("Callable[[WitLanguageServer, object], object]", fn), default,
                   options)


def guarded(fn: Callable[[WitLanguageServer, object], object],
            default: Callable[[], object]) -> Callable[[WitLanguageServer, object], object]:
    """``fn`` such that an exception is logged and answered with ``default()`` (protocol errors
    raised on purpose, such as a refused rename, pass through)."""
    if asyncio.iscoroutinefunction(fn):
        run_async: Callable[[WitLanguageServer, object], Awaitable[object]] = fn

        @functools.wraps(fn)
        async def wrapper_async(ls: WitLanguageServer, params: object) -> object:
            try:
                return await run_async(ls, params)
            except JsonRpcException:
                raise
            except Exception as err:
                report_failure(ls, fn.__name__, err)
                return default()

        return wrapper_async

    if inspect.isgeneratorfunction(fn):
        # pygls runs a generator handler at once, up to its first ``yield`` of a (handler,
        # args, kwargs) to wait for: answered at once when it never waits (see
        # lifecycle.document_diagnostic), and in turn with the other messages it read.
        run_generator = cast("Callable[[WitLanguageServer, object], Generator[Any, Any, object]]",
                             fn)

        @functools.wraps(fn)
        def wrapper_generator(ls: WitLanguageServer, params: object
                              ) -> Generator[Any, Any, object]:
            try:
                return (yield from run_generator(ls, params))
            except JsonRpcException:
                raise
            except Exception as err:
                report_failure(ls, fn.__name__, err)
                return default()

        return wrapper_generator

    @functools.wraps(fn)
    def wrapper(ls: WitLanguageServer, params: object) -> object:
        try:
            return fn(ls, params)
        except JsonRpcException:
            raise
        except Exception as err:
            report_failure(ls, fn.__name__, err)
            return default()

    return wrapper


def report_failure(ls: WitLanguageServer, name: str, err: BaseException) -> None:
    ls.log(f"wit-ls: {name} failed: {type(err).__name__}: {err}\n{traceback.format_exc()}",
           lsp.MessageType.Error)


def register(server: WitLanguageServer, handlers: Sequence[Handler]) -> None:
    for h in handlers:
        server.feature(h.method, h.options)(guarded(h.fn, h.default))


def create_server() -> WitLanguageServer:
    from wit_ls.lsp import handlers, lifecycle

    server = WitLanguageServer()
    register(server, lifecycle.HANDLERS)
    register(server, handlers.HANDLERS)
    return server
