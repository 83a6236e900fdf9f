"""Formatter layout, one rule per case: ``cases/NAME.in.wit`` formats to ``cases/NAME.out.wit``
(written by hand), and the expected output is itself already formatted."""

from __future__ import annotations

from pathlib import Path

import pytest

from wit_ls.fmt import FormatOptions, format_source

CASES = Path(__file__).resolve().parent / "cases"
NAMES = sorted(p.name[: -len(".in.wit")] for p in CASES.glob("*.in.wit"))


@pytest.mark.parametrize("name", NAMES)
def test_layout(name: str) -> None:
    source = (CASES / f"{name}.in.wit").read_text("utf-8")
    expected = (CASES / f"{name}.out.wit").read_text("utf-8")
    assert format_source(source) == expected
    assert format_source(expected) == expected


def test_broken_code_is_not_formatted() -> None:
    assert format_source("interface i { f: func( }") is None


def test_line_width_and_indent_are_options() -> None:
    source = "interface i {\n  f: func(a: u32, b: u32) -> u32;\n}\n"
    narrow = FormatOptions(indent="    ", line_width=20)
    assert format_source(source, narrow) == (
        "interface i {\n    f: func(\n        a: u32,\n        b: u32,\n    ) -> u32;\n}\n"
    )


def test_crlf_and_bom_are_kept() -> None:
    source = "\ufeffpackage a:b;\r\n\r\ninterface i {\r\n  /* a\r\n  b */\r\nf: func();\r\n}\r\n"
    expected = (
        "\ufeffpackage a:b;\r\n\r\ninterface i {\r\n  /* a\r\n  b */\r\n  f: func();\r\n}\r\n"
    )
    assert format_source(source) == expected
    assert format_source(expected) == expected
    assert format_source(expected.encode("utf-8")) == expected


def test_an_empty_file_stays_empty() -> None:
    assert format_source("") == ""
    assert format_source("\n\n") == ""
