"""`wit-ls check` of the largest real package by default, with `--jobs 1` and with `--jobs 2`
(the split forced), run alternately, beside 0, 1 and 2 busy loops this script starts and
stops itself (at the lowest priority, ``nice`` 19).

    python bench/split_under_load.py [--runs 15] [--loops 0,1,2] [--settle 30]

By default one root is split over processes only when a CPU is likely idle (see
``wit_ls.cli.check_split.idle_cpu_likely``): this shows what that choice costs or saves on
this machine, as the installed copy of ``check_speed.py`` runs it, with the machine's
``/proc/loadavg`` (1-minute average, tasks running now) sampled before each default run.
Each row waits ``--settle`` seconds after starting its loops, so that the load average
shows them. Wall times on a shared machine are noisy: compare rows of one run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _paths  # noqa: F401
from check_phases import largest_roots
from check_speed import installed_copy
from support.oracle import corpus_dir


def _busy_loop() -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "while True: pass"],
                            preexec_fn=lambda: os.nice(19))


def _timed(cmd: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    return time.perf_counter() - started


def _loadavg() -> tuple[float, int]:
    fields = Path("/proc/loadavg").read_text().split()
    return float(fields[0]), int(fields[3].split("/")[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--loops", default="0,1,2")
    parser.add_argument("--settle", type=float, default=30.0)
    args = parser.parse_args()
    real = corpus_dir("real")
    if real is None or not Path("/proc/loadavg").exists():
        print("needs ../shared/corpus/real and /proc/loadavg", file=sys.stderr)
        return 2
    root = largest_roots(real)[0]
    with tempfile.TemporaryDirectory() as tmp:
        check = [*installed_copy(Path(tmp)), "check", "--no-cache", "--no-manifest-deps"]
        _timed([*check, root], real)  # (bytecode written, files cached)
        for count in (int(n) for n in args.loops.split(",")):
            loops = [_busy_loop() for _ in range(count)]
            try:
                if count:
                    time.sleep(args.settle)
                times: dict[str, list[float]] = {"default": [], "--jobs 1": [], "--jobs 2": []}
                samples: list[tuple[float, int]] = []
                for _ in range(args.runs):
                    samples.append(_loadavg())
                    times["default"].append(_timed([*check, root], real))
                    times["--jobs 1"].append(_timed([*check, "--jobs", "1", root], real))
                    times["--jobs 2"].append(_timed([*check, "--jobs", "2", root], real))
            finally:
                for loop in loops:
                    loop.kill()
                    loop.wait()
            medians = "  ".join(f"{label} {statistics.median(t) * 1000:6.1f} ms"
                                for label, t in times.items())
            loads = [load for load, _ in samples]
            running = sorted(n for _, n in samples)
            print(f"{count} busy loop(s): median {medians} | load average "
                  f"{min(loads):.2f}-{max(loads):.2f}, running now {running[0]}-{running[-1]} "
                  f"(median {statistics.median(running)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
