"""A monorepo of many packages in one ``wit-ls check`` process: does time grow linearly and
memory stay bounded? Against one ``wasm-tools component wit`` process per package.

    python bench/many_packages.py [--sizes 100,250,500,1000] [--sample 20]

Generates N package roots in a temporary folder, each a small component world (its own
interface plus imports from WASI) whose ``deps/`` is a symbolic link to one shared copy of the
WASI dependencies of ../shared/corpus/real/WebAssembly__wasi-http (as a monorepo that vendors
WASI once would have). For each N it prints the wall time of one ``wit-ls check`` over the
folder, the time per package, and the process's peak memory; wasm-tools is timed on a sample of
packages, one process each, and extrapolated to N.
"""

from __future__ import annotations

import argparse
import os
import resource
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


def generate(where: Path, count: int, deps: Path, minor: str) -> Path:
    shared = where / "vendor" / "wasi"
    if not shared.exists():
        shutil.copytree(deps, shared)
    top = where / f"repo-{count}"
    for n in range(count):
        root = top / f"app{n:04d}" / "wit"
        root.mkdir(parents=True)
        (root / "app.wit").write_text(APP.format(n=n, minor=minor), encoding="utf-8")
        os.symlink(shared, root / "deps")
    return top


def run_measured(cmd: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, peak memory of the child in MB, exit code."""
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
    return elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,250,500,1000")
    parser.add_argument("--sample", type=int, default=20,
                        help="packages checked one wasm-tools process each (default 20)")
    args = parser.parse_args()
    found = _deps_source()
    if found is None:
        print("needs ../shared/corpus/real/WebAssembly__wasi-http (the shared corpus)")
        return 0
    deps, minor = found
    sizes = [int(s) for s in args.sizes.split(",")]
    ours = wit_ls_command()
    reference = wasm_tools()
    print(f"packages share WASI 0.2.{minor} deps; wit-ls: {' '.join(ours)}")
    print(f"{'packages':>9} {'wit-ls one process':>19} {'per package':>12} {'peak memory':>12}"
          f" {'wasm-tools (extrapolated)':>26} {'ratio':>6}")
    with tempfile.TemporaryDirectory(prefix="wit-ls-many-") as tmp:
        where = Path(tmp)
        per_package_reference = None
        for count in sizes:
            top = generate(where, count, deps, minor)
            elapsed, peak, code = run_measured([*ours, "check", "--format", "json", str(top)],
                                               where)
            if code != 0:
                print(f"wit-ls check failed with exit code {code} on {count} packages")
                return 1
            if per_package_reference is None and reference is not None:
                roots = sorted(top.iterdir())[: args.sample]
                started = time.perf_counter()
                for root in roots:
                    subprocess.run([reference, "component", "wit", str(root / "wit")],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   check=False)
                per_package_reference = (time.perf_counter() - started) / len(roots)
            theirs = per_package_reference * count if per_package_reference else float("nan")
            print(f"{count:>9} {elapsed:>17.2f} s {elapsed / count * 1000:>9.2f} ms "
                  f"{peak:>9.0f} MB {theirs:>24.2f} s {elapsed / theirs:>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
