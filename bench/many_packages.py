"""A monorepo of many packages in one ``wit-ls check`` / ``wit-ls lint`` process (a CI job):
does time grow linearly and memory stay bounded? Against one ``wasm-tools component wit``
process per package.

    python bench/many_packages.py [--sizes 100,250,500,1000] [--layouts linked,vendored]
                                  [--commands check,lint] [--sample 20] [--instructions]

Generates N package roots in a temporary folder, each a small component world (its own
interface plus imports from WASI) with the WASI dependencies of
../shared/corpus/real/WebAssembly__wasi-http in its ``deps/``: either a symbolic link to one
shared copy (``linked``) or a copy of its own in every package (``vendored``, identical bytes at
different paths, as most monorepos have them). For each N it prints one ``wit-ls`` process over
the folder (``check --no-cache --format json``, ``lint --output-format json``): wall and CPU
seconds, CPU milliseconds per package, the CPU per package relative to the smallest size
(1.00 = linear), the CPU each package beyond the previous size added (``marginal``: start-up
left out; the same at every size = linear), the process's peak memory (with ``check``'s
slices of packages in forked processes, the largest process'), and the CPU seconds of
one ``wasm-tools`` process per package (timed on a sample, extrapolated to N) with the CPU
ratio. CPU time (user + system of the process and its children) is what to compare on a loaded
machine; ``--instructions`` counts instructions instead (valgrind's callgrind, children
included: deterministic, about 50 times slower, so use small sizes such as
``--sizes 25,50,100 --sample 2``).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _paths  # noqa: F401
from support.oracle import corpus_dir, wasm_tools, wit_ls_command

APP = """package monorepo:app{n}@0.1.0;

interface api{n} {{
  use wasi:io/streams@0.2.{minor}.{{input-stream, output-stream}};
  use wasi:clocks/wall-clock@0.2.{minor}.{{datetime}};

  record entry {{ key: string, value: list<u8>, at: datetime }}
  variant error {{ not-found, io(string) }}

  get: func(key: string) -> result<entry, error>;
  put: func(e: entry) -> result<_, error>;
  copy: func(src: borrow<input-stream>, dst: borrow<output-stream>) -> result<u64, error>;
}}

world service{n} {{
  import wasi:random/random@0.2.{minor};
  import wasi:clocks/monotonic-clock@0.2.{minor};
  export api{n};
}}
"""

COMMANDS = {
    "check": ["check", "--no-cache", "--format", "json"],
    "lint": ["lint", "--output-format", "json"],
}


def _deps_source() -> tuple[Path, str] | None:
    real = corpus_dir("real")
    if real is None:
        return None
    deps = real / "WebAssembly__wasi-http" / "wit" / "deps"
    if not deps.is_dir():
        return None
    io = next((p for p in (deps / "io").glob("*.wit")), None)
    if io is None:
        return None
    head = io.read_text(encoding="utf-8").split("package wasi:io@0.2.", 1)[1]
    return deps, head.split(";", 1)[0]


def generate(where: Path, count: int, deps: Path, minor: str, layout: str) -> Path:
    """``count`` package roots under ``where/<layout>-<count>`` (the shared copy of ``deps``
    for the linked layout lives beside it, outside the folder checked)."""
    shared = where / "vendor" / "wasi"
    if layout == "linked" and not shared.exists():
        shutil.copytree(deps, shared)
    top = where / f"{layout}-{count}"
    for n in range(count):
        root = top / f"app{n:04d}" / "wit"
        root.mkdir(parents=True)
        (root / "app.wit").write_text(APP.format(n=n, minor=minor), encoding="utf-8")
        if layout == "linked":
            os.symlink(shared, root / "deps")
        else:
            shutil.copytree(deps, root / "deps")
    return top


def run_measured(cmd: list[str], cwd: Path) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds (user + system, with waited-for children), peak memory of
    the child in MB, exit code."""
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: run the command with its output discarded
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.chdir(cwd)
        os.execvp(cmd[0], cmd)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - started
    return (elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
            os.waitstatus_to_exitcode(status))


# (A forked process' counts start at its fork: callgrind zeroes them when CPython's
# `PyOS_AfterFork_Child` runs, so that what it shares with its parent is counted once; `wit-ls
# check` over many packages checks slices of them in forked processes, see wit_ls.cli.forked.)
_VALGRIND = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
             "--trace-children=yes", "--zero-before=PyOS_AfterFork_Child"]
_COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def run_counted(cmd: list[str], cwd: Path) -> tuple[float, float, float, int]:
    """As :func:`run_measured`, with instructions (in units of 10^9, summed over the process
    and its children) in place of CPU seconds."""
    started = time.perf_counter()
    proc = subprocess.run([*_VALGRIND, *cmd], cwd=cwd, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, check=False)
    elapsed = time.perf_counter() - started
    counted = sum(int(n) for n in _COLLECTED.findall(proc.stderr)) / 1e9
    return elapsed, counted, float("nan"), proc.returncode


def reference_per_package(reference: str, top: Path, sample: int,
                          instructions: bool) -> tuple[float, float]:
    """Wall and CPU seconds (or instructions) of one ``wasm-tools component wit`` process per
    package, averaged over the first ``sample`` packages."""
    roots = sorted(top.iterdir())[:sample]
    wall = cpu = 0.0
    run = run_counted if instructions else run_measured
    for root in roots:
        elapsed, used, _, _ = run([reference, "component", "wit", str(root / "wit")], top)
        wall += elapsed
        cpu += used
    return wall / len(roots), cpu / len(roots)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,250,500,1000")
    parser.add_argument("--layouts", default="linked,vendored",
                        help="deps/ as a link to one copy, a copy per package, or both")
    parser.add_argument("--commands", default="check,lint")
    parser.add_argument("--sample", type=int, default=20,
                        help="packages checked one wasm-tools process each (default 20)")
    parser.add_argument("--instructions", action="store_true",
                        help="count instructions under valgrind instead of CPU time")
    args = parser.parse_args()
    found = _deps_source()
    if found is None:
        print("needs ../shared/corpus/real/WebAssembly__wasi-http (the shared corpus)")
        return 0
    deps, minor = found
    sizes = [int(s) for s in args.sizes.split(",")]
    layouts = [s for s in args.layouts.split(",") if s]
    commands = [s for s in args.commands.split(",") if s]
    for name in [*layouts, *commands]:
        if name not in ("linked", "vendored", *COMMANDS):
            parser.error(f"unknown layout or command {name!r}")
    ours = wit_ls_command()
    reference = wasm_tools()
    print(f"packages share WASI 0.2.{minor} deps; wit-ls: {' '.join(ours)}; "
          f"wasm-tools: {reference or 'not found'}")
    unit = "G" if args.instructions else "s"
    per_unit = "M instr" if args.instructions else "ms"
    what = ("10^9 instructions (G) of the process and its children" if args.instructions
            else "user + system seconds of the process and its children")
    print(f"CPU = {what}; 'scaling' = CPU per package relative to the smallest size "
          f"(1.00 = linear); 'marginal' = {per_unit} of CPU each package beyond the previous "
          "size added")
    run = run_counted if args.instructions else run_measured
    with tempfile.TemporaryDirectory(prefix="wit-ls-many-") as tmp:
        where = Path(tmp)
        for layout in layouts:
            tops = {count: generate(where, count, deps, minor, layout) for count in sizes}
            theirs_wall = theirs_cpu = float("nan")
            if reference is not None:
                theirs_wall, theirs_cpu = reference_per_package(reference, tops[sizes[0]],
                                                                args.sample, args.instructions)
            print(f"\ndeps/ {layout}; wasm-tools, one process per package: "
                  f"{theirs_cpu * 1000:.1f} {per_unit} CPU, {theirs_wall * 1000:.1f} ms wall "
                  f"each (mean of {args.sample})")
            print(f"{'command':>8} {'packages':>9} {'wall':>8} {'CPU':>8} {'CPU/package':>12} "
                  f"{'scaling':>8} {'marginal':>10} {'peak memory':>12} {'wasm-tools CPU':>15} "
                  f"{'ratio CPU':>10} {'ratio wall':>11}")
            for command in commands:
                first: float | None = None
                previous: tuple[int, float] | None = None
                for count in sizes:
                    elapsed, cpu, peak, code = run(
                        [*ours, *COMMANDS[command], str(tops[count])], where)
                    if code not in (0, 1):
                        print(f"wit-ls {command} failed with exit code {code} on {count} "
                              "packages")
                        return 1
                    per = cpu / count
                    first = per if first is None else first
                    # What each package beyond the previous size added (start-up left out).
                    marginal = (float("nan") if previous is None
                                else (cpu - previous[1]) / (count - previous[0]))
                    previous = (count, cpu)
                    print(f"{command:>8} {count:>9} {elapsed:>7.2f}s {cpu:>7.2f}{unit} "
                          f"{per * 1000:>9.2f} {per_unit:<2} {per / first:>8.2f} "
                          f"{marginal * 1000:>10.2f} {peak:>9.0f} MB "
                          f"{theirs_cpu * count:>14.2f}{unit} {cpu / (theirs_cpu * count):>10.2f} "
                          f"{elapsed / (theirs_wall * count):>11.2f}")
            for top in tops.values():
                shutil.rmtree(top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
