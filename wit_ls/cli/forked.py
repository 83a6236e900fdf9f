"""A list of independent pieces of work shared among forked processes, the answers in order.

For ``wit-ls check`` over many package roots: each root's rendered result depends on that root
alone, so the roots are cut into contiguous slices, every slice but the first checked in a
forked child, which sends its results back through a pipe (``marshal``: plain data). A slice
whose child fails, dies or sends something else is computed here afterwards, so the answer is
always the serial one. This saves wall time, not CPU.
"""

from __future__ import annotations

import marshal
import os

TYPE_CHECKING = False  # not typing's: see wit_ls.light_typing
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TypeVar

    T = TypeVar("T")
    R = TypeVar("R")


def slices(count: int, parts: int) -> list[tuple[int, int]]:
    """``range(count)`` cut into ``parts`` contiguous (start, end) slices of sizes differing by
    at most one, the larger first."""
    size, extra = divmod(count, parts)
    out: list[tuple[int, int]] = []
    start = 0
    for part in range(parts):
        end = start + size + (part < extra)
        out.append((start, end))
        start = end
    return out


def map_in_processes(items: list[T], parts: int,
                     compute: Callable[[list[T]], list[R]]) -> list[R]:
    """``compute`` over ``items`` (one result per item, plain data that ``marshal`` writes),
    the items cut into ``parts`` contiguous slices, all but the first computed in forked
    children meanwhile; the results in the order of the items."""
    cuts = slices(len(items), parts)
    started: list[tuple[int, int] | None] = []  # (process id, read end of its pipe)
    for start, end in cuts[1:]:
        started.append(_fork(items[start:end], compute))
    first, end = cuts[0]
    out = compute(items[first:end])
    for (start, end), child in zip(cuts[1:], started, strict=True):
        answer: list[R] | None = None
        if child is not None:
            answer = _reap(child, end - start)
        out.extend(answer if answer is not None else compute(items[start:end]))
    return out


def _fork(chunk: list[T], compute: Callable[[list[T]], list[R]]) -> tuple[int, int] | None:
    """A child computing ``chunk`` and writing the results to a pipe; None when it could not
    be started."""
    try:
        return start_child(lambda: compute(chunk))
    except OSError:
        return None


def start_child(produce: Callable[[], object]) -> tuple[int, int]:
    """Fork a child that writes ``marshal.dumps(produce())`` to a pipe and exits (code 0, or 1
    when ``produce`` fails); (its pid, the pipe's read end). Raises OSError when no pipe or
    child can be made."""
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        raise
    if pid == 0:  # the child: never returns
        code = 1
        try:
            os.close(read_end)
            view = memoryview(marshal.dumps(produce()))  # type: ignore[arg-type]
            while view:
                view = view[os.write(write_end, view):]
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    return pid, read_end


def child_output(child: tuple[int, int]) -> bytes | None:
    """What a forked child wrote to its pipe, read to the end, once the child has exited; None
    when reading failed or the child did not exit with code 0. Closes the pipe."""
    pid, read_end = child
    chunks: list[bytes] = []
    failed = False
    try:
        while True:
            chunk = os.read(read_end, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    except OSError:
        failed = True
    finally:
        os.close(read_end)
    try:
        _, status = os.waitpid(pid, 0)
    except OSError:
        return None
    if failed or not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return None
    return b"".join(chunks)


def _reap(child: tuple[int, int], count: int) -> list[R] | None:
    """The child's results once it has exited, None when it failed, died or sent something
    other than ``count`` results."""
    data = child_output(child)
    if data is None:
        return None
    try:
        value = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None
    if not isinstance(value, list) or len(value) != count:
        return None
    return value
