"""Whole-process speed of ``wit-ls check`` against ``wasm-tools component wit``.

    python bench/check_speed.py [--runs 10]

1. One package: ../shared/corpus/real/WebAssembly__wasi-http/wit, best and median of N runs
   of each tool, side by side with the ratio. wit-ls is timed twice: as the development
   checkout runs it (an editable install, whose import hook and missing bytecode cache cost
   every process), and as an installed copy runs it (the package copied with its compiled
   extension and its bytecode compiled, as `pip install` leaves it, run without the dev
   environment's site hooks).
2. The largest package of the real corpus (by lines with its ``deps/``, fermyon spin's at the
   time of writing: about 9,400 lines, 400 KB), installed copy, cold and warm.
3. The whole real corpus: every directory of verdicts.tsv in ONE ``wit-ls check`` process,
   against one ``wasm-tools component wit`` process per directory.

Each row alternates the two tools run by run (wit-ls, wasm-tools, wit-ls, ...), so that a
change in the machine's speed during the bench touches both sides alike. Every wit-ls row is
measured twice: cold (``--no-cache``: every package analysed) and warm
(the result cache filled by one run before the timed ones, as when a pre-commit hook or a
second run in CI meets unchanged files). wasm-tools has no cache; its runs are the same in
both rows.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _paths  # noqa: F401
from check_phases import largest_roots
from support.oracle import corpus_dir, read_tsv, wasm_tools, wit_ls_command


def timed(cmd: list[str], cwd: str, env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=env, check=False)
    return time.perf_counter() - started


def row(label: str, ours: list[float], theirs: list[float]) -> str:
    b1, b2 = min(ours), min(theirs)
    m1, m2 = statistics.median(ours), statistics.median(theirs)
    return (f"{label:<44} wit-ls best {b1 * 1000:8.1f} ms  median {m1 * 1000:8.1f} ms | "
            f"wasm-tools best {b2 * 1000:8.1f} ms  median {m2 * 1000:8.1f} ms | "
            f"ratio (median) {m1 / m2:5.2f}x")


def installed_copy(where: Path) -> list[str]:
    """A command running an installed-like copy of wit_ls (bytecode compiled, no editable
    import hook): the package and the dependencies' site-packages on an explicit path."""
    import tree_sitter

    import wit_ls

    target = where / "site"
    shutil.copytree(Path(wit_ls.__file__).parent, target / "wit_ls",
                    ignore=shutil.ignore_patterns("__pycache__"))
    compileall.compile_dir(str(target), quiet=1)
    deps = str(Path(tree_sitter.__file__).parent.parent)
    boot = (f"import sys; sys.path[:0] = [{str(target)!r}, {deps!r}]; "
            "from wit_ls.cli import entry; entry()")
    return [sys.executable, "-S", "-c", boot]


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
    if Path(tool).read_bytes()[:2] == b"#!":
        print(f"note: the reference `{tool}` is a script that runs wasm-tools in a subprocess "
              "(a Python start-up on top of the tool's work): see bench/check_instructions.py "
              "for the binary alone")
    package = "WebAssembly__wasi-http/wit"
    cold = ["check", "--no-cache", "--no-manifest-deps"]
    warm = ["check", "--no-manifest-deps"]
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items()
               if k not in ("PYTHONDONTWRITEBYTECODE", "WIT_LS_NO_CACHE")}
        env["WIT_LS_CACHE_DIR"] = str(Path(tmp) / "cache")

        def timed_runs(cmd: list[str], runs: int) -> list[float]:
            return [timed(cmd, str(real), env) for _ in range(runs)]

        def side_by_side(ours: list[str], theirs: list[str]) -> tuple[list[float], list[float]]:
            """Both commands run alternately, ``args.runs`` times each."""
            a: list[float] = []
            b: list[float] = []
            for _ in range(args.runs):
                a.append(timed(ours, str(real), env))
                b.append(timed(theirs, str(real), env))
            return a, b

        reference = [tool, "component", "wit", package]
        print(row("one package, dev checkout, cold",
                  *side_by_side([*wit_ls, *cold, package], reference)))
        installed = installed_copy(Path(tmp))
        timed([*installed, *cold, package], str(real), env)  # the first run after compiling
        print(row("one package, installed, cold",
                  *side_by_side([*installed, *cold, package], reference)))
        timed([*installed, *warm, package], str(real), env)  # fills the cache
        print(row("one package, installed, warm",
                  *side_by_side([*installed, *warm, package], reference)))

        largest = largest_roots(real)[0]
        reference = [tool, "component", "wit", largest]
        print(f"largest package: {largest}")
        print(row("largest package, installed, cold",
                  *side_by_side([*installed, *cold, largest], reference)))
        timed([*installed, *warm, largest], str(real), env)
        print(row("largest package, installed, warm",
                  *side_by_side([*installed, *warm, largest], reference)))

        dirs = [r["path"] for r in read_tsv(real / "verdicts.tsv") if r["input_kind"] == "dir"]
        runs = max(1, args.runs // 5)
        theirs = []
        for _ in range(runs):
            started = time.perf_counter()
            for d in dirs:
                subprocess.run([tool, "component", "wit", d], cwd=real,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            theirs.append(time.perf_counter() - started)
        label = f"{len(dirs)} directories (1 vs {len(dirs)} procs)"
        print(row(f"{label}, cold", timed_runs([*installed, *cold, *dirs], runs), theirs))
        timed([*installed, *warm, *dirs], str(real), env)
        print(row(f"{label}, warm", timed_runs([*installed, *warm, *dirs], runs), theirs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
