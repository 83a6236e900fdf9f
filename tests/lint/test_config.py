"""Configuration: discovery, schema errors with locations, presets and selectors."""

from __future__ import annotations

from pathlib import Path

import pytest

from wit_ls.host.disk import DiskFileSystem
from wit_ls.lint import ConfigError, LintConfig, lint_text
from wit_ls.lint.config import config_for, find_config, parse_config, preset_levels
from wit_ls.lint.registry import RULES_BY_NAME
from wit_ls.model.fs import MemoryFileSystem

STRING_ERROR = "package a:b;\ninterface i { f: func() -> result<u8, string>; }\n"


def test_discovery_nearest_wins_and_order() -> None:
    fs = MemoryFileSystem({
        "/p/wit-ls.toml": "[lint]\npreset = 'strict'\n",
        "/p/sub/.wit-ls.toml": "[lint]\npreset = 'minimal'\n",
        "/p/sub/wit-ls.toml": "[lint]\npreset = 'wasi'\n",
        "/p/sub/x.wit": "",
        "/p/other/x.wit": "",
        "/q/pyproject.toml": "[tool.wit-ls.lint]\npreset = 'strict'\n",
        "/q/w/x.wit": "",
        "/r/pyproject.toml": "[tool.ruff]\n",
        "/r/x.wit": "",
    })
    assert find_config("/p/sub/x.wit", fs) == "/p/sub/.wit-ls.toml"
    assert find_config("/p/other/x.wit", fs) == "/p/wit-ls.toml"
    assert find_config("/q/w/x.wit", fs) == "/q/pyproject.toml"
    assert find_config("/r/x.wit", fs) is None
    assert config_for("/p/sub/x.wit", fs).preset == "minimal"
    assert config_for("/q/w/x.wit", fs).preset == "strict"
    assert config_for("/r/x.wit", fs).preset == "recommended"


def test_disk_discovery(tmp_path: Path) -> None:
    (tmp_path / "wit").mkdir()
    (tmp_path / "wit-ls.toml").write_text("[lint]\nignore = ['string-error']\n")
    cfg = config_for((tmp_path / "wit" / "a.wit").as_posix(), DiskFileSystem())
    assert cfg.ignore == ["string-error"]


