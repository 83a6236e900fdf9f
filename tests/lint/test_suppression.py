"""Suppression comments: where they apply, what is reported about them."""

from __future__ import annotations

from wit_ls.lint import LintConfig, lint_text

CFG = LintConfig(select=["string-error", "meta"])


def codes(text: str) -> list[tuple[str, int]]:
    source = text.encode()
    return [(d.code, source[: d.start].count(b"\n") + 1) for d in lint_text(text, config=CFG)]


def test_trailing_and_inline_block_suppress_their_line() -> None:
    text = ("package a:b;\ninterface i {\n"
            "    f: func() -> result<u8, string> /* wit-ls: ignore[string-error] */;\n"
            "    g: func() -> result<u8, string>;\n"
            "    h: func() -> result<u8, string>; // wit-ls: ignore[WIT501] -- last item\n}\n")
    assert codes(text) == [("string-error", 4)]


def test_own_line_suppresses_next_line_through_gates() -> None:
    text = ("package a:b@1.0.0;\ninterface i {\n"
            "    @since(version = 1.0.0)\n"
            "    // wit-ls: ignore[string-error]\n"
            "    f: func() -> result<u8, string>;\n"
            "    // wit-ls: ignore[string-error]\n"
            "    @since(version = 1.0.0)\n"
            "    g: func() -> result<u8, string>;\n}\n")
    # the second one works but leaks into g's docs
    assert codes(text) == [("suppression-in-docs", 6)]


def test_file_level() -> None:
    text = ("package a:b;\ninterface i {\n    f: func() -> result<u8, string>;\n}\n"
            "// wit-ls: ignore-file[string-error]\n")
    assert codes(text) == []


def test_other_rules_are_not_suppressed() -> None:
    text = ("package a:b;\ninterface i {\n"
            "    f: func() -> result<u8, string> /* wit-ls: ignore[list-char] */;\n}\n")
    assert codes(text) == [("string-error", 3)]


def test_unused_only_reported_for_enabled_rules() -> None:
    text = ("package a:b;\ninterface i {\n"
            "    f: func() /* wit-ls: ignore[missing-docs, string-error] */;\n}\n")
    assert codes(text) == [("unused-suppression", 3)]
    diags = lint_text(text, config=CFG)
    assert text.encode()[diags[0].start:diags[0].end] == b"string-error"
    assert "unnecessary" in diags[0].tags


def test_unknown_rule_and_bad_syntax() -> None:
    text = ("package a:b;\ninterface i {\n"
            "    f: func() /* wit-ls: ignore[no-such-rule] */;\n"
            "    g: func() /* wit-ls: ignore string-error */;\n"
            "    h: func() /* wit-ls:ignore[string-error] trailing words */;\n}\n")
    got = codes(text)
    assert got.count(("invalid-suppression", 3)) == 1
    assert ("invalid-suppression", 4) in got
    assert ("invalid-suppression", 5) in got


def test_plain_mention_is_not_a_directive() -> None:
    text = ("package a:b;\ninterface i {\n    f: func();\n"
            "    // see the wit-ls: docs for more\n}\n")
    assert codes(text) == []


def test_a_category_suppresses_its_rules() -> None:
    text = ("package a:b;\ninterface i {\n"
            "    f: func() -> result<u8, string> /* wit-ls: ignore[api-design] */;\n"
            "    g: func() -> result<u8, string> /* wit-ls: ignore[style] */;\n"
            "    h: func() /* wit-ls: ignore[api-design] */;\n}\n"
            "// wit-ls: ignore-file[docs]\n")
    # `style` holds no string-error (and no enabled rule, so it is not reported as unused,
    # nor is `docs`); the third names a category with nothing to suppress there.
    assert codes(text) == [("string-error", 4), ("unused-suppression", 5)]
