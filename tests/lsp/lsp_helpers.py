"""Small helpers for the end-to-end tests: positions in the negotiated encoding, opening
documents, waiting for diagnostics."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from lsprotocol import types as t

from wit_ls.syntax import LineIndex


def find(text: str, needle: str, occurrence: int = 0, delta: int = 0) -> int:
    """Byte offset of the ``occurrence``-th ``needle`` in ``text`` (plus ``delta`` bytes)."""
    data = text.encode("utf-8")
    key = needle.encode("utf-8")
    at = -1
    for _ in range(occurrence + 1):
        at = data.find(key, at + 1)
        assert at >= 0, f"{needle!r} not found"
    return at + delta


def position(text: str, offset: int, encoding: str) -> t.Position:
    line, col = LineIndex(text).position(offset, encoding)  # type: ignore[arg-type]
    return t.Position(line=line, character=col)


def pos(client: Any, text: str, needle: str, occurrence: int = 0, delta: int = 0) -> t.Position:
    return position(text, find(text, needle, occurrence, delta), client.encoding)


def offset_of(client: Any, text: str, p: t.Position) -> int:
    return LineIndex(text).offset(p.line, p.character, client.encoding)


def range_text(client: Any, text: str, rng: t.Range) -> str:
    data = text.encode("utf-8")
    return data[offset_of(client, text, rng.start):offset_of(client, text, rng.end)].decode()


def open_doc(client: Any, path: Path, text: str | None = None, version: int = 1) -> str:
    uri = path.resolve().as_uri()
    if text is None:
        text = path.read_text(encoding="utf-8")
    client.text_document_did_open(t.DidOpenTextDocumentParams(text_document=t.TextDocumentItem(
        uri=uri, language_id="wit", version=version, text=text)))
    return uri


def doc(uri: str) -> t.TextDocumentIdentifier:
    return t.TextDocumentIdentifier(uri=uri)


async def pull_diagnostics(client: Any, uri: str) -> list[t.Diagnostic]:
    report = await client.text_document_diagnostic_async(
        t.DocumentDiagnosticParams(text_document=t.TextDocumentIdentifier(uri=uri)))
    return list(getattr(report, "items", []) or [])


async def wait_diagnostics(client: Any, uri: str, version: int | None = None,
                           timeout: float = 15.0) -> list[t.Diagnostic]:
    """The latest diagnostics of ``uri``: pushed ones (for ``version`` when given), or, for a
    client that pulls, the answer to a pull (always computed for the latest version, as the
    server handles the client's notifications in order)."""
    if getattr(client, "pulls", False):
        return await pull_diagnostics(client, uri)
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        published = client.published.get(uri, [])
        if published and (version is None or published[-1][0] == version):
            return list(published[-1][1])
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"no diagnostics for {uri} (version {version}): {published}")
        await asyncio.sleep(0.01)


def change(client: Any, uri: str, version: int, text: str, start: t.Position,
           end: t.Position) -> None:
    client.text_document_did_change(t.DidChangeTextDocumentParams(
        text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[t.TextDocumentContentChangePartial(
            range=t.Range(start=start, end=end), text=text)]))


def edits_of(edit: t.WorkspaceEdit) -> dict[str, list[t.TextEdit]]:
    """uri -> edits, whichever form the server used."""
    out: dict[str, list[t.TextEdit]] = {}
    if edit.changes:
        for key, edits in edit.changes.items():
            out.setdefault(key, []).extend(edits)
    for change_ in edit.document_changes or []:
        if isinstance(change_, t.TextDocumentEdit):
            out.setdefault(change_.text_document.uri, []).extend(
                e for e in change_.edits if isinstance(e, t.TextEdit | t.AnnotatedTextEdit))
    return out


def apply(text: str, edits: list[Any], encoding: str) -> str:
    index = LineIndex(text)
    data = text.encode("utf-8")
    spans = sorted(((index.offset(e.range.start.line, e.range.start.character, encoding),  # type: ignore[arg-type]
                     index.offset(e.range.end.line, e.range.end.character, encoding),  # type: ignore[arg-type]
                     e.new_text) for e in edits), reverse=True)
    for start, end, new in spans:
        data = data[:start] + new.encode("utf-8") + data[end:]
    return data.decode("utf-8")


def errors(diags: Any) -> list[t.Diagnostic]:
    """Only the errors (lint findings are warnings or hints)."""
    return [d for d in diags if d.severity == t.DiagnosticSeverity.Error]
