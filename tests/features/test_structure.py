"""Tree-only features (document symbols, semantic tokens, folding and selection ranges) and
workspace symbols, as pure functions over fixtures."""

from __future__ import annotations

from support.features import FeatureFixture

from wit_ls.features import semantic_tokens, structure, symbols
from wit_ls.syntax import parse

TEXT = """package a:b;

/// Docs.
interface i {
  use other.{t as u};
  record point {
    x: u32,
  }
  @deprecated(version = 1.0.0)
  f: func(p: point) -> u;
}
"""


def test_document_symbols_nest_under_the_package() -> None:
    def show(syms: list[symbols.DocSymbol], depth: int = 0) -> list[str]:
        out: list[str] = []
        for s in syms:
            mark = " (deprecated)" if s.deprecated else ""
            out.append(f"{'  ' * depth}{s.kind} {s.name} {s.detail}{mark}".rstrip())
            out.extend(show(s.children, depth + 1))
        return out

    assert show(symbols.document_symbols(parse(TEXT))) == [
        "package a:b",
        "  interface i",
        "    record point",
        "      field x u32",
        "    function f func(p: point) -> u (deprecated)",
    ]


def test_semantic_tokens_classify_names_by_their_declarations() -> None:
    tree = parse(TEXT)
    fx = FeatureFixture(TEXT)
    shown = [f"{fx.where(fx.path, t.start, t.end)} {t.type} {','.join(t.modifiers)}".rstrip()
             for t in semantic_tokens.semantic_tokens(tree)]
    assert shown == [
        "1:1 `package` keyword",
        "1:9 `a` namespace declaration",
        "1:11 `b` namespace declaration",
        "3:1 `/// Docs.` comment documentation",
        "4:1 `interface` keyword",
        "4:11 `i` interface declaration",
        "5:3 `use` keyword",
        "5:7 `other` interface",
        "5:14 `t` type",
        "5:16 `as` keyword",
        "5:19 `u` type declaration",
        "6:3 `record` keyword",
        "6:10 `point` struct declaration",
        "7:5 `x` property declaration",
        "7:8 `u32` type defaultLibrary",
        "9:3 `@` decorator",
        "9:4 `deprecated` decorator",
        "9:15 `version` parameter",
        "9:25 `1.0.0` number",
        "10:3 `f` function declaration,deprecated",
        "10:6 `func` keyword",
        "10:11 `p` parameter declaration",
        "10:14 `point` struct",
        "10:24 `u` type",
    ]


def test_semantic_tokens_of_a_range_and_their_delta() -> None:
    tree = parse(TEXT)
    start = TEXT.index("record")
    inside = semantic_tokens.semantic_tokens(tree, start, start + len("record point"))
    assert [(t.type, TEXT[t.start:t.end]) for t in inside] == [
        ("keyword", "record"), ("struct", "point")]
    old = [0, 0, 3, 1, 0, 1, 2, 3, 1, 0]
    new = [0, 0, 3, 1, 0, 1, 2, 4, 1, 0]
    assert semantic_tokens.diff(old, new) == (5, 5, [1, 2, 4, 1, 0])
    assert semantic_tokens.diff(old, old) == (10, 0, [])


def test_folding_ranges() -> None:
    text = """// one
// two
interface i {
  use a.{b};
  use c.{d};
  record r {
    x: u32,
  }
}
"""
    found = [(r.start_line, r.end_line, r.kind) for r in structure.folding_ranges(parse(text))]
    # A body folds up to the line before its closing brace, which stays visible.
    assert sorted(found) == [(0, 1, "comment"), (2, 7, "region"), (3, 4, "imports"),
                             (5, 6, "region")]


def test_selection_ranges_grow_from_the_cursor() -> None:
    fx = FeatureFixture("interface i {\n  f: func(p: li$0st<u8>);\n}\n")
    [chain] = structure.selection_ranges(fx.trees[fx.path], [fx.offset])
    texts = [fx.data[fx.path][s:e].decode() for s, e in chain]
    assert texts[:4] == ["list", "list<u8>", "p: list<u8>", "(p: list<u8>)"]
    assert texts[-1] == fx.data[fx.path].decode()


def test_workspace_symbols_are_fuzzy_and_skip_params() -> None:
    fx = FeatureFixture("""package a:b;
interface file-system {
  resource descriptor { read: func(len: u64); }
  read-dir: func();
}
""")
    found = symbols.workspace_symbols(fx.context().analysis.all_symbols(), "rd")
    # Subsequence matches, fewer gaps first; the parameter `len` is never listed.
    assert [(s.name, s.kind) for s in found] == [("read", "method"), ("read-dir", "function")]
    assert symbols.workspace_symbols(fx.context().analysis.all_symbols(), "len") == []
    assert [s.name for s in symbols.workspace_symbols(
        fx.context().analysis.all_symbols(), "read")] == ["read", "read-dir"]
    assert symbols.fuzzy_score("abc", "xyz") is None


def test_syntax_tree_text() -> None:
    assert structure.syntax_tree_text(parse("interface i {}\n")) == (
        "(source_file [1:1-2:1])\n"
        "  (interface_item [1:1-1:15])\n"
        "    name: (identifier [1:11-1:12] 'i')\n"
        "    body: (interface_body [1:13-1:15])\n")
