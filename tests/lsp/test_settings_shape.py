"""The settings object as the VS Code extension sends it (`initializationOptions`, and the answer
to `workspace/configuration` for section `wit`), written out here by hand from the extension's
documented shape, read by the server."""

from __future__ import annotations

from wit_ls.lsp.settings import Settings, parse_settings

FROM_VSCODE = {
    "features": ["x"],
    "allFeatures": False,
    "readOutsideWorkspace": True,
    "lint": {"preset": "strict", "rules": {"naming-convention": "off"}},
    "breaking": {"against": "origin/main"},
    "codeLens": {"references": False},
}


def test_every_setting_the_extension_sends_is_read() -> None:
    settings, problems = parse_settings(FROM_VSCODE)
    assert problems == []
    assert settings == Settings(features=("x",), lint_preset="strict",
                                lint_rules=(("naming-convention", "off"),),
                                read_outside_workspace=True, breaking_against="origin/main",
                                reference_lenses=False)


def test_the_same_under_the_wit_section() -> None:
    assert parse_settings({"wit": FROM_VSCODE}) == parse_settings(FROM_VSCODE)
    only = {"wit": {"readOutsideWorkspace": True, "breaking": {"against": "HEAD~3"}}}
    settings, problems = parse_settings(only)
    assert problems == []
    assert (settings.read_outside_workspace, settings.breaking_against) == (True, "HEAD~3")


def test_an_empty_revision_means_no_comparison() -> None:
    settings, problems = parse_settings({**FROM_VSCODE, "breaking": {"against": "  "}})
    assert problems == [] and settings.breaking_against is None


def test_wrong_types_fall_back_with_a_problem() -> None:
    settings, problems = parse_settings({"readOutsideWorkspace": "yes",
                                         "breaking": {"against": 3}})
    assert (settings.read_outside_workspace, settings.breaking_against) == (False, None)
    assert len(problems) == 2
    assert any("readOutsideWorkspace" in p for p in problems)
    assert any("breaking.against" in p for p in problems)


def test_the_reference_lenses_are_on_unless_turned_off() -> None:
    assert parse_settings({})[0].reference_lenses is True
    settings, problems = parse_settings({"codeLens": {"references": "no"}})
    assert settings.reference_lenses is True
    assert problems == ["`codeLens.references` must be true or false; using true"]
