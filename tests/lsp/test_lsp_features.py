"""Editor features end to end, for each recorded client, on the multi-package fixture with
`deps/` (and on a copy of the real wasi-http package when the corpus is present)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import copy_real, uri
from lsp_helpers import apply, doc, edits_of, find, open_doc, pos, range_text, wait_diagnostics
from lsprotocol import types as t
from pygls.exceptions import JsonRpcException

pytestmark = [pytest.mark.asyncio]


def _locs(result: Any) -> list[t.Location]:
    if result is None:
        return []
    return list(result) if isinstance(result, list) else [result]


async def test_hover_signature_docs_gates_and_origin(client: Any, workspace: Path) -> None:
    api = workspace / "app/wit/api.wit"
    text = api.read_text()
    uri_ = open_doc(client, api, text)
    hover = await client.text_document_hover_async(t.HoverParams(
        text_document=doc(uri_), position=pos(client, text, "thing,", delta=1)))
    assert hover is not None
    value = hover.contents.value
    assert "record thing" in value and "A thing" in value
    assert "@since" in value and "example:app" in value
    assert range_text(client, text, hover.range) == "thing"
    # A resource lists its constructor and methods.
    types_ = workspace / "app/wit/types.wit"
    ttext = types_.read_text()
    turi = open_doc(client, types_, ttext)
    hover = await client.text_document_hover_async(t.HoverParams(
        text_document=doc(turi), position=pos(client, ttext, "resource blob", delta=10)))
    assert hover is not None and "constructor" in hover.contents.value
    assert "size" in hover.contents.value


async def test_definition_through_use_into_deps(client: Any, workspace: Path) -> None:
    api = workspace / "app/wit/api.wit"
    text = api.read_text()
    uri_ = open_doc(client, api, text)
    found = _locs(await client.text_document_definition_async(t.DefinitionParams(
        text_document=doc(uri_), position=pos(client, text, "{input-stream}", delta=1))))
    assert [loc.uri for loc in found] == [uri(workspace / "app/wit/deps/io/streams.wit")]
    # Interface path -> the file declaring the interface.
    found = _locs(await client.text_document_definition_async(t.DefinitionParams(
        text_document=doc(uri_), position=pos(client, text, "types.{", delta=1))))
    assert [loc.uri for loc in found] == [uri(workspace / "app/wit/types.wit")]
    # borrow<T>: the definition is the resource in deps/, the declaration the `use` here.
    at = pos(client, text, "borrow<input-stream>", delta=8)
    found = _locs(await client.text_document_definition_async(t.DefinitionParams(
        text_document=doc(uri_), position=at)))
    assert found and found[0].uri.endswith("deps/io/streams.wit")
    found = _locs(await client.text_document_declaration_async(t.DeclarationParams(
        text_document=doc(uri_), position=at)))
    assert found and found[0].uri == uri_
    found = _locs(await client.text_document_definition_async(t.DefinitionParams(
        text_document=doc(uri_), position=pos(client, text, "k: thing-kind", delta=4))))
    assert found


async def test_type_definition(client: Any, workspace: Path) -> None:
    api = workspace / "app/wit/api.wit"
    text = api.read_text()
    uri_ = open_doc(client, api, text)
    found = _locs(await client.text_document_type_definition_async(t.TypeDefinitionParams(
        text_document=doc(uri_), position=pos(client, text, "k: thing-kind"))))
    assert found and found[0].uri == uri(workspace / "app/wit/types.wit")


async def test_world_include_and_imports(client: Any, workspace: Path) -> None:
    world = workspace / "app/wit/world.wit"
    text = world.read_text()
    uri_ = open_doc(client, world, text)
    found = _locs(await client.text_document_definition_async(t.DefinitionParams(
        text_document=doc(uri_), position=pos(client, text, "include base", delta=9))))
    assert found and found[0].uri == uri_
    found = _locs(await client.text_document_definition_async(t.DefinitionParams(
        text_document=doc(uri_), position=pos(client, text, "streams@0.2.0", delta=1))))
    assert found and found[0].uri.endswith("deps/io/streams.wit")
    elaborated = await client.protocol.send_request_async("wit-ls/elaboratedWorld", {
        "textDocument": {"uri": uri_}, "position": pos(client, text, "world app", delta=7)})
    assert "import" in elaborated.text and "export" in elaborated.text


async def test_references_highlight_and_rename(client: Any, workspace: Path) -> None:
    types_ = workspace / "app/wit/types.wit"
    text = types_.read_text()
    uri_ = open_doc(client, types_, text)
    at = pos(client, text, "record thing", delta=8)
    refs = await client.text_document_references_async(t.ReferenceParams(
        text_document=doc(uri_), position=at,
        context=t.ReferenceContext(include_declaration=True)))
    files = {r.uri for r in refs}
    assert uri(workspace / "app/wit/api.wit") in files and uri_ in files
    highlights = await client.text_document_document_highlight_async(
        t.DocumentHighlightParams(text_document=doc(uri_), position=at))
    assert highlights and len(highlights) >= 2
    prepared = await client.text_document_prepare_rename_async(t.PrepareRenameParams(
        text_document=doc(uri_), position=at))
    assert prepared is not None
    edit = await client.text_document_rename_async(t.RenameParams(
        text_document=doc(uri_), position=at, new_name="item"))
    assert edit is not None
    by_uri = edits_of(edit)
    api_uri = uri(workspace / "app/wit/api.wit")
    assert api_uri in by_uri and uri_ in by_uri
    new_api = apply((workspace / "app/wit/api.wit").read_text(), by_uri[api_uri],
                    client.encoding)
    assert "use types.{item," in new_api and "-> item;" in new_api
    # Not identifiers, or keywords without `%`, are refused with a message.
    for bad in ("Not-Valid", "a_b", "record"):
        with pytest.raises(JsonRpcException):
            await client.text_document_rename_async(t.RenameParams(
                text_document=doc(uri_), position=at, new_name=bad))
    edit = await client.text_document_rename_async(t.RenameParams(
        text_document=doc(uri_), position=at, new_name="%record"))
    assert edit is not None


async def test_rename_of_a_dependency_needs_confirmation(client: Any, workspace: Path) -> None:
    api = workspace / "app/wit/api.wit"
    text = api.read_text()
    uri_ = open_doc(client, api, text)
    at = pos(client, text, "{input-stream}", delta=1)
    annotations = client.client_name == "visual-studio-code"
    if annotations:
        edit = await client.text_document_rename_async(t.RenameParams(
            text_document=doc(uri_), position=at, new_name="in-stream"))
        assert edit is not None and edit.change_annotations
        assert any(a.needs_confirmation for a in edit.change_annotations.values())
    else:
        with pytest.raises(JsonRpcException):
            await client.text_document_rename_async(t.RenameParams(
                text_document=doc(uri_), position=at, new_name="in-stream"))


async def test_completion(client: Any, workspace: Path) -> None:
    api = workspace / "app/wit/api.wit"
    text = api.read_text()
    cases = [
        ("  wrap: func(b: blob) -> thing;", "  wrap: func(b: blob) -> th", {"thing", "u32"}),
        ("  use types.{thing, kind as thing-kind, blob};", "  use types.{", {"thing", "kind"}),
        ("  use types.{thing, kind as thing-kind, blob};", "  use ", {"types"}),
        ("  wrap: func(b: blob) -> thing;", "  @", {"since", "unstable"}),
        ("  wrap: func(b: blob) -> thing;", "  ", {"record", "resource", "use"}),
    ]
    for i, (line, typed, expected) in enumerate(cases):
        new_text = text.replace(line, typed, 1)
        uri_ = open_doc(client, api, new_text, version=10 + i)
        result = await client.text_document_completion_async(t.CompletionParams(
            text_document=doc(uri_), position=pos(client, new_text, typed, delta=len(
                typed.encode()))))
        labels = {item.label for item in result.items}
        assert expected <= labels, (typed, labels)
    # After `import`, foreign interfaces come with the version found in deps/.
    world = workspace / "app/wit/world.wit"
    wtext = world.read_text().replace("  export api;", "  import ", 1)
    wuri = open_doc(client, world, wtext)
    result = await client.text_document_completion_async(t.CompletionParams(
        text_document=doc(wuri), position=pos(client, wtext, "  import \n", delta=9)))
    labels = {item.label for item in result.items}
    assert "wasi:io/streams@0.2.0" in labels, labels
    item = next(i for i in result.items if i.label == "wasi:io/streams@0.2.0")
    resolved = await client.completion_item_resolve_async(item)
    assert resolved.label == item.label


async def test_symbols(client: Any, workspace: Path) -> None:
    types_ = workspace / "app/wit/types.wit"
    uri_ = open_doc(client, types_)
    symbols = await client.text_document_document_symbol_async(t.DocumentSymbolParams(
        text_document=doc(uri_)))
    package = symbols[0]
    assert package.name == "example:app@0.1.0"
    iface = package.children[0]
    assert iface.name == "types"
    record = next(c for c in iface.children if c.name == "thing")
    assert [f.name for f in record.children] == ["name", "size"]
    resource = next(c for c in iface.children if c.name == "blob")
    assert {"constructor", "size", "from-thing"} <= {c.name for c in resource.children}
    found = await client.workspace_symbol_async(t.WorkspaceSymbolParams(query="dstnc"))
    assert any(s.name == "distance" for s in found)
    found = await client.workspace_symbol_async(t.WorkspaceSymbolParams(query="input-str"))
    assert any(s.name == "input-stream" for s in found)


async def test_semantic_tokens_full_delta_range(client: Any, workspace: Path) -> None:
    api = workspace / "app/wit/api.wit"
    text = api.read_text()
    uri_ = open_doc(client, api, text)
    full = await client.text_document_semantic_tokens_full_async(t.SemanticTokensParams(
        text_document=doc(uri_)))
    assert full.data and len(full.data) % 5 == 0
    legend = client.init_result.capabilities.semantic_tokens_provider.legend
    # Decode and find `make` (a function declaration) at its real column.
    line = col = 0
    decoded = []
    for i in range(0, len(full.data), 5):
        dl, dc, length, typ, mods = full.data[i:i + 5]
        line += dl
        col = col + dc if dl == 0 else dc
        decoded.append((line, col, length, legend.token_types[typ], mods))
    make = pos(client, text, "make:")
    assert (make.line, make.character, 4, "function") in [d[:4] for d in decoded]
    delta = await client.text_document_semantic_tokens_full_delta_async(
        t.SemanticTokensDeltaParams(text_document=doc(uri_), previous_result_id=full.result_id))
    assert isinstance(delta, t.SemanticTokensDelta | t.SemanticTokens)
    ranged = await client.text_document_semantic_tokens_range_async(t.SemanticTokensRangeParams(
        text_document=doc(uri_), range=t.Range(start=t.Position(line=0, character=0),
                                               end=t.Position(line=3, character=0))))
    assert ranged.data and len(ranged.data) < len(full.data)


async def test_structure_links_and_hints(client: Any, workspace: Path) -> None:
    api = workspace / "app/wit/api.wit"
    text = api.read_text()
    uri_ = open_doc(client, api, text)
    folds = await client.text_document_folding_range_async(t.FoldingRangeParams(
        text_document=doc(uri_)))
    assert any(f.start_line == pos(client, text, "interface api").line for f in folds)
    at = pos(client, text, "make:", delta=1)
    ranges = await client.text_document_selection_range_async(t.SelectionRangeParams(
        text_document=doc(uri_), positions=[at]))
    chain = []
    current = ranges[0]
    while current is not None:
        chain.append(range_text(client, text, current.range))
        current = current.parent
    assert chain[0] == "make" and any(c.startswith("make: func") for c in chain)
    links = await client.text_document_document_link_async(t.DocumentLinkParams(
        text_document=doc(uri_)))
    assert any(link.target and "deps/io/streams.wit" in link.target for link in links)
    hints = await client.text_document_inlay_hint_async(t.InlayHintParams(
        text_document=doc(uri_), range=t.Range(start=t.Position(line=0, character=0),
                                               end=t.Position(line=99, character=0))))
    assert any(h.label == "own " for h in hints), hints
    tree = await client.protocol.send_request_async("wit-ls/syntaxTree",
                                                     {"textDocument": {"uri": uri_}})
    assert tree.text.startswith("(source_file") and "interface_item" in tree.text


async def test_code_actions(client: Any, workspace: Path) -> None:
    api = workspace / "app/wit/api.wit"
    text = api.read_text()
    # A missing `;`, an unknown type that lives in another interface, a misspelled name.
    broken = text.replace("  make: func(name: string, k: thing-kind) -> thing;",
                          "  make: func(name: string, k: thing-kind) -> thing\n"
                          "  other: func(x: thng);", 1)
    uri_ = open_doc(client, api, broken)
    diags = await wait_diagnostics(client, uri_, 1)
    assert diags
    actions = await client.text_document_code_action_async(t.CodeActionParams(
        text_document=doc(uri_), range=t.Range(start=t.Position(line=0, character=0),
                                               end=t.Position(line=99, character=0)),
        context=t.CodeActionContext(diagnostics=list(diags))))
    titles = [a.title for a in actions]
    assert any("`;`" in title for title in titles), titles
    fixed = broken.replace("  other: func(x: thng);", "  other: func(x: point-of-sale);")
    uri_ = open_doc(client, api, fixed.replace("-> thing\n", "-> thing;\n"), version=5)
    diags = await wait_diagnostics(client, uri_, 5)
    actions = await client.text_document_code_action_async(t.CodeActionParams(
        text_document=doc(uri_), range=t.Range(start=t.Position(line=0, character=0),
                                               end=t.Position(line=99, character=0)),
        context=t.CodeActionContext(diagnostics=list(diags))))
    assert actions is not None


async def test_real_wasi_http(client: Any, tmp_path: Path) -> None:
    root = copy_real("WebAssembly__wasi-http", tmp_path)
    if root is None:
        pytest.skip("the real corpus is not present")
    client.workspace_did_change_workspace_folders(t.DidChangeWorkspaceFoldersParams(
        event=t.WorkspaceFoldersChangeEvent(
            added=[t.WorkspaceFolder(uri=uri(root), name="http")], removed=[])))
    path = root / "types.wit"
    text = path.read_text()
    uri_ = open_doc(client, path, text)
    diags = await wait_diagnostics(client, uri_, 1)
    assert not [d for d in diags if d.severity == t.DiagnosticSeverity.Error]
    at = pos(client, text, "{input-stream", delta=1)
    found = _locs(await client.text_document_definition_async(t.DefinitionParams(
        text_document=doc(uri_), position=at)))
    assert found and "/deps/io/" in found[0].uri
    hover = await client.text_document_hover_async(t.HoverParams(
        text_document=doc(uri_), position=pos(client, text, "resource fields", delta=10)))
    assert hover is not None and "fields" in hover.contents.value
    assert find(text, "resource fields") > 0
