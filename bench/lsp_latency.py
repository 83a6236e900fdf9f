"""Language-server latency and memory, measured over stdio as an editor would see them.

    python bench/lsp_latency.py            # all measurements (real corpus parts skip if absent)
    python bench/lsp_latency.py lint corpus   # some: http, big, lint, corpus, pull
    python bench/lsp_latency.py http --beside-tests   # while the fast test suite runs beside

With ``--beside-tests`` the fast test suite (``pytest -m "not slow"``) runs over and over, in a
copy of this checkout, for as long as the measurements take (the issue's "under load").

Prints: didChange -> publishDiagnostics latency (median, p95) for single-character edits (a space,
and a letter) in
wasi-http's types.wit and in a generated 20,000-line package, and to fresh lint findings in
the latter (whole, and after the pause the server waits for before showing them, with where
the work of a pass goes, in process); hover and
definition latency; code lenses, completion at a type position (with the types of deps/ to
import) and its resolve (the `use` edit), and type hierarchy on wasi-http's types.wit;
time from initialize to the first diagnostics of a workspace holding the whole real corpus, and
the server's peak memory there (VmHWM); ``pull``: the same to the first pulled report, for a
client that pulls diagnostics as VS Code does.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import _paths  # noqa: F401
import check_speed
import pygls.io_
from _timing import best
from lsprotocol import types as t
from pygls.protocol import default_converter
from pytest_lsp import LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES
from support.oracle import wasm_tools
from support.vscode_client import pull_capabilities

REPO = Path(__file__).resolve().parents[1]
REAL = REPO.parent / "shared" / "corpus" / "real"


class _ReadStamp:
    """Stands in for the ``json`` module of pygls' read loop, which parses each message body
    with ``json.loads`` (turning it into attrs objects through cattrs) as soon as it has read
    the body whole: ``read_at`` is when the body had arrived, before this client parsed it.
    Parsing one publication of the 20,000-line package's 2,101 lint findings (1.3 MB) took
    this client 22-283 ms (2026-12-02, load 1.3-3), often with a full collection of its own
    heap (26-152 ms) among it: a time taken after the parse is the server's plus this
    client's, and "after the pause", the difference of two such times, came out negative
    once."""

    def __init__(self) -> None:
        self.read_at: float | None = None

    def loads(self, body: bytes, **kwargs: Any) -> Any:
        self.read_at = time.perf_counter()
        return json.loads(body, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(json, name)


READ_STAMP = _ReadStamp()
assert pygls.io_.json is json, "pygls' read loop no longer parses with the json module"
pygls.io_.json = READ_STAMP  # type: ignore[assignment]


def _client() -> Any:
    """A client that records, per document, when each version's diagnostics arrived
    (``waiters``, keyed by uri, version and which publication of that version: the server
    sends a fast first answer, then one with fresh lint findings and breaking changes), and
    the last diagnostics themselves (``last``). ``arrived``: when each publication had been
    parsed by this client; ``received``: when its bytes had arrived, before (see
    :class:`_ReadStamp`)."""
    client: Any = LanguageClient(converter_factory=default_converter)
    client.waiters = {}
    client.published = {}
    client.counts = {}
    client.last = {}
    client.arrived = {}
    client.received = {}
    client.sent = {}
    for method, func in DEFAULT_CLIENT_FEATURES.items():
        if method != t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS:
            client.feature(method)(func)

    @client.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def publish(params: t.PublishDiagnosticsParams) -> None:
        client.published[params.uri] = (params.version, time.perf_counter())
        client.last[params.uri] = params.diagnostics
        nth = client.counts[(params.uri, params.version)] = client.counts.get(
            (params.uri, params.version), 0) + 1
        client.arrived[(params.uri, params.version, nth)] = time.perf_counter()
        received, READ_STAMP.read_at = READ_STAMP.read_at, None
        assert received is not None, "the read loop did not stamp this message"
        client.received[(params.uri, params.version, nth)] = received
        fut = client.waiters.pop((params.uri, params.version, nth), None)
        if fut is not None and not fut.done():
            fut.set_result(time.perf_counter())

    @client.feature(t.CLIENT_REGISTER_CAPABILITY)
    def register(_params: t.RegistrationParams) -> None:
        return None

    return client


SERVE = [sys.executable, "-m", "wit_ls", "serve"]


async def start(folder: Path, options: dict[str, Any] | None = None,
                command: list[str] | None = None, pull: bool = False) -> Any:
    """A server over stdio (``command``, by default the dev checkout's), initialised as VS Code
    (as a client that pulls diagnostics with ``pull``) with ``folder`` as the workspace and
    ``options`` as its settings."""
    client = _client()
    await client.start_io(*(command or SERVE))
    await client.initialize_session(t.InitializeParams(
        capabilities=pull_capabilities() if pull else client_capabilities("visual-studio-code"),
        initialization_options=options or {},
        workspace_folders=[t.WorkspaceFolder(uri=folder.as_uri(), name="bench")]))
    return client


async def stop(client: Any) -> None:
    await client.shutdown_session()
    await client.stop()


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(label: str, values: list[float], target: float | None = None) -> None:
    med, p95 = statistics.median(values) * 1000, _pct(values, 0.95) * 1000
    verdict = "" if target is None else ("  OK" if p95 < target else f"  OVER {target:.0f} ms")
    print(f"{label:<58} median {med:7.1f} ms   p95 {p95:7.1f} ms   (n={len(values)}){verdict}")


async def open_and_wait(client: Any, path: Path, text: str, timeout: float = 60) -> str:
    uri = path.resolve().as_uri()
    fut = asyncio.get_running_loop().create_future()
    client.waiters[(uri, 1, 1)] = fut
    client.text_document_did_open(t.DidOpenTextDocumentParams(text_document=t.TextDocumentItem(
        uri=uri, language_id="wit", version=1, text=text)))
    await asyncio.wait_for(fut, timeout)
    return uri


async def edit_times(client: Any, uri: str, text: str, lines: list[int], n: int,
                     timeout: float = 60, nth: int = 1, typed: str = " ") -> list[float]:
    """didChange -> publishDiagnostics of ``n`` single-character edits of the open document
    (version 1, ``text``): ``typed`` (a space; a letter breaks the file) typed at the end of
    one of ``lines`` (spread over them), then deleted again. ``nth``: which publication of
    each version counts (1: the first answer; 2: the one with fresh lint findings and
    breaking changes, sent once typing pauses; the next edit waits for it)."""
    rows = text.split("\n")
    times: list[float] = []
    version = 1
    for k in range(n):
        line = lines[(k * 7919) % len(lines)]
        col = len(rows[line].encode("utf-16-le")) // 2
        for insert in (True, False):
            version += 1
            fut = asyncio.get_running_loop().create_future()
            client.waiters[(uri, version, nth)] = fut
            rng = t.Range(start=t.Position(line=line, character=col),
                          end=t.Position(line=line, character=col + (0 if insert else 1)))
            started = client.sent[(uri, version)] = time.perf_counter()
            client.text_document_did_change(t.DidChangeTextDocumentParams(
                text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[t.TextDocumentContentChangePartial(
                    range=rng, text=typed if insert else "")]))
            done = await asyncio.wait_for(fut, timeout)
            times.append(done - started)
    return times


async def edit_latency(folder: Path, path: Path, label: str, target: float, n: int = 60,
                       typed: str = " ") -> None:
    client = await start(folder)
    text = path.read_text(encoding="utf-8")
    uri = await open_and_wait(client, path, text)
    # Single-character edits at the end of lines spread over the file.
    lines = [i for i, s in enumerate(text.split("\n")) if s.strip()]
    times = await edit_times(client, uri, text, lines, n, typed=typed)
    report(f"didChange -> diagnostics, {label}", times, target)
    await stop(client)


def http_keystrokes_in_process(folder: Path, path: Path, typed: str, n: int = 60) -> None:
    """The keystrokes of :func:`edit_latency` (``typed`` at line ends, then deleted) made in
    this process, as the server makes them (change, first answer's diagnostics, their LSP
    form, the replaced analyses released): CPU time per keystroke, a figure a loaded machine
    changes much less than the wall time over stdio."""
    from wit_ls.lsp.convert import Converter, DiagnosticForms
    from wit_ls.lsp.workspace import Workspace
    from wit_ls.syntax import TextEdit

    text = path.read_text(encoding="utf-8")
    name = str(path)
    ws = Workspace()
    ws.add_folder(folder.as_uri(), str(folder))
    ws.open(path.as_uri(), name, 1, text)
    ws.diagnostics_for(name, "previous")
    forms = DiagnosticForms()
    rows = text.split("\n")
    lines = [i for i, s in enumerate(rows) if s.strip()]
    starts = [0]
    for row in rows:
        starts.append(starts[-1] + len(row.encode()) + 1)
    times: list[float] = []
    version = 1
    for k in range(n):
        line = lines[(k * 7919) % len(lines)]
        at = starts[line] + len(rows[line].encode())
        for edit in (TextEdit(at, at, typed.encode()), TextEdit(at, at + 1, b"")):
            version += 1
            started = time.process_time()
            ws.change(name, version, [edit])
            found = ws.diagnostics_for(name, "previous")
            index = ws.tree(name).line_index  # type: ignore[union-attr]
            Converter("utf-16", lambda _path, at=index: at,
                      forms=forms).diagnostics(index, found, name)
            times.append(time.process_time() - started)
            ws.release_retired()
    report(f"  the same in process, CPU per keystroke ({typed!r})", times)


def declaration_keystrokes_in_process(folder: Path, path: Path, n: int = 20) -> None:
    """Keystrokes that change the declarations of the generated package (a letter typed at the
    end of a ``some(recN),`` line: a new variant case), then deleted, made in this process as
    the server makes them (see :func:`http_keystrokes_in_process`): CPU time per keystroke.
    The letters are answered by resolving the interface they change again, and the items
    that depend on it while what they see of it changed (`wit_ls.model.reresolve`); their
    deletions from the last analysis, moved."""
    from wit_ls.lsp.workspace import Workspace
    from wit_ls.syntax import TextEdit

    data = path.read_bytes()
    name = str(path)
    ws = Workspace()
    ws.add_folder(folder.as_uri(), str(folder))
    ws.open(path.as_uri(), name, 1, data.decode("utf-8"))
    ws.diagnostics_for(name, "previous")
    places: list[int] = []
    at = data.find(b"some(rec")
    while at >= 0:
        places.append(data.index(b"\n", at))
        at = data.find(b"some(rec", at + 1)
    letters: list[float] = []
    deletions: list[float] = []
    version = 1
    for k in range(n):
        end = places[(k * 7919) % len(places)]
        for edit, times in ((TextEdit(end, end, b"x"), letters),
                            (TextEdit(end, end + 1, b""), deletions)):
            version += 1
            started = time.process_time()
            ws.change(name, version, [edit])
            ws.diagnostics_for(name, "previous")
            times.append(time.process_time() - started)
            ws.release_retired()
    report("  in process, CPU per letter that adds a variant case", letters)
    report("  in process, CPU per deletion of that letter", deletions)


def keystroke_phases(folder: Path, path: Path, runs: int = 5) -> None:
    """Where one keystroke's analysis goes in the 20,000-line package, phase by phase, in
    this process (best CPU time of ``runs``, the collector paused as the server pauses it):
    a space typed at the end of a line in the middle of the file (no token changes: the
    server answers from its last analysis) and a letter (the file breaks: lowering and
    resolution run again)."""

    from wit_ls.host.disk import DiskFileSystem
    from wit_ls.lsp.workspace import Workspace
    from wit_ls.model.api import analyze_root
    from wit_ls.model.loader import FileCache, load_root
    from wit_ls.model.lower import lower
    from wit_ls.model.resolver import Resolver
    from wit_ls.syntax import SyntaxTree, TextEdit, apply_edits, parse

    data = path.read_bytes()
    at = data.index(b";\n", len(data) // 2) + 1
    name = str(path)
    old = parse(data)
    _ = old.diagnostics
    print("one keystroke in the 20,000-line package, in process (best CPU ms of "
          f"{runs}):")
    def one(label: str, typed: bytes) -> None:
        edit = TextEdit(at, at, typed)
        new = apply_edits(old, [edit])
        t_parse = best(lambda: apply_edits(old, [edit]), runs)
        t_syntax = best(lambda: SyntaxTree(new.source, new.tree).diagnostics, runs)

        # (After the lowering before the edit, whose declarations before it are reused.)
        t_lower = best(lambda: lower(new, name), runs, setup=lambda: lower(old, name))
        fs = DiskFileSystem()
        cache = FileCache()
        load = load_root(fs, str(folder), cache, False)
        t_resolve = best(lambda: Resolver(load, frozenset(), False).run(), runs)
        t_analysis = best(lambda: analyze_root(fs, str(folder), cache=cache), runs)
        ws = Workspace()
        ws.add_folder(folder.as_uri(), str(folder))
        ws.open(path.as_uri(), name, 1, data.decode("utf-8"))
        ws.diagnostics_for(name, "previous")
        version = [1]

        def keystroke() -> None:
            for change in (edit, TextEdit(at, at + len(typed), b"")):
                version[0] += 1
                ws.change(name, version[0], [change])
                ws.diagnostics_for(name, "previous")
                ws.release_retired()

        t_whole = best(keystroke, runs) / 2
        print(f"  {label:<22} reparse {t_parse:6.1f}   syntax checks {t_syntax:6.1f}   "
              f"lowering {t_lower:6.1f}   resolution {t_resolve:6.1f}   "
              f"(analysis, files parsed: {t_analysis:6.1f})   | editor keystroke {t_whole:6.1f}")

    one("space at a line end", b" ")
    one("letter at a line end", b"x")
    print("  (each phase's cost when it runs; after a space the editor runs only the reparse "
          "and moves the last answer)")


def lint_phases(folder: Path, path: Path, runs: int = 5) -> None:
    """Where the work after the pause goes for one keystroke (a space at the end of a line in
    the middle of the file) in the 20,000-line package, in this process (best CPU ms of
    ``runs``): the analysis the lint pass reads (made on the message loop; after a keystroke
    that changes no token, the last one seen through the edits, made in no time), the lint
    pass with
    the findings kept per item from the pass before (as the server runs it) and without them,
    and the conversion of every diagnostic to LSP types and to JSON for the answer: afresh,
    and as the server does it, reusing the forms of the answer before (the keystroke moved no
    finding here, so all are reused), after a keystroke and for a second answer of the same
    text."""
    import json

    from pygls.protocol import default_converter as converter

    from wit_ls import lint
    from wit_ls.lsp.convert import Converter, DiagnosticForms
    from wit_ls.lsp.protocol import strict_converter
    from wit_ls.lsp.workspace import Workspace
    from wit_ls.syntax import TextEdit

    data = path.read_bytes()
    at = data.index(b";\n", len(data) // 2) + 1
    name = str(path)
    ws = Workspace()
    ws.add_folder(folder.as_uri(), str(folder))
    ws.open(path.as_uri(), name, 1, data.decode("utf-8"))
    ws.diagnostics_for(name, "previous")
    version = [1]
    jobs: list[Any] = []

    def typed(text: bytes, end: int) -> None:
        version[0] += 1
        ws.change(name, version[0], [TextEdit(at, end, text)])
        ws.diagnostics_for(name, "previous")

    def keystroke() -> None:
        typed(b" ", at) if version[0] % 2 else typed(b"", at + 1)

    def make_job() -> None:
        jobs.append(ws.lint_job(name))

    def next_pass() -> None:  # the last pass finished, then a keystroke and its analysis
        job = jobs[-1]
        job.run()
        ws.finish_lint(job)
        keystroke()
        make_job()

    make_job()
    t_analysis = best(make_job, runs, setup=keystroke)
    t_kept = best(lambda: jobs[-1].run(), runs, setup=next_pass)

    def whole() -> None:
        job = jobs[-1]
        lint.lint(name, job.tree, config=job.config, package_trees=job.package,
                  analysis=job.analysis)

    t_whole = best(whole, runs)
    found = ws.diagnostics_for(name, "lint-cached")
    index = ws.tree(name).line_index  # type: ignore[union-attr]
    conv = Converter("utf-16", lambda _path: index)
    items: list[Any] = []
    t_convert = best(lambda: items.append(conv.diagnostics(index, found)), runs)
    params = t.PublishDiagnosticsParams(uri=path.as_uri(), diagnostics=items[-1], version=2)
    t_json = best(lambda: json.dumps(converter().unstructure(params)), runs)
    # As the server converts: each diagnostic's LSP and JSON forms are kept from the answer
    # before, and the next answer (after a keystroke that moves no finding) reuses them.
    forms = DiagnosticForms()
    kept_json = strict_converter()
    forms.install(kept_json)
    kept = Converter("utf-16", lambda _path: index, forms=forms)
    answer: list[Any] = []

    def send() -> None:
        answer.append(kept.diagnostics(ws.tree(name).line_index,  # type: ignore[union-attr]
                                       ws.diagnostics_for(name, "lint-cached"), name))
        forms.dumps(t.PublishDiagnosticsParams(uri=path.as_uri(), diagnostics=answer[-1],
                                               version=2), kept_json.unstructure)

    send()
    now: list[Any] = []

    def after_keystroke() -> None:
        keystroke()
        now[:] = [ws.tree(name).line_index,  # type: ignore[union-attr]
                  ws.diagnostics_for(name, "lint-cached")]

    # The first answer after a keystroke (new text: every key is made again, the forms are
    # reused) and a second answer for the same text (the keys are reused too).
    t_kept_convert = best(lambda: answer.append(kept.diagnostics(now[0], now[1], name)), runs,
                          setup=after_keystroke)
    t_again = best(lambda: kept.diagnostics(now[0], now[1], name), runs)
    message: list[Any] = []

    def converted() -> None:
        after_keystroke()
        message[:] = [t.PublishDiagnosticsParams(
            uri=path.as_uri(), diagnostics=kept.diagnostics(now[0], now[1], name), version=2)]

    t_kept_json = best(lambda: forms.dumps(message[0], kept_json.unstructure), runs,
                       setup=converted)
    t_json_again = best(lambda: forms.dumps(message[0], kept_json.unstructure), runs)
    print(f"after the pause, one keystroke in the 20,000-line package, in process (best CPU ms "
          f"of {runs}; {len(found):,} diagnostics):")
    print(f"  analysis for the lint pass {t_analysis:6.1f}   lint pass {t_kept:6.1f} (findings "
          f"kept per item; {t_whole:6.1f} without)   to LSP {t_convert:6.1f}   "
          f"to JSON {t_json:6.1f}")
    print(f"  with the forms kept from the answer before (as the server sends it): to LSP "
          f"{t_kept_convert:6.1f} after a keystroke, {t_again:6.1f} for the same text   "
          f"to JSON {t_kept_json:6.1f} and {t_json_again:6.1f}")
    print("  (the pass starts once the pause is over, never while typing may go on; a fix's "
          "offsets are sent counted from its finding, so a moved finding keeps its forms)")


async def lint_latency(folder: Path, path: Path, label: str, target: float, n: int = 10) -> None:
    """Keystroke -> fresh lint findings: the server's second answer, sent once typing pauses
    (the pass starts in the server's lint thread once typing has paused for
    ``LINT_IDLE_SECONDS`` after its first answer). Printed whole and "after the pause" (from
    the end of that wait to the findings), timed when the answers' bytes had arrived (the
    verdict) and, as before, once this client had parsed them: its parse of the two answers
    (1.3 MB each, see :class:`_ReadStamp`) varies by tens of milliseconds, and "after the
    pause" is the difference of two such times. Typing starts once the document's first lint
    findings have come (the first pass of a fresh server, over the whole package with
    nothing kept, is printed on its own line): a keystroke typed while that pass runs waits
    for it, which is the cold pass' time, not a keystroke's."""
    from wit_ls.lsp.server import LINT_IDLE_SECONDS

    client = await start(folder)
    text = path.read_text(encoding="utf-8")
    uri = path.resolve().as_uri()
    linted = asyncio.get_running_loop().create_future()
    client.waiters[(uri, 1, 2)] = linted
    opened = time.perf_counter()
    await open_and_wait(client, path, text)
    first = await asyncio.wait_for(linted, 120) - opened
    report(f"didOpen -> first lint findings (the cold pass), {label}", [first])
    lines = [i for i, s in enumerate(text.split("\n")) if s.strip()]
    # This client's own collector: its full collections (26-152 ms, walking all this process
    # holds) fell in its parse of an answer, and a parse of the first answer that outlasts
    # the pause delays the reading of the second. (Both figures below are timed so.)
    gc.collect()
    gc.freeze()
    try:
        times = await edit_times(client, uri, text, lines, n, nth=2)
    finally:
        gc.unfreeze()
    versions = range(2, 2 + len(times))
    for when, how in ((client.received, "bytes arrived"),
                      (client.arrived, "parsed by this client")):
        whole = [when[(uri, v, 2)] - client.sent[(uri, v)] for v in versions]
        after = [when[(uri, v, 2)] - when[(uri, v, 1)] - LINT_IDLE_SECONDS for v in versions]
        report(f"didChange -> lint findings, {label} ({how})", whole)
        report(f"  the same after the pause ({LINT_IDLE_SECONDS * 1000:.0f} ms)", after,
               target if when is client.received else None)
    await stop(client)


async def request_latency(folder: Path, path: Path, needle: str, n: int = 100) -> None:
    client = await start(folder)
    text = path.read_text(encoding="utf-8")
    uri = await open_and_wait(client, path, text)
    at = text.index(needle) + 1
    line = text.count("\n", 0, at)
    col = len(text[text.rfind("\n", 0, at) + 1:at].encode("utf-16-le")) // 2
    params = dict(text_document=t.TextDocumentIdentifier(uri=uri),
                  position=t.Position(line=line, character=col))
    for name, call in (("hover", lambda: client.text_document_hover_async(
            t.HoverParams(**params))), ("definition", lambda: client.text_document_definition_async(
            t.DefinitionParams(**params)))):
        times = []
        for _ in range(n):
            started = time.perf_counter()
            await call()
            times.append(time.perf_counter() - started)
        report(f"{name} on a `use` name, wasi-http types.wit", times, 10)
    await stop(client)


async def ide_latency(folder: Path, path: Path, n: int = 30) -> None:
    """Code lenses, completion that imports (and its resolve) and type hierarchy."""
    client = await start(folder)
    text = path.read_text(encoding="utf-8")
    uri = await open_and_wait(client, path, text)
    doc = t.TextDocumentIdentifier(uri=uri)

    def at(needle: str, delta: int) -> t.Position:
        offset = text.index(needle) + delta
        line = text.count("\n", 0, offset)
        col = len(text[text.rfind("\n", 0, offset) + 1:offset].encode("utf-16-le")) // 2
        return t.Position(line=line, character=col)

    # After `-> option<`: a type position, where the types of deps/ are offered too.
    typed = at("-> option<error-code>", len("-> option<"))
    listed = await client.text_document_completion_async(
        t.CompletionParams(text_document=doc, position=typed))
    importable = next(i for i in listed.items if i.data and "use" in i.data)
    calls: list[tuple[str, Any]] = [
        ("code lenses, wasi-http types.wit", lambda: client.text_document_code_lens_async(
            t.CodeLensParams(text_document=doc))),
        ("completion at a type position", lambda: client.text_document_completion_async(
            t.CompletionParams(text_document=doc, position=typed))),
        ("completionItem/resolve of a type to import", lambda: (
            client.completion_item_resolve_async(importable))),
        ("prepareTypeHierarchy on an interface", lambda: (
            client.text_document_prepare_type_hierarchy_async(t.TypeHierarchyPrepareParams(
                text_document=doc, position=at("interface types", 11))))),
    ]
    for name, call in calls:
        times = []
        for _ in range(n):
            started = time.perf_counter()
            await call()
            times.append(time.perf_counter() - started)
        report(name, times)
    print(f"(completion offered {len(listed.items)} items, "
          f"{sum(1 for i in listed.items if i.data and 'use' in i.data)} to import)")
    await stop(client)


def _cpu_seconds(pid: int) -> float:
    """The CPU time (user + system) a process has used so far (Linux): a figure that a loaded
    machine changes much less than wall time."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def installed_copy(where: Path) -> list[str]:
    """``wit-ls serve`` as an installed copy runs it (see ``check_speed.installed_copy``)."""
    return [*check_speed.installed_copy(where), "serve"]


