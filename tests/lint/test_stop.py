"""A lint run asked to stop (the editor's text changed meanwhile) ends with LintCancelled,
never with part of its findings; a run never asked to stop finds what a plain run finds."""

from __future__ import annotations

import pytest

from wit_ls.lint import lint
from wit_ls.lint.context import file_facts
from wit_ls.lint.engine import LintCancelled
from wit_ls.syntax import parse


def _text(functions: int) -> str:
    """``functions`` findings of one rule (string-error): a rule is asked to stop midway."""
    return "package example:stop@0.1.0;\n\ninterface api {\n" + "".join(
        f"  fn{i}: func() -> result<u32, string>;\n" for i in range(functions)) + "}\n"


TEXT = _text(200)


def _questions(text: str) -> int:
    asked = 0

    def never() -> bool:
        nonlocal asked
        asked += 1
        return False

    lint("/p/api.wit", parse(text), stop=never)
    return asked


def test_a_run_never_stopped_finds_the_same() -> None:
    plain = lint("/p/api.wit", parse(TEXT))
    assert len([d for d in plain if d.code == "string-error"]) == 200
    assert lint("/p/api.wit", parse(TEXT), stop=lambda: False) == plain
    # Asked within a rule's findings too, not only between rules (the same rules run on both).
    assert _questions(TEXT) - _questions(_text(1)) >= 200 // 64


def test_a_run_stops_at_whichever_question_answers_true() -> None:
    total = 0

    def count() -> bool:
        nonlocal total
        total += 1
        return False

    lint("/p/api.wit", parse(TEXT), stop=count)
    for n in range(1, total + 1):
        asked = 0

        def at_n(n: int = n) -> bool:
            nonlocal asked
            asked += 1
            return asked >= n

        with pytest.raises(LintCancelled):
            lint("/p/api.wit", parse(TEXT), stop=at_n)
        assert asked == n


def test_the_tree_walk_is_asked_every_few_items_and_finds_the_same() -> None:
    """The walk of a file's nodes (before any rule runs) stops between top-level items."""
    tree = parse("package example:walk@0.1.0;\n\n" + "".join(
        f"/// Docs {i}.\ninterface i{i} {{\n  f: func() -> result<u32, string>;\n}}\n"
        for i in range(200)))
    asked = 0

    def check() -> None:
        nonlocal asked
        asked += 1

    sliced, plain = file_facts(tree, check), file_facts(tree)
    assert asked >= 200 // 32
    assert {kind: [(n.start_byte, n.end_byte) for n in nodes]
            for kind, nodes in sliced.by_type.items()} == {
        kind: [(n.start_byte, n.end_byte) for n in nodes]
        for kind, nodes in plain.by_type.items()}
    assert sliced.comment_starts == plain.comment_starts
