"""Unfinished code: the first syntax error of truncated and token-deleted corpus files, wit-ls
against wasm-tools.

    python bench/unfinished.py [--files 12] [--max-per-file 150] [--seed 20261201] [--workers 4]
                               [--verbose]

Takes single-file packages of ``../shared/corpus`` that wasm-tools accepts, and for each makes
the files a user has while typing: the text cut at every token boundary (an unfinished file)
and the text with one token deleted. wasm-tools judges each; where it reports an error, wit-ls's
first error must be on the same line and, for syntax errors, carry the same message. Prints the
agreement figures and each class of disagreement with an example.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import _paths  # noqa: F401
from support.oracle import OracleResult, corpus_dir, run_oracle, wasm_tools

from wit_ls.syntax import Severity
from wit_ls.syntax.tree import parse

_TOKEN = re.compile(
    r"(?P<ws>\s+)|(?P<comment>//[^\n]*|/\*.*?\*/)|(?P<id>%?[A-Za-z_][A-Za-z0-9_-]*)"
    r"|(?P<num>\d+)|(?P<arrow>->)|(?P<punct>\S)",
    re.S,
)


def seeds(count: int, rng: random.Random) -> list[Path]:
    """Single .wit files of the corpus that wasm-tools accepts, without deps."""
    found: list[Path] = []
    for name in ("real", "wasm-tools-tests"):
        root = corpus_dir(name)
        if root is None:
            continue
        found += [p for p in sorted(root.rglob("*.wit")) if "deps" not in p.parts
                  and "parse-fail" not in p.parts and 200 < p.stat().st_size < 6000]
    rng.shuffle(found)
    out: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in found:
            copy = Path(tmp) / "seed.wit"
            copy.write_bytes(path.read_bytes())
            if run_oracle(copy).ok:
                out.append(path)
            if len(out) == count:
                break
    return out


def mutants(text: str, limit: int, rng: random.Random) -> list[tuple[str, str]]:
    tokens = [m for m in _TOKEN.finditer(text) if m.lastgroup not in ("ws", "comment")]
    out = [(f"cut after token {i}", text[: m.end()]) for i, m in enumerate(tokens)]
    out += [(f"token {i} `{m.group()}` deleted", text[: m.start()] + text[m.end():])
            for i, m in enumerate(tokens)]
    rng.shuffle(out)
    return out[:limit]


def first_error(text: str) -> tuple[int, str] | None:
    tree = parse(text.encode("utf-8"))
    errors = [d for d in tree.diagnostics if d.severity == Severity.ERROR]
    if not errors:
        return None
    return tree.line_index.line_of(errors[0].start) + 1, errors[0].message


def judge(text: str, oracle: OracleResult) -> str:
    """"same", "line" (same line, other message), "other-line", "missed" or "extra"."""
    ours = first_error(text)
    if oracle.ok:
        return "extra" if ours is not None else "same"
    if ours is None:
        return "missed"  # wasm-tools' error is not a syntax error, or we miss it
    if ours[0] != oracle.line:
        return "other-line"
    return "same" if ours[1] == oracle.first_message else "line"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=12)
    parser.add_argument("--max-per-file", type=int, default=150)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    if wasm_tools() is None:
        print("wasm-tools not found", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    files = seeds(args.files, rng)
    if not files:
        print("no corpus (../shared/corpus)", file=sys.stderr)
        return 2
    cases: list[tuple[str, str]] = []
    for path in files:
        text = path.read_text("utf-8")
        cases += [(f"{path.name}: {what}", body)
                  for what, body in mutants(text, args.max_per_file, rng)]
    with tempfile.TemporaryDirectory() as tmp:
        def run(index: int) -> OracleResult:
            path = Path(tmp) / f"m{index}" / "a.wit"
            path.parent.mkdir()
            path.write_text(cases[index][1], "utf-8")
            return run_oracle(path)

        with ThreadPoolExecutor(args.workers) as pool:
            results = list(pool.map(run, range(len(cases))))
    tally: Counter[str] = Counter()
    examples: dict[tuple[str, str], tuple[str, str, str]] = {}
    failing = 0
    for (name, body), oracle in zip(cases, results, strict=True):
        verdict = judge(body, oracle)
        tally[verdict] += 1
        failing += not oracle.ok
        if verdict != "same":
            ours = first_error(body)
            key = (verdict, oracle.first_message.split(",")[0][:60])
            if key not in examples or args.verbose:
                examples[key] = (name, f"{oracle.line}: {oracle.first_message}",
                                 f"{ours[0]}: {ours[1]}" if ours else "no syntax error")
                if args.verbose:
                    print(f"{verdict}: {name}\n  wasm-tools {examples[key][1]}\n"
                          f"  wit-ls     {examples[key][2]}")
    total = len(cases)
    print(f"{total} mutants of {len(files)} files; wasm-tools rejects {failing}")
    same = tally["same"]
    print(f"first error on wasm-tools' line with its message: {same}/{total} "
          f"({100.0 * same / total:.1f}%)")
    on_line = same + tally["line"]
    print(f"first error on wasm-tools' line: {on_line}/{total} ({100.0 * on_line / total:.1f}%)")
    for verdict in ("line", "other-line", "missed", "extra"):
        print(f"  {verdict}: {tally[verdict]}")
    if not args.verbose:
        for (verdict, _), (name, theirs, ours) in sorted(examples.items()):
            print(f"{verdict}: {name}\n  wasm-tools {theirs}\n  wit-ls     {ours}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
