"""Messages reach the client whole when a write takes only part of them.

With ``PYTHONUNBUFFERED`` set (the VS Code extension sets it), ``sys.stdout.buffer`` is a raw
``FileIO``: one ``write(2)``, which returns how much went into the pipe when a signal or a
stop (job control's SIGSTOP/SIGCONT, a debugger or profiler attaching) ends it part way
through a large message. The server once dropped the rest, and the client read a message cut
short followed by the next one's header (found with a sampling profiler attached to the
server while it sent 3 MB of folding ranges). Here: a stream that takes a few bytes at a time,
one that is full now and then (non-blocking), the light first answer over such a stream, and
a real child process stopped and continued while it writes 1 MiB into a full pipe."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from support.pygls_answers import initialize_message
from support.stopped_writer import LINUX, read_while_stopping

from wit_ls.lsp.first_answer import FirstAnswer
from wit_ls.lsp.transport import QueuedWriter, write_all

REPO = Path(__file__).resolve().parents[2]
BOUND = 30.0  # seconds: never reached unless the code under test is broken


class PartialStream(io.BytesIO):
    """Takes at most ``most`` bytes per ``write`` and says how many, as ``FileIO`` does when
    ``write(2)`` is cut short; with ``full``, every third write takes nothing (``None``, as a
    non-blocking ``FileIO`` whose pipe is full) or raises ``BlockingIOError`` after part of
    it (as a buffered one)."""

    def __init__(self, most: int, full: bool = False) -> None:
        super().__init__()
        self.most = most
        self.full = full
        self.calls = 0

    def write(self, data: object) -> int | None:  # type: ignore[override]
        chunk = bytes(data)  # type: ignore[call-overload]
        self.calls += 1
        if self.full and self.calls % 3 == 0:
            if self.calls % 2:
                return None
            taken = min(len(chunk), self.most) // 2
            super().write(chunk[:taken])
            raise BlockingIOError(11, "the pipe is full", taken)
        return super().write(chunk[:self.most])


def messages() -> list[bytes]:
    bodies = [json.dumps({"jsonrpc": "2.0", "id": n, "result": "x" * (n * 977)}).encode()
              for n in range(12)]
    return [b"Content-Length: %d\r\n\r\n" % len(b) + b for b in bodies]


@pytest.mark.parametrize(("most", "full"), [(1, False), (7, False), (4096, False),
                                          (1000, True), (4096, True)])
def test_the_queued_writer_writes_what_a_write_left(most: int, full: bool) -> None:
    stream = PartialStream(most, full)
    writer = QueuedWriter(stream)  # type: ignore[arg-type]
    for message in messages():
        writer.write(message)
    writer.close(BOUND)
    assert stream.getvalue() == b"".join(messages())
    assert stream.calls > len(messages())  # (the stream did cut writes short)


def test_write_all_on_a_stream_that_takes_everything() -> None:
    stream = io.BytesIO()
    write_all(stream, b"whole")
    assert stream.getvalue() == b"whole"


def _light_frames(out: io.BytesIO) -> bytes:
    init = initialize_message({})
    body = json.dumps(init).encode()
    with tempfile.TemporaryFile() as stdin:
        stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        stdin.seek(0)
        FirstAnswer(out).run(stdin.fileno())
    return out.getvalue()


def test_the_light_first_answer_writes_what_a_write_left() -> None:
    whole = _light_frames(io.BytesIO())
    assert whole.startswith(b"Content-Length: ")
    assert _light_frames(PartialStream(5, full=True)) == whole


CHILD = """
import sys
from wit_ls.lsp.transport import QueuedWriter
writer = QueuedWriter(sys.stdout.buffer)
writer.write(bytes(range(256)) * 4096)
writer.write(b"the end")
writer.close(60)
"""


@pytest.mark.skipif(not LINUX, reason="stops a child process through Linux's /proc")
def test_a_stopped_and_continued_server_sends_every_byte() -> None:
    env = dict(os.environ, PYTHONUNBUFFERED="1",
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO),
                                                        os.environ.get("PYTHONPATH")])))
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE, env=env)
    got, stops = read_while_stopping(child)
    assert child.returncode == 0
    assert stops >= 1
    assert len(got) == 256 * 4096 + len(b"the end")
    assert got == bytes(range(256)) * 4096 + b"the end"
