"""``wit-ls serve``: run the language server over stdio (default; ``--stdio`` is accepted, as
VS Code passes it) or TCP (``--tcp HOST:PORT``, for debugging)."""

from __future__ import annotations

import logging
import sys
from types import SimpleNamespace
from typing import cast

from wit_ls.cli.files import error

TYPE_CHECKING = False  # not typing's: see wit_ls.light_typing
if TYPE_CHECKING:
    import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from argparse import SUPPRESS  # argparse is loaded when it reads the arguments

    group = parser.add_mutually_exclusive_group()
    group.add_argument("--stdio", action="store_true", help="talk LSP over stdin/stdout (default)")
    group.add_argument("--tcp", metavar="HOST:PORT", help="listen on a TCP port instead")
    parser.add_argument("--log-file", metavar="PATH", help="write the server's own log here")
    parser.add_argument("--log-level", default="WARNING",
                        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
                        help="the least severe log messages written (default: WARNING)")
    # Editors sometimes pass these; accept and ignore them.
    parser.add_argument("--clientProcessId", help=SUPPRESS)


def quick_args(argv: list[str]) -> argparse.Namespace | None:
    """The arguments of ``wit-ls serve`` (after the command name) read without argparse when
    they are none or ``--stdio`` alone, as argparse reads them (see :func:`add_arguments`):
    an editor starts the server so, and argparse and its parsers cost the first answer a few
    milliseconds. None for anything else, which argparse then reads and reports."""
    if argv not in ([], ["--stdio"]):
        return None
    args = SimpleNamespace(command="serve", stdio=bool(argv), tcp=None, log_file=None,
                           log_level="WARNING", clientProcessId=None)
    return cast("argparse.Namespace", args)


def _load_server() -> None:
    """The pygls server's modules (pygls and lsprotocol with them), loaded by the light first
    answer in a thread while it answers the requests that come after the first
    diagnostics."""
    # (In the order the server loads them once it takes over: never waiting on each other.)
    for name in ("server", "handlers", "lifecycle"):
        __import__(f"wit_ls.lsp.{name}")


def run(args: argparse.Namespace) -> int:
    if args.log_file:
        try:
            handler: logging.Handler = logging.FileHandler(args.log_file, encoding="utf-8")
        except OSError as err:
            return error(f"cannot write the log file {args.log_file}: {err.strerror or err}")
        logging.basicConfig(handlers=[handler], level=args.log_level)
    else:
        logging.basicConfig(stream=sys.stderr, level=args.log_level)
    takeover = None
    if not args.tcp:
        from wit_ls.lsp import first_answer

        if first_answer.enabled() and sys.stdin is not None:
            # The first answer before pygls and lsprotocol are imported (see first_answer).
            takeover = first_answer.first_answer(sys.stdin.buffer, sys.stdout.buffer,
                                                 _load_server)
    from wit_ls.lsp.server import create_server

    server = create_server()
    if args.tcp:
        host, _, port = args.tcp.rpartition(":")
        if not port.isdigit():
            return error(f"--tcp wants HOST:PORT, got {args.tcp!r}")
        return server.serve_tcp(host or "127.0.0.1", int(port))
    return server.serve_stdio(takeover=takeover)
