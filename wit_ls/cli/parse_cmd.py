"""``wit-ls parse``: print syntax trees (for bug reports) or, with ``--check``, one line per
syntax error as ``path:line:col: message`` (1-based line and column, column in characters)."""

from __future__ import annotations

import argparse

from wit_ls.cli.files import INPUT_ERROR_CODES, error, iter_wit_files, read_bytes
from wit_ls.cli.project import project_config
from wit_ls.features.structure import syntax_tree_text
from wit_ls.syntax import parse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="WIT files or directories")
    parser.add_argument(
        "--check", action="store_true",
        help="print syntax errors only; exit 1 when there is any (2 when a file is not WIT text)"
    )


def run(args: argparse.Namespace) -> int:
    project_config(args.paths)  # a broken configuration file fails every command
    failed = input_error = False
    for display, path, problem in iter_wit_files(args.paths):
        if path is None:
            error(f"{display}: {problem}")
            input_error = True
            continue
        data, problem = read_bytes(path)
        if data is None:
            error(f"{display}: {problem}")
            input_error = True
            continue
        tree = parse(data)
        if args.check:
            for diag in tree.diagnostics:
                line, col = tree.line_index.position(diag.start, "utf-32")
                print(f"{display}:{line + 1}:{col + 1}: {diag.message}")
                failed = True
                input_error = input_error or diag.code in INPUT_ERROR_CODES
        else:
            print(f"# {display}")
            print(syntax_tree_text(tree), end="")
            for diag in tree.diagnostics:
                if diag.code in INPUT_ERROR_CODES:
                    line, col = tree.line_index.position(diag.start, "utf-32")
                    error(f"{display}:{line + 1}:{col + 1}: {diag.message}")
                    input_error = True
    return 2 if input_error else 1 if failed else 0
