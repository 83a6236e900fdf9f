"""The query files compile, and the highlight fixtures' assertions hold (no CLI needed)."""

from __future__ import annotations

import re

import pytest
import tree_sitter as ts
from _highlight_assertions import check, parse_assertions
from _paths import GRAMMAR

QUERIES = GRAMMAR / "queries"
QUERY_FILES = sorted(QUERIES.glob("*.scm"))
FIXTURES = sorted((GRAMMAR / "test" / "highlight").glob("*.wit"))

# Capture names that nvim-treesitter documents (the subset a WIT query can sensibly use).
NVIM_CAPTURES = {
    "comment", "comment.documentation", "keyword", "keyword.type", "keyword.function",
    "keyword.coroutine", "keyword.modifier", "keyword.import", "type", "type.builtin",
    "type.definition", "function", "function.method", "variable", "variable.parameter",
    "variable.member", "constant", "module", "attribute", "string", "string.special", "number",
    "punctuation.bracket", "punctuation.delimiter", "punctuation.special", "operator",
}
# nvim-only predicates that Helix and Zed do not understand.
NON_PORTABLE = re.compile(r"#(lua-match|vim-match|contains|has-ancestor|has-parent|not-has-parent)\?")


def test_expected_query_files_exist():
    names = {p.name for p in QUERY_FILES}
    assert {"highlights.scm", "locals.scm", "folds.scm", "indents.scm", "injections.scm", "tags.scm"} <= names


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.name)
def test_query_compiles(language, path):
    query = ts.Query(language, path.read_text(encoding="utf-8"))
    assert query.pattern_count > 0


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.name)
def test_query_is_portable(path):
    assert not NON_PORTABLE.search(path.read_text(encoding="utf-8"))


def test_highlight_captures_are_nvim_names(language):
    query = ts.Query(language, (QUERIES / "highlights.scm").read_text(encoding="utf-8"))
    names = {query.capture_name(i) for i in range(query.capture_count)}
    assert names <= NVIM_CAPTURES, names - NVIM_CAPTURES


def test_tags_captures(language):
    query = ts.Query(language, (QUERIES / "tags.scm").read_text(encoding="utf-8"))
    names = {query.capture_name(i) for i in range(query.capture_count)}
    assert "name" in names
    assert all(n == "name" or n.startswith(("definition.", "reference.")) for n in names), names


def test_every_identifier_is_highlighted(language, parser):
    """No identifier in the fixtures is left without a capture (a hole in highlights.scm)."""
    query = ts.Query(language, (QUERIES / "highlights.scm").read_text(encoding="utf-8"))
    for path in FIXTURES:
        source = path.read_bytes()
        tree = parser.parse(source)
        captured = set()
        for nodes in ts.QueryCursor(query).captures(tree.root_node).values():
            captured.update((n.start_byte, n.end_byte) for n in nodes)
        stack = [tree.root_node]
        while stack:
            node = stack.pop()
            stack.extend(node.children)
            if node.type == "identifier":
                covered = any(s <= node.start_byte and node.end_byte <= e for s, e in captured)
                assert covered, f"{path.name}:{node.start_point[0] + 1}: {node.text!r} ({node.parent.type})"


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_highlight_fixture(language, path):
    query = ts.Query(language, (QUERIES / "highlights.scm").read_text(encoding="utf-8"))
    count, failures = check(language, query, path.read_text(encoding="utf-8"))
    assert count >= 20, "a highlight fixture should carry assertions"
    assert not failures, "\n".join(failures)


def test_assertion_reader():
    text = "interface i {}\n// <- keyword\n//        ^ module\n//        ^ !type\n"
    found = parse_assertions(text)
    assert [(a.row, a.column, a.capture, a.negative) for a in found] == [
        (0, 0, "keyword", False),
        (0, 10, "module", False),
        (0, 10, "type", True),
    ]


def test_assertion_checker_reports_a_wrong_capture(language):
    query = ts.Query(language, (QUERIES / "highlights.scm").read_text(encoding="utf-8"))
    count, failures = check(language, query, "interface i {}\n// <- type\n")
    assert count == 1 and len(failures) == 1
