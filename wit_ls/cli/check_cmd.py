"""``wit-ls check``: every diagnostic of every package under the given paths, with a code
frame each (text) or as one JSON array (LSP-style ranges: 0-based lines, UTF-16 columns).

Exit 1 when there is any error, 0 otherwise, 2 on usage, configuration and input errors (a
missing path, a folder without ``.wit`` files, a file that is binary or not UTF-8).

Each root's rendered result is kept in the result cache (:mod:`wit_ls.host.result_cache`) and
reused while every file and folder the analysis looked at is unchanged; a cached run imports
nothing of the model.
"""

from __future__ import annotations

import functools
import gc
import os
import sys
from types import SimpleNamespace

from wit_ls.cli.files import INPUT_ERROR_CODES, NO_SUCH_PATH, error, no_wit_files
from wit_ls.cli.project import project_config
from wit_ls.host.disk import DiskFileSystem
from wit_ls.host.result_cache import ResultCache, cache_dir

TYPE_CHECKING = False  # not typing's: see wit_ls.light_typing
if TYPE_CHECKING:
    import argparse
    from typing import cast

    from wit_ls.lint.config import LintConfig
    from wit_ls.model.fs import FileSystem
    from wit_ls.model.loader import FileCache
    from wit_ls.model.options import Options
    from wit_ls.syntax import Diagnostic, SyntaxTree
else:
    from wit_ls.light_typing import cast


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="package directories, .wit files, or folders to search for packages "
                             "(default: wit/ if present, else .)")
    add_feature_arguments(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="output format (default: text)")
    parser.add_argument("--no-cache", action="store_true",
                        help="analyse every package again instead of reusing results stored "
                             "for unchanged inputs (also: WIT_LS_NO_CACHE=1)")
    parser.add_argument("--jobs", type=_positive, default=None, metavar="N",
                        help="processes a check may use: packages of deps/ a root does not "
                             "reach, or slices of many roots, are checked in forked processes "
                             "(1: one process; default: WIT_LS_JOBS, else the CPUs available)")


def _positive(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"not a positive integer: {text!r}")
    return value


_SWITCHES = {"--no-cache": "no_cache", "--all-features": "all_features",
             "--no-manifest-deps": "no_manifest_deps"}


def quick_args(argv: list[str]) -> argparse.Namespace | None:
    """The arguments of ``wit-ls check`` (after the command name) read without argparse, as
    argparse reads them (see :func:`add_arguments`), when they are only paths, the switches and
    ``--features X`` / ``--format text|json``, with the paths in one run; None for anything
    else (``--help``, ``--opt=value``, abbreviations, a misplaced path, a mistake), which
    argparse then reads and reports."""
    args = SimpleNamespace(command="check", paths=[], features=[], all_features=False,
                           no_manifest_deps=False, format="text", no_cache=False, jobs=None)
    paths_ended = False
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg in _SWITCHES:
            setattr(args, _SWITCHES[arg], True)
            paths_ended = paths_ended or bool(args.paths)
        elif arg in ("--features", "--format", "--jobs"):
            index += 1
            if index == len(argv) or argv[index].startswith("-"):
                return None
            if arg == "--features":
                args.features.append(argv[index])
            elif arg == "--jobs":
                if not argv[index].isdecimal() or int(argv[index]) < 1:
                    return None
                args.jobs = int(argv[index])
            elif argv[index] in ("text", "json"):
                args.format = argv[index]
            else:
                return None
            paths_ended = paths_ended or bool(args.paths)
        elif arg.startswith("-") or paths_ended:
            return None  # (argparse takes the paths as one run: a second one is an error)
        else:
            args.paths.append(arg)
        index += 1
    return cast("argparse.Namespace", args)


def add_feature_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--features", action="append", default=[], metavar="A,B",
                        help="enable @unstable features (comma-separated or repeated)")
    parser.add_argument("--all-features", action="store_true",
                        help="enable every @unstable feature")
    parser.add_argument("--no-manifest-deps", action="store_true",
                        help="do not resolve missing packages through deps.toml / wkg.toml "
                             "path entries (wasm-tools behaviour)")


def options_from(args: argparse.Namespace, config: LintConfig | None = None) -> Options:
    """Model options from the command line, on top of the configuration file's ``features``."""
    from wit_ls.model.options import Options

    features = frozenset(f.strip() for group in args.features for f in group.split(",")
                         if f.strip())
    all_features = bool(args.all_features)
    if config is not None:
        features |= config.features
        all_features = all_features or config.all_features
    return Options(features, all_features, not args.no_manifest_deps)


def project_options(args: argparse.Namespace, paths: list[str]) -> Options:
    """:func:`options_from` on top of the configuration file that applies to ``paths`` (exits
    with code 2 on a broken file)."""
    return options_from(args, project_config(paths))


