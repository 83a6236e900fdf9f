"""The byte stream between editor and server: splitting it into JSON-RPC messages
(:class:`Framer`, pure), and the read loops over stdio and TCP that hand each message body to
the protocol (:mod:`wit_ls.lsp.protocol`).

We read messages ourselves instead of using pygls' loop, which stops on a huge
``Content-Length`` (MemoryError), waits forever on a header block without one, and never
answers a body it cannot parse. Here a broken header block is logged and skipped: the framer
looks for the next ``Content-Length`` header and goes on from there, so one bad message never
desynchronises the connection for good.

Messages go out over stdio through :class:`QueuedWriter`, a thread of its own: a client still
reading one large answer (3 MB of document symbols in a 20,000-line file) never holds up the
answers after it (over TCP, asyncio's transport buffers them the same way)."""

from __future__ import annotations

import re
import select
import sys
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from asyncio import AbstractEventLoop, Queue

# A message body larger than this is refused (skipped), never allocated.
MAX_CONTENT_LENGTH = 64 * 1024 * 1024
# A header block (everything before the blank line) larger than this is garbage.
MAX_HEADER_BYTES = 64 * 1024
# How much is read from the stream at once.
CHUNK = 64 * 1024
# Bytes written but not yet taken by the client above which writing waits (see QueuedWriter).
MAX_QUEUED_BYTES = 64 * 1024 * 1024
# How long closing a QueuedWriter waits for the client to take what is queued.
CLOSE_SECONDS = 10.0

_HEADER_END = b"\r\n\r\n"
_CONTENT_LENGTH = re.compile(rb"content-length[ \t]*:", re.IGNORECASE)


class Framer:
    """Splits a byte stream into message bodies. Header names are matched case-insensitively
    (as HTTP headers are); a header block without a usable ``Content-Length`` (missing,
    non-numeric, above ``limit``) or a garbled one is reported through ``report`` and skipped:
    the framer then resynchronises on the next ``Content-Length`` header in the stream."""

    def __init__(self, report: Callable[[str], None],
                 limit: int = MAX_CONTENT_LENGTH) -> None:
        # Where problems go (the light first answer hands its framer over, see first_answer).
        self.report = report
        self._limit = limit
        self._buf = bytearray()
        self._body: int | None = None  # the length of the body being read
        self._resync = False  # looking for the next Content-Length header
        self._scan = 0  # where to look for the end of the header block next

    def feed(self, data: bytes) -> list[bytes]:
        """The message bodies completed by ``data``."""
        self._buf += data
        out: list[bytes] = []
        buf = self._buf
        while True:
            if self._body is not None:
                if len(buf) < self._body:
                    break
                out.append(bytes(buf[:self._body]))
                del buf[:self._body]
                self._body = None
                continue
            if self._resync:
                found = _CONTENT_LENGTH.search(buf)
                if found is None:
                    # Keep a tail that may hold the start of a header split across reads.
                    if len(buf) > 32:
                        del buf[:-32]
                    break
                del buf[:found.start()]
                self._resync = False
                self._scan = 0
            end = buf.find(_HEADER_END, self._scan)
            if end < 0:
                if len(buf) > MAX_HEADER_BYTES:
                    self._skip(f"a header block longer than {MAX_HEADER_BYTES} bytes")
                    continue
                self._scan = max(0, len(buf) - len(_HEADER_END) + 1)
                break
            length, problem = self._parse(bytes(buf[:end]))
            if length is None:
                self._skip(problem)
                continue
            del buf[:end + len(_HEADER_END)]
            self._scan = 0
            self._body = length
        return out

    def _skip(self, problem: str) -> None:
        self.report(f"wit-ls: skipped a malformed message ({problem}); "
                     "resuming at the next Content-Length header")
        del self._buf[:1]
        self._resync = True
        self._scan = 0

    def _parse(self, block: bytes) -> tuple[int | None, str]:
        length: int | None = None
        for line in block.split(b"\r\n"):
            name, colon, value = line.partition(b":")
            if not colon:
                return None, f"header line without a colon: {line[:60]!r}"
            if name.strip().lower() != b"content-length":
                continue  # Content-Type and unknown headers are ignored
            value = value.strip()
            if not value.isdigit():
                return None, f"a non-numeric Content-Length {value[:30]!r}"
            if len(value) > 12 or int(value) > self._limit:
                return None, f"a Content-Length above the limit of {self._limit} bytes"
            length = int(value)
        if length is None:
            return None, "a header block without Content-Length"
        return length, ""


