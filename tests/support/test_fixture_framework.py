"""The fixture framework itself: parsing of files, cursors and annotations, and that check()
fails when the annotations and the diagnostics disagree."""

from __future__ import annotations

import pytest
from support.fixtures import (
    DEFAULT_FILE,
    FixtureError,
    FixtureMismatch,
    check,
    load,
    message_matches,
    parse_fixture,
    syntax_diagnostics,
)

from wit_ls.syntax import Diagnostic, Severity


def fixed(*diags: Diagnostic):
    return lambda _fixture: list(diags)


def test_single_file_annotation_range_and_blanking() -> None:
    text = (
        "package a:b;\n"
        "interface i { type t = foo; }\n"
        "//                     ^^^ error[unknown-type]: type `foo` does not exist\n"
    )
    fx = parse_fixture(text)
    assert list(fx.files) == [DEFAULT_FILE]
    assert not fx.multi_file
    assert fx.root == DEFAULT_FILE
    source = fx.files[DEFAULT_FILE]
    # The annotation line is blanked, not removed: line numbers are stable.
    assert source.split("\n") == ["package a:b;", "interface i { type t = foo; }", "", ""]
    [exp] = fx.expected
    assert source.encode()[exp.start : exp.end] == b"foo"
    assert (exp.code, exp.severity, exp.message) == (
        "unknown-type", Severity.ERROR, "type `foo` does not exist")


def test_annotation_refers_to_previous_non_annotation_line() -> None:
    text = (
        "abc def\n"
        "//  ^^^ error[one]: first\n"
        "//   ^ warn[two]\n"
        "xyz\n"
    )
    fx = parse_fixture(text)
    src = fx.files[DEFAULT_FILE].encode()
    got = {(e.code, src[e.start : e.end]) for e in fx.expected}
    assert got == {("one", b"def"), ("two", b"e")}
    two = next(e for e in fx.expected if e.code == "two")
    assert two.severity == Severity.WARNING and two.message is None


def test_columns_count_code_points_and_become_byte_offsets() -> None:
    text = "é €x = 1\n// ^ hint[h]: x\n"
    fx = parse_fixture(text)
    [exp] = fx.expected
    src = fx.files[DEFAULT_FILE].encode()
    assert src[exp.start : exp.end] == b"x"
    assert exp.start == len("é €".encode())


def test_explicit_column_empty_range_and_start_only() -> None:
    text = (
        "package a:b\n"
        "//^^^^^^^ @0 error[p]: at column zero\n"
        "//         | error[semi]: expected ';'\n"
        "//^... @8 info[rest]\n"
    )
    fx = parse_fixture(text)
    by_code = {e.code: e for e in fx.expected}
    assert (by_code["p"].start, by_code["p"].end) == (0, 7)
    assert (by_code["semi"].start, by_code["semi"].end) == (11, 11)
    assert (by_code["rest"].start, by_code["rest"].end) == (8, None)
    assert by_code["rest"].severity == Severity.INFORMATION


def test_multi_file_workspace_root_and_cursor() -> None:
    text = (
        "//- /wit/api.wit\n"
        "package a:b;\n"
        "interface api { use dep$0.{t}; }\n"
        "//- /wit/deps/x/x.wit\n"
        "package x:y;\n"
        "//! error[whatever]: anywhere in this file\n"
    )
    fx = parse_fixture(text)
    assert fx.multi_file
    assert set(fx.files) == {"/wit/api.wit", "/wit/deps/x/x.wit"}
    assert fx.root == "/wit"
    assert fx.files["/wit/api.wit"].startswith("package a:b;\ninterface api { use dep.{t}; }")
    path, offset = fx.cursor  # type: ignore[misc]
    assert path == "/wit/api.wit"
    assert fx.files[path].encode()[offset:].startswith(b".{t}")
    [exp] = fx.expected
    assert (exp.path, exp.start, exp.end) == ("/wit/deps/x/x.wit", None, None)


def test_malformed_fixtures_are_rejected() -> None:
    with pytest.raises(FixtureError):
        parse_fixture("// ^^^ error[x]: no line above\n")
    with pytest.raises(FixtureError):
        parse_fixture("a$0 b$0\n")
    with pytest.raises(FixtureError):
        parse_fixture("ab\n//   ^^^^^^ error[x]: past the end\n")
    with pytest.raises(FixtureError):
        parse_fixture("stray\n//- /a.wit\nx\n")


