"""Requests on pathological inputs, each input doubling in size: the seconds per request at
each size and the ratio per doubling (about 2 is linear, 4 is quadratic).

    python bench/lsp_pathological.py                       # every input at the issue's sizes
    python bench/lsp_pathological.py --quick               # the two smallest sizes of each
    python bench/lsp_pathological.py one-line many-files   # some inputs
    python bench/lsp_pathological.py --budget 120          # seconds before a request times out

Inputs: `option<`, `list<` and `tuple<` nested 1k..8k deep; one line of type aliases and
functions of 0.5..4 MB; 25..200 KB of random bytes; a package of 1,250..10,000 files (one
interface each, all used by the opened file). Every request goes over stdio to `wit-ls serve`
(serialisation included); "timeout" when it exceeds the budget (the later sizes of that
request are then skipped). A ratio is printed where both times are above 50 ms; the last
column is the largest ratio of the row. `open` is the first pull of diagnostics after the
file opens (the analysis later requests reuse); on the package, `keystroke` is a didChange of
the opened file followed by a pull of its diagnostics.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import _paths  # noqa: F401  (makes tests/support importable)
from support.raw_client import RawClient

Doc = tuple[str, str, dict[str, int]]  # (file name, text, a position deep inside it)


def _nested(word: str, leaf: str, close: str) -> Callable[[int], list[Doc]]:
    def make(depth: int) -> list[Doc]:
        line = "  type t = " + word * depth + leaf + close * depth + ";"
        text = "package a:b;\n\ninterface i {\n" + line + "\n}\n"
        # The cursor on the innermost type.
        column = len("  type t = ") + len(word) * depth
        return [(f"nested-{depth}.wit", text, {"line": 3, "character": column})]
    return make


def one_line(size: int) -> list[Doc]:
    parts = ["package a:b; interface i {"]
    total = len(parts[0])
    i = 0
    while total < size:
        item = f" type t{i} = list<u32>; f{i}: func(a: t{i}) -> option<t{i}>;"
        parts.append(item)
        total += len(item)
        i += 1
    text = "".join(parts) + " }"
    return [(f"line-{size}.wit", text, {"line": 0, "character": len(text) // 2})]


def random_bytes(size: int) -> list[Doc]:
    rng = random.Random(size)
    text = bytes(rng.randrange(32, 127) if rng.random() < 0.7 else rng.randrange(256)
                 for _ in range(size)).decode("latin-1")
    return [(f"noise-{size}.wit", text, {"line": 0, "character": 10})]


def many_files(count: int) -> list[Doc]:
    """A package of ``count`` files; the first (opened) uses a type of every other one."""
    uses = "".join(f"  use i{k}.{{t{k}}};\n" for k in range(1, count))
    first = f"package a:b;\n\ninterface i0 {{\n{uses}  record r {{ a: u32 }}\n}}\n"
    docs = [("f0.wit", first, {"line": 3, "character": 10})]  # on `t1`
    docs += [(f"f{k}.wit", f"package a:b;\n\ninterface i{k} {{\n  type t{k} = list<u32>;\n}}\n",
              {"line": 3, "character": 8}) for k in range(1, count)]
    return docs


INPUTS: dict[str, tuple[Callable[[int], list[Doc]], list[int], str]] = {
    "nested-option": (_nested("option<", "u32", ">"), [1000, 2000, 4000, 8000], "depth"),
    "nested-list": (_nested("list<", "u8", ">"), [1000, 2000, 4000, 8000], "depth"),
    "nested-tuple": (_nested("tuple<u8, ", "u8", ">"), [1000, 2000, 4000, 8000], "depth"),
    "one-line": (one_line, [500_000, 1_000_000, 2_000_000, 4_000_000], "bytes"),
    "random-bytes": (random_bytes, [25_000, 50_000, 100_000, 200_000], "bytes"),
    "many-files": (many_files, [1250, 2500, 5000, 10_000], "files"),
}


def requests(uri: str, text: str, inner: dict[str, int]) -> list[tuple[str, str, Any]]:
    """(label, method, params) of every request timed, in order (the delta follows the full
    tokens whose result id it names: the server keeps it)."""
    lines = text.count("\n")
    doc = {"uri": uri}
    whole = {"start": {"line": 0, "character": 0}, "end": {"line": lines + 1, "character": 0}}
    return [
        ("semanticTokens", "textDocument/semanticTokens/full", {"textDocument": doc}),
        ("semanticDelta", "textDocument/semanticTokens/full/delta",
         {"textDocument": doc, "previousResultId": "?"}),
        ("semanticRange", "textDocument/semanticTokens/range",
         {"textDocument": doc, "range": whole}),
        ("documentSymbol", "textDocument/documentSymbol", {"textDocument": doc}),
        ("foldingRange", "textDocument/foldingRange", {"textDocument": doc}),
        ("selectionRange", "textDocument/selectionRange",
         {"textDocument": doc, "positions": [inner]}),
        ("codeAction", "textDocument/codeAction",
         {"textDocument": doc, "range": whole, "context": {"diagnostics": []}}),
        ("formatting", "textDocument/formatting",
         {"textDocument": doc, "options": {"tabSize": 2, "insertSpaces": True}}),
        ("hover", "textDocument/hover", {"textDocument": doc, "position": inner}),
        ("completion", "textDocument/completion", {"textDocument": doc, "position": inner}),
        ("references", "textDocument/references",
         {"textDocument": doc, "position": inner, "context": {"includeDeclaration": True}}),
        ("inlayHint", "textDocument/inlayHint", {"textDocument": doc, "range": whole}),
        ("documentLink", "textDocument/documentLink", {"textDocument": doc}),
        ("diagnostic", "textDocument/diagnostic", {"textDocument": doc}),
    ]


def timed(client: RawClient, method: str, params: Any, budget: float) -> float | None:
    """Seconds until the answer (None past the budget); an error answer counts as answered."""
    started = time.perf_counter()
    try:
        client.request(method, params, timeout=budget)
    except AssertionError:
        return None
    return time.perf_counter() - started


def keystroke(client: RawClient, uri: str, version: int, budget: float) -> float | None:
    started = time.perf_counter()
    client.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": version},
        "contentChanges": [{"range": {"start": {"line": 1, "character": 0},
                                      "end": {"line": 1, "character": 0}}, "text": " "}]})
    try:
        client.request("textDocument/diagnostic", {"textDocument": {"uri": uri}}, timeout=budget)
    except AssertionError:
        return None
    return time.perf_counter() - started


def run_input(name: str, sizes: list[int], budget: float) -> dict[str, list[float | None]]:
    make = INPUTS[name][0]
    rows: dict[str, list[float | None]] = {}
    for size in sizes:
        docs = make(size)
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            for file_name, text, _ in docs:
                (root / file_name).write_text(text, encoding="utf-8", errors="surrogateescape")
            client = RawClient(root)
            try:
                client.initialize(root)
                file_name, text, inner = docs[0]
                uri = (root / file_name).as_uri()
                client.notify("textDocument/didOpen", {"textDocument": {
                    "uri": uri, "languageId": "wit", "version": 1, "text": text}})
                # The first diagnostics (the analysis the other requests reuse).
                rows.setdefault("open", []).append(timed(
                    client, "textDocument/diagnostic", {"textDocument": {"uri": uri}}, budget))
                for label, method, params in requests(uri, text, inner):
                    previous = rows.get(label, [])
                    if previous and previous[-1] is None:  # timed out at a smaller size
                        rows.setdefault(label, []).append(None)
                        continue
                    seconds = timed(client, method, params, budget)
                    rows.setdefault(label, []).append(seconds)
                    print(f"  {name} {size} {label}: {seconds}", file=sys.stderr, flush=True)
                if len(docs) > 1:
                    rows.setdefault("keystroke", []).append(keystroke(client, uri, 2, budget))
                if client.proc.poll() is None:
                    client.request("shutdown", None, timeout=budget)
            finally:
                client.close()
    return rows


def _cell(seconds: float | None) -> str:
    return " timeout" if seconds is None else f"{seconds:8.3f}"


def _ratio(before: float | None, after: float | None) -> float | None:
    if before is None or after is None or before < 0.05 or after < 0.05:
        return None
    return after / before


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="*", metavar="INPUT",
                        help=f"some of: {', '.join(INPUTS)} (default: all)")
    parser.add_argument("--quick", action="store_true", help="only the two smallest sizes")
    parser.add_argument("--budget", type=float, default=300.0,
                        help="seconds a request may take before it counts as a timeout")
    args = parser.parse_args(argv)
    unknown = [name for name in args.inputs if name not in INPUTS]
    if unknown:
        parser.error(f"unknown input(s): {', '.join(unknown)}")
    for name in args.inputs or list(INPUTS):
        sizes = INPUTS[name][1][:2] if args.quick else INPUTS[name][1]
        unit = INPUTS[name][2]
        rows = run_input(name, sizes, args.budget)
        print(f"\n{name} ({unit}: {', '.join(str(s) for s in sizes)}); seconds, then the "
              "ratio per doubling")
        for label, cells in rows.items():
            ratios = [_ratio(a, b) for a, b in itertools.pairwise(cells)]
            shown = " ".join("    -" if r is None else f"{r:5.1f}" for r in ratios)
            worst = max((r for r in ratios if r is not None), default=None)
            print(f"  {label:15}" + "".join(_cell(c) for c in cells) + f"  | {shown}  | "
                  + ("-" if worst is None else f"max {worst:.1f}"), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
