"""The stdio writer (``transport.QueuedWriter``): a write returns while the client has not read
what came before, the messages reach the stream whole and in order, closing writes what waits,
a stream that fails makes later writes raise ``BrokenPipeError``, and above the limit a write
waits for the client. And a lint pass waits at its gate while messages are answered
(``LintJob._stopping``). Nothing is timed: the fake stream's write blocks until the test
releases it, and every wait has a bound only so that a failure cannot hang the suite."""

from __future__ import annotations

import threading

import pytest

from wit_ls.lsp.transport import QueuedWriter
from wit_ls.lsp.workspace import LintJob

BOUND = 30.0  # seconds: never reached unless the code under test is broken


class SlowStream:
    """A stream whose ``write`` blocks until ``release`` is set (as a pipe that the client
    does not read)."""

    def __init__(self, fail: bool = False) -> None:
        self.release = threading.Event()
        self.entered = threading.Event()
        self.data = bytearray()
        self.fail = fail

    def write(self, data: bytes) -> int:
        self.entered.set()
        assert self.release.wait(BOUND)
        if self.fail:
            raise BrokenPipeError("the client is gone")
        self.data += data
        return len(data)

    def flush(self) -> None:
        pass


def test_write_returns_while_the_client_does_not_read() -> None:
    stream = SlowStream()
    writer = QueuedWriter(stream)  # type: ignore[arg-type]
    writer.write(b"first")
    assert stream.entered.wait(BOUND)
    # The stream is blocked in its first write: these return at once all the same.
    writer.write(b"-second")
    writer.write(b"-third")
    assert writer.waiting
    stream.release.set()
    writer.close()
    assert bytes(stream.data) == b"first-second-third"
    assert not writer.waiting


def test_close_writes_what_waits() -> None:
    stream = SlowStream()
    stream.release.set()
    writer = QueuedWriter(stream)  # type: ignore[arg-type]
    for i in range(100):
        writer.write(b"%d," % i)
    writer.close()
    assert bytes(stream.data) == b"".join(b"%d," % i for i in range(100))


def test_a_failed_write_makes_later_writes_raise() -> None:
    stream = SlowStream(fail=True)
    writer = QueuedWriter(stream)  # type: ignore[arg-type]
    writer.write(b"lost")
    stream.release.set()
    writer.close()
    with pytest.raises(BrokenPipeError):
        writer.write(b"after")


def test_above_the_limit_a_write_waits_for_the_client() -> None:
    stream = SlowStream()
    writer = QueuedWriter(stream, limit=10)  # type: ignore[arg-type]
    writer.write(b"0123456789")  # taken by the thread, blocked in the stream
    assert stream.entered.wait(BOUND)
    done = threading.Event()

    def second() -> None:
        writer.write(b"more")
        done.set()

    thread = threading.Thread(target=second, daemon=True)
    thread.start()
    thread.join(0.2)
    # The first write is not taken yet: the second waits (it cannot have returned).
    assert not done.is_set()
    stream.release.set()
    assert done.wait(BOUND)
    writer.close()
    assert bytes(stream.data) == b"0123456789more"


def _job() -> LintJob:
    return LintJob("a.wit", None, None, {}, None, {}, {})  # type: ignore[arg-type]


def test_a_lint_pass_waits_at_its_gate_while_messages_are_answered() -> None:
    job = _job()
    gate = threading.Event()
    job.gate = gate
    answers: list[bool] = []
    thread = threading.Thread(target=lambda: answers.append(job._stopping()), daemon=True)
    thread.start()
    thread.join(0.2)
    assert thread.is_alive() and not answers  # waiting: a message is being answered
    gate.set()
    thread.join(BOUND)
    assert answers == [False]


def test_a_stopped_pass_leaves_its_gate() -> None:
    job = _job()
    job.gate = threading.Event()
    answers: list[bool] = []
    thread = threading.Thread(target=lambda: answers.append(job._stopping()), daemon=True)
    thread.start()
    job.stop()
    thread.join(BOUND)
    assert answers == [True]
