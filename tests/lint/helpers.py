"""Running the linter over fixtures (tests/support/fixtures.py) and texts."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from support.fixtures import Fixture

from wit_ls.lint import LintConfig
from wit_ls.lint.engine import lint_package
from wit_ls.lint.registry import RULES_BY_NAME
from wit_ls.syntax import Diagnostic, parse

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "lint"
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus" / "real"


def lint_fixture(fixture: Fixture, select: Iterable[str]) -> list[Diagnostic]:
    """Lint every package (folder) of a fixture with only ``select`` enabled."""
    config = LintConfig(select=list(select))
    groups: dict[str, dict[str, object]] = {}
    for path, text in fixture.files.items():
        groups.setdefault(str(PurePosixPath(path).parent), {})[path] = parse(text)
    out: list[Diagnostic] = []
    for trees in groups.values():
        levels = {p: config.effective_levels(RULES_BY_NAME, p) for p in trees}
        result = lint_package(trees, levels, options=config.options)  # type: ignore[arg-type]
        for diags in result.values():
            out.extend(diags)
    return out
