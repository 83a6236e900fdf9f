"""The lexical checks look only at the node kinds that can be wrong in a file's text (no
comments without a block comment, no strings without a quote, no identifiers when a scan of the
text shows them all valid). Whatever the text, that must find exactly what looking at every
kind finds: checked on every corpus file and on mutants made to break identifiers, strings,
comments and versions in the places the text scan reasons about. The encoding check's ASCII
fast path likewise."""

from __future__ import annotations

import random

import pytest
from support.oracle import corpus_wit_files, shared_dir

from wit_ls.syntax import parse
from wit_ls.syntax.lexical import (
    ALL_KINDS,
    FORBIDDEN,
    _identifiers_valid,
    _kinds,
    check_encoding,
    lexical_errors,
)


def _same(source: bytes) -> None:
    tree = parse(source).tree
    narrowed = lexical_errors(tree, source)
    full = lexical_errors(tree, source, ALL_KINDS)
    assert narrowed == full, source.decode("utf-8", "replace")


@pytest.mark.skipif(shared_dir() is None, reason="needs ../shared/corpus")
def test_every_corpus_file() -> None:
    files = corpus_wit_files()
    assert files
    fast = no_query = 0
    for path in files:
        source = path.read_bytes()
        _same(source)
        fast += _identifiers_valid(parse(source).tree, source)
        no_query += not _kinds(parse(source).tree, source)[0]
    assert fast > len(files) // 2  # the fast path is really taken on most real files
    # Most real files need no node looked at (versions, attributes, list sizes read from text).
    assert no_query > len(files) // 2


# Insertions at a random token boundary: bad identifiers (mixed case, `_`, a digit first, `from`,
# empty segments), identifiers glued to integers and versions, strings and comments that hide
# or do not hide what follows, unterminated strings, non-ASCII letters.
PIECES = [
    " fooBar ", " Foo-bar ", " foo_bar ", " _x ", " 1abc ", " from ", " %from ", " a--b ", " a- ",
    " list<u8, 4Abc> ", " list<u8, 4abc> ", "@1.0.0-Rc_1", "@1.0", "@1.0.0+Build_X ",
    ' "str//x" ', ' "open ', ' "a\\"b" Bad ', " // Bad\n", " /* Bad */ ", " /* /* x */ ",
    " /// doc Bad\n", " café ", " x\u00e9y ", " -abc ", " 0-Bad ", " %Bad ", "%", "\"", "/", "//", " _ ", " result<_, u8> ", " result<_> ", "_a",
    " xresult<_, u8> ", " list<_> ", " list<u8, 0000000001> ",
    "@since(version = 1.0.0) ", " @unstable(feature = Bad_x) ", " 1.0.0 ",
    # Attributes and versions (read from the text when the file has no error), list sizes.
    "@since(version = 1.0)", "@since(version = 1.0.0)", "@since(version = 01.0.0)",
    "@sinc(version = 1.0.0)", "@since(versio = 1.0.0)", "@since ", "@since()",
    "@since(version = 1.0.0, x = y)", "@since(version = 1.0.0,)", "@since(1.0.0)",
    "@unstable(feature = 1.0.0)", "@unstable(feature = x-y)", "@unstable(feature = \"x\")",
    "@deprecated(version = x)", "@deprecated(version = 1.0.0-Rc_1)", "@%since(version = 1.0.0)",
    "@ since ( version // c\n = 2.0.0 ) ", "@external-id(\"x\")", "@1.0.0.x", "@01.0.0",
    "@1.0.0-", "@1.0.0+", " = 1.0.0 ", " list<u8, 4294967296> ", " list<u8, 4294967295> ",
    " list<u8, 0> ", " list<u8, 99999999999999999999> ", "@", "=",
    " from-x ", " x-from ", " 4from ", " list<u8, 4-from> ",
    # Quotes and long digit runs in comments only (no string or integer query), or not.
    ' // say "x" \n', ' /// "x\n', " // 99999999999\n", ' @external-id("a\\qb") ',
    ' @external-id("//") ', ' "a" // "b\n', ' // "x" "\n',
]