@pytest.mark.parametrize(("text", "line", "fragment"), [
    ("[lint]\npreset = 'loose'\n", 2, "unknown preset `loose`"),
    ("[lint]\nselect = ['nope']\n", 2, "unknown rule selector `nope`"),
    ("[lint]\n\n[lint.rules]\nstring-error = 'loud'\n", 4, "level of `string-error`"),
    ("colour = 1\n", 1, "unknown key `colour`"),
    ("[lint]\nprest = 'strict'\n", 2, "unknown key `lint.prest`"),
    ("[lint\n", 1, "invalid TOML"),
    ("features = 'a'\n", 1, "`features` must be a list of strings"),
    ("[lint.options.nope]\nx = 1\n", 1, "options for unknown rule `nope`"),
    ("[lint]\n[lint.options.too-many-params]\nmaximum = 2\n", 3,
     "unknown option `maximum` for `too-many-params`"),
    ("[lint.options.too-many-params]\nmax = 'six'\n", 2, "`max` of `too-many-params` must be an"),
    ("[lint.options.too-many-params]\nmax = -1\n", 2, "must be 0 or more, not -1"),
    ("[lint.options.name-stutter]\ninterface-members = 1\n", 2, "must be true or false"),
    ("[lint.options.since-missing]\nscope = 'some'\n", 2, "must be one of `all`, `top-level`"),
    ("[lint.options.closed-error-type]\ncatch-all-names = 'other'\n", 2,
     "must be a list of strings"),
    ("[lint.options.missing-package-version]\ndefault-version = '1.0'\n", 2,
     "must be a semver version"),
    ("[lint.options.large-list-prefer-stream]\nnames = '('\n", 2,
     "not a valid regular expression"),
    ("breaking = 'HEAD'\n", 1, "`breaking` must be a table"),
    ("[breaking]\nagainst = 3\n", 2, "`breaking.against` must be a git revision or a folder"),
    ("[breaking]\nagainst = ' '\n", 2, "`breaking.against` must be a git revision or a folder"),
    ("[breaking]\nagianst = 'HEAD'\n", 2, "unknown key `breaking.agianst`"),
])
def test_broken_config_is_located(text: str, line: int, fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(text, "cfg/wit-ls.toml")
    err = info.value
    assert fragment in err.message
    assert err.line == line
    assert str(err).startswith(f"cfg/wit-ls.toml:{line}:")


def test_the_breaking_table_names_the_older_version() -> None:
    assert parse_config("[breaking]\nagainst = ' origin/main '\n").breaking_against == "origin/main"
    assert parse_config("[lint]\npreset = 'strict'\n").breaking_against is None
    text = "[tool.wit-ls.breaking]\nagainst = 'v0.2.0'\n"
    assert parse_config(text, "pyproject.toml", pyproject=True).breaking_against == "v0.2.0"


def test_pyproject_errors_are_located() -> None:
    text = "[project]\nname = 'x'\n\n[tool.wit-ls.lint]\npreset = 'nope'\n"
    with pytest.raises(ConfigError) as info:
        parse_config(text, "pyproject.toml", pyproject=True)
    assert info.value.line == 5


def test_presets() -> None:
    minimal = preset_levels("minimal", RULES_BY_NAME)
    recommended = preset_levels("recommended", RULES_BY_NAME)
    strict = preset_levels("strict", RULES_BY_NAME)
    wasi = preset_levels("wasi", RULES_BY_NAME)
    assert minimal["string-error"] == "off" and minimal["encoding-only-error"] == "error"
    assert recommended["string-error"] == "warn" and recommended["missing-docs"] == "off"
    assert strict["missing-docs"] == "warn" and strict["name-stutter"] == "warn"
    assert wasi["since-missing"] == wasi["missing-docs"] == "error"
    assert all(level != "off" for level in strict.values())


def test_select_ignore_levels_and_per_file() -> None:
    rules = RULES_BY_NAME
    cfg = LintConfig(select=["api-design"], ignore=["WIT502"], levels={"string-error": "error"})
    levels = cfg.effective_levels(rules)
    assert set(levels) == {n for n, r in rules.items() if r.category == "api-design"} - {
        "untyped-error"}
    assert levels["string-error"] == "error"
    assert levels["boolean-trap"] == "info"  # off by default: enabled at its strict level
    cfg = LintConfig(select=["WIT5"], per_file_ignores={"legacy/*.wit": ["string-error"]},
                     root="/repo")
    assert "string-error" not in cfg.effective_levels(rules, "/repo/legacy/a.wit")
    assert "string-error" in cfg.effective_levels(rules, "/repo/new/a.wit")


def test_config_changes_findings() -> None:
    assert [d.code for d in lint_text(STRING_ERROR)] == ["missing-package-version",
                                                          "string-error"]
    off = parse_config("[lint]\nignore = ['string-error', 'missing-package-version']\n")
    assert lint_text(STRING_ERROR, config=off) == []
    loud = parse_config("[lint.rules]\nWIT501 = 'error'\n")
    assert {d.severity.label for d in lint_text(STRING_ERROR, config=loud)
            if d.code == "string-error"} == {"error"}


def test_rule_options() -> None:
    text = "package a:b;\ninterface i { f: func(a: u8, b: u8, c: u8); }\n"
    cfg = parse_config("[lint]\nselect = ['too-many-params']\n"
                       "[lint.options.too-many-params]\nmax = 2\n")
    assert [d.code for d in lint_text(text, config=cfg)] == ["too-many-params"]
    cfg = parse_config("[lint]\nselect = ['too-many-params']\n")
    assert lint_text(text, config=cfg) == []
