"""The fixes that change a package's meaning, on packages made for them (the corpus has no such
case): a `use`d name another interface takes through this interface (`re-exported`), a `use`
nothing takes, and one dependency imported at two versions of a semver track; and comments of
more than two slashes that become docs (a banner line of slashes only; found on real WIT, where
each run of the fix added a slash), and a world importing one interface at two versions of a
track (the version fix would import it twice). Under every preset, `--fix` leaves
`wasm-tools component wit --json` identical; `--fix --unsafe-fixes` applies the unsafe fixes
and the package still passes; and a second run of either finds nothing to fix."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from support.oracle import wasm_tools

from wit_ls.cli import main
from wit_ls.lint.config import PRESETS, LintConfig
from wit_ls.lint.registry import RULES_BY_NAME

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lint-fix"
FIXTURE_NAMES = ["reexported-use", "merged-versions", "comment-slashes", "one-world-two-versions"]

pytestmark = pytest.mark.skipif(wasm_tools() is None, reason="wasm-tools not found")


def _json(folder: Path) -> str | None:
    tool = wasm_tools()
    assert tool is not None
    proc = subprocess.run([tool, "component", "wit", "--json", str(folder)], capture_output=True,
                          text=True, timeout=120, check=False)
    return proc.stdout if proc.returncode == 0 else None


def _texts(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text("utf-8")
            for p in sorted(folder.rglob("*.wit"))}


def _fix(folder: Path, preset: str, unsafe: bool, capsys: pytest.CaptureFixture[str]) -> str:
    flags = ["--fix", "--preset", preset, "--isolated", "--exit-zero", "-f", "concise"]
    capsys.readouterr()
    assert main(["lint", str(folder), *flags, *(["--unsafe-fixes"] if unsafe else [])]) == 0
    return capsys.readouterr().out


def _enabled(preset: str, rule: str) -> bool:
    return rule in LintConfig(preset=preset).effective_levels(RULES_BY_NAME)


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("fixture", FIXTURE_NAMES)
def test_safe_fixes_keep_the_meaning(fixture: str, preset: str, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / fixture
    shutil.copytree(FIXTURES / fixture, folder)
    before = _json(folder)
    assert before is not None, "the fixture itself must pass wasm-tools"
    texts = _texts(folder)
    _fix(folder, preset, False, capsys)
    fixed = _texts(folder)
    assert _json(folder) == before, "a safe fix changed `component wit --json`"
    assert "Fixed" not in _fix(folder, preset, False, capsys), "safe fixes did not converge"
    assert _texts(folder) == fixed
    if fixture == "reexported-use" and _enabled(preset, "empty-resource-body"):
        assert fixed != texts, "the fixture's safe fix was not applied"
    # The unsafe ones were left alone.
    if fixture == "merged-versions":
        assert "fix:dep/api@1.0.0" in fixed["app.wit"]
    elif fixture == "reexported-use":
        assert "use types.{instant};" in fixed["clock.wit"]
    else:
        assert fixed == texts


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("fixture", FIXTURE_NAMES)
def test_unsafe_fixes_apply_and_keep_the_package_valid(
        fixture: str, preset: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / fixture
    shutil.copytree(FIXTURES / fixture, folder)
    before = _json(folder)
    _fix(folder, preset, True, capsys)
    fixed = _texts(folder)
    after = _json(folder)
    assert after is not None, f"unsafe fixes broke the package:\n{fixed}"
    assert "Fixed" not in _fix(folder, preset, True, capsys), "fixes did not converge in one run"
    assert _texts(folder) == fixed
    if fixture == "reexported-use":
        clock = fixed["clock.wit"]
        # `duration` is what `timer` takes through `clock`: never reported, never removed.
        assert "use types.{instant, duration};" in clock
        if _enabled(preset, "unused-use"):
            assert "use types.{instant};" not in clock, "the unsafe removal was not applied"
            assert after != before
    elif fixture == "one-world-two-versions":
        # Reported, but not rewritten: the world would import `fix:dep/api@1.1.0` twice.
        assert "import fix:dep/api@1.0.0;" in fixed["app.wit"]
    elif fixture == "comment-slashes":
        banners = fixed["banners.wit"]
        # The banner's run is left alone; the `////` comment becomes a `///` one.
        assert "  ////////////////////\n  // Document - Insert\n" in banners
        if _enabled(preset, "plain-comment-becomes-doc"):
            assert "  /// Removes a document. ////\n  /// Does nothing" in banners
        assert after == before, "the docs changed"
    else:
        if _enabled(preset, "semver-duplicate-dependency"):
            assert "fix:dep/api@1.1.0" in fixed["app.wit"], "the version merge was not applied"
            assert "fix:dep/api@1.0.0" not in fixed["app.wit"]
            assert after != before
