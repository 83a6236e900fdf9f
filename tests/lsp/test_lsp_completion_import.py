"""Completion that imports, end to end: VS Code and Neovim resolve `additionalTextEdits` in
`completionItem/resolve`; a client that cannot (Neovim's capabilities without resolve support)
gets them with the item. Either way the chosen type's `use` lands in the document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from conftest import CONFIG, uri, write_workspace
from lsp_helpers import apply, doc, open_doc, pos
from lsprotocol import types as t
from pytest_lsp import LanguageClient, client_capabilities

pytestmark = [pytest.mark.asyncio]


@pytest_lsp.fixture(config=CONFIG, params=["visual-studio-code", "neovim", "eager"])
async def client(request: Any, lsp_client: LanguageClient, tmp_path: Path) -> Any:
    workspace = write_workspace(tmp_path / "ws")
    caps = client_capabilities("neovim" if request.param == "eager" else request.param)
    if request.param == "eager":
        caps.text_document.completion.completion_item.resolve_support = None
    result = await lsp_client.initialize_session(t.InitializeParams(
        capabilities=caps,
        workspace_folders=[t.WorkspaceFolder(uri=uri(workspace / "app"), name="app")]))
    lsp_client.encoding = str(getattr(  # type: ignore[attr-defined]
        result.capabilities.position_encoding, "value", result.capabilities.position_encoding)
        or "utf-16")
    lsp_client.root = workspace  # type: ignore[attr-defined]
    lsp_client.eager = request.param == "eager"  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


async def _choose(client: Any, path: Path, text: str, typed: str, label: str) -> str:
    """``text`` with ``typed`` at the cursor completed to ``label`` and its edits applied."""
    uri_ = open_doc(client, path, text, version=3)
    cursor = pos(client, text, typed, delta=len(typed.encode()))
    result = await client.text_document_completion_async(t.CompletionParams(
        text_document=doc(uri_), position=cursor))
    [item] = [i for i in result.items if i.label == label]
    if client.eager:
        assert item.additional_text_edits
    else:
        assert item.additional_text_edits is None
        item = await client.completion_item_resolve_async(item)
    assert item.additional_text_edits
    return apply(text, [item.text_edit, *item.additional_text_edits], client.encoding)


async def test_a_type_of_a_dependency_merges_into_its_use(client: Any) -> None:
    api = client.root / "app/wit/api.wit"
    text = api.read_text().replace(
        "read: func(s: borrow<input-stream>) -> list<u8>;",
        "read: func(s: borrow<input-stream>, o: borrow<out>) -> list<u8>;")
    done = await _choose(client, api, text, "borrow<out", "output-stream")
    assert "  use wasi:io/streams@0.2.0.{input-stream, output-stream};\n" in done
    assert "o: borrow<output-stream>) -> list<u8>;" in done


async def test_a_local_type_gets_a_new_use_line(client: Any) -> None:
    world = client.root / "app/wit/world.wit"
    text = world.read_text().replace("  import types;\n", "  import f: func() -> kin;\n")
    done = await _choose(client, world, text, "-> kin", "kind")
    assert "world base {\n  use types.{kind};\n\n  import f: func() -> kind;\n}" in done
