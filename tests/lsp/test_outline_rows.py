"""A document's nested symbols (JSON text) and folding ranges made again only for the top-level
nodes an edit changed (``wit_ls.lsp.outline_rows.KeptOutline``) must equal those made from
scratch (``Converter.document_symbols_json`` of ``document_symbols``, ``folding_ranges``) after
every edit of a random sequence: over real files, the semantic tokens test's handmade file
(multi-line comments, CRLF, text beyond ASCII, deprecated items) and files with nested
packages and several top-level items on one line, in UTF-16, UTF-8 and UTF-32."""

from __future__ import annotations

import random

import pytest

from tests.lsp import test_token_rows as rows
from wit_ls.features.structure import folding_ranges
from wit_ls.features.symbols import document_symbols
from wit_ls.lsp.convert import Converter
from wit_ls.lsp.outline_rows import KeptOutline
from wit_ls.syntax import SyntaxTree, apply_edits, parse

MORE = [
    ("one line", b"package a:b;\ninterface i { f: func(); } interface j { use i.{f}; }  "
                 b"world w { import i; }\n/// d\ninterface k {\n  record r { a: u8 }\n}\n"),
    ("nested", b"// top\npackage a:b;\n\npackage c:d { interface e { type t = u8; } }\n"
               b"package f:g {}\ninterface h {\n  use c:d/e.{t};\n  use c:d/e.{t as u};\n}\n"),
    ("no header", b"interface i {\n  /// a\n  /// b\n  f: func(a: u32,\n  b: u32);\n}\n"
                  b"/* x\n y */\nworld w {\n  export i;\n}\n"),
]


def _fresh(tree: SyntaxTree, conv: Converter) -> tuple[str, object]:
    return (conv.document_symbols_json(tree.line_index, document_symbols(tree)).text,
            folding_ranges(tree))


def _kept(kept: KeptOutline, tree: SyntaxTree, conv: Converter) -> tuple[str, object]:
    return kept.symbols_json(tree, conv.encoding), kept.folding_ranges(tree)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8", "utf-32"])
def test_kept_outline_equals_fresh_after_each_edit(encoding: str) -> None:
    rng = random.Random(f"outline-{encoding}")
    checked = 0
    for name, data in [*rows._files(), *MORE]:
        tree = parse(data)
        conv = Converter(encoding, lambda _p: None)  # type: ignore[arg-type, return-value]
        kept = KeptOutline()
        assert _kept(kept, tree, conv) == _fresh(tree, conv), name
        for step in range(25):
            tree = apply_edits(tree, [rows._edit(rng, tree.source)])
            assert _kept(kept, tree, conv) == _fresh(tree, conv), (name, step, tree.source)
            checked += 1
    assert checked >= 75
