"""The argparse parsers of the ``wit-ls`` command line (imported only when one is needed:
``wit-ls check`` with ordinary arguments reads them without argparse, see
:func:`wit_ls.cli.check_cmd.quick_args`)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from wit_ls import __version__
from wit_ls.cli import COMMANDS


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter, without asking the terminal for its width (which imports
    shutil and friends on every run just to validate the arguments)."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        if width is None:
            columns = os.environ.get("COLUMNS", "")
            width = (int(columns) if columns.isdigit() else 100) - 2
        super().__init__(prog, indent_increment, max_help_position, width)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser(only: str | None = None,
                 ) -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The top-level parser and one sub-parser per command (only the command ``only`` when
    given: building an argparse parser per command costs every run a few milliseconds)."""
    parser = _Parser(
        prog="wit-ls",
        description="Language server, linter and checker for WIT (WebAssembly Interface Types).",
    )
    parser.add_argument("--version", action="version", version=f"wit-ls {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers: dict[str, argparse.ArgumentParser] = {}
    for name, (_module, help_text) in COMMANDS.items():
        if only is not None and name != only:
            continue
        subparsers[name] = sub.add_parser(name, help=help_text, description=help_text)
    return parser, subparsers
