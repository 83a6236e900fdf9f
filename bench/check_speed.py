"""Whole-process speed of ``wit-ls check`` against ``wasm-tools component wit``.

    python bench/check_speed.py [--runs 10]

1. One package: ../shared/corpus/real/WebAssembly__wasi-http/wit, best and median of N runs
   of each tool, side by side with the ratio.
2. The whole real corpus: every directory of verdicts.tsv in ONE ``wit-ls check`` process,
   against one ``wasm-tools component wit`` process per directory.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

import _paths  # noqa: F401
from support.oracle import corpus_dir, read_tsv, wasm_tools, wit_ls_command


def timed(cmd: list[str], cwd: str) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    return time.perf_counter() - started


def row(label: str, ours: list[float], theirs: list[float]) -> str:
    b1, b2 = min(ours), min(theirs)
    m1, m2 = statistics.median(ours), statistics.median(theirs)
    return (f"{label:<34} wit-ls best {b1 * 1000:8.1f} ms  median {m1 * 1000:8.1f} ms | "
            f"wasm-tools best {b2 * 1000:8.1f} ms  median {m2 * 1000:8.1f} ms | "
            f"ratio (median) {m1 / m2:5.1f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    real = corpus_dir("real")
    tool = wasm_tools()
    if real is None or tool is None:
        print("needs ../shared/corpus/real and wasm-tools", file=sys.stderr)
        return 2
    wit_ls = wit_ls_command()
    package = "WebAssembly__wasi-http/wit"
    ours = [timed([*wit_ls, "check", "--no-manifest-deps", package], str(real))
            for _ in range(args.runs)]
    theirs = [timed([tool, "component", "wit", package], str(real)) for _ in range(args.runs)]
    print(row(f"one package ({package})", ours, theirs))

    dirs = [r["path"] for r in read_tsv(real / "verdicts.tsv") if r["input_kind"] == "dir"]
    runs = max(1, args.runs // 5)
    ours = [timed([*wit_ls, "check", "--no-manifest-deps", *dirs], str(real)) for _ in range(runs)]
    theirs = []
    for _ in range(runs):
        started = time.perf_counter()
        for d in dirs:
            subprocess.run([tool, "component", "wit", d], cwd=real, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=False)
        theirs.append(time.perf_counter() - started)
    print(row(f"{len(dirs)} directories (1 vs {len(dirs)} procs)", ours, theirs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
