"""``wit-ls fmt --check`` over the whole corpus, as a whole process.

    python bench/fmt_speed.py [--runs 5]

Times `wit-ls fmt --check ../shared/corpus` (the default: `deps/` folders skipped) and with
`--include-deps` (every `.wit` file), best and median wall time of N runs, and the process's
CPU time (user + system) of the median run; then the in-process split between parsing (the
syntax check) and layout. The machine may be shared: CPU time is the steadier figure.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import time

import _paths  # noqa: F401
from support.oracle import corpus_dir, wit_ls_command


def timed(cmd: list[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    real = corpus_dir("real")
    if real is None:
        print("needs ../shared/corpus")
        return 2
    corpus = real.parent
    files = sorted(corpus.rglob("*.wit"))
    size = sum(p.stat().st_size for p in files)
    print(f"corpus: {len(files)} .wit files, {size / 2**20:.1f} MiB; load average "
          f"{os.getloadavg()[0]:.1f}")
    for extra in ([], ["--include-deps"]):
        cmd = [*wit_ls_command(), "fmt", "--check", *extra, str(corpus)]
        runs = [timed(cmd) for _ in range(args.runs)]
        walls = sorted(w for w, _ in runs)
        median = statistics.median(walls)
        cpu = statistics.median(c for _, c in runs)
        label = "wit-ls fmt --check " + " ".join([*extra, "CORPUS"])
        print(f"{label:<44} best {walls[0]:6.3f} s  median {median:6.3f} s  "
              f"CPU {cpu:6.3f} s (target < 1 s)")

    from wit_ls.fmt import layout
    from wit_ls.syntax import parse

    texts = [p.read_bytes() for p in files]
    started = time.process_time()
    trees = [parse(t) for t in texts]
    parsed = time.process_time()
    for tree in trees:
        if not tree.root.has_error:
            layout(tree.text)
    done = time.process_time()
    print(f"in process: parse {parsed - started:.3f} s, layout {done - parsed:.3f} s (CPU)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