@pytest.mark.skipif(shared_dir() is None, reason="needs ../shared/corpus")
def test_mutants() -> None:
    rng = random.Random(12)
    files = [p for p in corpus_wit_files() if p.stat().st_size < 20_000]
    assert files
    partial = 0
    for _ in range(600):
        source = rng.choice(files).read_bytes()
        for _edit in range(rng.randint(1, 3)):
            at = rng.randrange(len(source) + 1)
            source = source[:at] + rng.choice(PIECES).encode() + source[at:]
        _same(source)
        partial += bool(_kinds(parse(source).tree, source)[1])
    # Mutants that break the file but hold no bad identifier outside the broken items take
    # the path that checks only the broken items' identifiers one by one.
    assert partial > 50


@pytest.mark.parametrize("text, valid", [
    ("package a:b;\ninterface i { type t = u8; }\n", True),
    ("package a:b;\n// Comment With Capitals and from\ninterface i { }\n", True),
    ('package a:b;\ninterface i { @unstable(feature = "X_y") f: func(); }\n', True),
    ("package a:b;\ninterface i { type T-u = u8; }\n", True),
    ("package a:b;\ninterface i { type tU = u8; }\n", False),
    ("package a:b;\ninterface i { type t_u = u8; }\n", False),
    ("package a:b;\ninterface i { use x.{from}; }\n", False),
    ("package a:b;\ninterface i { type t = list<u8, 4Bad>; }\n", False),
    ("package a:b;\n/* Bad */ interface i { }\n", False),
    ("package a:b;\ninterface \u00e9 { }\n", False),
    ("package a:b;\ninterface i { type t = result<_, u8>; }\n", True),
    ("package a:b;\ninterface i { type t = result< // c\n _, u8>; }\n", True),
    ("package a:b;\ninterface i { type t = result<_, u8>; type _ = u8; }\n", False),
    ('package a:b;\ninterface i { @unstable(feature = "Bad") f: func(); }\n', True),
    ("package a:b;\ninterface i { type t-- = u8; }\n", False),
    ("package a:b;\ninterface i { type t- = u8; }\n", False),
    ("package a:b;\ninterface i { type T-U = u8; }\n", True),
    ("package a:b;\ninterface i { type tA = u8; }\n", False),
    ("package a:b@1.0.0-rc-2023-11-10;\n", True),
    ("", True),
    ("package a:b;\ninterface i { type t = list<_>; }\n", False),
    ("package a:b;\ninterface i { type t = u8 }\n", False),
    ("package a:b;\ninterface i { type from-x = u8; type x-from = u8; }\n", True),
    ("package a:b;\ninterface i { type t = list<u8, 4from>; }\n", False),
    ("package a:b;\ninterface i { type t = list<u8, 4-from>; }\n", False),
])
def test_text_scan(text: str, valid: bool) -> None:
    assert _identifiers_valid(parse(text).tree, text.encode()) is valid
    _same(text.encode())


def test_every_ascii_byte_in_the_encoding_check() -> None:
    # ASCII text takes a fast path (bytes.translate); it must report exactly the forbidden
    # characters the regex over the decoded text reports.
    for byte in range(128):
        source = b"package a:b;\n// x" + bytes([byte]) + b"y\n"
        text, found = check_encoding(source)
        assert text == source.decode()
        assert [d.start for d in found] == [m.start() for m in FORBIDDEN.finditer(text)], byte
    assert any(check_encoding(bytes([b]))[1] for b in range(128))  # some are reported


