"""``wit-ls fmt``: format WIT files in place, or check (``--check``) or show (``--diff``) what
would change; ``--stdin`` formats standard input.

A file that cannot be read or is not UTF-8, or that has syntax errors, is reported as
``path:line:col: message`` and left untouched; the other files are still formatted. Exit codes:
2 for unreadable or undecodable input, a bad option or configuration (or an internal error),
1 when a file has syntax errors or ``--check`` / ``--diff`` finds files to change, else 0.

Files found by walking a folder skip ``deps/`` folders (vendored dependencies) and the
configuration's ``exclude`` globs; a file named on the command line is always formatted. The
``[format]`` table of the nearest configuration file (found as ``wit-ls lint`` finds it) sets
``indent-width`` and ``line-width``; ``--indent`` and ``--line-width`` override it.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from wit_ls.cli.files import iter_wit_files, read_bytes
from wit_ls.fmt import FormatOptions
from wit_ls.fmt.config import FormatConfigError, FormatSettings, read_format_settings
from wit_ls.fmt.source import format_tree
from wit_ls.syntax import Severity, parse


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
        help="change nothing; print a unified diff of what would change (exit 1 if any)",
    )
    parser.add_argument(
        "--indent", "--indent-width", dest="indent", type=int, default=None, metavar="N",
        help="spaces per indentation level (default: the configuration's [format] "
             "indent-width, else 2, as wasm-tools prints)",
    )
    parser.add_argument(
        "--line-width", type=int, default=None, metavar="N",
        help="wrap lists that do not fit in N columns (default: [format] line-width, else 100)",
    )
    parser.add_argument(
        "--stdin", action="store_true",
        help="format standard input to standard output (with --check / --diff: report only)",
    )
    parser.add_argument(
        "--stdin-filename", metavar="PATH",
        help="the path standard input stands for (configuration lookup and messages)",
    )
    parser.add_argument("--include-deps", action="store_true",
                        help="also format files under deps/ folders found in a directory")


class _Configs:
    """The configuration of each folder (nearest file, as the linter finds it), cached."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.by_folder: dict[str, tuple[FormatOptions, object]] = {}

    def for_path(self, path: Path) -> tuple[FormatOptions, object]:
        """(formatter options, lint configuration or None). Raises ConfigError or
        FormatConfigError-derived ValueError with the location in the message."""
        folder = str(path.resolve().parent)
        found = self.by_folder.get(folder)
        if found is None:
            found = self._load(folder)
            self.by_folder[folder] = found
        return found

    def _load(self, folder: str) -> tuple[FormatOptions, object]:
        from wit_ls.host.disk import DiskFileSystem
        from wit_ls.lint.config import find_config, load_config

        disk = DiskFileSystem()
        config_path = find_config(Path(folder).as_posix(), disk)
        settings = FormatSettings()
        lint_config: object = None
        if config_path is not None:
            lint_config = load_config(config_path, disk)
            text = disk.read_bytes(config_path).decode("utf-8", errors="replace")
            try:
                settings = read_format_settings(
                    text, pyproject=os.path.basename(config_path) == "pyproject.toml")
            except FormatConfigError as err:
                where = config_path + (f":{err.line}:{err.column or 1}" if err.line else "")
                raise ValueError(f"{where}: {err.message}") from err
        options = settings.options(indent_width=self.args.indent,
                                   line_width=self.args.line_width)
        return options, lint_config


