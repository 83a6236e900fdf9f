"""A semantic tokens delta asked after a change is the difference from the answer it names, not
the whole document's data again: the server keeps its last answer across changes (the client
holds that answer's data whatever the text became). Over random edits (letters into names,
punctuation, new lines, deletions), each delta applied to the data the client holds equals
the tokens a fresh parse of the text gives."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from lsp_helpers import doc, open_doc, position
from lsprotocol import types as t
from support.random_edits import token_end

from wit_ls.features.semantic_tokens import semantic_tokens
from wit_ls.lsp.convert import Converter
from wit_ls.syntax import parse

pytestmark = [pytest.mark.asyncio]

TYPED = ["x", "e", "-", "1", ";", "{", "}", "\n", "\n  ", "record r { a: u8 }\n", "/// d\n",
         "u32", ": ", "<", ">"]


def _fresh(text: str, encoding: str) -> list[int]:
    tree = parse(text)
    conv = Converter(encoding, lambda _path: None)
    return conv.semantic_data(tree.line_index, semantic_tokens(tree))


def _apply(data: list[int], delta: t.SemanticTokensDelta) -> list[int]:
    out = list(data)
    for edit in sorted(delta.edits, key=lambda e: e.start, reverse=True):
        out[edit.start:edit.start + edit.delete_count] = list(edit.data or [])
    return out


async def test_deltas_after_changes_equal_fresh_tokens(client: Any, workspace: Path) -> None:
    path = workspace / "app/wit/types.wit"
    text = path.read_text(encoding="utf-8")
    uri_ = open_doc(client, path, text)
    full = await client.text_document_semantic_tokens_full_async(t.SemanticTokensParams(
        text_document=doc(uri_)))
    held, result_id = list(full.data), full.result_id
    rng = random.Random(12)
    for version in range(2, 42):
        data = text.encode("utf-8")
        start = token_end(rng, data)
        while start < len(data) and data[start] & 0xC0 == 0x80:  # not inside a character
            start += 1
        end = start
        if rng.random() < 0.3:
            end = min(len(data), start + rng.randint(1, 4))
            while end < len(data) and data[end] & 0xC0 == 0x80:
                end += 1
        typed = "" if end > start and rng.random() < 0.5 else rng.choice(TYPED)
        client.text_document_did_change(t.DidChangeTextDocumentParams(
            text_document=t.VersionedTextDocumentIdentifier(uri=uri_, version=version),
            content_changes=[t.TextDocumentContentChangePartial(
                range=t.Range(start=position(text, start, client.encoding),
                              end=position(text, end, client.encoding)), text=typed)]))
        text = (data[:start] + typed.encode("utf-8") + data[end:]).decode("utf-8")
        delta = await client.text_document_semantic_tokens_full_delta_async(
            t.SemanticTokensDeltaParams(text_document=doc(uri_), previous_result_id=result_id))
        assert isinstance(delta, t.SemanticTokensDelta), f"whole data after edit {version}"
        held, result_id = _apply(held, delta), delta.result_id
        assert held == _fresh(text, client.encoding), f"after edit {version}: {typed!r}"