def _has_wit(path: str) -> bool:
    try:
        return any(n.endswith(".wit") and os.path.isfile(os.path.join(path, n))
                   for n in os.listdir(path))
    except OSError:
        return False


def find_roots(paths: list[str]) -> tuple[list[str], list[str]]:
    """Package roots under ``paths`` and problems (a missing path, a folder without ``.wit``
    files), each a message for :func:`wit_ls.cli.files.error`."""
    roots: list[str] = []
    problems: list[str] = []
    if not paths:
        paths = ["wit"] if os.path.isdir("wit") else ["."]
    for raw in paths:
        if os.path.isfile(raw):
            roots.append(raw)
        elif os.path.isdir(raw):
            if _has_wit(raw):
                roots.append(raw)
                continue
            found = []
            for current, dirs, _files in os.walk(raw):
                dirs.sort()
                dirs[:] = [d for d in dirs if d != "deps" and not d.startswith(".")]
                if _has_wit(current):
                    found.append(current)
            if not found:
                problems.append(no_wit_files(raw))
            roots.extend(found)
        else:
            problems.append(f"{raw}: {NO_SUCH_PATH}")
    return roots, problems


def _frame(tree: SyntaxTree | None, diag: Diagnostic) -> list[str]:
    if tree is None:
        first = f"{diag.path}: {diag.severity.label}[{diag.code}]: {diag.message}"
        note = diag.data.get("help") if diag.data else None
        return [first, f"  = help: {note}"] if isinstance(note, str) else [first]
    index = tree.line_index
    line, col = index.position(diag.start, "utf-32")
    end_line, end_col = index.position(diag.end, "utf-32")
    head, *rest = diag.message.splitlines() or [""]
    out = [f"{diag.severity.label}[{diag.code}]: {head}"]
    out.extend(f"  {r}" for r in rest)
    gutter = len(str(line + 1))
    out.append(f"{' ' * gutter}--> {diag.path}:{line + 1}:{col + 1}")
    text = index.line_text(line).decode("utf-8", "replace").replace("\t", " ")
    width = (end_col - col) if end_line == line else max(1, len(text) - col)
    text, col = _excerpt(text, col)
    width = max(1, min(width, len(text) - col))
    out.append(f"{' ' * gutter} |")
    out.append(f"{line + 1} | {text}")
    out.append(f"{' ' * gutter} | {' ' * col}{'^' * width}")
    help_text = diag.data.get("help") if diag.data else None
    if isinstance(help_text, str):
        out.append(f"{' ' * gutter} = help: {help_text}")
    return out


_EXCERPT = 100  # the most columns of a source line a code frame shows


