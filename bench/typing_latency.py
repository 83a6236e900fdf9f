"""What a user typing in VS Code waits for: new names typed letter by letter, each keystroke
followed by the requests VS Code sends after a change.

    python bench/typing_latency.py              # both files, VS Code's way (pulled diagnostics)
    python bench/typing_latency.py --push       # diagnostics pushed (other clients' way)
    python bench/typing_latency.py big http     # some of the files

In the generated 20,000-line package (``lsp_latency.generate_package``) and in wasi-http's
``types.wit``, three things are typed a character at a time at a few places (each at the end
of a line: a newline with its indent, then the text): a new record field, a new variant case,
and a new function of the interface. Every letter of a name changes the file's declarations
(the names themselves, or a syntax error while a field has no type yet). After the typed text
the line is deleted again (one edit, not timed).

After each keystroke (``didChange``) the client sends at once what VS Code asks of a changed
document: the diagnostics (pulled: ``textDocument/diagnostic``; pushed: it waits for
``publishDiagnostics``), semantic tokens (``full/delta`` from the last result), document
symbols (outline and breadcrumbs), folding ranges, document links, code lenses (and, once
they come, ``codeLens/resolve`` of those over the visible lines, as VS Code asks), inlay hints
over the visible lines, and, at the cursor, document highlights (VS Code debounces most of
these; sending them all after every keystroke is the worst case of a fast typist). Printed:
keystroke -> diagnostics, keystroke -> every answer (median, p95), the median of each
request, and the server's CPU per keystroke (its /proc CPU time over the whole typing,
divided by the keystrokes: a loaded machine changes it much less than wall time).

``--in-process`` also types the same keystrokes in this process, as the server handles them:
the change, the diagnostics' first answer, then the package analysis the requests that read
it ask for (``Workspace.analysis_for``): CPU per keystroke of each.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import _paths  # noqa: F401
import lsp_latency
from lsprotocol import types as t

REAL = lsp_latency.REAL
HTTP = REAL / "WebAssembly__wasi-http" / "wit"
# What is typed, per kind: (anchor: the text whose line the new line follows, the indent, the
# typed text). ``{n}`` in an anchor is replaced by a number of the generated package's items.
BIG = {"record field": ("    c: list<u8>,", "    ", "count: u32,"),
       "variant case": ("    some(rec{n}),", "    ", "extra-case,"),
       "function": ("  fn{n}: func(", "  ", "ping: func();")}
HTTP_KINDS = {"record field": ("    field-name: option<string>,", "    ", "limit: u32,"),
              "variant case": ("  variant header-error {", "    ", "extra-case,"),
              "function": ("  use wasi:io/poll@0.2.8.{pollable};", "  ", "ping: func();")}
PLACES = 1  # places per kind in the generated package (its middle by default)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _ms(values: list[float]) -> str:
    return (f"median {statistics.median(values) * 1000:7.1f} ms   "
            f"p95 {_pct(values, 0.95) * 1000:7.1f} ms")


def keystrokes(text: str, kinds: dict[str, tuple[str, str, str]], places: int
               ) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Per place: the kind and its keystrokes as (line, column in UTF-16 units, inserted
    text), starting at the end of the anchor's line: a newline and the indent, then each
    character of the typed text. The anchors are found in the text as it is (the typed line
    is deleted again before the next place)."""
    rows = text.split("\n")
    out = []
    for kind, (anchor, indent, typed) in kinds.items():
        if "{n}" in anchor:
            total = sum(1 for r in rows if r.startswith("interface iface"))
            wanted = [anchor.replace("{n}", str(total * (k + 1) // (places + 1)))
                      for k in range(places)]
        else:
            wanted = [anchor]
        for needle in wanted:
            line = next(i for i, r in enumerate(rows) if r.startswith(needle))
            col = len(rows[line].encode("utf-16-le")) // 2
            keys = [(line, col, "\n" + indent)]
            keys += [(line + 1, len(indent) + k, ch) for k, ch in enumerate(typed)]
            out.append((kind, keys))
    return out


class Typist:
    """A VS Code-like client over stdio typing into one open document."""

    def __init__(self, client: Any, uri: str, text: str, pull: bool) -> None:
        self.client = client
        self.uri = uri
        self.lines = text.count("\n") + 1
        self.pull = pull
        self.version = 1
        self.tokens_id: str | None = None
        self.results: dict[str, list[float]] = {}

    async def first(self) -> None:
        doc = t.TextDocumentIdentifier(uri=self.uri)
        if self.pull:
            await self.client.text_document_diagnostic_async(
                t.DocumentDiagnosticParams(text_document=doc))
        full = await self.client.text_document_semantic_tokens_full_async(
            t.SemanticTokensParams(text_document=doc))
        self.tokens_id = full.result_id

    async def _timed(self, name: str, started: float, request: Any) -> float:
        answer = await request
        done = time.perf_counter()
        if name == "semantic tokens delta":
            self.tokens_id = answer.result_id
        self.results.setdefault(name, []).append(done - started)
        return done

    async def _lenses(self, doc: t.TextDocumentIdentifier, visible: t.Range) -> list[Any]:
        """The code lenses, then (as VS Code does) those over the visible lines resolved."""
        lenses = await self.client.text_document_code_lens_async(
            t.CodeLensParams(text_document=doc))
        shown = [lens for lens in lenses or [] if lens.command is None
                 and visible.start.line <= lens.range.start.line < visible.end.line]
        return list(await asyncio.gather(*(self.client.code_lens_resolve_async(lens)
                                           for lens in shown)))

    def change(self, line: int, col: int, end_col: int, typed: str,
               end_line: int | None = None) -> None:
        self.version += 1
        rng = t.Range(start=t.Position(line=line, character=col),
                      end=t.Position(line=line if end_line is None else end_line,
                                     character=end_col))
        self.client.text_document_did_change(t.DidChangeTextDocumentParams(
            text_document=t.VersionedTextDocumentIdentifier(uri=self.uri,
                                                            version=self.version),
            content_changes=[t.TextDocumentContentChangePartial(range=rng, text=typed)]))

    async def keystroke(self, line: int, col: int, typed: str) -> tuple[float, float]:
        """One keystroke and VS Code's requests: (to the diagnostics, to every answer)."""
        client = self.client
        doc = t.TextDocumentIdentifier(uri=self.uri)
        started = time.perf_counter()
        fut = None
        if not self.pull:
            fut = asyncio.get_running_loop().create_future()
            client.waiters[(self.uri, self.version + 1, 1)] = fut
        self.change(line, col, col, typed)
        self.lines += typed.count("\n")
        cursor_line = line + typed.count("\n")
        cursor = t.Position(line=cursor_line, character=len(typed.rsplit("\n", 1)[-1])
                            + (0 if "\n" in typed else col))
        visible = t.Range(start=t.Position(line=max(0, cursor_line - 30), character=0),
                          end=t.Position(line=min(self.lines, cursor_line + 30), character=0))
        assert self.tokens_id is not None
        asked: list[tuple[str, Any]] = [
            ("semantic tokens delta", client.text_document_semantic_tokens_full_delta_async(
                t.SemanticTokensDeltaParams(text_document=doc,
                                            previous_result_id=self.tokens_id))),
            ("document symbols", client.text_document_document_symbol_async(
                t.DocumentSymbolParams(text_document=doc))),
            ("folding ranges", client.text_document_folding_range_async(
                t.FoldingRangeParams(text_document=doc))),
            ("document links", client.text_document_document_link_async(
                t.DocumentLinkParams(text_document=doc))),
            ("code lenses", self._lenses(doc, visible)),
            ("inlay hints", client.text_document_inlay_hint_async(
                t.InlayHintParams(text_document=doc, range=visible))),
            ("document highlights", client.text_document_document_highlight_async(
                t.DocumentHighlightParams(text_document=doc, position=cursor))),
        ]
        if self.pull:
            asked.insert(0, ("diagnostics (pulled)", client.text_document_diagnostic_async(
                t.DocumentDiagnosticParams(text_document=doc))))
        waits = [self._timed(name, started, req) for name, req in asked]
        if fut is not None:
            async def pushed() -> float:
                assert fut is not None
                done: float = await fut
                self.results.setdefault("diagnostics (pushed)", []).append(done - started)
                return done
            waits.insert(0, pushed())
        times = await asyncio.wait_for(asyncio.gather(*waits), 120)
        return times[0] - started, max(times) - started


async def type_over_stdio(folder: Path, path: Path, kinds: dict[str, tuple[str, str, str]],
                          label: str, pull: bool, places: int) -> None:
    client = await lsp_latency.start(folder, pull=pull)
    text = path.read_text(encoding="utf-8")
    uri = path.resolve().as_uri()
    if pull:
        client.text_document_did_open(t.DidOpenTextDocumentParams(
            text_document=t.TextDocumentItem(uri=uri, language_id="wit", version=1,
                                             text=text)))
    else:
        await lsp_latency.open_and_wait(client, path, text)
    typist = Typist(client, uri, text, pull)
    await typist.first()
    pid = client._server.pid
    to_diagnostics: list[float] = []
    to_all: list[float] = []
    cpu = 0.0
    count = 0
    for _kind, keys in keystrokes(text, kinds, places):
        before = lsp_latency._cpu_seconds(pid)
        for line, col, typed in keys:
            diag, whole = await typist.keystroke(line, col, typed)
            to_diagnostics.append(diag)
            to_all.append(whole)
        cpu += lsp_latency._cpu_seconds(pid) - before
        count += len(keys)
        # The typed line goes again (not timed; its answers are awaited).
        line, col = keys[0][0], keys[0][1]
        last_line, last_col = keys[-1][0], keys[-1][1] + len(keys[-1][2])
        fut = None
        if not pull:
            fut = asyncio.get_running_loop().create_future()
            client.waiters[(uri, typist.version + 1, 1)] = fut
        typist.change(line, col, last_col, "", end_line=last_line)
        typist.lines -= 1
        if fut is not None:
            await asyncio.wait_for(fut, 120)
        else:
            await client.text_document_diagnostic_async(t.DocumentDiagnosticParams(
                text_document=t.TextDocumentIdentifier(uri=uri)))
    how = "pulled" if pull else "pushed"
    print(f"{label} ({how} diagnostics), {count} keystrokes:")
    print(f"  keystroke -> diagnostics       {_ms(to_diagnostics)}")
    print(f"  keystroke -> every answer      {_ms(to_all)}")
    for name, values in typist.results.items():
        print(f"    {name:<28} {_ms(values)}")
    print(f"  server CPU per keystroke (all answers): {cpu / count * 1000:.1f} ms")
    await lsp_latency.stop(client)


def type_in_process(folder: Path, path: Path, kinds: dict[str, tuple[str, str, str]],
                    label: str, places: int) -> None:
    """The keystrokes of :func:`type_over_stdio` made in this process, as the server makes
    them: CPU of the change and first answer's diagnostics, then of the analysis the
    requests that read the package ask for (nothing when it is up to date)."""
    from wit_ls.lsp.workspace import Workspace
    from wit_ls.syntax import TextEdit

    text = path.read_text(encoding="utf-8")
    name = str(path)
    ws = Workspace()
    ws.add_folder(folder.as_uri(), str(folder))
    ws.open(path.as_uri(), name, 1, text)
    ws.analysis_for(name)
    ws.diagnostics_for(name, "previous")
    rows = text.encode().split(b"\n")
    starts = [0]
    for row in rows:
        starts.append(starts[-1] + len(row) + 1)
    diagnostics: list[float] = []
    requests: list[float] = []
    version = 1
    for _kind, keys in keystrokes(text, kinds, places):
        first = starts[keys[0][0]] + len(rows[keys[0][0]])  # (ASCII lines: columns are bytes)
        at = first
        for _line, _col, typed in keys:
            version += 1
            started = time.process_time()
            ws.change(name, version, [TextEdit(at, at, typed.encode())])
            ws.diagnostics_for(name, "previous")
            middle = time.process_time()
            ws.analysis_for(name)
            ended = time.process_time()
            diagnostics.append(middle - started)
            requests.append(ended - middle)
            ws.release_retired()
            at += len(typed.encode())
        version += 1
        ws.change(name, version, [TextEdit(first, at, b"")])
        ws.analysis_for(name)
        ws.release_retired()
    print(f"{label}, in process, CPU per keystroke ({len(diagnostics)}):")
    print(f"  change and diagnostics         {_ms(diagnostics)}")
    print(f"  then the package analysis      {_ms(requests)}")
    print(f"  both                           "
          f"{_ms([a + b for a, b in zip(diagnostics, requests, strict=True)])}")


async def main(parts: set[str], pull: bool, in_process: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        files: list[tuple[str, Path, Path, dict[str, tuple[str, str, str]], int]] = []
        if "big" in parts:
            big = tmpdir / "big"
            big.mkdir()
            path = lsp_latency.generate_package(big)
            files.append(("generated 20,000-line package", big, path, BIG, PLACES))
        if "http" in parts:
            if HTTP.is_dir():
                copy = tmpdir / "http"
                shutil.copytree(HTTP, copy)
                files.append(("wasi-http types.wit", copy, copy / "types.wit", HTTP_KINDS, 1))
            else:
                print("(the real corpus is absent: skipping wasi-http)")
        for label, folder, path, kinds, places in files:
            await type_over_stdio(folder, path, kinds, label, pull, places)
            if in_process:
                type_in_process(folder, path, kinds, label, places)


if __name__ == "__main__":
    args = sys.argv[1:]
    flags = {a for a in args if a.startswith("--")}
    chosen = {a for a in args if not a.startswith("--")} or {"big", "http"}
    if not chosen <= {"big", "http"} or not flags <= {"--push", "--in-process"}:
        sys.exit("usage: typing_latency.py [--push] [--in-process] [big | http]...")
    asyncio.run(main(chosen, "--push" not in flags, "--in-process" in flags))
