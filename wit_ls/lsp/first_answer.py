"""The first answer, before pygls and lsprotocol are imported.

Importing them costs about two thirds of the time from the start of ``wit-ls serve`` to the
first diagnostics of an opened file. So the server starts on this light path: it reads the
JSON-RPC stream itself, answers ``initialize`` with exactly the bytes the pygls server would
send, takes ``initialized``, ``didOpen``, ``didChangeConfiguration``, ``$/cancelRequest`` and
``$/setTrace``, publishes the first diagnostics of the opened documents (exactly the pygls
server's bytes: :mod:`wit_ls.lsp.first_forms`), or, for a client that pulls diagnostics and
can be asked to pull again, answers its first ``textDocument/diagnostic`` requests for the
opened documents (the pygls server answers those at once with the syntax and model
diagnostics, lint findings coming later: :func:`wit_ls.lsp.lifecycle.document_diagnostic`),
answers the requests about an opened document that the pygls server answers from its syntax
tree alone (document symbols for clients that take them nested, folding ranges, semantic
tokens: what an editor shows first of a file), leaves the other requests that change nothing
(hover, code lenses, ``workspace/diagnostic``...) to the pygls server while it goes on
answering those after them, and then hands over: it returns a :class:`Takeover`, and the
pygls server (:meth:`WitLanguageServer.serve_stdio`) replays every message the light path
took, in order, handles the requests it left, and reads on from where it stopped. During the
replay the pygls server's own answers to what was already answered are dropped
(:class:`HandoverWriter`; a publication that differs from the light one is sent; a response
that differs is logged, and for a pulled report the client is asked to pull again). From
then on the pygls server alone holds the session, as if it had read every message itself. A
request left to the pygls server is handled after every message the light path took: any
notification after such a request makes the light path hand over, so that everything that
changes what the server holds keeps its order.

The light path hands over before acting on anything it does not fully understand: a message
that is not one of the above, invalid JSON-RPC, params of another shape, initialization
options with problems, a URI or diagnostic it cannot convert exactly, an error from the
analysis, a client that pulls diagnostics but cannot be asked to pull again (after answering
``initialize``: the pygls server would wait for lint findings), a pull for a document that is
not open or in a package compared for breaking changes, a semantic token request it cannot
answer (the pygls server numbers token results in the order it handles those requests), the
end of the input, and a quiet client (no document opened within :data:`IDLE_SECONDS`, no
pull of an opened document within :data:`OPEN_SECONDS`). Indexing the workspace starts only
in the pygls server, so it never runs before the first diagnostics.

``WIT_LS_FIRST_ANSWER=0`` in the environment turns the light path off (the pygls server then
reads every message; tests compare both paths).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import select
from collections.abc import Callable
from typing import TYPE_CHECKING, BinaryIO, Protocol

from wit_ls import __version__
from wit_ls.lsp import first_forms as forms
from wit_ls.lsp.first_forms import Unsure
from wit_ls.lsp.settings import Settings, parse_settings
from wit_ls.lsp.transport import CHUNK, Framer, write_all
from wit_ls.syntax import Encoding, LineIndex

if TYPE_CHECKING:
    from wit_ls.lsp.workspace import Workspace

log = logging.getLogger("wit_ls.lsp")

# How long the light path waits for the next message after answering `initialize` (clients
# send `initialized` at once), and for a document to be opened after `initialized` (editors
# open theirs at once), before it hands over anyway: the pygls server then registers its
# watchers, asks for the configuration and indexes the workspace.
IDLE_SECONDS = 1.0
OPEN_SECONDS = 0.25

# The initialize params the light path reads; any other field makes it hand over.
_INIT_FIELDS = frozenset(["processId", "clientInfo", "locale", "rootPath", "rootUri",
                          "capabilities", "initializationOptions", "trace", "workspaceFolders"])
_ENCODINGS: tuple[Encoding, ...] = ("utf-8", "utf-16", "utf-32")
# The textDocument/diagnostic params the light path reads.
_PULL_FIELDS = frozenset(["textDocument", "identifier", "previousResultId"])
# The requests about an open document the light path answers from its syntax tree alone, as
# the pygls server's handlers do (they never ask for an analysis): what an editor shows first
# of a file it opens (the outline, the folding, the colouring).
_FROM_THE_TREE = frozenset(["textDocument/documentSymbol", "textDocument/foldingRange",
                            "textDocument/semanticTokens/full",
                            "textDocument/semanticTokens/range"])
# The semantic token requests: never left to the pygls server while the light path goes on
# (that server numbers its token results in the order it handles these requests).
_TOKENS = frozenset(["textDocument/semanticTokens/full", "textDocument/semanticTokens/range"])
# Requests whose answer changes nothing the next message's answer depends on: one the light
# path does not answer is left to the pygls server (handled after every message the light path
# took), and the light path goes on answering the requests after it; any other message after
# such a request is left to the pygls server too (handing over keeps the order of everything
# that changes what the server holds).
_READ_ONLY = _FROM_THE_TREE | frozenset([
    "textDocument/diagnostic", "workspace/diagnostic", "textDocument/codeAction",
    "textDocument/codeLens", "textDocument/documentLink", "textDocument/inlayHint",
    "textDocument/hover", "textDocument/documentHighlight", "textDocument/definition",
    "textDocument/declaration", "textDocument/typeDefinition", "textDocument/references",
    "textDocument/selectionRange"])


def enabled() -> bool:
    return os.environ.get("WIT_LS_FIRST_ANSWER", "1") != "0" and os.name == "posix"


class Takeover:
    """What the light path leaves to the pygls server: the message bodies it took (to replay,
    in order), those it read but did not act on (to handle next), the framer holding the bytes
    not yet split into messages, what it sent (to drop when the replay makes it again: the
    ``initialize`` answer, the publications by URI, the pulled reports and the answers from
    the syntax tree by request id), the framing problems it met, and whether the input has
    ended. ``pending`` begins with the requests the light path left to the pygls server while
    it went on."""

    def __init__(self, framer: Framer) -> None:
        self.framer = framer
        self.consumed: list[bytes] = []
        self.pending: list[bytes] = []
        self.answered: tuple[int | str, bytes] | None = None
        self.published: dict[str, bytes] = {}
        self.reports: dict[str, bytes] = {}  # json.dumps(request id) -> the response sent
        self.answers: dict[str, bytes] = {}  # the same, for answers from the syntax tree
        self.problems: list[str] = []
        self.ended = False
        self.reason = ""


def _valid_id(value: object) -> bool:
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def _dict(value: object, where: str) -> dict[str, object]:
    if not isinstance(value, dict):
        raise Unsure(f"{where} is not an object")
    return value


def _opt_dict(value: object, where: str) -> dict[str, object]:
    return {} if value is None else _dict(value, where)


def _path(value: dict[str, object], *keys: str) -> object:
    """``value[k1][k2]...``, None where a level is missing or null."""
    found: object = value
    for key in keys:
        if not isinstance(found, dict):
            return None
        found = found.get(key)
    return found


class FirstAnswer:
    """One light session: see the module docstring."""

    def __init__(self, out: BinaryIO, prepare: Callable[[], None] | None = None) -> None:
        self.out = out
        self.prepare = prepare
        self.ready: int | None = None  # readable once ``prepare`` has run in its thread
        self.takeover = Takeover(Framer(self._problem))
        self.initialized = False
        self.encoding: Encoding = "utf-16"
        self.pull = False
        self.refresh = False
        self.pulled = False
        self.configuration = False
        self.code_descriptions = False
        self.folders: list[tuple[str, str]] = []
        self.settings: Settings | None = None
        self.ws: Workspace | None = None
        self.hierarchical = False
        self.opened: dict[str, tuple[str, int]] = {}  # path -> (uri, version), to publish
        self.errors: list[str] = []
        self.done = False
        self.left: list[bytes] = []  # requests left to the pygls server (see _READ_ONLY)
        self.token_results = 0  # semantic token results answered (their result ids)

    # ---- the loop -----------------------------------------------------------------------

    def run(self, fd: int) -> Takeover:
        queue: list[bytes] = []
        while not self.done:
            if not queue:
                if self.ready is not None:
                    # Waiting for the pygls server's modules: answer what comes meanwhile.
                    if self.ready in select.select([fd, self.ready], [], [])[0]:
                        self._finish("the pygls server's modules are loaded")
                        self.takeover.reason += "; then the pygls server's modules were loaded"
                        break
                elif self.pull:
                    # Pulls come after the opens: hand over once every opened document
                    # was pulled and nothing more has come.
                    if self.pulled and not self.opened and \
                            not select.select([fd], [], [], 0)[0]:
                        self._settled("the opened documents' first pulls are answered")
                        continue
                elif self.opened and not select.select([fd], [], [], 0)[0]:
                    self._settled("the opened documents' first diagnostics are published")
                    continue
                wait = OPEN_SECONDS if self.initialized else IDLE_SECONDS
                if self.ready is None and self.takeover.answered is not None and not \
                        select.select([fd], [], [], wait)[0]:
                    self._finish("no pull of an opened document" if self.opened and self.pull
                                 else "no document opened")
                    break
                chunk = os.read(fd, CHUNK)
                if not chunk:
                    self.takeover.ended = True
                    self._finish("the input ended")
                    break
                queue.extend(self.takeover.framer.feed(chunk))
                if self.takeover.problems:
                    self._finish("a malformed message", publish=False)
                continue
            body = queue[0]
            try:
                took = self._take(body)
            except Unsure as err:
                took = False
                self._because(str(err))
            except Exception as err:  # never lose the session to the light path's bug
                log.exception("the first answer failed")
                took = False
                self._because(f"{type(err).__name__}: {err}")
            if took is _LEFT:
                self.left.append(queue.pop(0))
            elif took:
                self.takeover.consumed.append(queue.pop(0))
            else:
                self._finish(self.takeover.reason or "a message left to the pygls server",
                             publish=self._may_publish_before(body))
        self.takeover.pending = self.left + queue
        if self.ready is not None:
            os.close(self.ready)
        return self.takeover

    def _because(self, reason: str) -> None:
        """Say why the light path hands over (after what it was waiting for, if anything)."""
        self.takeover.reason = f"{self.takeover.reason}; then {reason}" \
            if self.takeover.reason else reason

    def _settled(self, reason: str) -> None:
        """The opened documents have their first diagnostics (published now, or pulled):
        hand over, or, with ``prepare``, load the pygls server's modules in a thread while
        the requests that come meanwhile are answered (or left to that server), and hand over
        once they are loaded (or at the first other message)."""
        if self.prepare is None:
            self._finish(reason)
            return
        if self.opened:
            try:
                self._publish()
            except Exception as err:
                self._finish(f"{reason}; not published: {type(err).__name__}: {err}",
                             publish=False)
                return
        # (The modules the answers from the syntax tree need, loaded here first: never by
        # both threads at once.)
        from wit_ls.features import semantic_tokens, structure, symbols  # noqa: F401

        self.takeover.reason = reason
        ready, done = os.pipe()
        prepare = self.prepare

        def load() -> None:
            try:
                prepare()
            except BaseException:
                log.exception("loading the pygls server's modules failed")
            finally:
                with contextlib.suppress(OSError):  # (the light path has handed over)
                    os.write(done, b".")
                os.close(done)

        import threading

        threading.Thread(target=load, name="wit-ls-prepare", daemon=True).start()
        self.ready = ready

    def _problem(self, message: str) -> None:
        self.takeover.problems.append(message)

    def _finish(self, reason: str, publish: bool = True) -> None:
        if not self.takeover.reason:
            self.takeover.reason = reason
        if publish and self.opened:
            try:
                self._publish()
            except Unsure as err:
                self.takeover.reason += f"; not published: {err}"
            except Exception as err:
                log.exception("the first diagnostics failed")
                self.takeover.reason += f"; not published: {type(err).__name__}: {err}"
        self.done = True

    @staticmethod
    def _may_publish_before(body: bytes) -> bool:
        """Whether the first diagnostics may go out before ``body`` is handled: not before an
        edit, a close or ``exit`` (the pygls server would have answered those first)."""
        try:
            message = json.loads(body)
        except (ValueError, RecursionError):
            return True
        method = message.get("method") if isinstance(message, dict) else None
        return not (isinstance(method, str) and (
            method.startswith("textDocument/did") or method == "exit"))

    def _send(self, body: str) -> bytes:
        write_all(self.out, forms.frame(body))
        return body.encode("utf-8")

    # ---- messages -----------------------------------------------------------------------

    def _take(self, body: bytes) -> bool | Left:
        """Act on one message as the pygls server would; False: leave it (and everything
        after it) to that server; `_LEFT`: leave this request to that server and go on."""
        try:
            message: object = json.loads(body)
        except (ValueError, RecursionError):
            raise Unsure("a body that is not JSON") from None
        data = _dict(message, "the message")
        if data.get("jsonrpc") != "2.0" or ("id" in data and not _valid_id(data["id"])):
            raise Unsure("invalid JSON-RPC")
        method = data.get("method")
        params = data.get("params")
        if self.takeover.answered is None:
            if method != "initialize" or "id" not in data:
                raise Unsure(f"{method!r} before initialize")
            msg_id = data["id"]
            assert isinstance(msg_id, int | str)
            self._initialize(msg_id, _dict(params, "initialize params"))
            return True
        if "id" in data:
            msg_id = data["id"]
            assert isinstance(msg_id, int | str)
            if method == "textDocument/diagnostic" and self.pull:
                self._pulled(msg_id, _dict(params, "diagnostic params"))
                return True
            if method in _READ_ONLY and self.initialized:
                if method in _FROM_THE_TREE and self._from_the_tree(msg_id, method, params):
                    return True
                if method in _TOKENS:
                    raise Unsure(f"the request {method!r} of another shape")
                if not self.left and not self.takeover.reason:
                    self.takeover.reason = f"the request {method!r} was left to pygls"
                return _LEFT
            raise Unsure(f"the request {method!r}")
        if self.left or self.ready is not None:
            raise Unsure(f"the notification {method!r} after the first answers")
        if method == "initialized" and not self.initialized:
            self.initialized = True
            return True
        if method == "textDocument/didOpen":
            self._did_open(_dict(params, "didOpen params"))
            return True
        if method == "workspace/didChangeConfiguration":
            self._configuration(_dict(params, "didChangeConfiguration params"))
            return True
        if method == "$/cancelRequest":
            # Nothing is running yet; the pygls server logs what it would.
            cancelled = _dict(params, "cancel params").get("id")
            return _valid_id(cancelled)
        if method == "$/setTrace":
            return _dict(params, "setTrace params").get("value") in ("off", "messages",
                                                                      "verbose")
        raise Unsure(f"the notification {method!r}")

    def _initialize(self, msg_id: int | str, params: dict[str, object]) -> None:
        """As pygls' ``lsp_initialize`` and :func:`wit_ls.lsp.lifecycle.initialize`."""
        if not set(params) <= _INIT_FIELDS or "capabilities" not in params:
            raise Unsure("initialize params of another shape")
        process = params.get("processId")
        if not (process is None or (type(process) is int)):
            raise Unsure("a processId that is not an integer")
        for key in ("rootPath", "rootUri", "locale"):
            if not (params.get(key) is None or isinstance(params.get(key), str)):
                raise Unsure(f"a {key} that is not a string")
        if params.get("trace") not in (None, "off", "messages", "verbose"):
            raise Unsure("an unknown trace value")
        info = params.get("clientInfo")
        if info is not None and not isinstance(_dict(info, "clientInfo").get("name"), str):
            raise Unsure("clientInfo without a name")
        caps = _dict(params["capabilities"], "capabilities")
        text = _opt_dict(caps.get("textDocument"), "textDocument capabilities")
        workspace = _opt_dict(caps.get("workspace"), "workspace capabilities")
        general = _opt_dict(caps.get("general"), "general capabilities")
        encodings = general.get("positionEncodings")
        if encodings is not None and not (isinstance(encodings, list) and all(
                isinstance(e, str) for e in encodings)):
            raise Unsure("positionEncodings that are not strings")
        self.encoding = next((e for e in encodings or [] if e in _ENCODINGS), "utf-16")
        self.pull = text.get("diagnostic") is not None
        self.hierarchical = _path(text, "documentSymbol",
                                  "hierarchicalDocumentSymbolSupport") is True
        self.refresh = _path(workspace, "diagnostics", "refreshSupport") is True
        self.configuration = bool(workspace.get("configuration"))
        self.code_descriptions = bool(_path(text, "publishDiagnostics",
                                            "codeDescriptionSupport")) or self.pull
        prepare = bool(_path(text, "rename", "prepareSupport"))
        will_save = (_path(text, "synchronization", "willSave") is not None,
                     _path(text, "synchronization", "willSaveWaitUntil") is not None)
        folders = params.get("workspaceFolders")
        if folders is not None and not isinstance(folders, list):
            raise Unsure("workspaceFolders that are not a list")
        for folder in folders or []:
            entry = _dict(folder, "a workspace folder")
            uri, name = entry.get("uri"), entry.get("name")
            if not isinstance(uri, str) or not isinstance(name, str) or set(entry) - {
                    "uri", "name"}:
                raise Unsure("a workspace folder of another shape")
            self.folders.append((uri, forms.path_of(uri)))
        root_uri = params.get("rootUri")
        if not folders and isinstance(root_uri, str):
            self.folders.append((root_uri, forms.path_of(root_uri)))
        if params.get("initializationOptions") is not None:
            self.settings = self._settings(params["initializationOptions"])
        result = forms.initialize_result(self.encoding, prepare, will_save, __version__)
        body = self._send(forms.response(msg_id, result))
        self.takeover.answered = (msg_id, body)
        if self.pull and not self.refresh:
            # The pygls server answers this client's pulls only once lint findings are in.
            self._finish("the client pulls diagnostics and cannot be asked to pull again",
                         publish=False)

    @staticmethod
    def _settings(raw: object) -> Settings:
        settings, problems = parse_settings(raw)
        if problems:
            raise Unsure("settings with problems (the pygls server shows them)")
        return settings

    def _configuration(self, params: dict[str, object]) -> None:
        """As :func:`wit_ls.lsp.lifecycle.configuration`; a client asked for the configuration
        is asked by the pygls server when it replays this."""
        if "settings" not in params:
            raise Unsure("didChangeConfiguration without settings")
        raw = params["settings"]
        if isinstance(raw, dict) and isinstance(raw.get("wit"), dict):
            self._apply(self._settings(raw["wit"]))
        elif self.configuration:
            return
        elif isinstance(raw, dict) and raw:
            self._apply(self._settings(raw))

    def _apply(self, settings: Settings) -> None:
        current = self.ws.settings if self.ws is not None else (self.settings or Settings())
        if settings != current or settings.diagnostics_delay_ms != current.diagnostics_delay_ms:
            self.settings = settings
            if self.ws is not None:
                self.ws.set_settings(settings)

    def _workspace(self) -> Workspace:
        if self.ws is None:
            from wit_ls.lsp.workspace import Workspace

            self.ws = Workspace(report_error=self.errors.append)
            # The first diagnostics need no docs (the pygls server analyses again with them).
            self.ws.cache.docs = False
            for uri, path in self.folders:
                self.ws.add_folder(uri, path)
            if self.settings is not None:
                self.ws.set_settings(self.settings)
        return self.ws

    def _did_open(self, params: dict[str, object]) -> None:
        doc = _dict(params.get("textDocument"), "textDocument")
        uri, version, text = doc.get("uri"), doc.get("version"), doc.get("text")
        if not (isinstance(uri, str) and type(version) is int and isinstance(text, str)
                and isinstance(doc.get("languageId"), str)):
            raise Unsure("a didOpen of another shape")
        path = forms.path_of(uri)
        self._workspace().open(uri, path, version, forms.editor_text(text))
        self.opened.pop(path, None)
        self.opened[path] = (uri, version)

    # ---- the first diagnostics ----------------------------------------------------------

    def _line_index(self, path: str) -> LineIndex | None:
        """As :meth:`WitLanguageServer.line_index`."""
        ws = self._workspace()
        doc = ws.documents.get(path)
        if doc is not None:
            return doc.tree.line_index
        try:
            return LineIndex(ws.fs.read_bytes(path))
        except OSError:
            return None

    def _items(self, path: str) -> list[dict[str, object]]:
        """The opened document's diagnostics as the pygls server's first answer holds them
        (before any lint pass; no breaking changes: those the light path does not compare)."""
        ws = self._workspace()
        index = self._line_index(path)
        found = ws.diagnostics_for(path, "previous") if index is not None else []
        if ws.take_config_problems() or self.errors:
            raise Unsure("configuration problems or internal errors to report")
        return [forms.diagnostic(index, d, self.encoding, self.code_descriptions,
                                 self._line_index)
                for d in found] if index is not None else []

    def _pulled(self, msg_id: int | str, params: dict[str, object]) -> None:
        """As :func:`wit_ls.lsp.lifecycle.document_diagnostic` for a client that can be asked
        to pull again and an open document: the syntax and model diagnostics at once, with
        the last lint findings (none yet: no lint pass has run)."""
        doc = _dict(params.get("textDocument"), "textDocument")
        uri, previous = doc.get("uri"), params.get("previousResultId")
        if not set(params) <= _PULL_FIELDS or set(doc) != {"uri"} or not isinstance(
                uri, str) or not (previous is None or isinstance(previous, str)) or not (
                params.get("identifier") is None or isinstance(params.get("identifier"), str)):
            raise Unsure("diagnostic params of another shape")
        path = forms.path_of(uri)
        ws = self._workspace()
        if path not in ws.documents:
            raise Unsure("a pull for a document that is not open")
        roots = ws.roots_for(path)
        from wit_ls.lsp.baseline import configured_against

        if ws.settings.breaking_against or (roots and configured_against(roots[0], ws.fs)):
            raise Unsure("breaking changes to compare")
        body = self._send(forms.response(msg_id, forms.document_report(self._items(path),
                                                                       previous)))
        self.takeover.reports[json.dumps(msg_id)] = body
        self.opened.pop(path, None)
        self.pulled = True

    def _from_the_tree(self, msg_id: int | str, method: str, params: object) -> bool:
        """Answer ``method`` about an open document as the pygls server's handler does
        (:mod:`wit_ls.lsp.handlers`), from the document's syntax tree; False (nothing sent)
        when the params are of another shape, the document is not open, or the client wants
        flat symbols."""
        ranged = method == "textDocument/semanticTokens/range"
        if not isinstance(params, dict) or set(params) != (
                {"textDocument", "range"} if ranged else {"textDocument"}):
            return False
        doc = params["textDocument"]
        if not isinstance(doc, dict) or set(doc) != {"uri"} or not isinstance(doc["uri"], str):
            return False
        try:
            path = forms.path_of(doc["uri"])
        except Unsure:
            return False
        opened = self._workspace().documents.get(path)
        if opened is None:
            return False
        tree = opened.tree
        index = tree.line_index
        result: object
        if method == "textDocument/documentSymbol":
            if not self.hierarchical:
                return False
            from wit_ls.features.symbols import document_symbols

            result = forms.document_symbols(index, document_symbols(tree), self.encoding)
        elif method == "textDocument/foldingRange":
            from wit_ls.features.structure import folding_ranges

            result = [forms.folding_range(rng) for rng in folding_ranges(tree)]
        else:
            from wit_ls.features.semantic_tokens import semantic_tokens

            span = forms.offsets(index, params["range"], self.encoding) if ranged else (0, None)
            if span is None:
                return False
            data = forms.semantic_data(index, semantic_tokens(tree, *span), self.encoding)
            # The pygls server numbers its token results from 1, in the order it handles the
            # requests: these first, as it replays them.
            self.token_results += 1
            result = {"data": data} if ranged else {"data": data,
                                                    "resultId": f"{self.token_results}"}
        if not self.pull and self.opened:
            self._publish()  # (the diagnostics first: the editor shows them first)
        body = self._send(forms.response(msg_id, result))
        self.takeover.answers[json.dumps(msg_id)] = body
        return True

    def _publish(self) -> None:
        """The first diagnostics of the opened documents, made whole before any is sent."""
        if self.pull:
            return
        messages: list[tuple[str, str]] = []
        for path, (uri, version) in self.opened.items():
            messages.append((uri, forms.publish_diagnostics(uri, version, self._items(path))))
        for uri, body in messages:
            self.takeover.published[uri] = self._send(body)
        self.opened.clear()


