"""What ``shutdown`` cancels: the client's requests still running, never the requests the
server sent the client (a diagnostics refresh waiting for its answer). Cancelling one of
those ran its callback on a cancelled future, which wrote a traceback to stderr (found by
test_stdio_stress: a client that had not yet answered a refresh when it sent shutdown)."""

from __future__ import annotations

import asyncio
import json
import logging
from concurrent.futures import Future

import pytest

from wit_ls.lsp.server import WitLanguageServer


class Sink:
    def __init__(self) -> None:
        self.data: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.data.append(data)


def test_shutdown_cancels_the_clients_requests_not_the_servers(
        caplog: pytest.LogCaptureFixture) -> None:
    ls = WitLanguageServer()
    protocol = ls.wit_protocol
    sink = Sink()
    protocol.set_writer(sink)  # type: ignore[arg-type]
    answered: list[object] = []

    async def main() -> tuple[Future[object], Future[object]]:
        refresh = protocol.send_request("workspace/diagnostic/refresh", None,
                                        callback=answered.append)
        running: Future[object] = Future()  # a request of the client's, still running
        protocol._request_futures[41] = running
        protocol.receive_json({"jsonrpc": "2.0", "id": 42, "method": "shutdown"})
        for _ in range(5):
            await asyncio.sleep(0)
        return refresh, running

    with caplog.at_level(logging.ERROR):
        refresh, running = asyncio.run(main())
    assert running.cancelled()
    assert not refresh.done()
    assert not [r for r in caplog.records if r.exc_info]
    replies = [json.loads(d.split(b"\r\n\r\n", 1)[1]) for d in sink.data]
    assert {"jsonrpc": "2.0", "id": 42, "result": None} in replies
