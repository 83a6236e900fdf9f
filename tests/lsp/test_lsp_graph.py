"""The `wit-ls/worldGraph` request end to end, for each recorded client: on the hand-checked demo
fixture of tests/graph (expected graph written by hand) and on the real wasi-http package."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_real, uri
from lsp_helpers import open_doc, pos, wait_diagnostics
from lsprotocol import types as t

pytestmark = [pytest.mark.asyncio]

DEMO = Path(__file__).resolve().parents[1] / "graph" / "fixtures" / "demo"


def _expected_world() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DEMO / "expected-world-app.json").read_text("utf-8"))
    return data


def _plain(value: Any) -> Any:
    """pygls answers custom requests with named tuples: back to dicts and lists (a field named
    by a Python keyword, `from`, becomes `_0` in the named tuple)."""
    if hasattr(value, "_asdict"):
        return {("from" if k == "_0" else k): _plain(v) for k, v in value._asdict().items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


async def _add_folder(client: Any, root: Path, name: str) -> None:
    client.workspace_did_change_workspace_folders(t.DidChangeWorkspaceFoldersParams(
        event=t.WorkspaceFoldersChangeEvent(
            added=[t.WorkspaceFolder(uri=uri(root), name=name)], removed=[])))


async def test_world_graph_of_the_world_under_the_cursor(client: Any, tmp_path: Path) -> None:
    root = tmp_path / "demo"
    shutil.copytree(DEMO / "wit", root)
    await _add_folder(client, root, "demo")
    worlds = root / "worlds.wit"
    text = worlds.read_text()
    uri_ = open_doc(client, worlds, text)
    await wait_diagnostics(client, uri_, 1)
    result = await client.protocol.send_request_async("wit-ls/worldGraph", {
        "textDocument": {"uri": uri_}, "position": pos(client, text, "world app", delta=7)})
    want = _expected_world()
    assert result.world == "app:demo/app@1.0.0"
    assert sorted(result.worlds) == ["app:demo/app@1.0.0", "app:demo/base@1.0.0",
                                     "ex:io/minimal@0.1.0"]
    graph = result.graph
    nodes = graph.nodes
    assert [n.id for n in nodes] == want["nodes"]
    assert [n.drawId for n in nodes] == [f"n{i}" for i in range(len(want["nodes"]))]
    assert _plain(graph.world) == want["world"]
    # Each node points at its definition, in the client's position encoding (ASCII here).
    api = next(n for n in nodes if n.id == "app:demo/api@1.0.0")
    assert api.location.uri == uri(root / "types.wit")
    assert (api.location.range.start.line, api.location.range.start.character,
            api.location.range.end.character) == (6, 10, 13)
    streams = next(n for n in nodes if n.id == "ex:io/streams@0.1.0")
    assert streams.location.uri == uri(root / "deps/io/io.wit")
    assert streams.location.range.start.line == 6
    # The drawings use the same identifiers.
    assert "flowchart TB" in result.mermaid and "n4 -.->|include| n3" in result.mermaid
    assert result.dot.startswith("digraph wit {") and "n4 -> n3" in result.dot

    # A world by name, from another file; a document without worlds gets the whole root.
    named = await client.protocol.send_request_async("wit-ls/worldGraph", {
        "textDocument": {"uri": uri(root / "types.wit")}, "world": "base"})
    assert named.world == "app:demo/base@1.0.0"
    assert {i.interface for i in named.graph.world.imports if i.kind == "interface"} == {
        "ex:io/error@0.1.0", "ex:io/streams@0.1.0", "ex:io/logging@0.1.0"}
    whole = await client.protocol.send_request_async("wit-ls/worldGraph", {
        "textDocument": {"uri": uri(root / "types.wit")}})
    assert whole.world is None
    assert len(whole.graph.nodes) == 9 and not hasattr(whole.graph, "world")
    star = await client.protocol.send_request_async("wit-ls/worldGraph", {
        "textDocument": {"uri": uri_}, "position": pos(client, text, "world app", delta=7),
        "world": "*"})
    assert star.world is None and len(star.graph.nodes) == 9


async def test_world_graph_bad_params_answer_null(client: Any) -> None:
    assert await client.protocol.send_request_async("wit-ls/worldGraph", {}) is None
    assert await client.protocol.send_request_async("wit-ls/worldGraph", {
        "textDocument": {"uri": "file:///no/such/file.wit"}}) is None


async def test_world_graph_of_wasi_http_proxy(client: Any, tmp_path: Path) -> None:
    root = copy_real("WebAssembly__wasi-http", tmp_path)
    if root is None:
        pytest.skip("the real corpus is not present (../shared/corpus/real)")
    await _add_folder(client, root, "http")
    path = root / "proxy.wit"
    text = path.read_text()
    uri_ = open_doc(client, path, text)
    await wait_diagnostics(client, uri_, 1)
    result = await client.protocol.send_request_async("wit-ls/worldGraph", {
        "textDocument": {"uri": uri_}, "position": pos(client, text, "world proxy", delta=7)})
    assert result.world.startswith("wasi:http/proxy@")
    interfaces = {n.name for n in result.graph.nodes if n.kind == "interface"}
    # wasi:http/proxy 0.2: what `wasm-tools component wit` prints for the world.
    assert interfaces == {"incoming-handler", "outgoing-handler", "types", "stdin", "stdout",
                          "stderr", "monotonic-clock", "wall-clock", "error", "poll", "streams",
                          "random"}
    assert all(n.location.uri.startswith(uri(root)) for n in result.graph.nodes)
