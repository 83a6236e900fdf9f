"""What the pygls server itself answers, computed in the test process (the side the light
first answer of ``wit_ls.lsp.first_answer`` is compared with): the bytes it sends for a list
of incoming messages, with the pygls-only path's server.

    python tests/support/pygls_answers.py   # writes wit_ls/lsp/first_capabilities.py afresh
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if __name__ == "__main__":
    sys.path.insert(0, str(REPO))


class Recorder:
    """A pygls writer keeping every message the server sends."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.sent.append(data)

    def close(self) -> None:
        pass


def split(data: bytes) -> tuple[bytes, dict[str, object]]:
    """A framed message's body, and the body read as JSON."""
    _headers, _, body = data.partition(b"\r\n\r\n")
    return body, json.loads(body)


def pygls_session(messages: list[dict[str, object]], settle: float = 0.3,
                  until: str | None = None, timeout: float = 60,
                  responses: int = 0) -> list[bytes]:
    """The framed messages the pygls server sends for ``messages`` (fed in order), waiting
    ``settle`` seconds afterwards, or until a message whose method is ``until`` was sent, and
    until ``responses`` responses were sent."""
    from wit_ls.lsp.server import create_server

    async def main() -> list[bytes]:
        server = create_server()
        recorder = Recorder()
        server.protocol.set_writer(recorder)
        for message in messages:
            server.wit_protocol.receive(json.dumps(message).encode())
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        await asyncio.sleep(settle)
        while until is not None and loop.time() < deadline and not any(
                split(m)[1].get("method") == until for m in recorder.sent):
            await asyncio.sleep(0.02)
        while loop.time() < deadline and sum(
                "method" not in split(m)[1] for m in recorder.sent) < responses:
            await asyncio.sleep(0.02)
        server.stop_background_work()
        for task in asyncio.all_tasks():
            if task is not asyncio.current_task():
                task.cancel()
        return recorder.sent

    return asyncio.run(main())


def initialize_message(capabilities: object, options: object = None,
                       folders: list[str] | None = None, msg_id: int | str = 1,
                       **extra: object) -> dict[str, object]:
    params: dict[str, object] = {"processId": None, "capabilities": capabilities,
                                 "workspaceFolders": [{"uri": f, "name": f.rsplit("/", 1)[-1]}
                                                      for f in folders or []]}
    if options is not None:
        params["initializationOptions"] = options
    params.update(extra)
    return {"jsonrpc": "2.0", "id": msg_id, "method": "initialize", "params": params}


def pygls_capabilities() -> str:
    """The capabilities pygls answers a client that states none, as JSON text."""
    sent = pygls_session([initialize_message({})], settle=0)
    _body, answer = split(sent[0])
    result = answer["result"]
    assert isinstance(result, dict)
    return json.dumps(result["capabilities"])


def capabilities_module(text: str) -> str:
    """The source of wit_ls/lsp/first_capabilities.py holding ``text``."""
    assert "'" not in text and "\\" not in text, "the JSON would need escapes"
    lines = ['"""The server\'s capabilities as the pygls server answers `initialize` from a',
             "client that states none (written by `python tests/support/pygls_answers.py`;",
             'tests/lsp/test_first_answer.py checks that it is current)."""', "",
             "CAPABILITIES = ("]
    rest = text
    while rest:
        lines.append(f"    '{rest[:88]}'")
        rest = rest[88:]
    lines.append(")")
    return "\n".join(lines) + "\n"


def write_capabilities() -> None:
    path = REPO / "wit_ls" / "lsp" / "first_capabilities.py"
    path.write_text(capabilities_module(pygls_capabilities()), encoding="utf-8")


if __name__ == "__main__":
    write_capabilities()
