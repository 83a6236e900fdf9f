"""``wit-ls resolve PATH --json``: the resolved packages in the JSON shape of
``wasm-tools component wit --json PATH``."""

from __future__ import annotations

import argparse
import json
import os
import sys

from wit_ls.cli.check_cmd import _frame, add_feature_arguments, options_from
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
        print(f"wit-ls: error: {args.path}: no such file or directory", file=sys.stderr)
        return 2
    analysis = analyze(DiskFileSystem(), [args.path], options_from(args))
    errors = [d for d in analysis.diagnostics if d.severity == Severity.ERROR]
    if errors:
        for d in errors:
            print("\n".join(_frame(analysis.files.get(d.path), d)), file=sys.stderr)
        return 1
    print(json.dumps(analysis.resolve_json(), indent=2))
    return 0
