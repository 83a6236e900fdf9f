"""``wit-ls fmt``: format WIT files in place, or check (``--check``) or show (``--diff``) what
would change. Files with syntax errors are left alone and reported."""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from wit_ls.cli.files import iter_wit_files, read_bytes
from wit_ls.fmt import FormatOptions, format_source


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="WIT files or directories (default: .)"
    )
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 when a file is not formatted"
    )
    parser.add_argument(
        "--diff",
        action="store_true",
        help="change nothing; print a unified diff of what would change",
    )
    parser.add_argument(
        "--indent",
        type=int,
        default=2,
        metavar="N",
        help="spaces per indentation level (default 2, as wasm-tools prints)",
    )
    parser.add_argument(
        "--stdin", action="store_true", help="format standard input to standard output"
    )


def _format_stdin(options: FormatOptions) -> int:
    data = sys.stdin.buffer.read()
    result = format_source(data, options)
    if result is None:
        print(
            "<stdin>: error: not formatted: the input has syntax errors "
            "(run `wit-ls parse --check`)",
            file=sys.stderr,
        )
        return 1
    sys.stdout.write(result)
    return 0


def run(args: argparse.Namespace) -> int:
    if args.indent < 0 or args.indent > 16:
        print("wit-ls fmt: error: --indent must be between 0 and 16", file=sys.stderr)
        return 2
    options = FormatOptions(indent=" " * args.indent)
    if args.stdin:
        return _format_stdin(options)
    dry = args.check or args.diff
    status = 0
    changed = 0
    for display, path, problem in iter_wit_files(args.paths or ["."]):
        if path is None:
            print(f"{display}: error: {problem}", file=sys.stderr)
            status = 2
            continue
        data, problem = read_bytes(path)
        if data is None:
            print(f"{display}: error: {problem}", file=sys.stderr)
            status = 2
            continue
        result = format_source(data, options)
        if result is None:
            print(
                f"{display}: error: not formatted: the file has syntax errors "
                "(run `wit-ls parse --check`)",
                file=sys.stderr,
            )
            status = max(status, 1)
            continue
        original = data.decode("utf-8", errors="replace")
        if result == original:
            continue
        changed += 1
        if args.diff:
            sys.stdout.writelines(
                difflib.unified_diff(
                    original.splitlines(keepends=True),
                    result.splitlines(keepends=True),
                    fromfile=f"a/{display}",
                    tofile=f"b/{display}",
                )
            )
        if args.check:
            print(f"would reformat {display}")
        if not dry:
            Path(path).write_text(result, encoding="utf-8")
            print(f"reformatted {display}")
    if dry and changed:
        status = max(status, 1)
    return status
