"""Requests on pathological files, the input doubling each time: a request whose time grows
faster than its input (x4 per doubling is quadratic) shows here.

    python bench/lsp_pathological.py                 # all inputs, 4 sizes each
    python bench/lsp_pathological.py --quick         # 2 sizes each
    python bench/lsp_pathological.py nested-option   # one input

Inputs: `option<` nested 1k..8k deep; one 0.5..4 MB line of type aliases; 25..200 KB of random
bytes; `list<` nested 500..4000 deep with the cursor innermost (selection ranges). Prints the
seconds per request over stdio (serialisation included); "timeout" after 600 s.
"""

from __future__ import annotations

import random
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _rawlsp import Server


def nested_option(depth: int) -> str:
    return "package a:b;\n\ninterface i {\n  type t = " + "option<" * depth + "u32" + \
        ">" * depth + ";\n}\n"


def nested_list(depth: int) -> str:
    return "package a:b;\n\ninterface i {\n  type t = " + "list<" * depth + "u8" + \
        ">" * depth + ";\n}\n"


def one_line(size: int) -> str:
    parts = ["package a:b; interface i {"]
    total = len(parts[0])
    i = 0
    while total < size:
        item = f" type t{i} = list<u32>; f{i}: func(a: t{i}) -> option<t{i}>;"
        parts.append(item)
        total += len(item)
        i += 1
    return "".join(parts) + " }"


def random_bytes(size: int) -> str:
    rng = random.Random(size)
    return bytes(rng.randrange(32, 127) if rng.random() < 0.7 else rng.randrange(256)
                 for _ in range(size)).decode("latin-1")


INPUTS: dict[str, tuple[Callable[[int], str], list[int], str]] = {
    "nested-option": (nested_option, [1000, 2000, 4000, 8000], "depth"),
    "one-line": (one_line, [500_000, 1_000_000, 2_000_000, 4_000_000], "bytes"),
    "random-bytes": (random_bytes, [25_000, 50_000, 100_000, 200_000], "bytes"),
    "nested-list": (nested_list, [500, 1000, 2000, 4000], "depth"),
}


def requests(uri: str, text: str) -> dict[str, tuple[str, Any]]:
    lines = text.count("\n")
    doc = {"uri": uri}
    whole = {"start": {"line": 0, "character": 0}, "end": {"line": lines + 1, "character": 0}}
    inner = {"line": min(3, lines), "character": len(text.split("\n")[min(3, lines)]) // 2}
    return {
        "formatting": ("textDocument/formatting",
                       {"textDocument": doc, "options": {"tabSize": 2, "insertSpaces": True}}),
        "codeAction": ("textDocument/codeAction",
                       {"textDocument": doc, "range": whole, "context": {"diagnostics": []}}),
        "documentSymbol": ("textDocument/documentSymbol", {"textDocument": doc}),
        "semanticTokens": ("textDocument/semanticTokens/full", {"textDocument": doc}),
        "selectionRange": ("textDocument/selectionRange",
                           {"textDocument": doc, "positions": [inner]}),
        "foldingRange": ("textDocument/foldingRange", {"textDocument": doc}),
        "hover": ("textDocument/hover", {"textDocument": doc, "position": inner}),
        "diagnostic": ("textDocument/diagnostic", {"textDocument": doc}),
        "inlayHint": ("textDocument/inlayHint", {"textDocument": doc, "range": whole}),
        "completion": ("textDocument/completion", {"textDocument": doc, "position": inner}),
    }


def main(argv: list[str]) -> None:
    quick = "--quick" in argv
    names = [a for a in argv if not a.startswith("-")] or list(INPUTS)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        server = Server(root)
        server.initialize(root)
        try:
            for name in names:
                make, sizes, unit = INPUTS[name]
                sizes = sizes[:2] if quick else sizes
                print(f"\n{name} ({unit}: {', '.join(str(s) for s in sizes)})")
                rows: dict[str, list[str]] = {}
                for version, size in enumerate(sizes, start=1):
                    text = make(size)
                    uri = (root / f"{name}-{size}.wit").as_uri()
                    server.notify("textDocument/didOpen", {"textDocument": {
                        "uri": uri, "languageId": "wit", "version": version, "text": text}})
                    for label, (method, params) in requests(uri, text).items():
                        seconds, answer = server.request(method, params)
                        cell = f"{seconds:8.3f}" if "error" not in answer or \
                            answer["error"] != "timeout" else " timeout"
                        if isinstance(answer.get("error"), dict):
                            cell += "!"
                        rows.setdefault(label, []).append(cell)
                    server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
                for label, cells in rows.items():
                    print(f"  {label:15} " + " ".join(cells) + "  s")
        finally:
            server.close()


if __name__ == "__main__":
    main(sys.argv[1:])