async def corpus_startup(real: Path, command: list[str] | None = None,
                         label: str = "", pull: bool = False) -> None:
    """Time from initialize to the first diagnostics of wasi-http's types.wit, the whole real
    corpus as the workspace: the light first answer's path (wit_ls.lsp.first_answer), and
    with ``WIT_LS_FIRST_ANSWER=0`` the pygls server's. With ``pull``, the client pulls
    diagnostics: the time to the answer of its pull, sent right after the open."""
    target = next(iter(sorted(real.glob("WebAssembly__wasi-http/wit/types.wit"))), None)
    if target is None:
        return
    started = time.perf_counter()
    client = await start(real, command=command, pull=pull)
    if pull:
        uri = target.resolve().as_uri()
        client.text_document_did_open(t.DidOpenTextDocumentParams(
            text_document=t.TextDocumentItem(uri=uri, language_id="wit", version=1,
                                             text=target.read_text(encoding="utf-8"))))
        await asyncio.wait_for(client.text_document_diagnostic_async(
            t.DocumentDiagnosticParams(text_document=t.TextDocumentIdentifier(uri=uri),
                                       identifier="wit-ls")), 60)
    else:
        await open_and_wait(client, target, target.read_text(encoding="utf-8"))
    first = time.perf_counter() - started
    first_cpu = _cpu_seconds(client._server.pid)
    # Wait for the indexing of every package to finish, then read the peak memory.
    for _ in range(600):
        if any(isinstance(r, t.WorkDoneProgressEnd)
               for rs in client.progress_reports.values() for r in rs):
            break
        await asyncio.sleep(0.05)
    indexed = time.perf_counter() - started
    pid = client._server.pid
    peak = "?"
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            peak = f"{int(line.split()[1]) / 1024:.0f} MB"
    what = "first pulled report" if pull else "first diagnostics"
    print(f"{f'initialize -> {what}, whole real corpus' + label:<58} "
          f"{first * 1000:7.0f} ms{'  OK' if first < 0.2 else '  OVER 200 ms'}")
    print(f"{'  the server CPU time until then (user + system)':<58} {first_cpu * 1000:7.0f} ms")
    label = "initialize -> every package indexed, whole real corpus"
    print(f"{label:<58} {indexed * 1000:7.0f} ms")
    print(f"{'server peak memory (VmHWM), whole real corpus':<58} {peak:>10}")
    await stop(client)


