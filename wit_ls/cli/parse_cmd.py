"""``wit-ls parse``: print syntax trees (for bug reports) or, with ``--check``, one line per
syntax error as ``path:line:col: message`` (1-based line and column, column in characters)."""

from __future__ import annotations

import argparse
import sys

from tree_sitter import Node

from wit_ls.cli.files import iter_wit_files, read_bytes
from wit_ls.syntax import SyntaxTree, parse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="WIT files or directories")
    parser.add_argument(
        "--check", action="store_true", help="print syntax errors only; exit 1 when there is any"
    )


def _render(tree: SyntaxTree, node: Node, depth: int, field: str | None, out: list[str]) -> None:
    if not node.is_named and not node.is_missing:
        return
    index = tree.line_index
    sl, sc = index.position(node.start_byte, "utf-32")
    el, ec = index.position(node.end_byte, "utf-32")
    label = f"{field}: " if field else ""
    kind = f"MISSING {node.type}" if node.is_missing else node.type
    line = f"{'  ' * depth}{label}({kind} [{sl + 1}:{sc + 1}-{el + 1}:{ec + 1}]"
    if node.child_count == 0 and node.type not in ("ERROR",):
        line += f" {tree.node_text(node)!r}"
    out.append(line + ")")
    for i, child in enumerate(node.children):
        _render(tree, child, depth + 1, node.field_name_for_child(i), out)


def run(args: argparse.Namespace) -> int:
    failed = False
    for display, path, problem in iter_wit_files(args.paths):
        if path is None:
            print(f"{display}: error: {problem}", file=sys.stderr)
            failed = True
            continue
        data, problem = read_bytes(path)
        if data is None:
            print(f"{display}: error: {problem}", file=sys.stderr)
            failed = True
            continue
        tree = parse(data)
        if args.check:
            for diag in tree.diagnostics:
                line, col = tree.line_index.position(diag.start, "utf-32")
                print(f"{display}:{line + 1}:{col + 1}: {diag.message}")
                failed = True
        else:
            out: list[str] = []
            _render(tree, tree.root, 0, None, out)
            print(f"# {display}")
            print("\n".join(out))
    return 1 if failed else 0
