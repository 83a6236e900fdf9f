"""Instructions of one ``wit-ls check --no-cache`` process against ``wasm-tools component wit``,
counted by valgrind (callgrind), which the other programs on a shared machine do not disturb.

    python bench/check_instructions.py [ROOT ...]

For wasi-http and the largest package of ../shared/corpus/real (or the roots given, relative
to it), as an installed copy runs (see ``check_speed.installed_copy``; bytecode compiled,
``PYTHONHASHSEED=0``):

* the floor every process pays before reading a file: ``python -S`` alone, then importing
  tree-sitter's binding (it imports ``re`` and ``enum`` itself), then every module a check
  loads;
* the whole check in one process (``--jobs 1``), and how much of it is tree-sitter's parser
  (``ts_parser_parse``, inclusive);
* the check split as it is by default on an idle machine with several CPUs (``--jobs`` the
  CPUs, at least 2: by default a root is split only when a CPU is likely idle, and valgrind's
  own load would decide that), which checks the packages the root does not reach in
  forked processes (see ``wit_ls.cli.check_split``): the instructions of the process itself
  (the path the wall time follows) and the children's own (counted from the fork on:
  callgrind zeroes a child's counts when CPython's ``PyOS_AfterFork_Child`` runs), and their
  sum, which is the CPU the split costs: it saves wall time, not instructions;
* ``wasm-tools component wit`` on the same root (the binary itself, see
  ``support.oracle.wasm_tools_binary``), and the ratio; and, when the ``wasm-tools`` on the
  path is the Python script of a pip-installed package, that script's own instructions
  (valgrind does not follow it into the binary).

Needs valgrind and wasm-tools.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import _paths  # noqa: F401
from check_phases import WASI_HTTP, largest_roots
from check_speed import installed_copy
from support.oracle import corpus_dir, wasm_tools, wasm_tools_binary

# The modules `wit-ls check` imports (wit_ls.cli.check_cmd imports the rest when it runs).
CHECK_MODULES = ("wit_ls.cli.check_cmd", "wit_ls.model.api", "wit_ls.model.resolver",
                 "wit_ls.model.worlds", "wit_ls.model.lower", "wit_ls.model.loader",
                 "wit_ls.model.checks", "wit_ls.syntax.skip_comments")


def instructions(cmd: list[str], cwd: Path, dump: Path | None = None) -> int:
    """Instructions callgrind counts for ``cmd`` (its own process)."""
    return processes(cmd, cwd, dump)[0]


def processes(cmd: list[str], cwd: Path, dump: Path | None = None) -> list[int]:
    """Instructions callgrind counts for ``cmd``: its own process first, then each process it
    forked, counted from the fork on (without the instructions it shares with its parent)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONHASHSEED"] = "0"
    out = str(dump) if dump is not None else "/dev/null"
    found = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                            "--zero-before=PyOS_AfterFork_Child", *cmd],
                           cwd=cwd, env=env, capture_output=True, text=True, check=False)
    first = re.search(r"==(\d+)==", found.stderr)
    counts = {int(pid): int(n) for pid, n in
              re.findall(r"==(\d+)== Collected : (\d+)", found.stderr)}
    if first is None or int(first.group(1)) not in counts:
        raise RuntimeError(found.stderr[-2000:])
    own = counts.pop(int(first.group(1)))
    return [own, *counts.values()]


def inclusive(dump: Path, function: str) -> int:
    """Inclusive instructions of ``function`` in a callgrind dump (0 when absent)."""
    shown = subprocess.run(["callgrind_annotate", "--inclusive=yes", str(dump)],
                           capture_output=True, text=True, check=False).stdout
    for line in shown.splitlines():
        if line.rstrip().endswith("]") and f":{function} [" in line:
            return int(line.split()[0].replace(",", ""))
    return 0


def main() -> int:
    real = corpus_dir("real")
    tool = wasm_tools()
    if real is None or tool is None or shutil.which("valgrind") is None:
        print("needs ../shared/corpus/real, wasm-tools and valgrind", file=sys.stderr)
        return 2
    roots = sys.argv[1:] or [WASI_HTTP, *largest_roots(real)]
    jobs = max(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 2)
    with tempfile.TemporaryDirectory() as tmp:
        command = installed_copy(Path(tmp))
        python, boot = command[:2], command[3]
        prefix = boot.split("; from wit_ls.cli")[0]
        # (One run first: bytecode of anything the compiled copy lacks is written.)
        subprocess.run([*command, "check", "--no-cache", "--no-manifest-deps", roots[0]],
                       cwd=real, capture_output=True, check=False)
        floor = [
            ("python -S alone", instructions([*python, "-c", "pass"], real)),
            ("+ tree-sitter's binding (with re, enum)",
             instructions([*python, "-c", f"{prefix}; import wit_ls.syntax.binding"], real)),
            ("+ every module a check imports",
             instructions([*python, "-c", f"{prefix}; import {', '.join(CHECK_MODULES)}"],
                          real)),
        ]
        print("start-up floor (instructions):")
        for label, count in floor:
            print(f"  {label:<48} {count / 1e6:8.1f}M")
        for root in roots:
            dump = Path(tmp) / "check.out"
            check = [*command, "check", "--no-cache", "--no-manifest-deps"]
            ours = instructions([*check, "--jobs", "1", root], real, dump)
            parsing = inclusive(dump, "ts_parser_parse")
            split = processes([*check, "--jobs", str(jobs), root], real)
            theirs = instructions([wasm_tools_binary(tool), "component", "wit", root], real)
            print(f"{root}:")
            print(f"  wit-ls check --jobs 1, whole process             {ours / 1e6:8.1f}M")
            print(f"    of which tree-sitter's parser                  {parsing / 1e6:8.1f}M")
            print(f"  wit-ls check --jobs {jobs}, its own process          {split[0] / 1e6:8.1f}M "
                  f"({split[0] / ours:.2f}x --jobs 1: the path the wall time follows)")
            print(f"    + {len(split) - 1} forked process(es), from the fork on      "
                  f"{sum(split[1:]) / 1e6:8.1f}M")
            print(f"    = every process                                {sum(split) / 1e6:8.1f}M "
                  f"({sum(split) / ours:.2f}x --jobs 1: CPU)")
            print(f"  wasm-tools component wit (the binary)            {theirs / 1e6:8.1f}M")
            print(f"  ratio (--jobs 1; --jobs {jobs}, own process)          {ours / theirs:8.2f}x "
                  f"{split[0] / theirs:.2f}x")
            if wasm_tools_binary(tool) != tool:
                # (What `check_speed.py` times: the script, then the binary in its subprocess.)
                script = instructions([tool, "component", "wit", root], real)
                print(f"  the Python script `{Path(tool).name}` on the path, alone "
                      f"{script / 1e6:8.1f}M (+ the binary's, in a child process)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
