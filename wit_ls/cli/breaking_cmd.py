"""``wit-ls breaking``: what a new version of a WIT package breaks, compared with an older one.

    wit-ls breaking wit/ --against old/wit/

Both sides are resolved by the model (with their ``deps/``); the package compared is the one
whose header is in the root folder (or ``--package``). Exit 1 when a finding reaches
``--fail-on`` (default: error), 2 when either side cannot be resolved.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from wit_ls.breaking import CompareOptions, compare, describe
from wit_ls.cli.files import read_bytes
from wit_ls.syntax import parse

_LEVELS = {"info": 0, "warning": 1, "error": 2}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", metavar="PATH", help="the new version: a package folder or file")
    parser.add_argument(
        "--against", required=True, metavar="PATH", help="the old version: a package folder or file"
    )
    parser.add_argument(
        "--package",
        metavar="NS:NAME",
        help="the package to compare (default: the root folder's package)",
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
        choices=["error", "warning", "info", "never"],
        default="error",
        help="the lowest level that makes the exit code 1",
    )
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument(
        "--features", default="", metavar="A,B", help="@unstable features to enable on both sides"
    )
    parser.add_argument("--all-features", action="store_true")


def _package_name(root: Path) -> str | None:
    files = sorted(root.glob("*.wit")) if root.is_dir() else [root]
    for file in files:
        data, _ = read_bytes(file)
        if data is None:
            continue
        tree = parse(data)
        for node in tree.root.named_children:
            if node.type == "package_decl":
                name = node.child_by_field_name("name")
                if name is not None:
                    text = tree.node_text(name)
                    return text.split("@", 1)[0].replace(" ", "")
    return None


def _resolve(path: Path, args: argparse.Namespace) -> tuple[dict[str, Any] | None, list[str]]:
    """The resolved JSON of a package, or the errors that prevent it."""
    try:
        from wit_ls.host.disk import DiskFileSystem
        from wit_ls.model import Options, analyze  # type: ignore[attr-defined,unused-ignore]
    except ImportError as err:  # pragma: no cover - only while the model is being built
        return None, [f"the semantic model is not available: {err}"]
    if not path.exists():
        return None, [f"{path}: no such file or directory"]
    features = frozenset(f.strip() for f in args.features.split(",") if f.strip())
    options = Options(features=features, all_features=args.all_features, manifest_deps=True)
    analysis = analyze(DiskFileSystem(), [str(path)], options)
    errors = [f"{d.path}: {d.message}" for d in analysis.diagnostics if d.severity == 1]
    if errors:
        return None, errors
    return analysis.resolve_json(), []


def run(args: argparse.Namespace) -> int:
    new_path, old_path = Path(args.path), Path(args.against)
    package = args.package or _package_name(new_path)
    if package is None:
        print(
            f"wit-ls breaking: error: no `package` header found in {new_path}; "
            "name the package with --package",
            file=sys.stderr,
        )
        return 2
    docs = []
    for label, path in (("new", new_path), ("old", old_path)):
        doc, errors = _resolve(path, args)
        if doc is None:
            print(
                f"wit-ls breaking: error: the {label} version ({path}) does not resolve:",
                file=sys.stderr,
            )
            for line in errors[:20]:
                print(f"  {line}", file=sys.stderr)
            return 2
        docs.append(doc)
    new_doc, old_doc = docs
    options = CompareOptions(
        perspective=args.perspective, strict=args.strict, ignore_unstable=not args.include_unstable
    )
    changes = compare(old_doc, new_doc, package, options)
    if args.format == "json":
        print(json.dumps([describe(c) for c in changes], indent=2))
    else:
        for change in changes:
            print(f"{change.level}[{change.rule.name}] {change.rule.id}: {change.message}")
        counts = {level: sum(1 for c in changes if c.level == level) for level in _LEVELS}
        print(
            f"{len(changes)} change(s): {counts['error']} error(s), "
            f"{counts['warning']} warning(s), {counts['info']} info"
        )
    if args.fail_on == "never":
        return 0
    threshold = _LEVELS[args.fail_on]
    return 1 if any(_LEVELS[c.level] >= threshold for c in changes) else 0
