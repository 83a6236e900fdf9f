"""Every request on every pathological file is answered (a result, not an error) within a
generous budget: a guard against hangs and crashes (RecursionError while serialising deep
selection ranges), not a performance assertion. bench/lsp_pathological.py prints the times
as the inputs double."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from support.raw_client import RawClient

BUDGET = 180.0  # seconds per request, on a loaded CI machine


def _inputs() -> dict[str, tuple[str, dict[str, int]]]:
    """name -> (text, a position deep inside it)."""
    rng = random.Random(13)
    noise = bytes(rng.randrange(32, 127) if rng.random() < 0.7 else rng.randrange(256)
                  for _ in range(50_000)).decode("latin-1")
    line = "package a:b; interface i {" + "".join(
        f" type t{i} = list<u32>; f{i}: func(a: t{i}) -> option<t{i}>;" for i in range(500)) + " }"
    return {
        "nested-option": ("package a:b;\n\ninterface i {\n  type t = " + "option<" * 1000
                          + "u32" + ">" * 1000 + ";\n}\n", {"line": 3, "character": 7_000}),
        "nested-list": ("package a:b;\n\ninterface i {\n  type t = " + "list<" * 1000 + "u8"
                        + ">" * 1000 + ";\n}\n", {"line": 3, "character": 5_010}),
        "one-line": (line, {"line": 0, "character": len(line) // 2}),
        "random-bytes": (noise, {"line": 0, "character": 10}),
        "nested-tuple": ("package a:b;\n\ninterface i {\n  type t = " + "tuple<u8, " * 1000
                         + "u8" + ">" * 1000 + ";\n}\n", {"line": 3, "character": 10_011}),
    }


def _package(root: Path, count: int) -> tuple[str, dict[str, int]]:
    """A package of ``count`` files whose first uses a type of each other one; its text and a
    position on the first `use`d name."""
    for k in range(1, count):
        (root / f"f{k}.wit").write_text(
            f"package a:b;\n\ninterface i{k} {{\n  type t{k} = list<u32>;\n}}\n")
    uses = "".join(f"  use i{k}.{{t{k}}};\n" for k in range(1, count))
    text = f"package a:b;\n\ninterface i0 {{\n{uses}  record r {{ a: u32 }}\n}}\n"
    (root / "pathological.wit").write_text(text)
    return text, {"line": 3, "character": 10}


@pytest.mark.parametrize("name", [*_inputs(), "many-files"])
def test_every_request_answers_on_pathological_files(tmp_path: Path, name: str) -> None:
    if name == "many-files":
        text, inner = _package(tmp_path, 300)
    else:
        text, inner = _inputs()[name]
    client = RawClient(tmp_path)
    try:
        client.initialize(tmp_path)
        uri = (tmp_path / ("pathological.wit" if name == "many-files" else f"{name}.wit")).as_uri()
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "wit", "version": 1, "text": text}})
        doc = {"uri": uri}
        lines = text.count("\n")
        whole = {"start": {"line": 0, "character": 0}, "end": {"line": lines + 1, "character": 0}}
        for method, params in [
            ("textDocument/formatting",
             {"textDocument": doc, "options": {"tabSize": 2, "insertSpaces": True}}),
            ("textDocument/codeAction",
             {"textDocument": doc, "range": whole, "context": {"diagnostics": []}}),
            ("textDocument/documentSymbol", {"textDocument": doc}),
            ("textDocument/semanticTokens/full", {"textDocument": doc}),
            ("textDocument/semanticTokens/full/delta",
             {"textDocument": doc, "previousResultId": "1"}),
            ("textDocument/semanticTokens/range", {"textDocument": doc, "range": whole}),
            ("textDocument/references", {"textDocument": doc, "position": inner,
                                         "context": {"includeDeclaration": True}}),
            ("textDocument/documentLink", {"textDocument": doc}),
            ("workspace/symbol", {"query": "t"}),
            ("textDocument/selectionRange", {"textDocument": doc, "positions": [inner]}),
            ("textDocument/foldingRange", {"textDocument": doc}),
            ("textDocument/hover", {"textDocument": doc, "position": inner}),
            ("textDocument/diagnostic", {"textDocument": doc}),
            ("textDocument/inlayHint", {"textDocument": doc, "range": whole}),
            ("textDocument/completion", {"textDocument": doc, "position": inner}),
            ("textDocument/documentHighlight", {"textDocument": doc, "position": inner}),
            ("wit-ls/syntaxTree", {"textDocument": doc}),
        ]:
            answer = client.request(method, params, timeout=BUDGET)
            assert "result" in answer, (method, answer)
        # Deep selection ranges arrive whole (innermost first, the file last).
        answer = client.request("textDocument/selectionRange",
                                {"textDocument": doc, "positions": [inner]}, timeout=BUDGET)
        depth, node = 0, answer["result"][0]
        while node.get("parent"):
            depth, node = depth + 1, node["parent"]
        assert node["range"]["start"] == {"line": 0, "character": 0}
        assert client.messages("window/showMessage") == []
    finally:
        client.close()
