"""The requests the server sends a client that pulls (pull diagnostics again, request code
lenses again) are not awaited: a client that refuses one (an error answer) is taken quietly.
Sent with a callback, pygls called it with the future's result, which raised the error, and
a traceback went to stderr (found by test_stdio_stress, whose client refuses some)."""

from __future__ import annotations

import dataclasses
import json
import logging

import pytest

from wit_ls.lsp.server import WitLanguageServer


class Sink:
    def __init__(self) -> None:
        self.data: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.data.append(data)


@pytest.mark.parametrize("method", ["refresh_pulled_diagnostics", "refresh_code_lenses"])
def test_a_refused_refresh_is_taken_quietly(method: str,
                                            caplog: pytest.LogCaptureFixture) -> None:
    ls = WitLanguageServer()
    ls.client = dataclasses.replace(ls.client, diagnostic_refresh=True, code_lens_refresh=True)
    sink = Sink()
    ls.wit_protocol.set_writer(sink)  # type: ignore[arg-type]
    with caplog.at_level(logging.WARNING):
        getattr(ls, method)()
        [sent] = [json.loads(d.split(b"\r\n\r\n", 1)[1]) for d in sink.data]
        assert sent["method"].endswith("/refresh")
        ls.wit_protocol.receive_json({"jsonrpc": "2.0", "id": sent["id"], "error": {
            "code": -32601, "message": "no such method"}})
    assert not [r for r in caplog.records if r.exc_info], caplog.text