async def pump(read: Callable[[], Awaitable[bytes]], framer: Framer,
               deliver: Callable[[bytes, Sequence[bytes]], bool],
               peek: Callable[[], bytes] | None = None) -> None:
    """Read chunks until the stream ends or ``deliver`` says stop. ``deliver`` is called with
    each body and the bodies already read after it; before each, ``peek`` (when given) is
    asked for what has come meanwhile without waiting, so that a message sent while the ones
    before it were answered (a ``$/cancelRequest``) is seen before them."""
    while True:
        chunk = await read()
        if not chunk:
            return
        bodies = deque(framer.feed(chunk))
        while bodies:
            if peek is not None:
                more = peek()
                if more:
                    bodies.extend(framer.feed(more))
            body = bodies.popleft()
            if not deliver(body, bodies):
                return


class Chunks:
    """The chunks a stream's reader puts in ``queue`` (an empty one at its end), awaited one
    at a time, or taken without waiting (:meth:`ready`): those queued, then, for a
    descriptor the loop watches, what can be read from it at once."""

    def __init__(self, queue: Queue[bytes], fd: int | None = None) -> None:
        self.queue = queue
        self.fd = fd

    def __call__(self) -> Awaitable[bytes]:
        return self.queue.get()

    def ready(self) -> bytes:
        """What has come and was not taken yet (b"" when nothing has)."""
        parts: list[bytes] = []
        queue = self.queue
        while not queue.empty():
            chunk = queue.get_nowait()
            if not chunk:
                queue.put_nowait(chunk)  # the end stays for the next await
                return b"".join(parts)
            parts.append(chunk)
        fd = self.fd
        if fd is not None and queue.empty():
            import os
            import select

            got: bytes | None = None
            try:
                if select.select([fd], [], [], 0)[0]:
                    got = os.read(fd, CHUNK)
            except (OSError, ValueError):
                got = None
            if got is not None:
                if got:
                    parts.append(got)
                else:  # the end: the loop stops watching, the next await gets it
                    self.fd = None
                    import asyncio

                    asyncio.get_running_loop().remove_reader(fd)
                    queue.put_nowait(b"")
        return b"".join(parts)


def write_all(stream: BinaryIO, data: bytes) -> None:
    """Write every byte of ``data`` to ``stream``, then flush it. ``sys.stdout.buffer`` is a
    raw ``FileIO`` when ``PYTHONUNBUFFERED`` is set (the VS Code extension sets it): its
    ``write`` is one ``write(2)``, which a signal or a debugger's stop can end after part of
    a large message has gone into the pipe (it returns how much); the rest is written here,
    never dropped. A stream left non-blocking (``None`` or ``BlockingIOError``: the pipe was
    full) is waited on until it takes more."""
    rest: bytes | memoryview = data
    while rest:
        try:
            written = stream.write(rest)
        except BlockingIOError as err:
            written = err.characters_written
        if not written:
            _wait_writable(stream)
            continue
        if written >= len(rest):  # (a buffered stream takes it all, or raises)
            break
        rest = memoryview(rest)[written:]
    stream.flush()


def _wait_writable(stream: BinaryIO) -> None:
    try:
        select.select([], [stream.fileno()], [], 1.0)
    except (AttributeError, OSError, ValueError):  # (no descriptor: a stream in a test)
        time.sleep(0.01)


