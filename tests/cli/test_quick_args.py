"""`wit-ls check` reads its usual arguments without argparse (`check_cmd.quick_args`); whenever
it gives an answer, that answer must be argparse's, and whenever argparse would refuse the
arguments it must give none (argparse then reads them and reports the mistake)."""

from __future__ import annotations

import contextlib
import io
import random

import pytest

from wit_ls.cli import build_parser, check_cmd

TOKENS = ["wit", "a.wit", "deps", "", "check", "--no-cache", "--all-features",
          "--no-manifest-deps", "--features", "x,y", "--format", "json", "text", "xml", "-h",
          "--help", "--no-c", "--format=json", "--", "-", "-1", "--bogus", "--features=a",
          "--jobs", "2", "0", "01", "\u00b2", "\u0663", "--jobs=2"]


def _argparse(argv: list[str]) -> dict[str, object] | None:
    parser, subparsers = build_parser("check")
    check_cmd.add_arguments(subparsers["check"])
    try:
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            return vars(parser.parse_args(["check", *argv]))
    except SystemExit:
        return None


@pytest.mark.parametrize("argv", [
    [], ["wit"], ["--no-cache", "wit"], ["wit", "--no-cache"], ["a", "b", "--format", "json"],
    ["--features", "a,b", "--features", "c", "--all-features", "--no-manifest-deps", "x"],
    ["--jobs", "3", "x"], ["x", "--jobs", "1"],
])
def test_usual_arguments_are_read_as_argparse_reads_them(argv: list[str]) -> None:
    quick = check_cmd.quick_args(argv)
    assert quick is not None
    assert vars(quick) == _argparse(argv)


@pytest.mark.parametrize("argv", [
    ["a", "--no-cache", "b"], ["--help"], ["--format", "xml"], ["--features"], ["--no-c"],
    ["--format=json"], ["--", "x"], ["--features", "--no-cache"],
])
def test_anything_else_is_left_to_argparse(argv: list[str]) -> None:
    assert check_cmd.quick_args(argv) is None


def test_random_arguments() -> None:
    rng = random.Random(7)
    answered = 0
    for _ in range(3000):
        argv = [rng.choice(TOKENS) for _ in range(rng.randint(0, 6))]
        quick = check_cmd.quick_args(argv)
        if quick is None:
            continue
        answered += 1
        assert vars(quick) == _argparse(argv), argv
    assert answered > 300


@pytest.mark.parametrize("argv", [[], ["--stdio"], ["--tcp", "127.0.0.1:1"], ["--stdio", "x"],
                                  ["--log-level", "INFO"], ["--help"], ["--std"]])
def test_serve_arguments(argv: list[str]) -> None:
    """`wit-ls serve` as editors start it is read without argparse, as argparse reads it."""
    from wit_ls.cli import serve_cmd

    parser, subparsers = build_parser("serve")
    serve_cmd.add_arguments(subparsers["serve"])
    quick = serve_cmd.quick_args(argv)
    assert (quick is not None) == (argv in ([], ["--stdio"]))
    if quick is not None:
        assert vars(quick) == vars(parser.parse_args(["serve", *argv]))
