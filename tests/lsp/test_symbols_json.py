"""Document symbols sent as JSON text made directly (``Converter.document_symbols_json``) must
be what the protocol's converter makes of the lsprotocol objects (``Converter.document_symbol``):
the same values, keys and order, over the corpus' files and a file with deprecated items and
text beyond ASCII, in each position encoding; and the text is what the message carries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pygls.protocol import JsonRPCResponseMessage, default_converter

from wit_ls.features import symbols as symbols_feature
from wit_ls.lsp.convert import Converter, DiagnosticForms, JsonText
from wit_ls.syntax import parse

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
HANDMADE = """package a:b@1.0.0;

/// Ünïcode \U0001f600 docs.
@since(version = 1.0.0)
@deprecated(version = 1.0.0)
interface i {
  @deprecated(version = 1.0.0)
  record r { x: u32, /* \U0001f600 */ y: string }
  variant v { a, b(r) }
  resource res { constructor(x: u32); get: func() -> r; }
  f: func(v: r) -> r;
}

world w { import i; export g: func(); }
"""


def _texts() -> list[tuple[str, bytes]]:
    out = [("handmade", HANDMADE.encode())]
    for base in (CORPUS / "real", CORPUS / "wasm-tools-tests" / "tests" / "ui"):
        out.extend((str(p.relative_to(CORPUS)), p.read_bytes())
                   for p in sorted(base.rglob("*.wit"))[:400])
    return out


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8", "utf-32"])
def test_the_text_is_what_the_converter_makes(encoding: str) -> None:
    unstructure = default_converter().unstructure
    compared = 0
    for name, data in _texts():
        tree = parse(data)
        index = tree.line_index
        conv = Converter(encoding, lambda _p, at=index: at)  # type: ignore[arg-type]
        syms = symbols_feature.document_symbols(tree)
        made = conv.document_symbols_json(index, syms).text
        expected = json.dumps(unstructure([conv.document_symbol(index, s) for s in syms]))
        assert made == expected, name
        compared += bool(syms)
    assert compared > 100


def test_a_message_carries_the_text() -> None:
    converter = default_converter()
    forms = DiagnosticForms()
    forms.install(converter)
    text = '[{"name": "x", "kind": 11}]'
    value = JsonText(text)
    # As pygls sends an answer: the response object, made JSON by the converter.
    response = JsonRPCResponseMessage(id=1, jsonrpc="2.0", result=value)
    body = forms.dumps(response, converter.unstructure)
    assert text in body
    assert json.loads(body) == {"jsonrpc": "2.0", "id": 1,
                                "result": [{"name": "x", "kind": 11}]}
    # Outside a message being sent, the value is its JSON value.
    assert converter.unstructure(value) == [{"name": "x", "kind": 11}]
