"""``wit-ls resolve PATH --json``: the resolved packages in the JSON shape of
``wasm-tools component wit --json PATH``."""

from __future__ import annotations

import argparse
import json
import os
import sys

from wit_ls.cli.check_cmd import _frame, add_feature_arguments, find_roots, project_options
from wit_ls.cli.files import INPUT_ERROR_CODES, NO_SUCH_PATH, error, no_wit_files
from wit_ls.host.disk import DiskFileSystem
from wit_ls.model.api import analyze
from wit_ls.syntax import Severity


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", metavar="PATH", help="package directory or .wit file")
    add_feature_arguments(parser)
    parser.add_argument("--json", action="store_true", default=True,
                        help="print JSON (the only format; accepted for compatibility)")


def run(args: argparse.Namespace) -> int:
    if not os.path.exists(args.path):
        return error(f"{args.path}: {NO_SUCH_PATH}")
    if os.path.isdir(args.path) and not find_roots([args.path])[0]:
        return error(no_wit_files(args.path))
    options = project_options(args, [args.path])
    analysis = analyze(DiskFileSystem(), [args.path], options)
    errors = [d for d in analysis.diagnostics if d.severity == Severity.ERROR]
    if errors:
        for d in errors:
            print("\n".join(_frame(analysis.files.get(d.path), d)), file=sys.stderr)
        return 2 if any(d.code in INPUT_ERROR_CODES for d in errors) else 1
    print(json.dumps(analysis.resolve_json(), indent=2))
    return 0