async def corpus_startups(real: Path, tmpdir: Path, pull: bool = False) -> None:
    """The first diagnostics over the whole corpus (pulled with ``pull``): installed (bytecode
    compiled), as a user runs the server, then from the dev checkout, each with the light
    first answer and without it (the pygls server alone)."""
    installed = installed_copy(tmpdir)
    for command, where in ((installed, "installed"), (None, "dev checkout")):
        for light in (True, False):
            os.environ["WIT_LS_FIRST_ANSWER"] = "1" if light else "0"
            await corpus_startup(real, command,
                                 f" ({where}{'' if light else ', pygls only'})", pull)
    os.environ.pop("WIT_LS_FIRST_ANSWER", None)


def generate_package(root: Path, lines: int = 20_000) -> Path:
    """One file of ``lines`` lines: interfaces of records, variants, resources, functions.
    Valid WIT (see :func:`check_generated`): no name is a keyword (`f32` is)."""
    out = ["package bench:big@1.0.0;", ""]
    i = 0
    while len(out) < lines - 40:
        out += [f"/// Interface number {i}.", f"interface iface{i} {{",
                f"  use iface{max(0, i - 1)}.{{rec{max(0, i - 1)}}};" if i else "",
                f"  record rec{i} {{", "    a: u32,", "    b: string,", "    c: list<u8>,", "  }",
                f"  variant var{i} {{", "    none,", f"    some(rec{i}),", "  }",
                f"  resource res{i} {{", "    constructor(x: u32);", f"    get: func() -> rec{i};",
                "  }", f"  fn{i}: func(r: rec{i}, v: var{i}) -> result<u32, string>;", "}", ""]
        i += 1
    path = root / "big.wit"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def check_generated(path: Path) -> None:
    """Print wasm-tools' verdict on the generated package: the row measures a valid file."""
    tool = wasm_tools()
    if tool is None:
        print("(wasm-tools not found: the generated package is not checked)")
        return
    proc = subprocess.run([tool, "component", "wit", str(path.parent)], capture_output=True,
                          text=True, check=False)
    verdict = "valid" if proc.returncode == 0 else "INVALID: " + proc.stderr.strip()[:300]
    print(f"(generated package, {len(path.read_text('utf-8').splitlines())} lines, checked by "
          f"wasm-tools: {verdict})")


