"""JSON-RPC over the transport, hardened: every request gets an answer, whatever it holds.

:class:`WitProtocol` extends pygls' ``LanguageServerProtocol`` (tested against pygls 2.1, pinned
in pyproject.toml, as this relies on its internals) so that

* a body that is not JSON is answered with ``-32700 ParseError``, one that is not a JSON-RPC
  message with ``-32600 InvalidRequest``, params that do not match the method's type (a missing
  ``position``, ``line: -1``, a string or float where an integer goes) with ``-32602
  InvalidParams``; each is logged, never shown as a popup;
* requests after ``shutdown`` get ``InvalidRequest``; ``exit`` ends the read loop with exit
  code 0 after ``shutdown`` and 1 without;
* the library keeps no document copy of its own (the server's workspace is the one document
  store: ``didChange`` for a document that is not open is logged and ignored) and no future per
  notification (memory stays flat across edits).
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
from collections.abc import Callable, Generator
from concurrent.futures import Future
from typing import Any, cast

from cattrs import Converter, transform_error
from cattrs.errors import ClassValidationError
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException, JsonRpcInternalError
from pygls.protocol import LanguageServerProtocol, default_converter
from pygls.protocol.language_server import lsp_method

from wit_ls.lsp.convert import DiagnosticForms

log = logging.getLogger("wit_ls.lsp")

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
INVALID_PARAMS = -32602
REQUEST_CANCELLED = -32800


def _strict_int(value: object, cls: type[int]) -> int:
    """An integer (or an int enum's member) from a JSON integer only."""
    if type(value) is not int:
        raise TypeError(f"expected an integer, got {type(value).__name__}")
    return value if cls is int else cls(value)


def _bool(value: object, _type: object) -> bool:
    return bool(value)


def strict_converter() -> Converter:
    """pygls' converter, except that integers must be JSON integers (not "3", 3.5 or true)."""
    converter: Converter = default_converter()  # type: ignore[no-untyped-call]
    converter.register_structure_hook(int, _strict_int)
    # bool is an int subclass: keep cattrs' own handling of it.
    converter.register_structure_hook(bool, _bool)
    return converter


def _describe(err: BaseException) -> str:
    """Where and how params are wrong, in a line (cattrs reports nested exception groups)."""
    if isinstance(err, ClassValidationError):
        return "; ".join(transform_error(err, path="$")[:3])
    return f"{type(err).__name__}: {err}"


def _valid_id(value: object) -> bool:
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


class WitProtocol(LanguageServerProtocol):
    """See the module docstring."""

    def __init__(self, server: Any, converter: Converter) -> None:
        super().__init__(server, converter)
        # The sent forms of diagnostics, made once each (see DiagnosticForms).
        self.diagnostic_forms = DiagnosticForms()
        self.diagnostic_forms.install(converter)
        # Writes to an asynchronous transport still under way.
        self._writes: set[asyncio.Future[None]] = set()
        self.exit_code: int | None = None
        # Called with (method, raw params) when a notification's params are invalid.
        self.on_invalid_notification: Callable[[str, object], None] | None = None

    # ---- receiving ----------------------------------------------------------------------

    def receive(self, body: bytes) -> None:
        """Handle one message body from the transport."""
        try:
            data: object = json.loads(body)
        except (ValueError, RecursionError) as err:
            log.warning("unparsable message: %s", err)
            self._error(None, PARSE_ERROR, f"Parse error: {err}")
            return
        self.receive_json(data)

    def receive_json(self, raw: object) -> None:
        if not isinstance(raw, dict):
            log.warning("not a JSON-RPC message: %.200r", raw)
            self._error(None, INVALID_REQUEST, "Invalid Request: not a JSON object")
            return
        data = cast("dict[str, object]", raw)
        has_id = "id" in data
        msg_id = data.get("id")
        method = data.get("method")
        is_request = has_id and "method" in data
        if data.get("jsonrpc") != "2.0" or (has_id and not _valid_id(msg_id)) or (
                "method" in data and not isinstance(method, str)):
            log.warning("invalid JSON-RPC message: %.200r", data)
            if is_request or (not has_id and "method" not in data):
                self._error(msg_id if _valid_id(msg_id) else None, INVALID_REQUEST,
                            "Invalid Request")
            return
        if self._shutdown and method != lsp.EXIT:
            if is_request:
                self._error(msg_id, INVALID_REQUEST,
                            f"Invalid Request: {method} after shutdown")
            else:
                log.warning("ignored %s after shutdown", method or "a response")
            return
        try:
            message = self.structure_message(data)
        except Exception as err:
            cause = _describe(err.__cause__ if err.__cause__ is not None else err)
            log.warning("invalid params for %s: %s", method or "a response", cause)
            if is_request:
                self._error(msg_id, INVALID_PARAMS, f"Invalid params for {method}: {cause}")
            elif isinstance(method, str) and self.on_invalid_notification is not None:
                self.on_invalid_notification(method, data.get("params"))
            return
        try:
            self.handle_message(message)
        except JsonRpcException as err:
            if is_request:
                self._error(msg_id, err.code, err.message)
        except Exception as err:
            log.exception("failed to handle %s", method)
            if is_request:
                self._error(msg_id, -32603, f"Internal error: {type(err).__name__}: {err}")

    def cancelled(self, msg_id: object) -> None:
        """Answer the request ``msg_id`` ``RequestCancelled`` (it was cancelled before it was
        handled)."""
        log.info("request %r cancelled before it was handled", msg_id)
        self._error(msg_id, REQUEST_CANCELLED, "Request cancelled")

    def _error(self, msg_id: object, code: int, message: str) -> None:
        self._send_data({"jsonrpc": "2.0", "id": msg_id,
                         "error": {"code": code, "message": message}})

    # ---- sending ------------------------------------------------------------------------

    def _send_data(self, data: Any) -> None:
        """As pygls sends (the same bytes), except that each diagnostic kept from an answer
        before is made JSON once (:meth:`DiagnosticForms.dumps`)."""
        if not data:
            return
        if self.writer is None:
            log.error("no transport to send data to")
            return
        try:
            body = self.diagnostic_forms.dumps(data, self._serialize_message)
            if self._include_headers:
                body = (f"Content-Length: {len(body)}\r\n"
                        f"Content-Type: {self.CONTENT_TYPE}; charset={self.CHARSET}\r\n\r\n"
                        + body)
            written = self.writer.write(body.encode(self.CHARSET))
            if inspect.isawaitable(written):
                pending = asyncio.ensure_future(written)
                self._writes.add(pending)
                pending.add_done_callback(self._writes.discard)
        except BrokenPipeError:
            log.exception("sending data failed: broken pipe")
            raise
        except Exception as err:
            log.exception("sending data failed")
            self._server._report_server_error(err, JsonRpcInternalError)

    # ---- what pygls would otherwise keep or do ------------------------------------------

    def _execute_handler(self, msg_id: str | int, handler: Callable[..., object],
                         callback: Callable[[Future[object]], None],
                         args: tuple[object, ...] | None = None,
                         kwargs: dict[str, object] | None = None) -> None:
        """As pygls does, but a finished handler's future is never kept (pygls keeps one per
        notification handled by a coroutine or a generator, forever)."""

        def done(future: Future[object]) -> None:
            if self._request_futures.get(msg_id) is future:
                del self._request_futures[msg_id]
            callback(future)

        super()._execute_handler(msg_id, handler, done, args, kwargs)

    # Document sync goes straight to the server's handlers: no second copy of every document
    # (overriding these without ``lsp_method`` unregisters pygls' built-in versions).
    def lsp_text_document__did_open(self, params: object) -> None:
        raise NotImplementedError

    def lsp_text_document__did_change(self, params: object) -> None:
        raise NotImplementedError

    def lsp_text_document__did_close(self, params: object) -> None:
        raise NotImplementedError

    @lsp_method(lsp.SHUTDOWN)
    def lsp_shutdown(self, *args: object) -> Generator[object, object, None]:
        """As pygls does (cancel what is running, refuse what follows), over a copy of the
        running requests (cancelling one removes it), and only the client's: pygls keeps
        the requests the server sent (a diagnostics refresh...) among them, and cancelling
        one still unanswered ran its callback on a cancelled future, which logged a
        traceback."""
        user_handler: object = self.fm.features.get(lsp.SHUTDOWN)
        if user_handler is not None:
            yield user_handler, args, None
        current = self.msg_id
        sent = self._result_types  # the requests the server sent, until they are answered
        for msg_id, future in list(self._request_futures.items()):
            if msg_id != current and msg_id not in sent and not future.done():
                future.cancel()
        self._shutdown = True

    @lsp_method(lsp.EXIT)
    def lsp_exit(self, *_args: object) -> Generator[object, object, None]:
        """Ends the read loop (the process then exits with :attr:`exit_code`)."""
        self.exit_code = 0 if self._shutdown else 1
        yield from ()  # a generator, as pygls' built-in handlers are
