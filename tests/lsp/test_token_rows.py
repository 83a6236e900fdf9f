"""The semantic tokens of a whole document made again only for the top-level declarations an
edit changed (``wit_ls.lsp.token_rows.KeptRows``) must equal those made from scratch
(``Converter.semantic_data`` of ``semantic_tokens``) after every edit of a random sequence: over
real files and a file with multi-line comments, CRLF, text beyond ASCII and deprecated items,
in UTF-16 and UTF-8."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from support.random_edits import token_end

from wit_ls.features.semantic_tokens import semantic_tokens
from wit_ls.lsp.convert import Converter
from wit_ls.lsp.token_rows import KeptRows
from wit_ls.syntax import SyntaxTree, TextEdit, apply_edits, parse

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "real"
HANDMADE = ("package a:b@1.0.0;\r\n\r\n/* a block\r\n   comment */ interface i {\r\n"
            "  /// d\u00e9j\u00e0 \U0001f600\n  @deprecated(version = 1.0.0)\n"
            "  record r { x: u32, y: string }\n  type t = r; variant v { a, b(r) }\n"
            "  resource res { constructor(x: u32); get: func() -> r; }\n}\n"
            "interface j { use i.{r, t as u}; f: func(v: u) -> r; }\n"
            "world w { import i; export g: func(); }\n").encode()
# What typing adds: letters, names, punctuation, whole declarations, comments.
TYPED = [b"x", b"a", b" ", b"\n", b";", b"}", b"{", b",", b"-", b"//", b"/*", b"*/",
         b"record", b" q { a: u32 }", b"interface k { }", b"\n/// doc\n", "\u00e9".encode(),
         "\U0001f600".encode(), b"@deprecated(version = 1.0.0)\n",
         b"type", b"enum e { c }", b"use i.{r};"]


def _files() -> list[tuple[str, bytes]]:
    out = [("handmade", HANDMADE)]
    if REAL.is_dir():
        paths = sorted(REAL.rglob("*.wit"))
        out.extend((p.name, p.read_bytes()) for p in random.Random(3).sample(
            paths, min(24, len(paths))))
    return out


def _boundary(data: bytes, at: int) -> int:
    """``at`` moved back to the start of the character it is in."""
    while 0 < at < len(data) and data[at] & 0xC0 == 0x80:
        at -= 1
    return at


def _edit(rng: random.Random, data: bytes) -> TextEdit:
    at = _boundary(data, token_end(rng, data))
    if data and rng.random() < 0.35:
        end = _boundary(data, min(len(data), at + rng.randint(1, 12)))
        return TextEdit(at, max(at, end), b"")
    return TextEdit(at, at, rng.choice(TYPED))


def _fresh(tree: SyntaxTree, conv: Converter) -> list[int]:
    return conv.semantic_data(tree.line_index, semantic_tokens(tree))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8"])
def test_kept_rows_equal_fresh_tokens_after_each_edit(encoding: str) -> None:
    rng = random.Random(f"rows-{encoding}")
    checked = 0
    for name, data in _files():
        tree = parse(data)
        conv = Converter(encoding, lambda _p: None)  # type: ignore[arg-type, return-value]
        kept = KeptRows()
        assert kept.data(tree, conv) == _fresh(tree, conv), name
        for step in range(25):
            tree = apply_edits(tree, [_edit(rng, tree.source)])
            assert kept.data(tree, conv) == _fresh(tree, conv), (name, step, tree.source)
            checked += 1
    assert checked >= 50