class QueuedWriter:
    """Writes messages to a blocking ``stream`` in a thread of its own, in order. A blocking
    write waits for the client to read: a pipe holds 64 KiB, so while a client digested one
    large answer, the server sat in the write of the next one instead of computing the ones
    after it. Here ``write`` returns at once, unless ``limit`` bytes already wait (a client
    that stops reading still holds the server back). Once writing fails (the client is gone),
    what waits is dropped and every later ``write`` raises ``BrokenPipeError``, as a failed
    blocking write would. :meth:`close` waits for what is queued to be written."""

    def __init__(self, stream: BinaryIO, limit: int = MAX_QUEUED_BYTES) -> None:
        self._stream = stream
        self._limit = limit
        self._pending: deque[bytes] = deque()
        self._queued = 0
        self._closing = False
        self._failed: BaseException | None = None
        # When the client last took a write whole (perf_counter; 0: never).
        self.last_written = 0.0
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="wit-ls-stdout", daemon=True)
        self._thread.start()

    def write(self, data: bytes) -> None:
        with self._changed:
            while self._failed is None and self._queued and self._queued + len(data) > \
                    self._limit:
                self._changed.wait()
            if self._failed is not None:
                raise BrokenPipeError(f"writing to the client failed: {self._failed}")
            self._pending.append(data)
            self._queued += len(data)
            self._changed.notify_all()

    def _run(self) -> None:
        while True:
            with self._changed:
                while not self._pending and not self._closing:
                    self._changed.wait()
                if not self._pending:
                    return
                chunks = list(self._pending)
                self._pending.clear()
            size = sum(len(c) for c in chunks)
            try:
                write_all(self._stream, chunks[0] if len(chunks) == 1 else b"".join(chunks))
            except (OSError, ValueError) as err:
                with self._changed:
                    self._failed = err
                    self._pending.clear()
                    self._queued = 0
                    self._changed.notify_all()
                return
            with self._changed:
                self._queued -= size
                self.last_written = time.perf_counter()
                self._changed.notify_all()

    @property
    def waiting(self) -> bool:
        """Whether some bytes are not yet written (the client is still reading)."""
        return self._queued > 0

    def close(self, timeout: float = CLOSE_SECONDS) -> None:
        """Write what is queued (waiting at most ``timeout`` seconds), then stop the thread;
        the stream stays open."""
        with self._changed:
            self._closing = True
            self._changed.notify_all()
        self._thread.join(timeout)


def stdin_reader(stream: BinaryIO, unbuffered: bool = False) -> Callable[[], Awaitable[bytes]]:
    """Chunks of ``stream``. With ``unbuffered`` (nothing was ever read through ``stream``'s
    buffer: the light first answer reads the descriptor itself) and a descriptor the event
    loop can watch (a pipe, a socket, a terminal), the loop reads them itself when they come:
    a message wakes the server once. Otherwise (a regular file, a stream without a descriptor)
    a daemon thread reads them (a blocked read never holds up exit), and each message wakes
    that thread and then the loop: under load every wake-up waits for a time slice."""
    import asyncio  # not at the top: the light first answer frames messages without it

    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    if unbuffered and _watch(loop, stream, queue):
        return Chunks(queue, stream.fileno())
    import threading

    def run() -> None:
        while True:
            try:
                chunk = stream.read1(CHUNK) if hasattr(stream, "read1") else stream.read(CHUNK)
            except (OSError, ValueError):
                chunk = b""
            try:
                loop.call_soon_threadsafe(queue.put_nowait, chunk)
            except RuntimeError:  # the loop is closed
                return
            if not chunk:
                return

    threading.Thread(target=run, name="wit-ls-stdin", daemon=True).start()
    return Chunks(queue)


def _watch(loop: AbstractEventLoop, stream: BinaryIO, queue: Queue[bytes]) -> bool:
    """Read ``stream``'s descriptor in ``loop`` whenever it is readable, into ``queue`` (an
    empty chunk at the end); False when the loop cannot watch it."""
    import os
    import select

    try:
        fd = stream.fileno()
    except (OSError, ValueError):
        return False
    if os.name != "posix":
        return False

    def readable() -> None:
        # The descriptor blocks (stdin may be a terminal shared with a shell, so it is not
        # made non-blocking), and what the selector saw may already be gone: Chunks.ready,
        # run by a callback of the same loop turn, reads it directly. So look again first,
        # without waiting; a read of a descriptor with nothing in it would block the server
        # for good (the client, waiting for an answer, sends nothing more).
        try:
            if not select.select([fd], [], [], 0)[0]:
                return
            chunk = os.read(fd, CHUNK)
        except (BlockingIOError, InterruptedError):
            return
        except (OSError, ValueError):
            chunk = b""
        if not chunk:
            loop.remove_reader(fd)
        queue.put_nowait(chunk)

    try:
        loop.add_reader(fd, readable)
    except (OSError, ValueError, NotImplementedError):
        return False  # (a regular file: epoll refuses it)
    return True


def default_stdin() -> BinaryIO:
    return sys.stdin.buffer
