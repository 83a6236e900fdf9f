"""The registry and the library API the language server uses."""

from __future__ import annotations

import importlib
import re

import pytest

from wit_ls.lint import code_actions, lint, lint_text
from wit_ls.lint.config import CATEGORIES, LintConfig
from wit_ls.lint.registry import RULES
from wit_ls.lint.rule import Finding, Rule
from wit_ls.syntax import TextEdit, apply_edits, parse


def test_registry_shape() -> None:
    assert len(RULES) >= 30
    assert len({r.name for r in RULES}) == len(RULES)
    assert len({r.code for r in RULES}) == len(RULES)
    prefix = {"correctness": "WIT1", "style": "WIT2", "docs": "WIT3", "versioning": "WIT4",
              "api-design": "WIT5", "performance": "WIT6", "meta": "WIT9"}
    for rule in RULES:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name)
        assert re.fullmatch(r"WIT\d{3}", rule.code)
        assert rule.category in CATEGORIES and rule.code.startswith(prefix[rule.category])
        assert rule.default_level in ("error", "warn", "info", "hint", "off")
        assert rule.fix in ("safe", "unsafe", "none")
        assert all([rule.summary, rule.what, rule.why, rule.bad, rule.good, rule.fix_doc])
        module = importlib.import_module("wit_ls.lint.rules." + rule.name.replace("-", "_"))
        assert module.RULE is rule, "one module per rule, named after it"


@pytest.mark.parametrize("rule", [r for r in RULES if r.name != "file-naming"],
                         ids=lambda r: r.name)
def test_doc_examples(rule: Rule) -> None:
    """The bad example triggers the rule; the good one does not."""
    config = LintConfig(select=[rule.name, "string-error"] if rule.category == "meta"
                        else [rule.name])
    bad = [d for d in lint_text(rule.bad, config=config) if d.code == rule.name]
    good = [d for d in lint_text(rule.good, config=config) if d.code == rule.name]
    assert bad, f"the bad example of {rule.name} is not reported"
    assert not good, f"the good example of {rule.name} is reported: {good}"


def test_diagnostic_data_and_tags() -> None:
    text = "package a:b;\ninterface i { %f: func(); }\n"
    diag = next(d for d in lint_text(text) if d.code == "unnecessary-escape")
    assert diag.data["code"] == "WIT201" and diag.data["rule"] == "unnecessary-escape"
    assert str(diag.data["url"]).endswith("#unnecessary-escape")
    assert diag.tags == ("unnecessary",)
    assert diag.data["fix"] == {"message": "Remove the `%`", "applicability": "safe",
                                "edits": [{"start": 27, "end": 28, "new_text": ""}]}


def test_code_actions_fix_and_suppress() -> None:
    text = "package a:b;\ninterface i {\n    f: func() -> result<u8, string>;\n    g: func();\n}\n"
    tree = parse(text)
    tree_path = "t.wit"
    diag = next(d for d in lint(tree_path, tree) if d.code == "string-error")
    actions = code_actions(diag, tree)
    titles = [a.title for a in actions]
    assert titles == ["Suppress `string-error` on this line",
                      "Suppress `string-error` in this file"]
    for action in actions:
        fixed = apply_edits(tree, list(action.edits))
        assert not [d for d in lint(tree_path, fixed) if d.code in ("string-error",
                                                                    "suppression-in-docs")]
    line = apply_edits(tree, list(actions[0].edits)).source.decode()
    assert "f: func() -> result<u8, string> /* wit-ls: ignore[string-error] */;" in line


def test_suppress_after_gates() -> None:
    text = ("package a:b@1.0.0;\ninterface i {\n    @since(version = 1.0.0)\n"
            "    f: func() -> result<u8, string>;\n}\n")
    tree = parse(text)
    diag = next(d for d in lint("t.wit", tree) if d.code == "string-error")
    fixed = apply_edits(tree, list(code_actions(diag, tree)[0].edits))
    assert "@since(version = 1.0.0)\n    // wit-ls: ignore[string-error]\n    f:" in \
        fixed.source.decode()
    assert not [d for d in lint("t.wit", fixed) if d.code != "missing-docs"]


def test_safe_fix_action_is_preferred() -> None:
    tree = parse("package a:b@0.1.0;\ninterface i { %f: func(); }\n")
    diag = lint("t.wit", tree)[0]
    action = code_actions(diag, tree)[0]
    assert action.preferred and action.edits == (TextEdit(33, 34, b""),)


