"""Where the time of one ``wit-ls check --no-cache`` goes, phase by phase.

    python bench/check_phases.py [--runs 15] [ROOT ...]

For each package root (by default wasi-http and the largest real packages of
../shared/corpus/real, see ``largest_roots``), every file the check reads (the root and its
``deps/``) is put through each phase on its own, in this process, best CPU time of N runs:

* parse: tree-sitter; and as a check parses (stepping over runs of line comments, see
  `wit_ls.syntax.skip_comments`);
* syntax checks: the per-file checks behind ``SyntaxTree.diagnostics`` (encoding, syntax
  errors, lexical checks, structure, wit-parser's first error when there is an error);
* lowering: trees to items, without documentation (as ``check`` lowers);
* doc cleaning: what lowering with documentation costs on top (an editor's lowering; a check
  skips it);
* resolution: the resolver over the loaded package (files already parsed and lowered);
* ordering and help: the rest of the analysis (wit-parser's error order, help notes);
* diagnostics rendering: the code frames of the diagnostics found;
* whole check in process: ``wit_ls.cli.main(["check", "--no-cache", ...])``, all of the above
  plus reading the files.

Then the start-up of a fresh process (``python -S``, the package on an explicit path as an
installed copy runs it): the interpreter alone, the standard-library modules ``check`` loads,
and wit_ls with tree_sitter, each the best wall time of N processes.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import _paths  # noqa: F401
from _timing import best
from support.oracle import corpus_dir

WASI_HTTP = "WebAssembly__wasi-http/wit"


def wit_lines(root: Path) -> tuple[int, int]:
    """Lines and bytes of the ``.wit`` files of a root with its ``deps/``."""
    lines = size = 0
    for current, _dirs, files in os.walk(root, followlinks=True):
        for name in files:
            if name.endswith(".wit"):
                data = (Path(current) / name).read_bytes()
                lines += data.count(b"\n")
                size += len(data)
    return lines, size


def largest_roots(real: Path, count: int = 1) -> list[str]:
    """The ``count`` package roots of the real corpus (verdicts.tsv) with the most lines,
    dependencies included."""
    from support.oracle import read_tsv

    dirs = [r["path"] for r in read_tsv(real / "verdicts.tsv") if r["input_kind"] == "dir"]
    return sorted(dirs, key=lambda d: -wit_lines(real / d)[0])[:count]


def phases(root: str, runs: int) -> list[tuple[str, float]]:
    from wit_ls.cli import main
    from wit_ls.cli.check_cmd import _frame
    from wit_ls.host.disk import DiskFileSystem
    from wit_ls.model import lower as lower_module
    from wit_ls.model.api import analyze
    from wit_ls.model.loader import FileCache, load_root
    from wit_ls.model.lower import lower
    from wit_ls.model.options import Options
    from wit_ls.model.resolver import Resolver
    from wit_ls.syntax import parse
    from wit_ls.syntax.skip_comments import parse_skipping_comments

    fs = DiskFileSystem()
    options = Options(manifest_deps=False)
    warm = FileCache(docs=False)
    load = load_root(fs, root, warm, False)
    sources = [(path, s.data) for path, s in load.files.items()]

    def fresh_trees() -> list[object]:
        return [parse(data) for _, data in sources]

    parsed = [(path, parse(data)) for path, data in sources]
    t_parse = best(fresh_trees, runs)
    t_parse_check = best(lambda: [parse_skipping_comments(data) for _, data in sources], runs)

    def syntax() -> None:
        for _, data in sources:
            _ = parse(data).diagnostics

    t_syntax = best(syntax, runs) - t_parse
    t_lower = best(lambda: [lower(tree, "", False) for _, tree in parsed], runs)
    t_docs = best(lambda: [lower(tree, "", True) for _, tree in parsed], runs) - t_lower

    def resolve() -> None:
        Resolver(load, options.features, options.all_features).run()

    t_resolve = best(resolve, runs)
    # analyze() on files already parsed, lowered and checked: resolution + ordering + help.
    for source in load.files.values():
        _ = source.tree.diagnostics
    t_analyze = best(lambda: analyze(fs, [root], options, warm), runs)
    analysis = analyze(fs, [root], options, warm)
    t_render = best(lambda: [_frame(analysis.files.get(d.path), d)
                             for d in analysis.diagnostics], runs)

    def whole() -> None:
        lower_module._PREVIOUS.clear()  # (no reuse of the last run's lowering: a fresh process)
        with contextlib.redirect_stdout(io.StringIO()):
            main(["check", "--no-cache", "--no-manifest-deps", root])

    t_whole = best(whole, runs)
    return [
        ("files", len(sources)),
        ("diagnostics", len(analysis.diagnostics)),
        ("parse", t_parse),
        ("parse as a check does (comment runs stepped over)", t_parse_check),
        ("syntax checks", t_syntax),
        ("lowering (no docs)", t_lower),
        ("doc cleaning (editor only)", t_docs),
        ("resolution", t_resolve),
        ("ordering and help", max(0.0, t_analyze - t_resolve)),
        ("diagnostics rendering", t_render),
        ("whole check in process", t_whole),
    ]


PROBE = """
import sys, time
started = time.perf_counter()
stdlib = {stdlib!r}
ours = {ours!r}
for name in stdlib:
    __import__(name)
