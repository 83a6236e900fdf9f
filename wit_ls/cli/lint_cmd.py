"""``wit-ls lint``: best-practice rules over WIT files (see ``docs/rules.md``)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wit_ls.cli.files import INPUT_ERROR_CODES, error, iter_wit_files, read_bytes, warn

if TYPE_CHECKING:
    from wit_ls.model.fs import FileSystem

FAIL_LEVELS = {"error": 1, "warn": 2, "warning": 2, "info": 3, "hint": 4}


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from wit_ls.lint.config import PRESETS
    from wit_ls.lint.output import FORMATS

    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="files or folders to lint (default: the current folder)")
    parser.add_argument("--select", type=_csv, metavar="RULES",
                        help="only these rules (names, codes, code prefixes, categories, ALL)")
    parser.add_argument("--extend-select", type=_csv, default=[], metavar="RULES",
                        help="enable these rules on top of the preset")
    parser.add_argument("--ignore", type=_csv, default=[], metavar="RULES",
                        help="disable these rules")
    parser.add_argument("--preset", choices=PRESETS, help="rule preset (default: recommended)")
    parser.add_argument("--config", metavar="FILE",
                        help="use this configuration file instead of the nearest one")
    parser.add_argument("--isolated", action="store_true",
                        help="ignore configuration files")
    parser.add_argument("--fix", action="store_true", help="apply safe fixes")
    parser.add_argument("--unsafe-fixes", action="store_true",
                        help="with --fix or --diff, also apply unsafe fixes")
    parser.add_argument("--add-suppressions", action="store_true",
                        help="suppress every current finding with a `wit-ls: ignore[...]` "
                             "comment where it is (a baseline for adopting wit-ls)")
    parser.add_argument("--diff", action="store_true",
                        help="print the fixes as a unified diff instead of writing them")
    parser.add_argument("--exit-zero", action="store_true",
                        help="exit 0 even when there are findings (2 is still returned on errors)")
    parser.add_argument("--fail-on", choices=["error", "warn", "warning", "info", "hint"],
                        default="warn",
                        help="lowest level that makes the exit code 1 (default: warn)")
    parser.add_argument("--statistics", action="store_true",
                        help="print counts per rule instead of each finding")
    parser.add_argument("--output-format", "-f", choices=FORMATS,
                        default=os.environ.get("WIT_LS_OUTPUT_FORMAT", "full"),
                        help="output format (default: full)")
    parser.add_argument("--output-file", "-o", metavar="FILE", help="write the output here")
    parser.add_argument("--features", type=_csv, default=[], metavar="A,B",
                        help="@unstable features to enable")
    parser.add_argument("--all-features", action="store_true", help="enable every feature")
    parser.add_argument("--include-deps", action="store_true",
                        help="also lint files under deps/ folders (excluded by default)")
    parser.add_argument("--no-model", action="store_true",
                        help="analyse each package without its deps/ (names into them stay "
                             "unresolved; only syntax errors of the checker are reported)")


class _Failure(Exception):
    pass


class _Edited:
    """The disk with some files' texts replaced (the model's ``FileSystem``), for analysing a
    package between rounds of fixes that are not written yet."""

    def __init__(self, disk: FileSystem, texts: dict[str, bytes]) -> None:
        self._disk = disk
        self._texts = texts

    def read_bytes(self, path: str) -> bytes:
        text = self._texts.get(path)
        return text if text is not None else self._disk.read_bytes(path)

    def list_dir(self, path: str) -> list[str]:
        return self._disk.list_dir(path)

    def is_dir(self, path: str) -> bool:
        return self._disk.is_dir(path)

    def is_file(self, path: str) -> bool:
        return path in self._texts or self._disk.is_file(path)


def run(args: argparse.Namespace) -> int:
    from wit_ls.lint.config import ConfigError

    try:
        return _run(args)
    except ConfigError as err:
        return error(f"configuration error: {err}")
    except _Failure as err:
        print(f"wit-ls: error: {err}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    from wit_ls.host.disk import DiskFileSystem
    from wit_ls.lint.config import DEFAULT_EXCLUDE, LintConfig, find_config, load_config
    from wit_ls.lint.engine import INTERNAL_ERROR, lint_package
    from wit_ls.lint.fixes import apply_fix_groups, select_fixes
    from wit_ls.lint.output import Entry, render, statistics, summary
    from wit_ls.lint.registry import RULES_BY_NAME
    from wit_ls.syntax import Severity, SyntaxTree, parse

    disk = DiskFileSystem()
    explicit_config: LintConfig | None = None
    if args.config:
        if not Path(args.config).is_file():
            raise _Failure(f"--config {args.config}: no such file")
        explicit_config = load_config(Path(args.config).resolve().as_posix(), disk)
    configs: dict[str, LintConfig] = {}  # by resolved folder
    folder_configs: dict[str, LintConfig] = {}  # by folder as given
    with_options: dict[str, LintConfig] = {}  # by folder as given, command line applied

    def base_config(path: Path) -> LintConfig:
        if explicit_config is not None:
            return explicit_config
        if args.isolated:
            return LintConfig()
        given = str(path.parent)
        known = folder_configs.get(given)
        if known is not None:
            return known
        folder = str(path.parent.resolve())
        if folder not in configs:
            found = find_config(Path(folder).as_posix(), disk)
            configs[folder] = load_config(found, disk) if found is not None else LintConfig()
        folder_configs[given] = configs[folder]
        return configs[folder]

    def config_of(path: Path) -> LintConfig:
        given = str(path.parent)
        known = with_options.get(given)
        if known is None:
            known = with_options[given] = base_config(path).with_overrides(
                preset=args.preset, select=args.select, extend_select=args.extend_select,
                ignore=args.ignore,
            )
        return known

    # ---- collect files, grouped by package folder ------------------------------------------
    paths = args.paths or ["."]
    packages: dict[str, list[tuple[str, Path]]] = {}
    problems = False
    for raw in paths:
        given = Path(raw)
        for display, path, problem in iter_wit_files([raw]):
            if problem is not None or path is None:
                error(f"{display}: {problem}")
                problems = True
                continue
            if path != given and not args.include_deps:
                inside = path.relative_to(given).parts[:-1] if given.is_dir() else ()
                if "deps" in inside:
                    continue
                cfg = base_config(path)
                if cfg.exclude != DEFAULT_EXCLUDE and cfg.excluded(path.resolve().as_posix()):
                    continue
            packages.setdefault(str(path.parent), []).append((display, path))

    # As for `wit-ls check`: rules read documentation from the syntax tree, not the model's
    # items, so the model skips cleaning it; a bounded cache shares dependencies' files by
    # content (packages that vendor the same deps/ parse them once). Dependencies' resolutions
    # are recorded for replay only when something can replay them: a second package, or the
    # analysis again after fixes (recording cost a lint of the largest real package 7%).
    from wit_ls.model.loader import SharedFileCache

    model_cache = SharedFileCache(docs=False, budget=4 << 20,
                                  share_resolutions=len(packages) > 1 or args.fix or args.diff)

    def analysis_for(folder: str, cfg: LintConfig,
                     edited: dict[str, SyntaxTree] | None = None) -> Any:
        """The model over one package folder (with ``edited`` texts in place of the disk's,
        after fixes). Parsed files are shared between folders by the model's file cache; one
        root per analysis keeps its lookups to that root."""
        if args.no_model:
            return None
        try:
            from wit_ls.model import Options, analyze

            options = Options(features=frozenset(args.features) | cfg.features,
                              all_features=args.all_features or cfg.all_features)
            fs = disk if not edited else _Edited(disk, {p: t.source for p, t in edited.items()})
            return analyze(fs, [Path(folder).resolve().as_posix()], options, model_cache)
        except ImportError:
            return None
        except Exception as err:  # the model must not stop the linter
            warn(f"{folder}: semantic model failed ({type(err).__name__}: {err}); linting "
                 "without it")
            return None

    entries: list[Entry] = []
    all_files: list[str] = []
    internal = False
    fixed_total = 0
    suppressed_total = 0
    diff_chunks: list[str] = []
    fail_threshold = FAIL_LEVELS[args.fail_on]

    for folder, members in packages.items():
        cfg_by_path = {display: config_of(path) for display, path in members}
        first_cfg = cfg_by_path[members[0][0]]
        analysis = analysis_for(folder, first_cfg)
        trees: dict[str, SyntaxTree] = {}
        sources: dict[str, bytes] = {}
        keys: dict[str, str] = {}  # display -> path the model knows
        # The model's paths: the resolved folder joined with each file's name.
        real_folder = Path(folder).resolve().as_posix()
        for display, path in members:
            model_key = f"{real_folder.rstrip('/')}/{path.name}"
            tree = analysis.files.get(model_key) if analysis is not None else None
            if tree is None:
                data, reason = read_bytes(path)
                if data is None:
                    error(f"{display}: {reason}")
                    problems = True
                    continue
                tree = parse(data)
            keys[display] = model_key if analysis is not None else display
            trees[keys[display]] = tree
            sources[display] = tree.source
        # Files of the same package that were not asked for still give context (a `use` in
        # one file may be what another file's interface re-exports); they are not reported.
        asked = {path.name for _d, path in members}
        for sibling in sorted(Path(folder).glob("*.wit")):
            if sibling.name in asked or not sibling.is_file():
                continue
            skey = f"{real_folder.rstrip('/')}/{sibling.name}"
            tree = analysis.files.get(skey) if analysis is not None else None
            if tree is None:
                data, _reason = read_bytes(sibling)
                if data is None:
                    continue
                tree = parse(data)
            trees[skey if analysis is not None else str(sibling)] = tree
        levels = {}
        for display, _path in members:
            if display in keys:
                levels[keys[display]] = cfg_by_path[display].effective_levels(
                    RULES_BY_NAME, f"{real_folder.rstrip('/')}/{_path.name}")
        options = first_cfg.options
        features = first_cfg.features
        results = lint_package(trees, levels, analysis=analysis, options=options,
                               features=features)

        current = dict(trees)
        if args.add_suppressions:
            from wit_ls.lint import add_suppressions

            for display, _path in members:
                key = keys.get(display)
                if key is None or not results.get(key):
                    continue
                others = {p: t for p, t in current.items() if p != key}
                new, count = add_suppressions(current[key].source, key, cfg_by_path[display],
                                              package_trees=others, analysis=analysis)
                if count:
                    suppressed_total += count
                    current[key] = parse(new)
                    try:
                        _path.write_bytes(new)
                    except OSError as err:
                        raise _Failure(f"{display}: cannot write: {err}") from err
            if suppressed_total:  # the model saw the old text: analyse the new one
                analysis = analysis_for(folder, first_cfg, current)
                results = lint_package(current, levels, analysis=analysis,
                                       options=options, features=features)
        if args.fix or args.diff:
            # Rounds over the whole package: a fix in one file can change another file's
            # findings (a `use` it no longer needs, a gate it now needs), so every round
            # lints all files again with the others' fixed text.
            for _round in range(10):
                changed = False
                for fixing in levels:
                    groups = select_fixes(results.get(fixing, []), args.unsafe_fixes)
                    if not groups:
                        continue
                    before = current[fixing].source
                    new, count = apply_fix_groups(before, groups)
                    if count == 0 or new == before:
                        continue
                    fixed_total += count
                    current[fixing] = parse(new)
                    changed = True
                if not changed:
                    break
                # The model of the fixed text: what the findings and the checker's errors
                # reported below are about.
                analysis = analysis_for(folder, first_cfg, current)
                results = lint_package(current, levels, analysis=analysis,
                                       options=options, features=features)
            for display, _path in members:
                key = keys.get(display)
                if key is None or current[key].source == sources[display]:
                    continue
                source = current[key].source
                if args.diff:
                    import difflib

                    diff_chunks.append("".join(difflib.unified_diff(
                        sources[display].decode("utf-8", "replace").splitlines(True),
                        source.decode("utf-8", "replace").splitlines(True),
                        fromfile=f"a/{display}", tofile=f"b/{display}")))
                else:
                    try:
                        _path.write_bytes(source)
                    except OSError as err:
                        raise _Failure(f"{display}: cannot write: {err}") from err

        for display, _path in members:
            key = keys.get(display)
            if key is None:
                continue
            all_files.append(display)
            tree = current[key]
            # What `wit-ls check` says about the file as it is now (after fixes: the analysis
            # is of the fixed text; syntax and semantic errors, its notes left out): a package
            # that does not pass the checker does not pass lint.
            checked = analysis.diagnostics_for(key) if analysis is not None else tree.diagnostics
            checker = [d.with_path(display) for d in checked
                       if d.severity in (Severity.ERROR, Severity.WARNING)]
            for diag in [*checker, *results.get(key, [])]:
                if diag.code == INTERNAL_ERROR:
                    internal = True
                if diag.code in INPUT_ERROR_CODES:
                    problems = True  # not WIT text: an input error (exit 2), as in `check`
                entries.append(Entry(display, tree.line_index, diag))
        # This package's findings are kept; its analysis goes before the next one is made, so
        # that a run over thousands of packages holds one at a time.
        del analysis, results

    entries.sort(key=lambda e: (e.path, e.diagnostic.start, e.diagnostic.end, e.diagnostic.code))

    if args.diff:
        text = "".join(diff_chunks)
        _write(args, text)
        return 2 if internal or problems else (1 if text and not args.exit_zero else 0)
    if args.statistics:
        output = statistics(entries)
    else:
        output = render(entries, args.output_format, files=all_files)
        if args.output_format in ("full", "concise") and (entries or not problems):
            # (No "All checks passed!" when some input could not be read at all.)
            output += summary(entries)
            if args.fix and fixed_total:
                output += f"Fixed {fixed_total} problem{'s' if fixed_total != 1 else ''}.\n"
            if suppressed_total:
                output += (f"Added {suppressed_total} suppression"
                           f"{'s' if suppressed_total != 1 else ''}.\n")
    _write(args, output)
    if internal or problems:
        return 2
    if args.exit_zero:
        return 0
    failing = any(int(e.diagnostic.severity) <= fail_threshold for e in entries)
    return 1 if failing else 0


def _write(args: argparse.Namespace, text: str) -> None:
    if args.output_file:
        try:
            Path(args.output_file).write_text(text, "utf-8", "surrogateescape")
        except OSError as err:
            raise _Failure(f"cannot write {args.output_file}: {err}") from err
    else:
        sys.stdout.write(text)

