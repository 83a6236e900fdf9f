"""The first error wit-ls lists is the one wasm-tools reports (tests/fixtures/first-error).

wasm-tools stops at the first problem it meets; wit-ls reports them all, ordered as wit-parser
meets them (``wit_ls/model/error_order.py``). Each fixture states one ordering rule at its top and,
in a ``// first: /path:LINE`` line, where the first error is. Each is checked three ways:

* the oracle: ``wasm-tools component wit`` reports its error at that line (so no expectation
  comes from wit-ls);
* the model: every annotated error is reported (none is dropped by the ordering), and the first
  error listed is at that line;
* the command line: ``wit-ls check --format json`` lists it first too.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pytest
from support.fixtures import Fixture, check, load, model_diagnostics
from support.oracle import REPO_ROOT, run_oracle, wasm_tools

from wit_ls.syntax import Severity

FIXTURES = sorted((REPO_ROOT / "tests" / "fixtures" / "first-error").glob("*.wit"))
IDS = [p.stem for p in FIXTURES]
_FIRST = re.compile(r"^// first: (?P<path>/\S+):(?P<line>\d+)$", re.M)


def _stated(path: Path) -> tuple[str, int]:
    match = _FIRST.search(path.read_text("utf-8"))
    assert match is not None, "a first-error fixture states `// first: /path:LINE`"
    return match.group("path"), int(match.group("line"))


def test_there_is_a_fixture_per_rule() -> None:
    assert len(FIXTURES) >= 10


@pytest.mark.parametrize("path", FIXTURES, ids=IDS)
def test_every_error_is_still_reported(path: Path) -> None:
    fixture = check(load(path))
    assert sum(e.severity == Severity.ERROR for e in fixture.expected) >= 2


@pytest.mark.parametrize("path", FIXTURES, ids=IDS)
def test_first_listed_error_is_the_stated_one(path: Path) -> None:
    fixture: Fixture = load(path)
    errors = [d for d in model_diagnostics(fixture) if d.severity == Severity.ERROR]
    first = errors[0]
    assert (first.path, fixture.position(first.path, first.start)[0] + 1) == _stated(path)


@pytest.mark.parametrize("path", FIXTURES, ids=IDS)
def test_check_command_lists_it_first(path: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from wit_ls.cli import main

    root = load(path).materialize(tmp_path)
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["check", "--format", "json", str(root.relative_to(tmp_path))])
    assert code == 1
    entries = [e for e in json.loads(out.getvalue()) if e["severity"] == "error"]
    where = ("/" + entries[0]["path"], entries[0]["range"]["start"]["line"] + 1)
    assert where == _stated(path)


@pytest.mark.skipif(wasm_tools() is None, reason="wasm-tools not installed")
@pytest.mark.parametrize("path", FIXTURES, ids=IDS)
def test_stated_first_error_is_wasm_tools_error(path: Path, tmp_path: Path) -> None:
    root = load(path).materialize(tmp_path)
    result = run_oracle(root.relative_to(tmp_path), cwd=tmp_path)
    assert not result.ok
    reported = "/" + Path(result.path or "").as_posix().lstrip("/")
    assert (reported, result.line) == _stated(path), result.output