async def main(parts: set[str], keystroke_target: float = 8) -> None:
    """The measurements of ``parts``; ``keystroke_target``: the issue's p95 for a wasi-http
    keystroke (8 ms quiet, 25 ms while the test suite runs beside)."""
    http = REAL / "WebAssembly__wasi-http" / "wit"
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        if "http" in parts and http.is_dir():
            copy = tmpdir / "http"
            shutil.copytree(http, copy)
            await edit_latency(copy, copy / "types.wit", "wasi-http types.wit", keystroke_target)
            # A letter typed at a line end: in code it breaks the file, in a doc comment it
            # changes no token.
            await edit_latency(copy, copy / "types.wit", "wasi-http types.wit, a letter",
                               keystroke_target, typed="x")
            for typed in (" ", "x"):
                http_keystrokes_in_process(copy, copy / "types.wit", typed)
            await request_latency(copy, copy / "types.wit", "{input-stream")
            await ide_latency(copy, copy / "types.wit")
        elif "http" in parts:
            print("(the real corpus is absent: skipping wasi-http and corpus measurements)")
        big = tmpdir / "big"
        big.mkdir()
        path = generate_package(big)
        check_generated(path)
        if "big" in parts:
            keystroke_phases(big, path)
            await edit_latency(big, path, "generated 20,000-line package", 60, n=25)
            # A letter typed at the end of a line breaks the file (a syntax error), then is
            # deleted again: an editor's file is often broken while typing.
            await edit_latency(big, path, "20,000-line package, edits that break it", 60,
                               n=25, typed="x")
            declaration_keystrokes_in_process(big, path)
        if "lint" in parts:
            lint_phases(big, path)
            await lint_latency(big, path, "generated 20,000-line package", 150)
        if "corpus" in parts and REAL.is_dir():
            await corpus_startups(REAL, tmpdir)
        if "pull" in parts and REAL.is_dir():
            pulled = tmpdir / "pull"  # its own installed copy beside the push rows'
            pulled.mkdir()
            await corpus_startups(REAL, pulled, pull=True)