def test_crashing_rule_becomes_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from wit_ls.lint import registry

    def boom(_ctx: object) -> list[Finding]:
        raise RuntimeError("boom")

    broken = Rule(**{**RULES[0].__dict__, "check": boom})
    monkeypatch.setitem(registry.RULES_BY_NAME, RULES[0].name, broken)
    diags = lint_text("package a:b;\n", config=LintConfig(select=[RULES[0].name]))
    assert [d.code for d in diags] == ["internal-error"]
    assert "boom" in diags[0].message


@pytest.mark.parametrize("text", [
    "", "package", "interface { }", "package a:b;\ninterface i { f: func(x: ) -> ; }",
    "world w { import ; export x: interface { } include }",
    "package a:b@1.0.0; @since(version = ) interface i { /* wit-ls: ignore[",
    "\xff\xfe", "record r { a: list<u8, > }",
])
def test_broken_input_never_raises(text: str) -> None:
    diags = lint_text(text, config=LintConfig(select=["ALL"]))
    assert not [d for d in diags if d.code == "internal-error"]


def test_model_resolves_into_deps() -> None:
    """With the semantic model, aliases and deprecations in deps/ are seen."""
    model = pytest.importorskip("wit_ls.model")
    from wit_ls.model.fs import MemoryFileSystem

    files = {
        "/p/wit/deps/dep/dep.wit": (
            "package x:dep@1.0.0;\ninterface types {\n  type message = string;\n"
            "  @since(version = 0.1.0)\n  @deprecated(version = 1.0.0)\n  type old = u32;\n}\n"),
        "/p/wit/main.wit": (
            "package a:b@0.1.0;\ninterface i {\n  use x:dep/types@1.0.0.{message, old};\n"
            "  f: func() -> result<u32, message>;\n  g: func(x: old);\n}\n"),
    }
    analysis = model.analyze(MemoryFileSystem(files), ["/p/wit"], model.Options())
    path = "/p/wit/main.wit"
    tree = analysis.files[path]
    config = LintConfig(select=["string-error", "deprecated-usage"])
    with_model = {(d.code, tree.source[: d.start].count(b"\n") + 1)
                  for d in lint(path, tree, config=config, analysis=analysis)}
    assert with_model == {("string-error", 4), ("deprecated-usage", 5)}
    assert lint(path, tree, config=config) == []  # without the model: skipped, not guessed


def test_readme_rule_table_matches_the_registry() -> None:
    from lint.helpers import REPO

    readme = (REPO / "README.md").read_text("utf-8")
    rows: dict[str, tuple[str, str]] = {}
    for line in readme.splitlines():
        for code, name, default in re.findall(
                r"\|\s*(WIT\d{3})\s*\|\s*([a-z-]+)\s*\|\s*([a-z]+)[^|]*\|", line):
            rows[name] = (code, default)
    assert rows == {r.name: (r.code, r.default_level) for r in RULES}
    count = re.search(r"\*\*`wit-ls lint`\*\*: (\d+) best-practice rules", readme)
    assert count is not None and int(count.group(1)) == len(RULES)


def test_vendored_files_get_no_findings() -> None:
    from wit_ls.lint import is_vendored

    tree = parse("package a:b;\ninterface i { f: func() -> result<u8, string>; }\n")
    assert "string-error" in [d.code for d in lint("/w/wit/i.wit", tree)]
    assert lint("/w/wit/deps/a-b/i.wit", tree) == []
    assert is_vendored("/w/wit/deps/i.wit") and is_vendored("C:\\w\\deps\\x\\i.wit")
    assert not is_vendored("/w/deps.wit") and not is_vendored("/w/wit/deps-tool/i.wit")
    config = LintConfig(exclude=("legacy/**",), root="/w")
    assert is_vendored("/w/legacy/old.wit", config) and lint("/w/legacy/old.wit", tree,
                                                            config=config) == []


def test_good_examples_pass_wasm_tools(tmp_path: object) -> None:
    """Every rule's documented good example is valid WIT for the reference parser."""
    from pathlib import Path

    from support.oracle import run_oracle_many, wasm_tools

    if wasm_tools() is None:
        pytest.skip("wasm-tools not found")
    assert isinstance(tmp_path, Path)
    jobs: list[dict[str, object]] = []
    names = []
    for rule in RULES:
        if rule.name == "file-naming":
            continue  # its examples are file names, not WIT
        path = tmp_path / f"{rule.name}.wit"
        path.write_text(rule.good, "utf-8")
        jobs.append({"path": path, "all_features": True})
        names.append(rule.name)
    results = run_oracle_many(jobs)
    failing = {n: r.first_message for n, r in zip(names, results, strict=True) if not r.ok}
    assert not failing, failing