def _excerpt(text: str, col: int) -> tuple[str, int]:
    """At most ``_EXCERPT`` columns of ``text`` around ``col`` (marked with ``...`` where cut),
    control characters shown as U+FFFD, and the caret column within the excerpt."""
    text = "".join("\ufffd" if ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 else c for c in text)
    if len(text) <= _EXCERPT:
        return text, col
    start = max(0, min(col - _EXCERPT // 4, len(text) - _EXCERPT))
    piece = text[start:start + _EXCERPT]
    prefix = "..." if start else ""
    suffix = "..." if start + _EXCERPT < len(text) else ""
    return prefix + piece + suffix, col - start + len(prefix)


def _json_entry(tree: SyntaxTree | None, d: Diagnostic) -> dict[str, object]:
    if tree is not None:
        sl, sc = tree.line_index.position(d.start, "utf-16")
        el, ec = tree.line_index.position(d.end, "utf-16")
    else:
        sl = sc = el = ec = 0
    entry: dict[str, object] = {
        "path": d.path,
        "range": {"start": {"line": sl, "character": sc},
                  "end": {"line": el, "character": ec}},
        "severity": d.severity.label, "code": d.code, "message": d.message}
    if d.data and isinstance(d.data.get("help"), str):
        entry["help"] = d.data["help"]
    return entry


# One rendered diagnostic: where it sorts, what deduplicates it across roots, whether it is an
# error, whether it is an input error, and its code frame lines (text) or JSON object.
Rendered = tuple[tuple[str, int, int], tuple[str, int, int, str, str], bool, bool, object]


# What a check of one package root analysed, kept after `run` returns (until the next check):
# freeing a package's trees and resolved items costs about 1% of the check, and `wit-ls` ends
# the process at once after a command (see `wit_ls.cli.entry`). A run over many roots keeps
# nothing: each root's analysis is freed once rendered, so that its memory stays bounded.
KEPT: list[object] = []


def _check_root(fs: FileSystem, root: str, options: Options, files: FileCache,
                as_json: bool) -> list[Rendered]:
    """Analyse one package root and render its diagnostics (plain data, so it can be cached)."""
    from wit_ls.model.api import analyze
    from wit_ls.syntax import Severity

    analysis = analyze(fs, [root], options, files)
    if KEPT:
        KEPT.append(analysis)
    out: list[Rendered] = []
    for d in analysis.diagnostics:
        tree = analysis.files.get(d.path)
        rendered = _json_entry(tree, d) if as_json else _frame(tree, d)
        out.append(((d.path, d.start, d.end), (d.path, d.start, d.end, d.message, d.code),
                    d.severity == Severity.ERROR, d.code in INPUT_ERROR_CODES, rendered))
    return out


# Many package roots are shared among processes only when each gets at least this many (a
# fork costs about what checking a small package does).
MIN_ROOTS_PER_PROCESS = 4


def run(args: argparse.Namespace) -> int:
    roots, problems = find_roots(list(args.paths))
    for problem in problems:
        error(problem)
    if problems and not roots:
        return 2
    options = project_options(args, roots)
    # One package root at a time, each analysis dropped once its diagnostics are rendered, so
    # that a monorepo of thousands of packages runs in bounded memory; parsed files are shared
    # between roots by content (packages that vendor the same deps/ parse them once) in a
    # bounded cache. Documentation plays no part in a check's verdict: skip cleaning it. Roots
    # are reported in the order given and each root's diagnostics in the analysis' order
    # (wit-parser's), so the first error listed for a root is the one wasm-tools would report.
    fs = DiskFileSystem()
    files: list[FileCache] = []
    as_json = args.format == "json"
    results = ResultCache(None if args.no_cache else cache_dir())
    option_key = (tuple(sorted(options.features)), options.all_features, options.manifest_deps)
    cwd = os.getcwd()

    # One root may be checked in several processes (its independent package groups, see
    # wit_ls.cli.check_split); many roots are cut into slices, the later ones checked in
    # forked processes (wit_ls.cli.forked).
    from wit_ls.cli.check_split import idle_cpu_likely, job_count, jobs_given

    jobs = job_count(args.jobs)
    # One root is split when more than one job is asked for, or by default when a CPU is
    # likely idle (on a busy machine the split is slower than a serial check).
    split_one = jobs > 1 and len(roots) == 1
    split_always = jobs_given(args.jobs)

    KEPT.clear()

    def work(recording: FileSystem, *, root: str) -> list[Rendered]:
        if not files:
            from wit_ls.model.loader import SharedFileCache

            files.append(SharedFileCache(docs=False, budget=4 << 20,
                                         share_resolutions=len(roots) > 1, comments=False))
            if len(roots) == 1:
                KEPT.append(files[0])
        if split_one and (split_always or idle_cpu_likely(jobs)):
            from wit_ls.cli.check_split import clean_by_split
            from wit_ls.model.fs import MemoFileSystem

            recording = MemoFileSystem(recording)
            if clean_by_split(recording, root, options, files[0], jobs):
                return []
        return _check_root(recording, root, options, files[0], as_json)

    # With the collector off (`wit-ls` runs a check so: one package root needs no collection),
    # a run over many roots collects between them, so that its memory stays bounded: the
    # young objects (the last root's garbage) after each root, everything every 16 roots.
    collect_between = not gc.isenabled()

    def check_roots(some: list[str]) -> list[list[Rendered]]:
        out: list[list[Rendered]] = []
        for index, root in enumerate(some):
            if index and collect_between:
                gc.collect(2 if index % 16 == 0 else 0)
            key = ("check", cwd, root, option_key, as_json)
            out.append(results.compute(fs, key, functools.partial(work, root=root)))
        return out

    parts = min(jobs, len(roots) // MIN_ROOTS_PER_PROCESS)
    if parts > 1:
        from wit_ls.cli.check_split import can_fork

        parts = parts if can_fork() else 1
    if parts > 1:
        from wit_ls.cli.forked import map_in_processes

        per_root = map_in_processes(roots, parts, check_roots)
    else:
        per_root = check_roots(roots)
    rendered: list[tuple[tuple[str, int, int], object]] = []
    seen: set[tuple[str, int, int, str, str]] = set()
    errors = total = 0
    input_error = bool(problems)
    for found in per_root:
        for where, dedupe, is_error, is_input, shown in found:
            if dedupe in seen:
                continue
            seen.add(dedupe)
            total += 1
            errors += is_error
            input_error = input_error or is_input
            rendered.append((where, shown))
    results.finish()
    if as_json:
        import json

        print(json.dumps([entry for _, entry in rendered], indent=2))
    else:
        lines: list[str] = []
        for _, frame in rendered:
            lines.extend(cast("list[str]", frame))
            lines.append("")
        lines.append(f"{errors} error(s), {total - errors} other diagnostic(s) in {len(roots)} "
                     f"package root(s)")
        sys.stdout.write("\n".join(lines) + "\n")
    if input_error:
        return 2
    return 1 if errors else 0
