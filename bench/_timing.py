"""Timing shared by the bench scripts."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable


def best(fn: Callable[[], object], runs: int,
         setup: Callable[[], object] | None = None) -> float:
    """Best CPU time of ``runs`` calls of ``fn`` (each after ``setup``, untimed), in
    milliseconds, with the cyclic garbage collector paused as an analysis pauses it."""
    fastest = float("inf")
    for _ in range(runs):
        if setup is not None:
            setup()
        gc.collect()
        gc.disable()
        started = time.process_time()
        fn()
        fastest = min(fastest, time.process_time() - started)
        gc.enable()
    return fastest * 1000
