"""`wit-ls lint` and `wit-ls rules` as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from lint.helpers import REPO

from wit_ls.lint.docs import render_rules_markdown
from wit_ls.lint.registry import RULES

BAD = "package a:b;\n\ninterface i {\n    %f: func() -> result<u8, string>;\n}\n"
CLEAN = "package a:b@0.1.0;\n\ninterface i {\n    f: func() -> u8;\n}\n"


def wit_ls(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "wit_ls", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "wit").mkdir()
    (tmp_path / "wit" / "api.wit").write_text(BAD)
    return tmp_path


def test_exit_codes(project: Path) -> None:
    assert wit_ls("lint", "wit", cwd=project).returncode == 1
    assert wit_ls("lint", "wit", "--exit-zero", cwd=project).returncode == 0
    assert wit_ls("lint", "wit", "--fail-on", "error", cwd=project).returncode == 0
    assert wit_ls("lint", "wit", "--select", "nope", cwd=project).returncode == 2
    assert wit_ls("lint", "missing-dir", cwd=project).returncode == 2
    (project / "clean.wit").write_text(CLEAN)
    result = wit_ls("lint", "clean.wit", cwd=project)
    assert result.returncode == 0, result.stdout


def test_broken_config_exit_2_with_location(project: Path) -> None:
    (project / "wit-ls.toml").write_text("[lint]\npreset = 'loose'\n")
    result = wit_ls("lint", "wit", cwd=project)
    assert result.returncode == 2
    assert "wit-ls.toml:2:" in result.stderr and "unknown preset" in result.stderr
    assert wit_ls("lint", "wit", "--isolated", cwd=project).returncode == 1


def test_config_file_is_used(project: Path) -> None:
    (project / "wit-ls.toml").write_text(
        "[lint]\nignore = ['string-error', 'unnecessary-escape', 'missing-package-version']\n")
    assert wit_ls("lint", "wit", cwd=project).returncode == 0


def test_formats(project: Path) -> None:
    out = json.loads(wit_ls("lint", "wit", "-f", "json", cwd=project).stdout)
    assert {o["name"] for o in out} == {"unnecessary-escape", "string-error",
                                       "missing-package-version"}
    escape = next(o for o in out if o["name"] == "unnecessary-escape")
    assert escape["location"] == {"row": 4, "column": 5}
    assert escape["code"] == "WIT201" and escape["fix"]["applicability"] == "safe"
    assert escape["filename"] == "wit/api.wit"

    sarif = json.loads(wit_ls("lint", "wit", "-f", "sarif", cwd=project).stdout)
    check_sarif(sarif)
    result = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "WIT201")
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (4, 5, 7)

    github = wit_ls("lint", "wit", "-f", "github", cwd=project).stdout.splitlines()
    assert any(line.startswith("::warning title=wit-ls (WIT201 unnecessary-escape),"
                               "file=wit/api.wit,line=4,col=5,endLine=4,endColumn=7::")
               for line in github), github

    gitlab = json.loads(wit_ls("lint", "wit", "-f", "gitlab", cwd=project).stdout)
    assert all({"description", "check_name", "fingerprint", "severity", "location"} <= set(g)
               for g in gitlab)
    assert len({g["fingerprint"] for g in gitlab}) == len(gitlab)

    junit = ET.fromstring(wit_ls("lint", "wit", "-f", "junit", cwd=project).stdout)
    assert junit.tag == "testsuites" and junit.get("failures") == "3"

    concise = wit_ls("lint", "wit", "-f", "concise", cwd=project).stdout
    assert "wit/api.wit:4:5: warning WIT201 [*]" in concise

    full = wit_ls("lint", "wit", cwd=project).stdout
    assert "4 |     %f: func() -> result<u8, string>;" in full

    stats = wit_ls("lint", "wit", "--statistics", cwd=project).stdout
    assert "1\tWIT201\t[*]\tunnecessary-escape" in stats


def check_sarif(sarif: dict) -> None:  # type: ignore[type-arg]
    """The fields GitHub code scanning needs."""
    assert sarif["version"] == "2.1.0" and "$schema" in sarif
    run = sarif["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "wit-ls" and driver["rules"]
    for rule in driver["rules"]:
        assert rule["id"] and rule["shortDescription"]["text"] and rule["helpUri"]
        assert rule["fullDescription"]["text"]
    ids = [r["id"] for r in driver["rules"]]
    for result in run["results"]:
        assert result["ruleId"] == ids[result["ruleIndex"]]
        assert result["level"] in ("error", "warning", "note", "none")
        assert result["message"]["text"]
        loc = result["locations"][0]["physicalLocation"]
        uri = loc["artifactLocation"]["uri"]
        assert not uri.startswith("/") and "\\" not in uri
        assert loc["artifactLocation"].get("uriBaseId") == "%SRCROOT%"
        assert loc["region"]["startLine"] >= 1 and loc["region"]["startColumn"] >= 1
        assert result["partialFingerprints"]


def test_fix_and_diff(project: Path) -> None:
    target = project / "wit" / "api.wit"
    diff = wit_ls("lint", "wit", "--diff", cwd=project)
    assert diff.returncode == 1
    assert "-    %f: func()" in diff.stdout and "+    f: func()" in diff.stdout
    assert target.read_text() == BAD  # --diff writes nothing
    fixed = wit_ls("lint", "wit", "--fix", cwd=project)
    assert fixed.returncode == 1  # string-error has no fix
    assert target.read_text() == BAD.replace("%f", "f")
    assert "Fixed 1 problem" in fixed.stdout
    wit_ls("lint", "wit", "--fix", "--unsafe-fixes", cwd=project)
    assert target.read_text().startswith("package a:b@0.1.0;")


def test_deps_are_skipped(project: Path) -> None:
    (project / "wit" / "deps" / "x").mkdir(parents=True)
    (project / "wit" / "deps" / "x" / "x.wit").write_text(BAD.replace("a:b", "x:x"))
    out = json.loads(wit_ls("lint", "wit", "-f", "json", cwd=project).stdout)
    assert {o["filename"] for o in out} == {"wit/api.wit"}
    out = json.loads(wit_ls("lint", "wit", "-f", "json", "--include-deps", cwd=project).stdout)
    assert {o["filename"] for o in out} == {"wit/api.wit", "wit/deps/x/x.wit"}


def test_rules_command(tmp_path: Path) -> None:
    table = wit_ls("rules", cwd=tmp_path)
    assert table.returncode == 0
    assert all(r.code in table.stdout and r.name in table.stdout for r in RULES)
    data = json.loads(wit_ls("rules", "--format", "json", cwd=tmp_path).stdout)
    assert [d["name"] for d in data] == [r.name for r in RULES]
    page = wit_ls("rules", "WIT204", cwd=tmp_path)
    assert page.stdout.startswith("# unused-use") and "**Bad:**" in page.stdout
    assert wit_ls("rules", "nope", cwd=tmp_path).returncode == 2


def test_docs_rules_md_is_fresh() -> None:
    path = REPO / "docs" / "rules.md"
    assert path.read_text("utf-8") == render_rules_markdown(), (
        "docs/rules.md is stale: run `python -m wit_ls.lint.docs > docs/rules.md`")


def test_single_file_sees_its_package(tmp_path: Path) -> None:
    """pre-commit passes only changed files; siblings still give context."""
    (tmp_path / "wit").mkdir()
    (tmp_path / "wit" / "a.wit").write_text(
        "package a:b;\ninterface t { type x = u32; }\ninterface reexp { use t.{x}; }\n")
    (tmp_path / "wit" / "b.wit").write_text(
        "package a:b;\ninterface u { use reexp.{x}; f: func(a: x); }\n")
    for extra in ([], ["--no-model"]):
        out = json.loads(wit_ls("lint", "wit/a.wit", "-f", "json", "--select", "unused-use",
                                *extra, cwd=tmp_path).stdout)
        assert out == []
    (tmp_path / "wit" / "b.wit").write_text("package a:b;\ninterface u { f: func(); }\n")
    out = json.loads(wit_ls("lint", "wit/a.wit", "-f", "json", "--select", "unused-use",
                            cwd=tmp_path).stdout)
    assert [(o["filename"], o["name"]) for o in out] == [("wit/a.wit", "unused-use")]


def test_checker_errors_are_reported_and_fail(tmp_path: Path) -> None:
    (tmp_path / "a.wit").write_text(
        "package a:b@0.1.0;\n\ninterface i {\n    f: func(x: nope);\n}\n")
    result = wit_ls("lint", ".", "-f", "concise", cwd=tmp_path)
    assert result.returncode == 1, result.stdout
    assert "a.wit:4:16: error" in result.stdout and "unknown-name" in result.stdout
    assert "All checks passed" not in result.stdout


def test_fixes_converge_across_the_files_of_a_package(tmp_path: Path) -> None:
    # The version that missing-package-version adds to `a.wit` is what since-missing needs
    # to gate `b.wit`: both land in the same run, and a second run changes nothing.
    (tmp_path / "a.wit").write_text("package a:b;\n\ninterface x {\n    f: func();\n}\n")
    (tmp_path / "b.wit").write_text("interface y {\n    g: func();\n}\n")
    args = ["lint", ".", "--select", "since-missing,missing-package-version", "--fix",
            "--unsafe-fixes", "--exit-zero"]
    first = wit_ls(*args, cwd=tmp_path)
    assert "Fixed" in first.stdout, first.stdout + first.stderr
    texts = {p.name: p.read_text() for p in tmp_path.glob("*.wit")}
    assert "@since(version = 0.1.0)\ninterface y" in texts["b.wit"], texts
    second = wit_ls(*args, cwd=tmp_path)
    assert "Fixed" not in second.stdout
    assert {p.name: p.read_text() for p in tmp_path.glob("*.wit")} == texts


def test_checker_errors_are_reported_after_fixes(tmp_path: Path) -> None:
    # Two files naming two packages: a fix changes both files, the checker's error stays and
    # is reported (it was dropped once a file's text had changed: found on real WIT).
    (tmp_path / "a.wit").write_text("package a:b;\n\ninterface x {}\n")
    (tmp_path / "b.wit").write_text("package a:c;\n\ninterface y {}\n")
    args = ["lint", ".", "--select", "missing-package-version", "-f", "concise", "--isolated"]
    fixed = wit_ls(*args, "--fix", "--unsafe-fixes", cwd=tmp_path)
    assert "Fixed 2 problems" in fixed.stdout, fixed.stdout + fixed.stderr
    assert "b.wit:1:9: error package-name-mismatch package identifier `a:c@0.1.0`" \
        in fixed.stdout, fixed.stdout
    assert fixed.returncode == 1
    assert wit_ls(*args, cwd=tmp_path).stdout == fixed.stdout.replace("Fixed 2 problems.\n", "")


def _prints(text: str, tmp_path: Path) -> tuple[list[str], list[str]]:
    (tmp_path / "a.wit").write_text(text)
    sarif = json.loads(wit_ls("lint", ".", "-f", "sarif", "--select", "string-error",
                              cwd=tmp_path).stdout)
    gitlab = json.loads(wit_ls("lint", ".", "-f", "gitlab", "--select", "string-error",
                               cwd=tmp_path).stdout)
    return ([r["partialFingerprints"]["witLsFingerprint/v2"] for r in sarif["runs"][0]["results"]],
            [g["fingerprint"] for g in gitlab])


def test_fingerprints_are_unique_and_survive_moved_lines(tmp_path: Path) -> None:
    # Two identical lines in two interfaces: same rule, line text and message.
    body = "interface {0} {{\n    f: func() -> result<u8, string>;\n}}\n"
    text = "package a:b;\n\n" + body.format("x") + body.format("y")
    sarif, gitlab = _prints(text, tmp_path)
    assert len(sarif) == 2 and len(set(sarif)) == 2 and len(set(gitlab)) == 2
    moved_sarif, moved_gitlab = _prints(text.replace("package a:b;\n", "package a:b;\n\n\n"),
                                        tmp_path)
    assert (moved_sarif, moved_gitlab) == (sarif, gitlab)


def test_junit_totals_are_the_sum_of_the_suites(tmp_path: Path) -> None:
    (tmp_path / "a.wit").write_text("package a:b;\ninterface i { f: func() -> result<u8, string>;"
                                    " g: func() -> result<u8, string>; }\n")
    (tmp_path / "b.wit").write_text("interface j {}\n")
    root = ET.fromstring(wit_ls("lint", ".", "-f", "junit", "--select", "string-error",
                                cwd=tmp_path).stdout)
    suites = root.findall("testsuite")
    assert len(suites) == 2
    for attr in ("tests", "failures"):
        assert int(root.get(attr, "")) == sum(int(s.get(attr, "")) for s in suites), attr
    assert root.get("tests") == "3" and root.get("failures") == "2"


def test_add_suppressions_is_a_baseline(tmp_path: Path) -> None:
    text = ("package a:b@1.0.0;\n\ninterface i {\n    /// Opens it.\n    @since(version = 1.0.0)\n"
            "    %open: func() -> result<u8, string>;\n"
            "    close: func() -> result<u8, string>;\n}\n")
    (tmp_path / "a.wit").write_text(text)
    first = wit_ls("lint", ".", "--add-suppressions", "-f", "concise", cwd=tmp_path)
    assert "Added" in first.stdout, first.stdout + first.stderr
    after = wit_ls("lint", ".", "-f", "concise", cwd=tmp_path)
    assert after.returncode == 0 and "All checks passed!" in after.stdout, after.stdout
    # The comments are placed where wit-parser does not make them documentation.
    fixed = (tmp_path / "a.wit").read_text()
    assert fixed.count("wit-ls: ignore[") >= 3
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "a.wit").write_text(text)
    tool = Path(sys.executable).parent / "wasm-tools"
    if tool.exists():
        def docs(folder: Path) -> object:
            out = subprocess.run([str(tool), "component", "wit", "--json", str(folder)],
                                 capture_output=True, text=True, check=True).stdout
            return json.loads(out)["interfaces"]
        (tmp_path / "c").mkdir()
        (tmp_path / "c" / "a.wit").write_text(fixed)
        assert docs(tmp_path / "c") == docs(tmp_path / "b")