middle = time.perf_counter()
sys.path[:0] = {paths!r}
for name in ours:
    __import__(name)
print(middle - started, time.perf_counter() - middle)
"""

LOADED = """
import sys, io, contextlib
sys.path[:0] = sys.argv[2:]
before = set(sys.modules)
from wit_ls.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    main(["check", "--no-cache", "--no-manifest-deps", sys.argv[1]])
print(" ".join(m for m in sys.modules if m not in before))
"""


def startup(root: str, runs: int) -> list[tuple[str, float]]:
    """Best wall time of a bare ``python -S``, of importing the standard-library modules a
    check loads, and of importing wit_ls and tree_sitter (in load order)."""
    import tree_sitter

    import wit_ls

    paths = [str(Path(wit_ls.__file__).resolve().parents[1]),
             str(Path(tree_sitter.__file__).resolve().parents[1])]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    loaded = subprocess.run([sys.executable, "-S", "-c", LOADED, root, *paths],
                            capture_output=True, text=True, check=True,
                            env=env).stdout.split()
    ours = [m for m in loaded if m.split(".")[0] in ("wit_ls", "tree_sitter")]
    stdlib = [m for m in loaded if m not in ours]
    probe = PROBE.format(stdlib=stdlib, ours=ours, paths=paths)
    bare = float("inf")
    std = mine = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-S", "-c", "pass"], check=True, env=env)
        bare = min(bare, time.perf_counter() - started)
        out = subprocess.run([sys.executable, "-S", "-c", probe], capture_output=True,
                             text=True, check=True, env=env).stdout.split()
        std, mine = min(std, float(out[0])), min(mine, float(out[1]))
    return [
        ("python -S start (wall)", bare * 1000),
        (f"standard library imports, {len(stdlib)} modules (wall)", std * 1000),
        (f"wit_ls + tree_sitter imports, {len(ours)} modules (wall)", mine * 1000),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("roots", nargs="*", help="package roots relative to the real corpus")
    args = parser.parse_args()
    real = corpus_dir("real")
    if real is None:
        print("needs ../shared/corpus/real", file=sys.stderr)
        return 2
    os.chdir(real)
    roots = args.roots or [WASI_HTTP, *largest_roots(real)]
    for root in roots:
        lines, size = wit_lines(real / root)
        print(f"{root}: {lines} lines, {size // 1024} KB with deps")
        for label, value in phases(root, args.runs):
            shown = f"{value:8.1f} ms" if isinstance(value, float) else f"{value:8d}"
            print(f"  {label:<52} {shown}")
    print("start-up of a fresh process (installed layout, bytecode as found):")
    for label, value in startup(roots[0], args.runs):
        print(f"  {label:<52} {value:8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
