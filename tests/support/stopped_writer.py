"""Reading a child process's standard output while stopping and continuing it (SIGSTOP,
SIGCONT) each time it waits in a write to a full pipe: with ``PYTHONUNBUFFERED`` set, such a
stop ends the child's ``write(2)`` after part of its data, and a writer that ignores how much
was taken loses the rest. Linux only (``/proc``, ``FIONREAD``)."""

from __future__ import annotations

import array
import fcntl
import os
import signal
import subprocess
import termios
import time
from pathlib import Path

PIPE_BYTES = 65536  # what a Linux pipe holds by default
BOUND = 30.0  # seconds: never reached unless the child is broken

LINUX = Path("/proc/self/stat").exists()


def _pending(fd: int) -> int:
    size = array.array("i", [0])
    fcntl.ioctl(fd, termios.FIONREAD, size)
    return size[0]


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return "gone"


def read_while_stopping(child: subprocess.Popen[bytes], rounds: int = 4) -> tuple[bytes, int]:
    """Everything ``child`` writes to its stdout (a pipe), and how many times it was stopped
    and continued while it waited in a write with the pipe full. Waits for it to exit."""
    assert child.stdout is not None
    fd = child.stdout.fileno()
    got = bytearray()
    stops = 0
    try:
        for _ in range(rounds):
            deadline = time.monotonic() + BOUND
            while _pending(fd) < PIPE_BYTES and child.poll() is None:
                assert time.monotonic() < deadline, "the child never filled the pipe"
                time.sleep(0.01)
            if child.poll() is not None:
                break
            child.send_signal(signal.SIGSTOP)
            while _state(child.pid) not in ("T", "t", "Z", "gone"):
                assert time.monotonic() < deadline, "the child did not stop"
                time.sleep(0.001)
            child.send_signal(signal.SIGCONT)
            stops += 1
            got += os.read(fd, PIPE_BYTES)
        got += child.stdout.read()
        child.wait(BOUND)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
    return bytes(got), stops
