"""The syntax layer: parsing never raises, errors say what was expected, incremental reparse
gives the same tree as a full parse."""

from __future__ import annotations

import random

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
    assert messages('"\\ff"') == ["invalid UTF-8: invalid start byte at byte 0"]


def test_a_flood_of_syntax_errors_is_capped_with_a_note() -> None:
    broken = "package a:b;\ninterface i { f: func(" + "a: tuple<" * 500 + "u8" + ">" * 500 + "); }\n"
    diags = parse(broken).diagnostics
    syntax = [d for d in diags if d.code == "syntax-error"]
    notes = [d for d in diags if d.code == "too-many-errors"]
    assert len(syntax) == 100
    assert len(notes) == 1 and "more syntax error(s)" in notes[0].message
