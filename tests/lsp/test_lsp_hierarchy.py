"""Type hierarchy end to end, for each recorded client (VS Code, Neovim): prepare on a world or
interface, then its supertypes (what it includes or uses) and subtypes (what includes or uses
it), across files and into `deps/`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lsp_helpers import doc, open_doc, pos, range_text
from lsprotocol import types as t

pytestmark = [pytest.mark.asyncio]


async def test_type_hierarchy_through_include_and_use(client: Any, workspace: Path) -> None:
    assert client.init_result.capabilities.type_hierarchy_provider
    world = workspace / "app/wit/world.wit"
    text = world.read_text()
    uri_ = open_doc(client, world, text)
    items = await client.text_document_prepare_type_hierarchy_async(
        t.TypeHierarchyPrepareParams(text_document=doc(uri_),
                                     position=pos(client, text, "world base", delta=7)))
    assert [(i.name, i.kind, i.detail) for i in items] == [
        ("base", t.SymbolKind.Module, "example:app/base@0.1.0")]
    assert range_text(client, text, items[0].selection_range) == "base"
    assert range_text(client, text, items[0].range).startswith("world base {")
    subs = await client.type_hierarchy_subtypes_async(t.TypeHierarchySubtypesParams(
        item=items[0]))
    assert [(i.name, i.uri) for i in subs] == [("app", uri_)]
    supers = await client.type_hierarchy_supertypes_async(t.TypeHierarchySupertypesParams(
        item=subs[0]))
    assert [i.name for i in supers] == ["base"]
    # An interface: the interfaces whose types it uses, one of them in deps/.
    api = workspace / "app/wit/api.wit"
    atext = api.read_text()
    auri = open_doc(client, api, atext)
    [iface] = await client.text_document_prepare_type_hierarchy_async(
        t.TypeHierarchyPrepareParams(text_document=doc(auri),
                                     position=pos(client, atext, "interface api", delta=11)))
    assert iface.kind == t.SymbolKind.Interface
    supers = await client.type_hierarchy_supertypes_async(t.TypeHierarchySupertypesParams(
        item=iface))
    assert [(i.name, i.detail, i.uri.rsplit("/wit/", 1)[1]) for i in supers] == [
        ("streams", "wasi:io/streams@0.2.0", "deps/io/streams.wit"),
        ("types", "example:app/types@0.1.0", "types.wit")]
    subs = await client.type_hierarchy_subtypes_async(t.TypeHierarchySubtypesParams(
        item=supers[1]))
    assert [i.name for i in subs] == ["api"]
    # Nothing on a keyword.
    assert await client.text_document_prepare_type_hierarchy_async(
        t.TypeHierarchyPrepareParams(text_document=doc(auri),
                                     position=pos(client, atext, "interface api"))) is None