class Left:
    """The type of `_LEFT`."""


_LEFT = Left()  # a request left to the pygls server while the light path goes on


def first_answer(stdin: BinaryIO, stdout: BinaryIO,
                 prepare: Callable[[], None] | None = None) -> Takeover:
    """Run the light path on the server's standard streams until it hands over; with
    ``prepare`` (loading the pygls server's modules), the light path runs it in a thread once
    the opened documents have their first diagnostics, answering the requests that come
    meanwhile, and hands over when it has run."""
    return FirstAnswer(stdout, prepare).run(stdin.fileno())


class Writer(Protocol):
    """What pygls writes messages through."""

    def write(self, data: bytes) -> object: ...

    def close(self) -> None: ...


class HandoverWriter:
    """The pygls server's writer while it replays what the light path took: its answer to
    ``initialize``, its first publication for each document the light path published and its
    answers to the pulls and the requests the light path answered are dropped when they are
    the same bytes (a different publication is sent: it replaces the light one in the client;
    a different response is logged, and for a pulled report ``repull`` is called: the client
    is then asked to pull again); everything else passes through."""

    def __init__(self, inner: Writer, takeover: Takeover,
                 warn: Callable[[str], None] | None = None,
                 repull: Callable[[], None] | None = None) -> None:
        self._inner = inner
        self._answered = takeover.answered
        self._published = dict(takeover.published)
        self._reports = dict(takeover.reports)
        self._answers = dict(takeover.answers)
        self._warn = warn or log.warning
        self._repull = repull

    def write(self, data: bytes) -> object:
        if self._answered is not None or self._published or self._reports or self._answers:
            body = data.partition(b"\r\n\r\n")[2]
            try:
                message = json.loads(body)
            except (ValueError, RecursionError):
                message = None
            if isinstance(message, dict) and self._drop(message, body):
                return None
        return self._inner.write(data)

    def _drop(self, message: dict[str, object], body: bytes) -> bool:
        if self._answered is not None and "method" not in message:
            msg_id, sent = self._answered
            if type(message.get("id")) is type(msg_id) and message.get("id") == msg_id:
                self._answered = None
                if body != sent:
                    self._warn("wit-ls: the first answer to initialize differed from the "
                               f"pygls server's: {body[:2000]!r}")
                return True
        if self._reports and "method" not in message and _valid_id(message.get("id")):
            report = self._reports.pop(json.dumps(message.get("id")), None)
            if report is not None:
                if body != report:
                    self._warn("wit-ls: the first answer to a diagnostic pull differed from "
                               f"the pygls server's: {body[:2000]!r}")
                    if self._repull is not None:
                        self._repull()
                return True
        if self._answers and "method" not in message and _valid_id(message.get("id")):
            answer = self._answers.pop(json.dumps(message.get("id")), None)
            if answer is not None:
                if body != answer:
                    self._warn("wit-ls: the first answer to a request differed from the "
                               f"pygls server's: {body[:2000]!r}")
                return True
        if message.get("method") == "textDocument/publishDiagnostics":
            uri = _path(message, "params", "uri")
            if isinstance(uri, str) and uri in self._published:
                return self._published.pop(uri) == body
        return False

    def close(self) -> None:
        self._inner.close()