SUITE = (sys.executable, "-m", "pytest", "-q", "-m", "not slow", "-p", "no:cacheprovider")


class SuiteBeside:
    """The fast test suite run over and over in a copy of this checkout (beside ``shared``, as
    the suite expects), from entering until leaving: the load of a test run beside the
    editor. Reports how many runs it started."""

    def __init__(self, tmpdir: Path) -> None:
        self.copy = tmpdir / "checkout"
        self.proc: subprocess.Popen[bytes] | None = None
        self.runs = 0
        self.stopping = False
        self.thread: threading.Thread | None = None

    def __enter__(self) -> SuiteBeside:
        shutil.copytree(REPO, self.copy, symlinks=True, ignore=shutil.ignore_patterns(
            ".git", "node_modules", "__pycache__", "*.egg-info", ".*_cache", "build"))
        (self.copy.parent / "shared").symlink_to(REPO.parent / "shared")
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()
        time.sleep(3)  # the first run is past its imports and collection
        return self

    def _loop(self) -> None:
        while not self.stopping:
            self.runs += 1
            self.proc = subprocess.Popen(SUITE, cwd=self.copy, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL, start_new_session=True)
            self.proc.wait()

    def __exit__(self, *_exc: object) -> None:
        self.stopping = True
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, 15)
        if self.thread is not None:
            self.thread.join()
        print(f"(beside the fast test suite: {self.runs} run(s) started, load average "
              f"{os.getloadavg()[0]:.1f} at the end)")


PARTS = ("http", "big", "lint", "corpus", "pull")


async def run(parts: set[str], beside_tests: bool) -> None:
    if not beside_tests:
        await main(parts)
        return
    with tempfile.TemporaryDirectory() as tmp, SuiteBeside(Path(tmp)):
        await main(parts, keystroke_target=25)


if __name__ == "__main__":
    args = sys.argv[1:]
    beside = "--beside-tests" in args
    chosen = {a for a in args if a != "--beside-tests"} or set(PARTS)
    if not chosen <= set(PARTS):
        sys.exit(f"usage: lsp_latency.py [--beside-tests] [{' | '.join(PARTS)}]...")
    asyncio.run(run(chosen, beside))
