"""The ``wit-ls`` command line.

Each subcommand lives in its own module ``wit_ls.cli.<name>`` with ``add_arguments(parser)``
and ``run(args) -> int``; modules are imported only when their command runs, so ``wit-ls check``
never pays for the language server's imports (pygls, lsprotocol).

Exit codes: 0 clean, 1 findings, 2 usage, configuration or internal error.
"""

from __future__ import annotations

import gc
import os
import sys

# Not `typing.TYPE_CHECKING`: this module is imported before `main` pauses the cyclic collector,
# so it imports nothing heavy (mypy reads any `TYPE_CHECKING` name as true).
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from typing import Any

# name -> (module, one-line help). The explicit table is the registry of commands.
COMMANDS: dict[str, tuple[str, str]] = {
    "parse": ("wit_ls.cli.parse_cmd", "print syntax trees, or check syntax with --check"),
    "check": ("wit_ls.cli.check_cmd", "check WIT packages: every error of every package, at once"),
    "resolve": ("wit_ls.cli.resolve_cmd", "print resolved packages as wasm-tools --json does"),
    "serve": ("wit_ls.cli.serve_cmd", "run the language server (stdio, or --tcp HOST:PORT)"),
    "fmt": ("wit_ls.cli.fmt_cmd", "format WIT files (in place, or --check / --diff)"),
    "breaking": ("wit_ls.cli.breaking_cmd", "list breaking changes against an older version"),
    "lint": ("wit_ls.cli.lint_cmd", "run the best-practice lint rules (see docs/rules.md)"),
    "graph": ("wit_ls.cli.graph_cmd", "draw interfaces and worlds (mermaid, dot, json, svg)"),
    "rules": ("wit_ls.cli.rules_cmd", "list the lint rules, or print one rule's documentation"),
}


def build_parser(only: str | None = None,
                 ) -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The top-level parser and one sub-parser per command (see :mod:`wit_ls.cli.parser`)."""
    from wit_ls.cli.parser import build_parser as build

    return build(only)


def main(argv: Sequence[str] | None = None) -> int:
    # The cyclic collector is off while the command's modules are imported (their objects live
    # to the end: each collection would only walk them again) and, for `check`, while it runs
    # (it collects between package roots itself, see check_cmd.run). Other commands run with it.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _main(argv, collecting)
    finally:
        if collecting:
            gc.enable()


def _main(argv: Sequence[str] | None, collecting: bool) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    # Only the chosen command's module is imported (and asked for its arguments).
    chosen = next((a for a in args_list if not a.startswith("-")), None)
    args: argparse.Namespace | None = None
    module: Any = None
    if args_list[:1] == ["check"]:
        # The usual `wit-ls check` arguments are read without argparse (whose import and
        # parsers cost every run a few milliseconds); anything else goes through argparse.
        from wit_ls.cli import check_cmd

        args = check_cmd.quick_args(args_list[1:])
        module = check_cmd
    elif args_list[:1] == ["serve"]:
        # So is an editor's `wit-ls serve`: the server's first answer waits for it.
        from wit_ls.cli import serve_cmd

        args = serve_cmd.quick_args(args_list[1:])
        module = serve_cmd
    if args is None:
        parser, subparsers = build_parser(chosen if chosen in COMMANDS else None)
        module = None
        if chosen in COMMANDS:
            import importlib

            module = importlib.import_module(COMMANDS[chosen][0])
            module.add_arguments(subparsers[chosen])
        args = parser.parse_args(args_list)
        if module is None:
            parser.print_help(sys.stderr)
            return 2
    if collecting and module.__name__ != "wit_ls.cli.check_cmd":
        gc.enable()
    try:
        return int(module.run(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as err:  # an internal error: one line and exit 2, the traceback on request
        if os.environ.get("WIT_LS_TRACEBACK"):
            raise
        print(f"wit-ls: error: internal error in `{chosen}`: {type(err).__name__}: {err} "
              "(set WIT_LS_TRACEBACK=1 for the traceback, and please report it)", file=sys.stderr)
        return 2


def entry() -> None:
    """The ``wit-ls`` executable: :func:`main`, then a fast exit.

    Tearing down the interpreter (freeing every parsed tree and resolved item) costs a few
    milliseconds that a command-line run has no use for, so after flushing the standard
    streams the process ends at once. Library callers use :func:`main`, which returns.
    """
    _set_up_stdout()
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass
    os._exit(code)


def _set_up_stdout() -> None:
    """Make ``sys.stdout`` safe for what the commands print.

    * With ``PYTHONUNBUFFERED`` set (the VS Code extension sets it; CI runners often do),
      ``sys.stdout`` writes straight to a raw ``FileIO``, and the text layer does not look at
      how much one ``write(2)`` took: a signal or a stop (job control, a debugger) that cuts a
      large write short loses the rest (a formatted file piped back to an editor, a JSON
      report). A buffered writer goes between them, which writes everything, flushed at each
      line as unbuffered output would be.
    * When the output's encoding cannot write every character (a Windows runner's code page
      on a pipe, ``PYTHONIOENCODING=ascii``, a Latin-1 locale), a source line quoted in a
      report with ``é`` or ``→`` in a comment made the command fail with an internal error;
      such characters are written as backslash escapes instead, as Python's ``stderr`` does.
      (Reports in JSON and SARIF are ASCII; ``fmt`` writes the file's own UTF-8 bytes.)
    * A path given on the command line whose name is not UTF-8 reaches us with its odd bytes
      as surrogates; to a UTF-8 output they are written back as those bytes (as ``ls`` and
      Python's UTF-8 mode do), where a report naming the file made the command fail."""
    import io

    out = sys.stdout
    if not isinstance(out, io.TextIOWrapper):
        return
    encoding = out.encoding
    errors = out.errors
    if errors == "strict":
        errors = "surrogateescape" if _writes_everything(encoding) else "backslashreplace"
    if type(out.buffer) is io.FileIO:
        try:
            out.flush()
            raw = out.detach()
        except (OSError, ValueError):
            return
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(raw), encoding=encoding,
                                      errors=errors, line_buffering=True, write_through=True)
    elif errors != out.errors:
        out.reconfigure(errors=errors)


def _writes_everything(encoding: str) -> bool:
    try:
        "\u00e9\u2192\U0010fffd".encode(encoding)
    except (UnicodeError, LookupError):
        return False
    return True
