"""Whole-process time of ``wit-ls lint`` against ``wit-ls check`` on the same input.

    python bench/lint_speed.py [--runs 5]

Input: every directory of ../shared/corpus/real/verdicts.tsv, in ONE process for each command
(the same input `bench/check_speed.py` uses). Prints best and median of N runs and the ratio;
exits 1 when lint's median is more than 2x check's (the target of issue 5). Also times lint
with ``--no-model`` (each package analysed in memory without its ``deps/``).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time

import _paths  # noqa: F401
from support.oracle import corpus_dir, read_tsv, wit_ls_command

LIMIT = 2.0


def timed(cmd: list[str], cwd: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child: user + system)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    real = corpus_dir("real")
    if real is None:
        print("needs ../shared/corpus/real", file=sys.stderr)
        return 2
    dirs = [r["path"] for r in read_tsv(real / "verdicts.tsv") if r["input_kind"] == "dir"]
    wit_ls = wit_ls_command()
    commands = {
        # check stores results for unchanged inputs; lint does not: compare the work itself.
        "check": [*wit_ls, "check", "--no-cache", *dirs],
        "lint": [*wit_ls, "lint", "--exit-zero", *dirs],
        "lint --no-model": [*wit_ls, "lint", "--exit-zero", "--no-model", *dirs],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):  # interleaved, so that load spikes hit all three alike
        for name, cmd in commands.items():
            wall, used = timed(cmd, str(real))
            times[name].append(wall)
            cpu[name].append(used)
    print(f"{len(dirs)} package directories of the real corpus, {args.runs} runs each")
    base = statistics.median(times["check"])
    cpu_base = statistics.median(cpu["check"])
    for name, values in times.items():
        median = statistics.median(values)
        used = statistics.median(cpu[name])
        print(f"  {name:<16} best {min(values):6.2f} s  median {median:6.2f} s  "
              f"ratio to check {median / base:4.2f}  (CPU {used:6.2f} s, "
              f"ratio {used / cpu_base:4.2f})")
    ratio = statistics.median(times["lint"]) / base
    print(f"lint / check = {ratio:.2f} (limit {LIMIT}); CPU time: "
          f"{statistics.median(cpu['lint']) / cpu_base:.2f} (less sensitive to load)")
    return 0 if ratio <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
