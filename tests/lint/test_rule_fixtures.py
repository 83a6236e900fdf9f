"""Every rule has a self-asserting fixture: tests/fixtures/lint/<rule-name>.wit.

Bad lines carry caret annotations (``//   ^^^ warn[rule]: message``); everything else in the
file is a good case that must produce no finding of that rule."""

from __future__ import annotations

import pytest
from lint.helpers import FIXTURES, lint_fixture
from support.fixtures import check, parse_fixture

from wit_ls.lint.registry import RULES

# Rules that report about other rules' findings need those rules enabled.
COMPANIONS = {
    "unused-suppression": ["string-error", "nested-option", "list-char"],
    "invalid-suppression": ["string-error"],
    "suppression-in-docs": ["string-error"],
}


@pytest.mark.parametrize("name", [r.name for r in RULES])
def test_rule_fixture(name: str) -> None:
    path = FIXTURES / f"{name}.wit"
    assert path.is_file(), f"rule `{name}` has no fixture {path.name}"
    fixture = parse_fixture(path.read_text("utf-8"))
    assert any(e.code == name for e in fixture.expected), f"{path.name} has no bad case"
    select = [name, *COMPANIONS.get(name, [])]
    check(fixture, lambda f: lint_fixture(f, select), only=lambda d: d.code == name)


def test_no_fixture_without_rule() -> None:
    names = {r.name for r in RULES}
    stray = [p.name for p in FIXTURES.glob("*.wit") if p.stem not in names]
    assert not stray