def test_message_wildcards() -> None:
    assert message_matches("a `b` c", "a `b` c")
    assert not message_matches("a `b` c", "a `b` c!")
    assert message_matches("package 'x:y' not found...", "package 'x:y' not found. known:\n  a:b")
    assert message_matches("...not found...", "package 'x:y' not found. known")
    assert not message_matches("...not found", "not found at all")


SOURCE = (
    "interface i { type t = foo; }\n"
    "//                     ^^^ error[unknown-type]: type `foo` does not exist\n"
)


def _diag(start: int, end: int, code: str = "unknown-type",
          message: str = "type `foo` does not exist",
          severity: Severity = Severity.ERROR, path: str = DEFAULT_FILE) -> Diagnostic:
    return Diagnostic(start, end, message, code, severity, path)


def test_check_passes_on_exact_match() -> None:
    check(SOURCE, fixed(_diag(23, 26)))


@pytest.mark.parametrize(
    "diag",
    [
        _diag(22, 26),  # wrong start
        _diag(23, 27),  # wrong end
        _diag(23, 26, code="unknown-name"),
        _diag(23, 26, message="type `foo` does not exist!"),
        _diag(23, 26, severity=Severity.WARNING),
        _diag(23, 26, path="/other.wit"),
    ],
    ids=["start", "end", "code", "message", "severity", "path"],
)
def test_check_fails_on_any_difference(diag: Diagnostic) -> None:
    with pytest.raises(FixtureMismatch) as info:
        check(SOURCE, fixed(diag))
    text = str(info.value)
    assert "- expected  /test.wit:1:24-27: error[unknown-type]: type `foo` does not exist" in text
    assert "+ got" in text


def test_check_fails_on_missing_and_on_extra_diagnostics() -> None:
    with pytest.raises(FixtureMismatch, match="0 of 1 annotations matched"):
        check(SOURCE, fixed())
    with pytest.raises(FixtureMismatch, match=r"\+ got .*error\[extra\]"):
        check(SOURCE, fixed(_diag(23, 26), _diag(0, 9, code="extra", message="x")))
    # ... unless the test filters what it is about.
    check(SOURCE, fixed(_diag(23, 26), _diag(0, 9, code="extra", message="x")),
          only=lambda d: d.code != "extra")


def test_each_annotation_consumes_one_diagnostic() -> None:
    with pytest.raises(FixtureMismatch):
        check(SOURCE, fixed(_diag(23, 26), _diag(23, 26)))


def test_paths_are_compared_without_caring_for_a_leading_slash() -> None:
    check(SOURCE, fixed(_diag(23, 26, path="test.wit")))


def test_lint_style_annotations_with_a_pluggable_function() -> None:
    text = "interface i {\n  use x.{a};\n//       ^ warn[unused-use]: `a` is never used\n}\n"

    def lint(fixture):
        src = fixture.text().encode()
        start = src.index(b"{a}") + 1
        return [Diagnostic(start, start + 1, "`a` is never used", "unused-use", Severity.WARNING,
                           "/test.wit")]

    check(text, lint)
    with pytest.raises(FixtureMismatch):
        check(text.replace("warn[", "error["), lint)


def test_check_with_the_syntax_layer() -> None:
    # Independent of any model: the syntax layer must see the stray character.
    check("package a:b;\ninterface i { $ }\n//            ^ error[unexpected-character]: "
          "unexpected character '$'\n", syntax_diagnostics)


def test_load_folder_fixture(tmp_path) -> None:
    (tmp_path / "wit" / "deps" / "d").mkdir(parents=True)
    (tmp_path / "wit" / "a.wit").write_text("package a:b;\n")
    (tmp_path / "wit" / "deps" / "d" / "d.wit").write_text(
        "package d:e;\ninterface x { type t = u8; }\n//        ^ error[c]\n")
    fx = load(tmp_path)
    assert fx.root == "/wit"
    assert fx.files["/wit/a.wit"] == "package a:b;\n"
    [exp] = fx.expected
    assert exp.path == "/wit/deps/d/d.wit"
    assert fx.files[exp.path].encode()[exp.start : exp.end] == b"x"
    root = fx.materialize(tmp_path / "out")
    assert (root / "deps" / "d" / "d.wit").read_text().endswith("\n\n")
