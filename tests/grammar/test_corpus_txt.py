"""Run grammar/test/corpus/*.txt with py-tree-sitter, so CI needs no tree-sitter CLI."""

from __future__ import annotations

import pytest
from _corpus import parse_corpus, pretty, same_tree
from _paths import GRAMMAR

CORPUS = sorted((GRAMMAR / "test" / "corpus").glob("*.txt"))
CASES = [
    pytest.param(case, id=f"{path.stem}:{case.name}")
    for path in CORPUS
    for case in parse_corpus(path.read_text(encoding="utf-8"))
]


def test_corpus_is_not_empty():
    assert len(CORPUS) >= 8
    assert len(CASES) >= 50


@pytest.mark.parametrize("case", CASES)
def test_corpus_case(parser, case):
    if case.skip:
        pytest.skip(":skip in the corpus file")
    tree = parser.parse(case.input.encode("utf-8"))
    actual = str(tree.root_node)
    if case.error:
        assert tree.root_node.has_error, "marked :error but parsed without errors"
        return
    assert same_tree(case.expected, actual), f"expected:\n{case.expected}\n\nactual:\n{pretty(actual)}"


def test_error_cases_really_have_errors(parser):
    """The recovery file documents broken input: every case in it must contain an error."""
    cases = parse_corpus((GRAMMAR / "test" / "corpus" / "recovery.txt").read_text(encoding="utf-8"))
    assert cases
    for case in cases:
        if case.name.startswith("Unclosed block comment"):
            continue  # a comment, not a tree error; the syntax layer reports it
        assert parser.parse(case.input.encode()).root_node.has_error, case.name


def test_comparison_notices_differences():
    assert same_tree("(a (b))", "(a\n  (b))")
    assert not same_tree("(a (b))", "(a (c))")
    assert not same_tree("(a x: (b))", "(a y: (b))")
    assert same_tree("(a (b))", "(a x: (b))")  # no fields expected: fields are not compared


# Anonymous tokens in fields (`async`, `static`, accessor `get`/`set`, handle `own`/`borrow`) do
# not show up in S-expressions, so the corpus cannot pin them down; check them directly.
SOURCE = b"""interface i {
  a: func();
  b: async func();
  c: get() -> u8;
  d: set(v: u8);
  type o = own<r>;
  type p = borrow<r>;
  resource r {
    m: func();
    s: static func();
    t: static async func();
    u: static get() -> u8;
    v: async func();
  }
}
"""


def _member(tree, name: str):
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        field = node.child_by_field_name("name")
        if node.type in ("func_item", "method_item", "type_alias") and field is not None and field.text == name.encode():
            return node
        stack.extend(node.named_children)
    raise AssertionError(f"no member {name}")


def _token(node, field_name: str):
    child = node.child_by_field_name(field_name)
    return None if child is None else child.type


@pytest.mark.parametrize(
    ("name", "is_async", "kind"),
    [("a", False, None), ("b", True, None), ("c", False, "get"), ("d", False, "set")],
)
def test_function_modifiers(parser, name, is_async, kind):
    member = _member(parser.parse(SOURCE), name)
    signature = member.child_by_field_name("type")
    if kind is None:
        assert signature.type == "func_type"
        assert (_token(signature, "async") == "async") is is_async
    else:
        assert signature.type == "accessor"
        assert _token(signature, "kind") == kind


@pytest.mark.parametrize(
    ("name", "is_static", "is_async"),
    [("m", False, False), ("s", True, False), ("t", True, True), ("u", True, False), ("v", False, True)],
)
def test_method_modifiers(parser, name, is_static, is_async):
    member = _member(parser.parse(SOURCE), name)
    assert member.type == "method_item"
    assert (_token(member, "static") == "static") is is_static
    assert (_token(member.child_by_field_name("type"), "async") == "async") is is_async


@pytest.mark.parametrize(("name", "kind"), [("o", "own"), ("p", "borrow")])
def test_handle_kind(parser, name, kind):
    handle = _member(parser.parse(SOURCE), name).child_by_field_name("type")
    assert handle.type == "handle_type"
    assert _token(handle, "kind") == kind
