"""Differential mutation run: N mutants of corpus inputs, judged by wasm-tools and wit-ls.

    python bench/mutants.py [--count 2000] [--seed 20261125] [--workers 4]

Prints the agreement figures and every disagreement; exits 1 when the model's verdict
agreement is below 98%.
"""

from __future__ import annotations

import argparse
import sys
import time

import _paths  # noqa: F401
from conformance.test_mutants import judge  # type: ignore[import-not-found]
from support.fixtures import model_available
from support.mutants import generate, run_oracle_on
from support.oracle import wasm_tools


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    if wasm_tools() is None:
        print("wasm-tools not found", file=sys.stderr)
        return 2
    started = time.perf_counter()
    mutants = generate(args.count, args.seed)
    if not mutants:
        print("no corpus (../shared/corpus) to mutate", file=sys.stderr)
        return 2
    run_oracle_on(mutants, args.workers)
    oracle_time = time.perf_counter() - started
    tally = judge(mutants, with_model=model_available())
    print(tally.render())
    print(f"({len(mutants)} mutants, seed {args.seed}; {oracle_time:.1f}s generating and running "
          f"wasm-tools, {time.perf_counter() - started - oracle_time:.1f}s wit-ls)")
    if tally.model_compared:
        agree = tally.model_compared - len(tally.model_disagree)
        return 0 if agree / tally.model_compared >= 0.98 else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
