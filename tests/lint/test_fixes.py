"""Every fix: the text before and after, and the fixed text lints clean for that rule."""

from __future__ import annotations

import pytest

from wit_ls.lint import LintConfig, fix_text, lint_text
from wit_ls.lint.registry import RULES

# (rule, unsafe?, before, after)
CASES: list[tuple[str, bool, str, str]] = [
    ("encoding-only-error", True,
     "package a:b;\ninterface i { f: func() -> stream<char>; }\n",
     "package a:b;\ninterface i { f: func() -> stream<u8>; }\n"),
    ("encoding-only-error", True,
     "package Acme:Io;\ninterface i {}\n",
     "package acme:io;\ninterface i {}\n"),
    ("gate-inconsistent", True,
     "package a:b@1.2.0;\n\n@since(version = 1.1.0)\ninterface i {\n    f: func();\n"
     "    @since(version = 1.0.0)\n    g: func();\n}\n",
     "package a:b@1.2.0;\n\n@since(version = 1.1.0)\ninterface i {\n"
     "    @since(version = 1.1.0)\n    f: func();\n    @since(version = 1.1.0)\n"
     "    g: func();\n}\n"),
    ("unnecessary-escape", False,
     "package a:b;\ninterface i { %log: func(%msg: string, %type: u8); }\n",
     "package a:b;\ninterface i { log: func(msg: string, %type: u8); }\n"),
    ("unused-use", True,
     "package a:b;\ninterface t { type x = u32; type y = u32; }\ninterface i {\n"
     "    use t.{x, y};\n    f: func(a: y);\n}\n",
     "package a:b;\ninterface t { type x = u32; type y = u32; }\ninterface i {\n"
     "    use t.{y};\n    f: func(a: y);\n}\n"),
    ("unused-use", True,
     "package a:b;\ninterface t { type x = u32; }\nworld w {\n    use t.{x};\n"
     "    import f: func();\n}\n",
     "package a:b;\ninterface t { type x = u32; }\nworld w {\n    import f: func();\n}\n"),
    ("unused-use", True,  # a versioned interface re-exports its uses: unsafe
     "package a:b@1.0.0;\ninterface t { type x = u32; }\ninterface i {\n    use t.{x};\n}\n",
     "package a:b@1.0.0;\ninterface t { type x = u32; }\ninterface i {\n}\n"),
    ("redundant-use-alias", False,
     "package a:b;\ninterface t { type x = u32; }\ninterface i {\n    use t.{x as x};\n"
     "    f: func(a: x);\n}\n",
     "package a:b;\ninterface t { type x = u32; }\ninterface i {\n    use t.{x};\n"
     "    f: func(a: x);\n}\n"),
    ("empty-resource-body", False,
     "package a:b;\ninterface i { resource r {} }\n",
     "package a:b;\ninterface i { resource r; }\n"),
    ("plain-comment-becomes-doc", True,
     "package a:b;\ninterface i {\n    // Open it.\n    open: func();\n}\n",
     "package a:b;\ninterface i {\n    /// Open it.\n    open: func();\n}\n"),
    ("missing-package-version", True,
     "package acme:kv;\ninterface i {}\n",
     "package acme:kv@0.1.0;\ninterface i {}\n"),
    ("since-missing", True,
     "package a:b@0.3.0;\n\ninterface i {\n    now: func();\n}\n",
     "package a:b@0.3.0;\n\n@since(version = 0.3.0)\ninterface i {\n"
     "    @since(version = 0.3.0)\n    now: func();\n}\n"),
    ("semver-duplicate-dependency", True,
     "package a:b;\nworld w {\n    import wasi:io/streams@0.2.0;\n"
     "    import wasi:io/poll@0.2.3;\n}\n",
     "package a:b;\nworld w {\n    import wasi:io/streams@0.2.3;\n"
     "    import wasi:io/poll@0.2.3;\n}\n"),
    ("gate-inconsistent", True,  # semver order: rc.10 is newer than rc.9
     "package a:b@1.0.0-rc.10;\n\n@since(version = 1.0.0-rc.10)\ninterface i {\n"
     "    @since(version = 1.0.0-rc.9)\n    g: func();\n"
     "    @since(version = 1.0.0-rc.11)\n    h: func();\n}\n",
     "package a:b@1.0.0-rc.10;\n\n@since(version = 1.0.0-rc.10)\ninterface i {\n"
     "    @since(version = 1.0.0-rc.10)\n    g: func();\n"
     "    @since(version = 1.0.0-rc.11)\n    h: func();\n}\n"),
    ("list-char", True,
     "package a:b;\ninterface i { f: func(n: list<char>); }\n",
     "package a:b;\ninterface i { f: func(n: string); }\n"),
    ("unused-suppression", False,
     "package a:b;\ninterface i {\n    f: func() /* wit-ls: ignore[string-error] */;\n}\n",
     "package a:b;\ninterface i {\n    f: func();\n}\n"),
    ("unused-suppression", False,
     "package a:b;\ninterface i {\n    f: func() -> result<u8, string> "
     "/* wit-ls: ignore[string-error, list-char] */;\n}\n",
     "package a:b;\ninterface i {\n    f: func() -> result<u8, string> "
     "/* wit-ls: ignore[string-error] */;\n}\n"),
    ("unused-suppression", False,
     "package a:b;\ninterface i {\n    f: func();\n}\n// wit-ls: ignore-file[list-char]\n",
     "package a:b;\ninterface i {\n    f: func();\n}\n"),
    ("suppression-in-docs", True,
     "package a:b@1.0.0;\ninterface i {\n    // wit-ls: ignore[string-error]\n"
     "    @since(version = 1.0.0)\n    f: func() -> result<u8, string>;\n}\n",
     "package a:b@1.0.0;\ninterface i {\n    @since(version = 1.0.0)\n"
     "    // wit-ls: ignore[string-error]\n    f: func() -> result<u8, string>;\n}\n"),
    ("suppression-in-docs", True,
     "package a:b;\ninterface i {\n"
     "    f: func() -> result<u8, string>; // wit-ls: ignore[string-error]\n"
     "    g: func();\n}\n",
     "package a:b;\ninterface i {\n"
     "    f: func() -> result<u8, string> /* wit-ls: ignore[string-error] */;\n"
     "    g: func();\n}\n"),
]

