"""A request the client cancelled before the server began it is answered ``RequestCancelled``
without being handled (``server.cancelled_ahead``): the cancellation is seen when it was read
with the request or came while the messages before it were answered (``transport.pump`` asks
``Chunks.ready`` before each message). VS Code cancels the requests it sent for a document when
the document changes: after a keystroke, those still waiting are dropped instead of answered
for a text that is gone."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from support.raw_client import RawClient, frame, opened

from wit_ls.lsp.server import cancelled_ahead
from wit_ls.lsp.transport import Chunks, Framer, pump


def _msg(**fields: object) -> bytes:
    return json.dumps({"jsonrpc": "2.0", **fields}).encode()


def _cancel(msg_id: object) -> bytes:
    return _msg(method="$/cancelRequest", params={"id": msg_id})


REQUEST = _msg(id=7, method="textDocument/documentSymbol", params={})

# (the body, the bodies read after it, what `cancelled_ahead` gives: "kept" for (None, False),
# "cancelled" for (the message, True), "message" for (the message, False))
CASES = [
    (REQUEST, [], "kept"),
    (REQUEST, [_msg(method="textDocument/didChange", params={})], "kept"),
    (REQUEST, [_cancel(7)], "cancelled"),
    (REQUEST, [_msg(method="textDocument/didChange", params={}), _cancel(7)], "cancelled"),
    (REQUEST, [_cancel(8)], "message"),
    (REQUEST, [_cancel("7")], "message"),  # another id: a string is not the number
    (_msg(id="7", method="textDocument/hover", params={}), [_cancel("7")], "cancelled"),
    (_msg(id=1, method="textDocument/hover", params={}), [_cancel(True)], "message"),
    (_msg(id=7, result=None), [_cancel(7)], "message"),  # a response is no request
    (_msg(method="textDocument/didChange", params={}), [_cancel(7)], "kept"),
    (b"{not json", [_cancel(7)], "kept"),
    (_msg(id=[7], method="textDocument/hover", params={}), [_cancel(7)], "message"),
    (_msg(id={"a": 1}, method="textDocument/hover", params={}), [_cancel(7)], "message"),
    (_msg(id=7.0, method="textDocument/hover", params={}), [_cancel(7)], "message"),
    (REQUEST, [b'{"method": "$/cancelRequest", broken'], "message"),
]


@pytest.mark.parametrize(("body", "ahead", "expected"), CASES)
def test_cancelled_ahead(body: bytes, ahead: list[bytes], expected: str) -> None:
    found = cancelled_ahead(body, ahead)
    if expected == "kept":
        assert found == (None, False)
    else:
        assert found == (json.loads(body), expected == "cancelled")


def test_pump_sees_what_came_while_a_message_was_answered() -> None:
    """A body ``peek`` gives before a message is delivered is among the bodies ahead of it."""
    framer = Framer(lambda _problem: None)
    late = [frame(_cancel(1))]
    seen: list[tuple[bytes, list[bytes]]] = []

    def deliver(body: bytes, ahead: Sequence[bytes]) -> bool:
        seen.append((body, list(ahead)))
        return True

    chunks = [frame(b'{"a": 1}') + frame(b'{"b": 2}'), b""]

    async def read() -> bytes:
        return chunks.pop(0)

    def peek() -> bytes:
        return late.pop(0) if late else b""

    asyncio.run(pump(read, framer, deliver, peek))
    assert seen == [(b'{"a": 1}', [b'{"b": 2}', _cancel(1)]),
                    (b'{"b": 2}', [_cancel(1)]), (_cancel(1), [])]


def test_ready_takes_what_a_pipe_holds_without_waiting() -> None:
    read_fd, write_fd = os.pipe()

    async def main() -> list[bytes]:
        queue: asyncio.Queue[bytes] = asyncio.Queue()
        chunks = Chunks(queue, read_fd)
        asyncio.get_running_loop().add_reader(read_fd, lambda: None)
        out = [chunks.ready()]
        os.write(write_fd, b"written")
        out.append(chunks.ready())
        os.close(write_fd)
        out.append(chunks.ready())
        out.append(await chunks())  # the end is kept for the next await
        return out

    try:
        assert asyncio.run(main()) == [b"", b"written", b"", b""]
    finally:
        os.close(read_fd)


TEXT = """package example:app@0.1.0;

interface api {
  record thing { name: string }
  make: func(name: string) -> thing;
}
"""


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[RawClient, str]]:
    with opened(tmp_path, TEXT) as both:
        yield both


def test_a_request_cancelled_before_it_began_is_not_answered(
        server: tuple[RawClient, str]) -> None:
    client, uri = server
    doc = {"textDocument": {"uri": uri}}
    # Answered first: the document is analysed before the batch below.
    assert client.request("textDocument/documentSymbol", doc)["result"]
    cancelled, kept = client.new_id(), client.new_id()
    client.send_raw(frame(_msg(id=cancelled, method="textDocument/documentSymbol", params=doc))
                    + frame(_msg(id=kept, method="textDocument/foldingRange", params=doc))
                    + frame(_cancel(cancelled)))
    assert client.wait(cancelled) == {"jsonrpc": "2.0", "id": cancelled, "error": {
        "code": -32800, "message": "Request cancelled"}}
    assert client.wait(kept).get("result"), client.wait(kept)
    # The server goes on as before.
    assert client.request("textDocument/documentSymbol", doc)["result"]
