"""Code lenses are sent as JSON text made directly (``handlers._lens_json``): each must be what
the protocol's converter makes of the lsprotocol object, for every shape the server sends (a
breaking-change lens, a usage lens resolved or not)."""

from __future__ import annotations

import pytest
from lsprotocol import types as lsp

from wit_ls.lsp.handlers import _lens_json
from wit_ls.lsp.protocol import strict_converter

RANGE = lsp.Range(start=lsp.Position(line=2, character=4), end=lsp.Position(line=3, character=0))
LENSES = [
    lsp.CodeLens(range=RANGE, command=lsp.Command(title="2 breaking changes", command="")),
    lsp.CodeLens(range=RANGE, data={"uri": "file:///a.wit", "text": 7, "start": 3, "end": 9,
                                    "kind": "record"}),
    lsp.CodeLens(range=RANGE, command=lsp.Command(
        title="1 reference", command="wit.showReferences",
        arguments=["file:///a.wit", {"line": 2, "character": 4},
                   [{"uri": "file:///b.wit", "range": {"start": {"line": 0, "character": 1},
                                                       "end": {"line": 0, "character": 2}}}]]),
        data={"uri": "file:///a.wit"}),
]


@pytest.mark.parametrize("lens", LENSES)
def test_the_json_is_what_the_converter_makes(lens: lsp.CodeLens) -> None:
    assert _lens_json(lens) == strict_converter().unstructure(lens)
