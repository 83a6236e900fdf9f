"""Whole-process speed of ``wit-ls check`` against ``wasm-tools component wit``.

    python bench/check_speed.py [--runs 10]

1. One package: ../shared/corpus/real/WebAssembly__wasi-http/wit, best and median of N runs
   of each tool, side by side with the ratio. wit-ls is timed twice: as the development
   checkout runs it (an editable install, whose import hook and missing bytecode cache cost
   every process), and as an installed copy runs it (the package copied with its compiled
   extension and its bytecode compiled, as `pip install` leaves it, run without the dev
   environment's site hooks).
2. The largest package of the real corpus (by lines with its ``deps/``, fermyon spin's at the
   time of writing: about 9,400 lines, 400 KB), installed copy, cold and warm, and cold with
   ``--jobs 1`` (one process: by default the packages the root does not reach are checked in
   a forked process, which saves wall time, not CPU).

Each wit-ls row also prints the CPU time (user and system) of its runs, the forked processes
included.
3. The whole real corpus: every directory of verdicts.tsv in ONE ``wit-ls check`` process,
   against one ``wasm-tools component wit`` process per directory.

Each row alternates the tools run by run (wit-ls, wasm-tools, wit-ls, ...), so that a
change in the machine's speed during the bench touches every side alike. When the
``wasm-tools`` found is the Python script a pip-installed package puts on the path (it starts
Python, then runs its bundled binary in a subprocess), the single-package rows time the script
and the binary itself, alternately with wit-ls, and print a ratio against each: the script is
how a user of the Python package runs wasm-tools, the binary how a user of a release or of
``cargo install`` does; the corpus rows time one process per directory of each. Every wit-ls
row is measured twice: cold (``--no-cache``: every package analysed) and warm
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
from support.oracle import corpus_dir, read_tsv, wasm_tools, wasm_tools_binary, wit_ls_command

# CPU (user + system) of each timed wit-ls run, its forked processes included.
CPU: list[float] = []


def timed(cmd: list[str], cwd: str, env: dict[str, str] | None = None) -> float:
    """Wall time of ``cmd``; its CPU time, with every process it forked and waited for
    (`wit-ls check` may check a root's independent package groups in forked processes), is
    appended to :data:`CPU`."""
    started = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=env)
    _, _, usage = os.wait4(process.pid, 0)
    process.returncode = 0  # (reaped above)
    wall = time.perf_counter() - started
    CPU.append(usage.ru_utime + usage.ru_stime)
    return wall


def row(label: str, ours: list[float], theirs: list[float]) -> str:
    b1, b2 = min(ours), min(theirs)
    m1, m2 = statistics.median(ours), statistics.median(theirs)
    return (f"{label:<44} wit-ls best {b1 * 1000:8.1f} ms  median {m1 * 1000:8.1f} ms | "
            f"wasm-tools best {b2 * 1000:8.1f} ms  median {m2 * 1000:8.1f} ms | "
            f"ratio (median) {m1 / m2:5.2f}x")


def rows(label: str, ours: list[float], theirs: list[float],
         binary: list[float] | None) -> str:
    """``row`` against the reference found, then (when it is a script) against the binary."""
    if binary is None:
        return row(label, ours, theirs)
    return (row(f"{label} (script)", ours, theirs) + "\n"
            + row(f"{label} (binary)", ours, binary))


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
    executable = wasm_tools_binary(tool)
    if executable != tool:
        print(f"note: the reference `{tool}` is a script that runs wasm-tools in a subprocess "
              "(a Python start-up on top of the tool's work); the single-package rows also "
              "time the binary itself (\"binary\"); bench/check_instructions.py counts the "
              "instructions of each")
    package = "WebAssembly__wasi-http/wit"
    cold = ["check", "--no-cache", "--no-manifest-deps"]
    warm = ["check", "--no-manifest-deps"]
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items()
               if k not in ("PYTHONDONTWRITEBYTECODE", "WIT_LS_NO_CACHE")}
        env["WIT_LS_CACHE_DIR"] = str(Path(tmp) / "cache")

        def timed_runs(cmd: list[str], runs: int) -> list[float]:
            return [timed(cmd, str(real), env) for _ in range(runs)]

        def side_by_side(ours: list[str], root: str
                         ) -> tuple[list[float], list[float], list[float] | None]:
            """wit-ls and the reference (and the binary behind it, when it is a script) run
            alternately, ``args.runs`` times each."""
            a: list[float] = []
            b: list[float] = []
            c: list[float] = []
            cpu: list[float] = []
            for _ in range(args.runs):
                a.append(timed([*ours, root], str(real), env))
                cpu.append(CPU[-1])
                b.append(timed([tool, "component", "wit", root], str(real), env))
                if executable != tool:
                    c.append(timed([executable, "component", "wit", root], str(real), env))
            print(f"  (wit-ls CPU, every process: median {statistics.median(cpu) * 1000:.1f} ms,"
                  f" wall median {statistics.median(a) * 1000:.1f} ms; 1-minute load average"
                  f" {os.getloadavg()[0]:.2f}: by default one root is split only when a CPU"
                  " is likely idle)")
            return a, b, (c or None)

        print(rows("one package, dev checkout, cold", *side_by_side([*wit_ls, *cold], package)))
        installed = installed_copy(Path(tmp))
        timed([*installed, *cold, package], str(real), env)  # the first run after compiling
        print(rows("one package, installed, cold", *side_by_side([*installed, *cold], package)))
        timed([*installed, *warm, package], str(real), env)  # fills the cache
        print(rows("one package, installed, warm", *side_by_side([*installed, *warm], package)))

        largest = largest_roots(real)[0]
        print(f"largest package: {largest}")
        print(rows("largest package, installed, cold",
                   *side_by_side([*installed, *cold], largest)))
        # One process (`--jobs 1`): what the row above costs without the packages the root
        # does not reach checked in a forked process (see wit_ls.cli.check_split).
        print(rows("largest package, installed, cold, --jobs 1",
                   *side_by_side([*installed, *cold, "--jobs", "1"], largest)))
        timed([*installed, *warm, largest], str(real), env)
        print(rows("largest package, installed, warm",
                   *side_by_side([*installed, *warm], largest)))

        dirs = [r["path"] for r in read_tsv(real / "verdicts.tsv") if r["input_kind"] == "dir"]
        runs = max(1, args.runs // 5)
        theirs: list[float] = []
        binary: list[float] = []
        for _ in range(runs):
            for program, times in ((tool, theirs), (executable, binary)):
                if not times and times is binary and executable == tool:
                    continue
                started = time.perf_counter()
                for d in dirs:
                    subprocess.run([program, "component", "wit", d], cwd=real,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   check=False)
                times.append(time.perf_counter() - started)
        label = f"{len(dirs)} directories (1 vs {len(dirs)} procs)"
        print(rows(f"{label}, cold", timed_runs([*installed, *cold, *dirs], runs), theirs,
                   binary or None))
        timed([*installed, *warm, *dirs], str(real), env)
        print(rows(f"{label}, warm", timed_runs([*installed, *warm, *dirs], runs), theirs,
                   binary or None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
