"""The syntax layer: parsing never raises, errors say what was expected, incremental reparse
gives the same tree as a full parse."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wit_ls.syntax import TextEdit, apply_edits, parse

SAMPLE = """package example:demo@1.0.0;

/// A documented interface.
interface api {
  use types.{id, name as label};
  resource handle {
    constructor(id: id) -> result<handle, error-code>;
    read: func(len: u64) -> result<list<u8>, error-code>;
    size: get() -> u64;
    open: static async func(path: string) -> handle;
  }
  record point { x: s32, y: s32, }
  variant shape { circle(f64), square, }
  enum color { red, green }
  flags perms { read, write }
  type pair = tuple<u8, list<u8, 4>, map<string, u32>, result<_, string>, future<u8>, stream>;
}

world app {
  import wasi:io/streams@0.2.0;
  export api;
  include base with { a as b }
}
"""


def _messages(text: str) -> list[str]:
    return [d.message for d in parse(text).diagnostics]


def test_valid_source_has_no_diagnostics() -> None:
    tree = parse(SAMPLE)
    assert tree.diagnostics == []
    assert not tree.root.has_error


def test_missing_semicolon_names_what_was_expected() -> None:
    # The first syntax error is worded as wit-parser words it.
    (diag,) = parse("interface a { type t = u32 }").diagnostics
    assert diag.message == "expected ';', found '}'"
    assert diag.code == "syntax-error"


def test_missing_closing_angle() -> None:
    (diag,) = parse("interface a { f: func(a: list<u32); }").diagnostics
    assert diag.message.startswith("expected '>'")


def test_stray_character() -> None:
    tree = parse("interface x { $ }")
    (diag,) = tree.diagnostics
    assert diag.message == "unexpected character '$'"
    assert tree.line_index.position(diag.start) == (0, 14)


def test_unterminated_block_comment_stays_local() -> None:
    tree = parse("/* open\ninterface a {}\n")
    assert [d.message for d in tree.diagnostics] == ["unterminated block comment"]
    kinds = [c.type for c in tree.root.named_children]
    assert "interface_item" in kinds


def test_nested_block_comments() -> None:
    assert _messages("/* a /* b */ c */ interface a {}") == []


def test_identifier_rules() -> None:
    assert _messages("interface Apple {}") == ["invalid character in identifier 'p'"]
    assert _messages("interface a--b {}") == ["identifiers must have characters between '-'s"]
    assert _messages("interface is-XML {}") == []
    assert _messages("interface x-86-64 {}") == []
    assert _messages("interface %interface {}") == []


def test_version_rules() -> None:
    assert _messages("package a:b@1.0;") == ["expected '.', found ';'"]
    assert _messages("package a:b@01.0.0;") == ["invalid leading zero in major version number"]
    assert _messages("package a:b@1.0.0-rc.1+build.5;") == []


def test_attribute_rules() -> None:
    assert _messages("interface a { @foo f: func(); }") == ["unknown attribute `foo`"]
    assert _messages("interface a { @since(feature = x) f: func(); }") == [
        "expected `version`, found `feature`"
    ]


def test_forbidden_codepoints() -> None:
    assert _messages("interface a {} // \u202e") == [
        "Input contains bidirectional override codepoint EscapeUnicode(EscapeIterInner('\\u{202e}'))"
    ]
    assert _messages("interface a {}\x0b") == ["Control code '\\u{b}'"]


def test_invalid_utf8_is_a_diagnostic_not_an_exception() -> None:
    tree = parse(b"interface a { \xff }")
    assert any(d.code == "invalid-utf8" for d in tree.diagnostics)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_parse_never_raises(text: str) -> None:
    tree = parse(text)
    for diag in tree.diagnostics:
        assert 0 <= diag.start <= diag.end <= len(tree.source)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_parse_bytes_never_raises(data: bytes) -> None:
    tree = parse(data)
    assert tree.root is not None
    _ = tree.diagnostics


def test_incremental_reparse_matches_full_parse() -> None:
    rng = random.Random(1234)
    tree = parse(SAMPLE)
    source = SAMPLE.encode()
    for _ in range(200):
        start = rng.randrange(len(source) + 1)
        end = min(len(source), start + rng.randrange(3))
        new_text = rng.choice([b"", b";", b"}", b"x", b"{", b" ", b"\xc3\xa9", b"\n"])
        tree = apply_edits(tree, [TextEdit(start, end, new_text)])
        source = source[:start] + new_text + source[end:]
        assert tree.source == source
        assert str(tree.root) == str(parse(source).root)


def test_string_literal_rules() -> None:
    def messages(literal: str) -> list[str]:
        return _messages(f"interface i {{ @external-id({literal}) f: func(); }}")

    assert messages('"ok \\u{1F600} \\41 \\"q\\""') == []
    assert messages('"a\\q"') == ["invalid string escape 'q'"]
    assert messages('"\\u{110000}"') == ["invalid unicode value 0x110000"]
    assert messages('"\\u{1_}"') == ["trailing underscore in number"]
    assert messages('"\\4g"') == ["invalid hex digit 'g'"]
    assert messages('"\\u41"') == ["expected character '{'"]
    assert messages('"\\ff"') == ["invalid UTF-8: invalid utf-8 sequence of 1 bytes from index 0"]
    assert messages('"a\\e2\\82"') == ["invalid UTF-8: incomplete utf-8 byte sequence from index 1"]
    # \u{...}: the first character a hex digit, at most a u32, then `}`.
    assert messages('"\\u{_1}"') == ["invalid hex digit '_'"]
    assert messages('"\\u{123456789}"') == ["number is too big to fit in a u32"]
    assert messages('"\\u{12x}"') == ["expected character '}'"]
    assert messages('"\\u{d800x"') == ["invalid unicode value 0xd800"]
    assert messages('"\\u{"') == ["invalid hex digit '\"'"]


@pytest.mark.parametrize(("tail", "message", "column"), [
    ('"abc\n}\n', "invalid string character '\\n'", 7),
    ('"abc\r\n}\n', "invalid string character '\\n'", 7),
    ('"ab\\\n}\n', "invalid string escape '\\n'", 7),
    ('"ab', "unexpected end of file", 6),
])
def test_a_string_left_open_is_the_lexer_error_where_wit_parser_meets_it(
        tail: str, message: str, column: int) -> None:
    # The grammar's string stops at the end of its line; wit-parser's lexer reads on.
    text = "package a:b;\nworld w {\n  import x: func();\n  " + tail
    tree = parse(text)
    first = tree.diagnostics[0]
    assert (first.code, first.message) == ("invalid-string", message)
    line = tree.line_index.line_of(first.start)
    assert (line + 1, first.start - tree.line_index.line_start(line) + 1) == (4, column)


def test_a_flood_of_syntax_errors_is_capped_with_a_note() -> None:
    broken = "package a:b;\ninterface i { f: func(" + "a: tuple<" * 500 + "u8" + ">" * 500 + "); }\n"
    diags = parse(broken).diagnostics
    syntax = [d for d in diags if d.code == "syntax-error"]
    notes = [d for d in diags if d.code == "too-many-errors"]
    assert len(syntax) == 100
    assert len(notes) == 1 and "more syntax error(s)" in notes[0].message


@pytest.mark.parametrize(("text", "message"), [
    # tree-sitter blames the attribute's `(` first; wit-parser's lexer meets the open string.
    ('interface i {\n  @external-id("abc)\n  f: func();\n}\n', "invalid string character '\\n'"),
    # A bad escape in a closed string comes before a later syntax error (the lexer reads it).
    ('interface i {\n  @external-id("a\\q")\n  f: func() x;\n}\n', "invalid string escape 'q'"),
])
def test_the_lexer_error_wit_parser_meets_first_is_listed_first(text: str, message: str) -> None:
    diagnostics = parse("package a:b;\n" + text).diagnostics
    assert (diagnostics[0].code, diagnostics[0].message) == ("invalid-string", message)


@pytest.mark.parametrize(("blank", "shown"), [
    ("\r", "\\r"), ("\u00a0", "\\u{a0}"), ("\u3000", "\\u{3000}"), ("\ufeff", "\\u{feff}"),
])
def test_a_blank_wit_parser_does_not_skip_is_an_unexpected_character(blank: str,
                                                                      shown: str) -> None:
    # wit-parser skips only spaces, tabs and line breaks (CR LF counts as one).
    tree = parse(f"package a:b;\r\ninterface i {{}}{blank}// c\ninterface j {{}}\n")
    first = tree.diagnostics[0]
    assert (first.code, first.message) == ("unexpected-character", f"unexpected character '{shown}'")
    assert first.start == len(b"package a:b;\r\ninterface i {}")
    # In a comment, and a byte-order mark at the start of the file, they are fine.
    assert parse(f"\ufeffpackage a:b;\r\n// a{blank}b\ninterface i {{}}\n").diagnostics == []
