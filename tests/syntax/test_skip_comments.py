"""A check's parse steps over runs of line comments (`wit_ls.syntax.skip_comments`). Whatever
the text, the tree must be the ordinary one less comment nodes: the same nodes at the same
byte offsets, the same syntax diagnostics, the same lowering without documentation (the
header's documentation included). Checked on cases written for the places where a run may not
be stepped over, on every corpus file, and on corpus files with strings, block comments and
broken tokens inserted."""

from __future__ import annotations

import random

import pytest
from support.oracle import corpus_wit_files, shared_dir
from tree_sitter import Node

from wit_ls.model.lower import lower
from wit_ls.syntax import SyntaxTree, parse
from wit_ls.syntax.lexical import LINE_COMMENT_RUN, has_block_comment
from wit_ls.syntax.skip_comments import (
    MIN_RUN,
    comment_runs,
    comment_scan,
    parse_skipping_comments,
)


def _same_code(source: bytes) -> None:
    code = comment_scan(source)[1]
    if has_block_comment(source):
        assert code is None
    else:
        assert code == LINE_COMMENT_RUN.sub(b" ", source), source


COMMENTS = frozenset({"line_comment", "doc_comment", "block_comment"})
DOCS = b"/// " + b"documentation " * (MIN_RUN // 10) + b"\n"


def _nodes(node: Node, out: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    if node.type not in COMMENTS:
        out.append((node.type, node.start_byte, node.end_byte, node.is_named, node.has_error,
                    node.is_missing))
        for child in node.children:
            _nodes(child, out)
    return out


def _comment_count(tree: SyntaxTree) -> int:
    count = 0
    stack = [tree.root]
    while stack:
        node = stack.pop()
        count += node.type in COMMENTS
        stack.extend(node.children)
    return count


def _same(source: bytes) -> bool:
    """Assert the check's tree is the ordinary one less comments; True when runs were
    stepped over. Also that the text the scan gives the lexical checks is the source with each
    run of line comments made one space."""
    _same_code(source)
    whole = parse(source)
    skipped = parse_skipping_comments(source)
    text = source.decode("utf-8", "replace")
    assert _nodes(skipped.root, []) == _nodes(whole.root, []), text
    assert skipped.diagnostics == whole.diagnostics, text
    mine, theirs = lower(skipped, "", False), lower(whole, "", False)
    # (The order of a broken file's error ranges may differ from one parse to the next, see
    # `lower.error_ranges`; only the set matters.)
    mine.error_ranges.sort()
    theirs.error_ranges.sort()
    assert mine == theirs, text
    return _comment_count(skipped) < _comment_count(whole)


HEADER = b"/// the header's docs\n" + DOCS + b"package a:b@1.0.0;\n\n"
INTERFACE = b"interface i {\n  " + DOCS.replace(b"\n", b"\n  ") + b"f: func(a: u32) -> u32;\n}\n"

# (text, whether a run is stepped over)
CASES: list[tuple[bytes, bool]] = [
    (HEADER + INTERFACE, True),
    # The header's documentation is never stepped over (a check reads it).
    (HEADER + b"interface i {}\n", False),
    # A comment glued to the token before it, and a file ending in a comment.
    (b"package a:b;\ninterface i {\n  type t = u32" + DOCS + b"  ;\n}\n" + DOCS.rstrip(b"\n"),
     True),
    # A block comment anywhere: comments may nest, the text is parsed as it is.
    (HEADER + b"/* x */\n" + INTERFACE, False),
    # A `//` after a quote on its line may be in a string.
    (HEADER + b'@unstable(feature = "a' + DOCS.rstrip(b"\n") + b'")\n' + INTERFACE, False),
    # A quote in a comment only: nothing to fear.
    (HEADER + b'// say "hi"\n' + INTERFACE, True),
    # A syntax error: the whole parse, with its recovery.
    (HEADER + INTERFACE.replace(b"u32;", b"u32"), False),
    (HEADER + INTERFACE + b"interface", False),
    # White space the header scan does not know: nothing is stepped over.
    (b"\xc2\xa0" + DOCS + b"package a:b;\n" + INTERFACE, False),
    (b"\xef\xbb\xbf" + DOCS + b"package a:b;\n" + INTERFACE, False),
    # White space wit-parser's lexer rejects outside comments, inside a run stepped over.
    (HEADER + INTERFACE.replace(b"documentation ", b"documentation\xc2\xa0", 1), True),
    (HEADER + INTERFACE.replace(b"documentation ", b"documentation\xe3\x80\x80", 1), True),
    # Short runs are left in.
    (HEADER + b"interface i {\n  // short\n  f: func();\n}\n", False),
]


@pytest.mark.parametrize(("source", "stepped"), CASES)
def test_cases(source: bytes, stepped: bool) -> None:
    assert _same(source) is stepped


def test_runs_start_after_the_header_docs() -> None:
    source = HEADER + INTERFACE
    runs = comment_runs(source)
    assert runs
    assert all(start > source.index(b"package") for start, _ in runs)
    assert all(source[start:end].lstrip().startswith(b"//") for start, end in runs)


@pytest.mark.skipif(shared_dir() is None, reason="needs ../shared/corpus")
def test_every_corpus_file() -> None:
    files = corpus_wit_files()
    assert files
    stepped = sum(_same(path.read_bytes()) for path in files)
    assert stepped > len(files) // 4  # most real files hold a run of documentation


# Inserted at the start of a random line: strings that hold `//`, block comments, comments,
# broken tokens.
PIECES = [b'@unstable(feature = "x // y")\n', b"/* c */ ", b"// c\n", b'"// s" ', b"}", b"{",
          b"type", b"///\n", b"  // " + b"x" * MIN_RUN + b"\n", b"\"", b"use a:b/c@1.0.0.{d};\n",
          b"  // \xc2\xa0" + b"x" * MIN_RUN + b"\n", b"\xc2\xa0"]


@pytest.mark.skipif(shared_dir() is None, reason="needs ../shared/corpus")
@pytest.mark.parametrize("seed", [1, 2])
def test_corpus_mutants(seed: int) -> None:
    rng = random.Random(seed)
    files = [p for p in corpus_wit_files() if comment_runs(p.read_bytes())]
    assert files
    for path in rng.sample(files, min(80, len(files))):
        source = path.read_bytes()
        lines = source.split(b"\n")
        for _ in range(3):
            at = rng.randrange(len(lines))
            mutant = b"\n".join([*lines[:at], rng.choice(PIECES) + lines[at], *lines[at + 1:]])
            _same(mutant)


def test_a_run_after_a_quote_on_its_line_is_not_stepped_over() -> None:
    # (Stepping over it would cut the string: the tree would have an error, and the text be
    # parsed twice.)
    source = HEADER + b'@unstable(feature = "a' + DOCS.rstrip(b"\n") + b'")\n' + INTERFACE
    assert comment_runs(source) == []
    assert comment_runs(source.replace(b'"a', b"a").replace(b'")', b")"))


@pytest.mark.parametrize("text", [
    b"", b"//", b"// a", b"a // b", b"a\n// b\n  // c\nd", b"//\n//", b"a\n//b\n\n//c\n",
    b'"// s" // c\n', b"x" * 10, b"/// a\n" * 40 + b"b", b"\xc2\xa0// a\n" + DOCS + b"b",
    HEADER + INTERFACE, b"/* c */ // d\n",
])
def test_scan_blanks_what_the_lexical_checks_blank(text: bytes) -> None:
    _same_code(text)


@pytest.mark.parametrize(("text", "found"), [
    (b"", False), (b"*", False), (b"/", False), (b"*/", False), (b"/ *", False),
    (b"/*", True), (b"a /** doc */ b", True), (b"* x /* y", True), (b"/// a * b\n", False),
])
def test_has_block_comment(text: bytes, found: bool) -> None:
    assert has_block_comment(text) is found