def _decode(display: str, data: bytes) -> tuple[str | None, str]:
    """The text, or None and where the first invalid UTF-8 byte is."""
    try:
        return data.decode("utf-8"), ""
    except UnicodeDecodeError as err:
        before = data[: err.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", errors="replace")) + 1
        return None, (f"{display}:{line}:{column}: not UTF-8 (byte 0x{data[err.start]:02x}); "
                      "file left unchanged\n")


def _format(display: str, text: str, options: FormatOptions) -> tuple[str | None, str]:
    """The formatted text, or None and the first syntax error."""
    tree = parse(text)
    result = format_tree(tree, options)
    if result is not None:
        return result, ""
    errors = [d for d in tree.diagnostics if d.severity == Severity.ERROR]
    first = errors[0] if errors else None
    line, col = tree.line_index.position(first.start, "utf-32") if first else (0, 0)
    message = first.message if first else "syntax error"
    extra = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return None, (f"{display}:{line + 1}:{col + 1}: {message}{extra}; file left unchanged "
                  "(see `wit-ls parse --check`)\n")


def _one_file(job: tuple[str, str, FormatOptions, bool, bool]) -> tuple[int, bool, str, str]:
    """Format one file (in place unless checking): (status, changed, stdout, stderr)."""
    display, name, options, check, diff = job
    path = Path(name)
    data, problem = read_bytes(path)
    if data is None:
        return 2, False, "", f"wit-ls: error: {display}: {problem}\n"
    text, message = _decode(display, data)
    if text is None:
        return 2, False, "", message
    try:
        result, message = _format(display, text, options)
    except Exception as err:  # a formatter bug must not stop the other files
        return 2, False, "", (f"wit-ls: error: {display}: internal error while formatting "
                              f"({type(err).__name__}: {err}); file left unchanged\n")
    if result is None:
        return 1, False, "", message
    if result == text:
        return 0, False, "", ""
    out = _diff(display, text, result) if diff else ""
    if check:
        return 0, True, out, f"would reformat {display}\n"
    if diff:
        return 0, True, out, ""
    try:
        path.write_bytes(result.encode("utf-8"))
    except OSError as err:
        return 2, False, out, f"wit-ls: error: {display}: cannot write: {err.strerror or err}\n"
    return 0, True, out, f"reformatted {display}\n"


def _diff(display: str, original: str, result: str) -> str:
    return "".join(
        difflib.unified_diff(
            original.splitlines(keepends=True),
            result.splitlines(keepends=True),
            fromfile=f"a/{display}",
            tofile=f"b/{display}",
        )
    )


def _format_stdin(args: argparse.Namespace, configs: _Configs) -> int:
    display = args.stdin_filename or "<stdin>"
    where = Path(args.stdin_filename) if args.stdin_filename else Path.cwd() / "stdin.wit"
    try:
        options, _ = configs.for_path(where)
    except Exception as err:
        print(f"wit-ls: error: configuration error: {err}", file=sys.stderr)
        return 2
    data = sys.stdin.buffer.read()
    text, message = _decode(display, data)
    if text is None:
        sys.stderr.write(message)
        return 2
    try:
        result, message = _format(display, text, options)
    except Exception as err:  # a formatter bug: report it, pass the input through
        print(f"{display}: internal error while formatting ({type(err).__name__}: {err})",
              file=sys.stderr)
        sys.stdout.write(text)
        return 2
    if result is None:
        sys.stderr.write(message)
        if not (args.check or args.diff):
            sys.stdout.write(text)  # a filter passes what it cannot format through unchanged
        return 1
    if args.check or args.diff:
        if result == text:
            return 0
        if args.diff:
            sys.stdout.write(_diff(display, text, result))
        if args.check:
            print(f"would reformat {display}", file=sys.stderr)
        return 1
    sys.stdout.buffer.write(result.encode("utf-8"))
    return 0


def _in_excluded_folder(path: Path, given: Path, lint_config: object) -> bool:
    inside = path.relative_to(given).parts[:-1] if given.is_dir() else ()
    if "deps" in inside:
        return True
    excluded = getattr(lint_config, "excluded", None)
    return bool(excluded is not None and excluded(path.resolve().as_posix()))


def run(args: argparse.Namespace) -> int:
    if args.indent is not None and not 0 <= args.indent <= 16:
        print("wit-ls: error: --indent must be between 0 and 16", file=sys.stderr)
        return 2
    if args.line_width is not None and not 40 <= args.line_width <= 1000:
        print("wit-ls: error: --line-width must be between 40 and 1000", file=sys.stderr)
        return 2
    configs = _Configs(args)
    if args.stdin:
        if args.paths:
            print("wit-ls: error: --stdin takes no paths", file=sys.stderr)
            return 2
        return _format_stdin(args, configs)
    status = 0
    jobs: list[tuple[str, str, FormatOptions, bool, bool]] = []
    for raw in args.paths or ["."]:
        given = Path(raw)
        for display, path, problem in iter_wit_files([raw]):
            if path is None:
                print(f"wit-ls: error: {display}: {problem}", file=sys.stderr)
                status = 2
                continue
            try:
                options, lint_config = configs.for_path(path)
            except Exception as err:
                print(f"wit-ls: error: configuration error: {err}", file=sys.stderr)
                return 2
            if path != given and not args.include_deps and _in_excluded_folder(
                    path, given, lint_config):
                continue
            jobs.append((display, str(path), options, args.check, args.diff))
    changed = False
    for code, did_change, out, messages in _run_jobs(jobs):
        status = max(status, code)
        changed = changed or did_change
        if out:
            sys.stdout.write(out)
        if messages:
            sys.stderr.write(messages)
    if (args.check or args.diff) and changed:
        status = max(status, 1)
    return status


def _run_jobs(jobs: list[tuple[str, str, FormatOptions, bool, bool]]
              ) -> Iterator[tuple[int, bool, str, str]]:
    """The files' results in order; many files are shared among worker processes (forked, so
    they start with everything imported) when the machine has more than one core."""
    workers = min(os.cpu_count() or 1, 4)
    if len(jobs) < _PARALLEL_FROM or workers < 2 or sys.platform != "linux":
        yield from map(_one_file, jobs)
        return
    import multiprocessing

    try:
        pool = multiprocessing.get_context("fork").Pool(workers, initializer=_worker_start)
    except (OSError, ValueError):
        yield from map(_one_file, jobs)
        return
    # Once every result is in, the workers are told to stop and waited for (close, join): a
    # pool left by its `with` is terminated instead, which signals the workers wherever they
    # are, and one stopped while it held the task queue's lock left another waiting on that
    # lock for good (seen with a SIGTERM handler installed: the parent waited for it forever).
    # Only when the results are not all taken (an error, an interrupt) is the pool terminated.
    try:
        yield from pool.imap(_one_file, jobs, chunksize=max(1, len(jobs) // (workers * 8)))
    except BaseException:
        pool.terminate()
        raise
    pool.close()
    pool.join()


def _worker_start() -> None:
    """A worker leaves Ctrl-C to the command: the interrupt reaches the whole process group,
    and a worker stopped by it wrote its traceback to stderr; the command ends the pool."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


# Below this many files one process is faster than starting workers.
_PARALLEL_FROM = 64