COMPANIONS = {"unused-suppression": ["string-error", "list-char"],
              "suppression-in-docs": ["string-error"]}


def _config(rule: str) -> LintConfig:
    return LintConfig(select=[rule, *COMPANIONS.get(rule, [])])


@pytest.mark.parametrize(("rule", "unsafe", "before", "after"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_fix(rule: str, unsafe: bool, before: str, after: str) -> None:
    config = _config(rule)
    assert any(d.code == rule and "fix" in d.data for d in lint_text(before, config=config))
    fixed, count = fix_text(before, "test.wit", config, unsafe=unsafe)
    assert fixed.decode() == after
    assert count >= 1
    assert not [d for d in lint_text(fixed, config=config) if d.code == rule]
    if unsafe:  # an unsafe fix is not applied by a plain --fix
        unchanged, _ = fix_text(before, "test.wit", config, unsafe=False)
        assert unchanged.decode() == before


def test_every_fixable_rule_has_a_fix_case() -> None:
    covered = {c[0] for c in CASES}
    fixable = {r.name for r in RULES if r.fix != "none"}
    assert fixable <= covered, fixable - covered


def test_fix_applicability_matches_registry() -> None:
    for rule, unsafe, _before, _after in CASES:
        meta = next(r for r in RULES if r.name == rule)
        if unsafe:
            assert meta.fix in ("unsafe", "safe")
        else:
            assert meta.fix == "safe", rule
