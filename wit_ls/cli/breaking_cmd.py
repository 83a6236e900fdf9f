"""``wit-ls breaking``: what a new version of a WIT package breaks, compared with an older one.

    wit-ls breaking wit/ --against old/wit/
    wit-ls breaking wit/ --against origin/main

``--against`` is a file or folder when a path of that name exists, and otherwise a git revision
of the repository that holds PATH: the same path at that commit, read with ``git ls-tree`` and
``git cat-file`` (no checkout, the working tree untouched). Neither is a usage error (exit 2).
Without ``--against``, ``[breaking] against`` of the configuration file is used.

Both sides are resolved by the model (with their ``deps/``); every package present in both is
compared (``--package`` narrows it to one). Exit 1 when a finding reaches ``--fail-on``
(default: error, with the level names of ``wit-ls lint``), 2 when either side cannot be
resolved or ``--package`` names a package that is not there.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from wit_ls.breaking import CompareOptions, compare, describe, world_verdicts
from wit_ls.breaking.resolved import strip_version
from wit_ls.cli.check_cmd import find_roots
from wit_ls.cli.files import NO_SUCH_PATH, error, no_wit_files
from wit_ls.cli.lint_cmd import FAIL_LEVELS
from wit_ls.cli.project import project_config

# Breaking-change levels in the ranking of `wit-ls lint --fail-on` (smaller is more severe).
_RANK = {"error": FAIL_LEVELS["error"], "warning": FAIL_LEVELS["warning"],
         "info": FAIL_LEVELS["info"]}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", metavar="PATH", help="the new version: a package folder or file")
    parser.add_argument(
        "--against", metavar="OLD",
        help="the old version: a package folder or file, or (when no such path exists) a git "
        "revision of the repository holding PATH, such as HEAD, a tag or origin/main "
        "(default: `[breaking] against` of the configuration file)",
    )
    parser.add_argument(
        "--package",
        metavar="NS:NAME",
        help="compare only this package (default: every package present in both versions, "
        "dependencies included)",
    )
    parser.add_argument(
        "--perspective",
        choices=["importer", "exporter", "both"],
        default="both",
        help="whose code must keep working: callers (importer), implementers "
        "(exporter) or both (default)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="report link breaks as errors even across a major version bump",
    )
    parser.add_argument(
        "--include-unstable", action="store_true", help="also compare items gated by @unstable"
    )
    parser.add_argument(
        "--fail-on",
        choices=[*FAIL_LEVELS, "never"],
        default="error",
        help="the lowest level that makes the exit code 1",
    )
    parser.add_argument("--format", choices=["text", "json"], default="text",
                        help="output format (default: text)")
    parser.add_argument(
        "--features", default="", metavar="A,B", help="@unstable features to enable on both sides"
    )
    parser.add_argument("--all-features", action="store_true",
                        help="enable every @unstable feature on both sides")


def _locate(analysis: Any, index: Any, subject: tuple[str, ...]
            ) -> tuple[str, int, int] | None:
    """(path, line, column), 1-based, of the item a change is about, in the new version."""
    from wit_ls.breaking.locate import locate

    found = locate(index, subject)
    if found is None:
        return None
    symbol = found[0]
    tree = analysis.files.get(symbol.path)
    if tree is None:
        return symbol.path, 1, 1
    line, col = tree.line_index.position(symbol.selection[0], "utf-32")
    return symbol.path, line + 1, col + 1


def _options(path: Path, args: argparse.Namespace) -> Any:
    """Model options: the command line's features with those of the configuration file that
    applies to ``path`` (exits 2 on a broken configuration file)."""
    from wit_ls.model import Options  # type: ignore[attr-defined,unused-ignore]

    features = frozenset(f.strip() for f in args.features.split(",") if f.strip())
    all_features = bool(args.all_features)
    config = project_config([str(path)])
    if config is not None:
        features |= config.features
        all_features = all_features or config.all_features
    return Options(features=features, all_features=all_features, manifest_deps=True)


def _resolve(path: Path, args: argparse.Namespace) -> tuple[Any, list[str]]:
    """The analysis of a package on disk, or the errors that prevent it."""
    from wit_ls.host.disk import DiskFileSystem
    from wit_ls.model import analyze  # type: ignore[attr-defined,unused-ignore]

    if not path.exists():
        return None, [f"{path}: {NO_SUCH_PATH}"]
    if path.is_dir() and not find_roots([str(path)])[0]:
        return None, [no_wit_files(str(path))]
    analysis = analyze(DiskFileSystem(), [str(path)], _options(path, args))
    return _checked(analysis)


def _checked(analysis: Any) -> tuple[Any, list[str]]:
    errors = [f"{d.path}: {d.message}" for d in analysis.diagnostics if d.severity == 1]
    if errors:
        return None, errors
    return analysis, []


def _resolve_revision(new_path: Path, revision: str, args: argparse.Namespace
                      ) -> tuple[Any, list[str]] | str:
    """The analysis of ``new_path`` as it is at git ``revision`` of the repository that holds
    it, the errors that prevent it, or (a string) why ``revision`` is not a revision."""
    from wit_ls.host import git
    from wit_ls.model import analyze  # type: ignore[attr-defined,unused-ignore]
    from wit_ls.model.fs import MemoryFileSystem

    neither = f"--against {revision}: no such file or directory, and not a git revision"
    absolute = os.path.realpath(new_path)
    top = git.toplevel(absolute if os.path.isdir(absolute) else os.path.dirname(absolute))
    if top is None:
        return f"{neither} ({new_path} is not in a git repository)"
    commit = git.commit_of(top, revision)
    if commit is None:
        return f"{neither} of the repository at {top}"
    top = os.path.realpath(top)
    relative = os.path.relpath(absolute, top)
    old_root = top if relative == "." else os.path.join(top, relative)
    files = git.read_tree(top, commit, "")
    if not any(p == old_root or p.startswith(old_root.rstrip(os.sep) + os.sep) for p in files):
        return None, [no_wit_files(f"{revision}:{relative}")]
    analysis = analyze(MemoryFileSystem(files), [old_root], _options(new_path, args))
    return _checked(analysis)


def _sort_key(item: tuple[int, Any, tuple[str, int, int] | None]) -> tuple[object, ...]:
    index, _, where = item
    if where is None:
        return (1, "", 0, 0, index)
    return (0, where[0], where[1], where[2], index)


def run(args: argparse.Namespace) -> int:
    if args.against is None:
        config = project_config([args.path])  # exits 2 on a broken configuration file
        args.against = config.breaking_against if config is not None else None
        if args.against is None:
            return error("breaking: --against is needed (or `[breaking] against` in the "
                         "configuration file)")
    new_path, old_path = Path(args.path), Path(args.against)
    analyses = []
    for label, path in (("new", new_path), ("old", old_path)):
        if label == "old" and not os.path.lexists(path):
            found = _resolve_revision(new_path, args.against, args)
            if isinstance(found, str):
                return error(found)
            analysis, errors = found
            path = Path(f"{args.against}:{os.path.relpath(os.path.realpath(new_path))}")
        else:
            analysis, errors = _resolve(path, args)
        if analysis is None:
            print(
                f"wit-ls: error: the {label} version ({path}) does not resolve:",
                file=sys.stderr,
            )
            for line in errors[:20]:
                print(f"  {line}", file=sys.stderr)
            return 2
        analyses.append(analysis)
    new_analysis, old_analysis = analyses
    new_doc, old_doc = new_analysis.resolve_json(), old_analysis.resolve_json()
    package = args.package
    if package is not None:
        for label, doc in (("new", new_doc), ("old", old_doc)):
            names = {strip_version(str(p.get("name", ""))) for p in doc.get("packages", [])}
            if strip_version(package) not in names:
                print(
                    f"wit-ls: error: the {label} version has no package `{package}` "
                    f"(it has: {', '.join(sorted(names)) or 'none'})",
                    file=sys.stderr,
                )
                return 2
    options = CompareOptions(
        perspective=args.perspective, strict=args.strict, ignore_unstable=not args.include_unstable
    )
    changes = compare(old_doc, new_doc, package, options)
    verdicts = world_verdicts(old_doc, new_doc, package, options)
    from wit_ls.breaking.locate import SymbolIndex

    index = SymbolIndex(new_analysis.all_symbols())
    located = sorted(
        ((i, change, _locate(new_analysis, index, change.subject))
         for i, change in enumerate(changes)),
        key=_sort_key,
    )
    if args.format == "json":
        out = []
        for _, change, where in located:
            entry = describe(change)
            if where is not None:
                entry["path"], entry["line"], entry["column"] = where
            out.append(entry)
        worlds = [
            {
                "package": v.package,
                "world": v.world,
                "compatible": v.compatible,
                "breaks": [describe(c) for c in v.breaks],
            }
            for v in verdicts
        ]
        print(json.dumps({"changes": out, "worlds": worlds}, indent=2))
    else:
        for _, change, where in located:
            prefix = f"{where[0]}:{where[1]}:{where[2]}: " if where else ""
            print(f"{prefix}{change.level}[{change.rule.name}] {change.rule.id}: {change.message}")
        for v in verdicts:
            verdict = (
                "compatible"
                if v.compatible
                else f"not compatible ({len(v.breaks)} link-breaking change(s))"
            )
            print(f"world {v.package}/{v.world}: {verdict}")
        counts = {level: sum(1 for c in changes if c.level == level) for level in _RANK}
        print(
            f"{len(changes)} change(s): {counts['error']} error(s), "
            f"{counts['warning']} warning(s), {counts['info']} info"
        )
    if args.fail_on == "never":
        return 0
    threshold = FAIL_LEVELS[args.fail_on]
    return 1 if any(_RANK[c.level] <= threshold for c in changes) else 0
