"""Parse speed of the syntax layer on the real corpus.

    python bench/parse_speed.py [--runs 5] [--edits 200]

1. Total time of ``wit_ls.syntax.parse`` (including its diagnostics) over every ``.wit`` file
   of ../shared/corpus/real (best of N).
2. In the largest file: median time of an incremental reparse after a one-character edit
   (``apply_edits`` with a ``TextEdit``) against a full reparse of the edited text.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time

import _paths  # noqa: F401
from support.oracle import corpus_dir

from wit_ls.syntax import TextEdit, apply_edits, parse


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--edits", type=int, default=200)
    args = parser.parse_args()
    real = corpus_dir("real")
    if real is None:
        print("needs ../shared/corpus/real", file=sys.stderr)
        return 2
    files = [p.read_bytes() for p in sorted(real.rglob("*.wit"))]
    size = sum(len(f) for f in files)
    totals = []
    for _ in range(args.runs):
        started = time.perf_counter()
        for data in files:
            _ = parse(data).diagnostics
        totals.append(time.perf_counter() - started)
    best = min(totals)
    print(f"full parse of the corpus: {len(files)} files, {size / 1024:.0f} KiB: "
          f"best {best * 1000:.1f} ms, median {statistics.median(totals) * 1000:.1f} ms "
          f"({size / 1024 / 1024 / best:.1f} MiB/s)")

    largest = max(files, key=len)
    rng = random.Random(1)
    tree = parse(largest)
    incremental, full = [], []
    for _ in range(args.edits):
        # Replace one identifier character by another letter (keeps the file mostly valid).
        at = rng.randrange(len(tree.source))
        while not chr(tree.source[at]).isalpha():
            at = (at + 1) % len(tree.source)
        edit = TextEdit(at, at + 1, b"x" if tree.source[at:at + 1] != b"x" else b"y")
        started = time.perf_counter()
        new = apply_edits(tree, [edit])
        new.tree.root_node  # noqa: B018 (the parse is done eagerly; touch it anyway)
        incremental.append(time.perf_counter() - started)
        started = time.perf_counter()
        parse(new.source)
        full.append(time.perf_counter() - started)
        tree = new
    mi, mf = statistics.median(incremental), statistics.median(full)
    print(f"largest file ({len(largest) / 1024:.1f} KiB), one-character edit: incremental "
          f"reparse median {mi * 1e6:.0f} us vs full reparse median {mf * 1e6:.0f} us "
          f"({mf / mi:.1f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
