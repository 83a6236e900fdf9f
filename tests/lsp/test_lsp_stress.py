"""1,000 random edits interleaved with hover, definition, completion and semantic-token
requests in one session: no crash, no error response, and the final diagnostics equal those
of a fresh server opened on the final text."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from conftest import FILES, make_client, write_workspace
from lsp_helpers import change, doc, open_doc, position
from lsprotocol import types as t
from pytest_lsp import client_capabilities

pytestmark = pytest.mark.asyncio

ALPHABET = [*"abcxyz-:;{}()<>,.@ \n", "record ", "func(", "😀", "é", "use ", "%"]


async def _start(root: Path):  # type: ignore[no-untyped-def]
    client = make_client()
    await client.start_io(sys.executable, "-m", "wit_ls", "serve")
    result = await client.initialize_session(t.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        workspace_folders=[t.WorkspaceFolder(uri=root.as_uri(), name="ws")]))
    client.encoding = "utf-16"  # type: ignore[attr-defined]
    assert result.capabilities.position_encoding in (None, "utf-16", t.PositionEncodingKind.Utf16)
    return client


def _key(diags: list[t.Diagnostic]) -> list[tuple[object, ...]]:
    return sorted((d.range.start.line, d.range.start.character, d.range.end.line,
                   d.range.end.character, d.message, str(d.code)) for d in diags)


async def test_random_edits_interleaved_with_requests(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws") / "app"
    path = root / "wit/api.wit"
    text = FILES["app/wit/api.wit"]
    rng = random.Random(4)
    client = await _start(root)
    try:
        uri_ = open_doc(client, path, text)
        version = 1
        for step in range(1000):
            data = text.encode("utf-8")
            # Edit at a character boundary.
            starts = [i for i in range(len(data) + 1) if i == len(data) or data[i] & 0xC0 != 0x80]
            a = rng.choice(starts)
            b = min(len(data), a + rng.choice([0, 0, 1, 2, 5]))
            while b < len(data) and data[b] & 0xC0 == 0x80:
                b += 1
            new = rng.choice(ALPHABET) if rng.random() < 0.7 else ""
            version += 1
            change(client, uri_, version, new, position(text, a, "utf-16"),
                   position(text, b, "utf-16"))
            text = (data[:a] + new.encode() + data[b:]).decode("utf-8")
            if step % 5 == 0:
                at = position(text, rng.randrange(len(text.encode()) + 1), "utf-16")
                kind = step % 20
                if kind == 0:
                    await client.text_document_hover_async(t.HoverParams(
                        text_document=doc(uri_), position=at))
                elif kind == 5:
                    await client.text_document_definition_async(t.DefinitionParams(
                        text_document=doc(uri_), position=at))
                elif kind == 10:
                    await client.text_document_completion_async(t.CompletionParams(
                        text_document=doc(uri_), position=at))
                else:
                    await client.text_document_semantic_tokens_full_async(
                        t.SemanticTokensParams(text_document=doc(uri_)))
        final = await client.text_document_diagnostic_async(t.DocumentDiagnosticParams(
            text_document=doc(uri_)))
        errors = [m for m in client.log_messages if m.type == t.MessageType.Error]
        assert not errors, errors[0].message
    finally:
        await client.shutdown_session()
        await client.stop()
    # A fresh server on the final text.
    fresh = await _start(root)
    try:
        uri_ = open_doc(fresh, path, text)
        expected = await fresh.text_document_diagnostic_async(t.DocumentDiagnosticParams(
            text_document=doc(uri_)))
    finally:
        await fresh.shutdown_session()
        await fresh.stop()
    assert _key(list(final.items)) == _key(list(expected.items))