@pytest.mark.parametrize("text", [
    # Quotes or ten digits in comments only; a string or list size elsewhere too.
    'package a:b;\n/// Say "hi" to 12345678901.\ninterface i { type t = u8; }\n',
    'package a:b;\n/// Say "hi".\n@unstable(feature = "b\\q")\ninterface i { }\n',
    'package a:b;\n// 12345678901\ninterface i { type t = list<u8, 99999999999>; }\n',
    'package a:b;\n@unstable(feature = "a//b\\q") // "\ninterface i { }\n',
    # A keystroke breaks one interface; a bad identifier in it, in a clean one, or none.
    "package a:b;\ninterface i { type t = u8;x }\ninterface j { type u = u8; }\n",
    "package a:b;\ninterface i { type t = u8;Bad_x }\ninterface j { type u = u8; }\n",
    "package a:b;\ninterface i { type t = u8;x }\ninterface j { type Bad_u = u8; }\n",
    "package a:b;\ninterface Bad_i { type t = u8; }\ninterface j { type u = u8;x }\n",
    "package a:b;\ninterface i { f: func(); }\nfrom\ninterface j { g: func(a: Bad_c); }\n",
    "package a:b;\ninterface i { f: func(x:); }\ninterface j { g: func(); }\ninterface k {\n",
    # Versions and attributes are looked for only in the top-level items holding an `@`.
    "package a:b@1.0.0;\ninterface i { use a:c/d@1.0.0-Rc_1.{x}; }\n",
    "package a:b@1.0.0;\n@since(version = 1.0.0)\ninterface i {}\n@since(version = 1.0)\n"
    "interface j {}\ninterface k { type t = u8; }\n@unstable(feature = x)\nworld w {}\n"
    "interface l { use a:c/d@01.0.0.{x}; }\n",
    "package a:b;\ninterface i { f: func(x:); }\n1.0.0-Rc_1\n",
])
def test_broken_items_checked_one_by_one(text: str) -> None:
    """A file broken in some top-level items: the identifiers of the others are shown valid
    by the text scan (with the broken items' text left out), those of the broken items are
    checked node by node; versions and attributes only in items with an `@` or an error: the
    same as checking every node."""
    _same(text.encode())


@pytest.mark.parametrize("seed", range(3))
def test_broken_members_checked_one_by_one(seed: int) -> None:
    """One big interface broken by a keystroke (a stray token), with bad identifiers,
    versions or attributes typed in or not: only its broken members are looked at node by
    node, the rest is read from the text. The same as checking every node."""
    from support.big_interface import big_interface

    # (Attributes `@external-id("...")` are not read from the text, nor is text with block
    # comments: the path below would never be taken.)
    base = big_interface(3).replace("@external-id(", "// (").replace("/**", "///")
    base = base.replace("      over two lines. */", "  /// over two lines.")
    rng = random.Random(seed)
    narrowed = 0
    for _ in range(120):
        text = base
        for piece in (rng.choice(["}", "{", "x", ";", "(", "<", "func", "@", ":"]),
                      *rng.sample(PIECES, rng.randint(0, 2))):
            at = rng.randrange(len(text) + 1)
            text = text[:at] + piece + text[at:]
        _same(text.encode())
        tree = parse(text).tree
        _kinds_found, ranges, ranged = _kinds(tree, text.encode())
        narrowed += "version" in ranged and ranges[-1][1] - ranges[0][0] < len(text) // 2
    # Most took the path that reads the clean members' versions and attributes from the text.
    assert narrowed > 40


def _nesting(source: str) -> list[tuple[int, str]]:
    from wit_ls.syntax.structure import structure_errors

    return [(d.start, d.code) for d in structure_errors(parse(source.encode()).tree)]


def test_type_nesting_is_looked_for_in_items_with_enough_angle_brackets() -> None:
    """Many `<` in the file but at most 100 in each top-level item: no chain can be too deep
    (the query over every type is skipped); one item with a chain of 101 is reported, at the
    type 101 levels deep, broken or not."""
    shallow = "".join(f"interface i{n} {{ type t = list<list<u8>>; }}\n" for n in range(60))
    assert _nesting("package a:b;\n" + shallow) == []
    head = "package a:b;\n" + shallow + "interface deep { type t = "
    deep = head + "list<" * 101 + "u8" + ">" * 101 + "; }\n"
    assert _nesting(deep) == [(len(head) + 5 * 100, "nesting-too-deep")]
    assert _nesting(deep + "interface x { f: func(a:); }\n") == [
        (len(head) + 5 * 100, "nesting-too-deep")]
    assert _nesting(head + "list<" * 100 + "u8" + ">" * 100 + "; }\n") == []
