"""Where is it used, end to end, for each recorded client (VS Code, Neovim): a code lens over
each interface and type with the counts, whose `wit.showReferences` command carries the
references as LSP locations; the `codeLens.references` setting turns them off."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from lsp_helpers import change, doc, open_doc, pos, range_text
from lsprotocol import types as t

pytestmark = [pytest.mark.asyncio]


async def _resolved(client: Any, uri_: str) -> list[t.CodeLens]:
    """The document's lenses, each resolved as VS Code and Neovim resolve those they show
    (the server sends usage lenses without their commands)."""
    lenses = await client.text_document_code_lens_async(t.CodeLensParams(
        text_document=doc(uri_)))
    assert all(lens.command is None for lens in lenses)
    return [await client.code_lens_resolve_async(lens) for lens in lenses]


async def _lenses(client: Any, uri_: str, text: str) -> list[tuple[str, str]]:
    return [(range_text(client, text, lens.range), lens.command.title)
            for lens in await _resolved(client, uri_)]


async def test_lenses_count_and_show_the_references(client: Any, workspace: Path) -> None:
    types_ = workspace / "app/wit/types.wit"
    text = types_.read_text()
    uri_ = open_doc(client, types_, text)
    assert await _lenses(client, uri_, text) == [
        ("types", "imported by 1 world · used by 1 interface"),
        # api.wit's `use` and its two functions, and `from-thing` in the resource.
        ("thing", "4 references"),
        # Only the `use` names it: the rest of api.wit says `thing-kind`.
        ("kind", "1 reference"),
        # api.wit's `use` and `wrap`, `blob-alias` and `from-thing`.
        ("blob", "4 references"),
        ("blob-alias", "0 references"),
    ]
    lenses = await _resolved(client, uri_)
    command = lenses[0].command
    assert command.command == "wit.showReferences"
    target, position, locations = command.arguments
    assert target == uri_
    assert (position["line"], position["character"]) == (
        lenses[0].range.start.line, lenses[0].range.start.character)
    api_text = (workspace / "app/wit/api.wit").read_text()
    world_text = (workspace / "app/wit/world.wit").read_text()
    shown = []
    for loc in locations:
        source = api_text if loc["uri"].endswith("api.wit") else world_text
        rng = t.Range(start=t.Position(**loc["range"]["start"]),
                      end=t.Position(**loc["range"]["end"]))
        shown.append((loc["uri"].rsplit("/", 1)[1], range_text(client, source, rng)))
    assert shown == [("api.wit", "types"), ("world.wit", "types")]


async def test_the_setting_turns_the_lenses_off(client: Any, workspace: Path) -> None:
    types_ = workspace / "app/wit/types.wit"
    text = types_.read_text()
    uri_ = open_doc(client, types_, text)
    assert await _lenses(client, uri_, text)
    client.set_configuration({"codeLens": {"references": False}}, section="wit")
    client.workspace_did_change_configuration(t.DidChangeConfigurationParams(
        settings={"wit": {"codeLens": {"references": False}}}))
    for _ in range(300):
        if not await _lenses(client, uri_, text):
            break
        await asyncio.sleep(0.02)
    assert await _lenses(client, uri_, text) == []


async def test_an_edit_elsewhere_asks_the_client_for_lenses_again(client: Any,
                                                                  workspace: Path) -> None:
    before = client.lens_refreshes
    types_ = workspace / "app/wit/types.wit"
    text = types_.read_text()
    uri_ = open_doc(client, types_, text)
    assert ("blob", "4 references") in await _lenses(client, uri_, text)
    # api.wit stops using `blob` in `wrap`: the lens over `blob` in types.wit counts 3.
    api = workspace / "app/wit/api.wit"
    api_text = api.read_text()
    api_uri = open_doc(client, api, api_text)
    start = pos(client, api_text, "b: blob", delta=3)
    end = t.Position(line=start.line, character=start.character + 4)
    change(client, api_uri, 2, "u32", start, end)
    # VS Code says it takes refresh requests; the recorded Neovim does not.
    asks = client.client_name == "visual-studio-code"
    for _ in range(500 if asks else 0):
        if client.lens_refreshes > before:
            break
        await asyncio.sleep(0.02)
    assert ("blob", "3 references") in await _lenses(client, uri_, text)
    assert (client.lens_refreshes > before) == asks


async def test_a_lens_of_another_text_is_not_resolved(client: Any, workspace: Path) -> None:
    """A lens resolved after its document changed (its place may hold another name now) is
    given back as it came: the client asks for the lenses of the new text."""
    types_ = workspace / "app/wit/types.wit"
    text = types_.read_text()
    uri_ = open_doc(client, types_, text)
    lenses = await client.text_document_code_lens_async(t.CodeLensParams(
        text_document=doc(uri_)))
    at = pos(client, text, "interface types")
    change(client, uri_, 2, "\n", at, at)
    stale = await client.code_lens_resolve_async(lenses[0])
    assert stale.command is None
    change(client, uri_, 3, "", at, t.Position(line=at.line + 1, character=0))
    assert (await client.code_lens_resolve_async(lenses[0])).command is not None
