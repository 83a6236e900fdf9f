"""The check fixtures of tests/fixtures/checks (one per check of wit-spec.md §2).

Each fixture is verified three ways:

* against the oracle: ``wasm-tools component wit`` rejects it (accepts an ``ok-`` fixture), its
  first reported location is on a line the fixture annotates, and its message carries the
  annotated message (the expected messages are wit-parser's own wording);
* against the semantic model (``check()``: same set of diagnostics, exact ranges and codes);
* against the syntax layer, for the lexer and parser checks (L*, P*).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.fixtures import (
    Expected,
    Fixture,
    check,
    load,
    syntax_diagnostics,
)
from support.oracle import REPO_ROOT, run_oracle, wasm_tools

CHECKS = REPO_ROOT / "tests" / "fixtures" / "checks"
FIXTURES = sorted(p for p in CHECKS.iterdir() if p.suffix == ".wit" or p.is_dir())
IDS = [p.stem for p in FIXTURES]

# Checks of §2.1 and §2.2: the syntax layer alone must report them.
SYNTAX_CHECK = re.compile(r"^[LP]\d")
# Fixtures whose annotated range deliberately differs from wit-parser's span (same line):
# the whole identifier rather than its first character; the name that cannot be renamed rather
# than the included world.
RANGE_DEVIATIONS = {
    "L6a-empty-identifier-segment",
    "L6b-identifier-character",
    "L6e-identifier-cut-short",
    "X13-unknown-include-name",
}
# Codes documented in CODES.md; every fixture may use only these.
CODE_ROW = re.compile(r"^\|\s*`(?P<code>[a-z0-9-]+)`\s*\|", re.M)


def _codes() -> set[str]:
    return {m.group("code") for m in CODE_ROW.finditer((CHECKS / "CODES.md").read_text("utf-8"))}


def _key_phrases(exp: Expected) -> list[str]:
    assert exp.message is not None
    return [part for part in exp.message.split("...") if part.strip()]


@pytest.mark.parametrize("path", FIXTURES, ids=IDS)
def test_fixture_is_well_formed(path: Path) -> None:
    fixture = load(path)
    errors = [e for e in fixture.expected if e.severity == 1]
    if path.stem.startswith("ok-"):
        assert not errors, "an ok- fixture must not expect errors"
    else:
        assert errors, "a check fixture must expect at least one error"
        assert all(e.message for e in errors), "check fixtures must state the message"
    unknown = {e.code for e in fixture.expected} - _codes()
    assert not unknown, f"codes missing from CODES.md: {sorted(unknown)}"


@pytest.mark.skipif(wasm_tools() is None, reason="wasm-tools not installed")
@pytest.mark.parametrize("path", FIXTURES, ids=IDS)
def test_fixture_agrees_with_wasm_tools(path: Path, tmp_path: Path) -> None:
    fixture = load(path)
    root = fixture.materialize(tmp_path)
    result = run_oracle(root.relative_to(tmp_path), cwd=tmp_path)
    errors = [e for e in fixture.expected if e.severity == 1]
    if not errors:
        assert result.ok, f"wasm-tools rejects an ok fixture:\n{result.output}"
        return
    assert not result.ok, "wasm-tools accepts a fixture that expects an error"
    # The oracle reports one error; one of the annotations must be it.
    candidates = [e for e in errors
                  if all(phrase in result.output for phrase in _key_phrases(e))]
    assert candidates, (f"no annotated message appears in wasm-tools' output:\n{result.output}\n"
                        f"annotated: {[e.message for e in errors]}")
    if result.line is None:
        return  # the error has no span (R4, N6)
    reported = "/" + Path(result.path or "").as_posix().lstrip("/")
    lines = {(e.path, e.line + 1) for e in candidates if e.start is not None}
    file_level = {e.path for e in candidates if e.start is None}
    assert (reported, result.line) in lines or reported in file_level, (
        f"wasm-tools reports {reported}:{result.line}, the fixture annotates "
        f"{sorted(lines)}:\n{result.output}"
    )
    if path.stem in RANGE_DEVIATIONS or reported in file_level:
        return
    # Same start column (UTF-8 bytes, 1-based) and, when shown, the same width (characters).
    spans = set()
    for e in candidates:
        if e.start is None or e.path != reported:
            continue
        line, col = fixture.position(e.path, e.start)
        if line + 1 != result.line:
            continue
        line_start = e.start - len(fixture.files[e.path].encode("utf-8", "surrogateescape")
                                   [:e.start].split(b"\n")[-1])
        width = None if e.end is None else fixture.position(e.path, e.end)[1] - col
        spans.add((e.start - line_start + 1, width))
    assert any(c == result.column and (result.width is None or w in (None, result.width))
               for c, w in spans), (
        f"wasm-tools' span is column {result.column} width {result.width}; the fixture's "
        f"(column, width) on that line: {sorted(spans, key=str)}\n{result.output}"
    )




# Where the syntax layer is known to differ from the contract (strict: fixing one fails the
# test until it is removed from this table).
SYNTAX_GAPS = {
}
SYNTAX_FIXTURES = [
    pytest.param(p, id=p.stem, marks=[pytest.mark.xfail(reason=SYNTAX_GAPS[p.stem], strict=True)]
                 if p.stem in SYNTAX_GAPS else [])
    for p in FIXTURES if SYNTAX_CHECK.match(p.stem)
]


@pytest.mark.parametrize("path", SYNTAX_FIXTURES)
def test_syntax_layer_reports_lexer_and_parser_checks(path: Path) -> None:
    fixture: Fixture = load(path)
    check(fixture, syntax_diagnostics)


# Where the model differs from the contract today (strict: a fix makes the test fail until the
# entry is removed). Keep the reasons specific; they are the model's to-do list.
MODEL_GAPS = {
    **{k: v for k, v in SYNTAX_GAPS.items() if k.startswith("P")},
}
MODEL_FIXTURES = [
    pytest.param(p, id=p.stem, marks=[pytest.mark.xfail(reason=MODEL_GAPS[p.stem], strict=True)]
                 if p.stem in MODEL_GAPS else [])
    for p in FIXTURES
]


@pytest.mark.parametrize("path", MODEL_FIXTURES)
def test_model_reports_exactly_the_annotations(path: Path) -> None:
    check(load(path))


def test_invalid_utf8_file_is_reported_by_the_model() -> None:
    """F1 needs bytes that are not UTF-8, which a text fixture cannot hold."""
    from support.corpus import model_check

    files = {"/wit/a.wit": b"package a:b;\n", "/wit/b.wit": b"interface i {}\n// \xff\xfe\n"}
    diags = model_check(files, "/wit")
    assert [(d.code, d.path.lstrip("/")) for d in diags if d.severity == 1] == [
        ("invalid-utf8", "wit/b.wit")]
