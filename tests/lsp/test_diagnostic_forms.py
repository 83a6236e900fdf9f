"""The server converts each diagnostic to its LSP and JSON forms once and reuses them for the
same diagnostic in later answers (``DiagnosticForms``). What it sends must be byte for byte
what converting every diagnostic afresh sends (pushed and pulled, as written to the transport): over a sequence of keystrokes (each answered
twice, with the last lint findings and with fresh ones) that move findings to other lines and
columns, change them, break the file and mend it, in two open files of one package."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest
from lsprotocol import types as lsp
from support.pygls_answers import Recorder

from wit_ls.lsp import convert
from wit_ls.lsp.convert import Converter
from wit_ls.lsp.server import WitLanguageServer
from wit_ls.lsp.workspace import Workspace
from wit_ls.syntax import LineIndex, TextEdit

A = """package example:app@1.0.0;

/// The types.
interface types {
  record point { x: u32, y: u32 }
  type legacy = float32;
  enum color { red, green }
  unused-thing: func();
  resource blob {
    constructor(size: u32);
    read: func(n: u32) -> list<u8>;
  }
  flags perms { read, write }
  area: func(p: point) -> u64;
}

world app {
  import types;
  export run: func(s: string) -> result<_, string>;
}
"""

B = """package example:app@1.0.0;

interface extra {
  use types.{point, color};
  variant shape { dot(point), none }
  paint: func(c: color, s: shape);
}
"""

# Typed at random places: characters that move what follows, break the file and mend it.
TYPED = ["\n", " ", "x", "", "", "// c\n", ";", "}", "-", "\n\n"]


def _server(converter: Callable[[WitLanguageServer], Converter]) -> tuple[
        WitLanguageServer, Recorder]:
    ls = WitLanguageServer()
    ls.conv = converter(ls)
    wire = Recorder()
    ls.protocol.set_writer(wire)
    return ls, wire


def _sent(ws: Workspace, path: str, mode: str, ls: WitLanguageServer, wire: Recorder,
          reuse: bool) -> bytes:
    """The bytes of a pushed and of a pulled answer for ``path``."""
    tree = ws.tree(path)
    assert tree is not None
    items = ls.conv.diagnostics(tree.line_index, ws.diagnostics_for(path, mode),
                                path if reuse else None)
    ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
        uri=Path(path).as_uri(), diagnostics=items, version=1))
    ls.protocol._send_response(7, lsp.RelatedFullDocumentDiagnosticReport(
        items=items, result_id=ls.report_id(items)))
    out = b"".join(wire.sent)
    wire.sent.clear()
    return out


def _run(tmp_path: Path, steps: int, seed: int) -> tuple[int, int]:
    """Apply ``steps`` random edits, comparing both answers of each with and without the
    reuse; the number of answers compared and of diagnostics sent."""
    (tmp_path / "a.wit").write_text(A)
    (tmp_path / "b.wit").write_text(B)
    ws = Workspace()
    ws.add_folder(tmp_path.as_uri(), str(tmp_path))
    texts = {str(tmp_path / "a.wit"): A, str(tmp_path / "b.wit"): B}
    versions = dict.fromkeys(texts, 1)
    for path, text in texts.items():
        ws.open(Path(path).as_uri(), path, 1, text)

    def index_of(path: str) -> LineIndex | None:
        tree = ws.tree(path)
        return tree.line_index if tree is not None else None

    cached, cached_wire = _server(lambda ls: Converter(
        "utf-16", index_of, code_descriptions=True, forms=ls.wit_protocol.diagnostic_forms))
    fresh, fresh_wire = _server(lambda _ls: Converter("utf-16", index_of,
                                                      code_descriptions=True))
    rng = random.Random(seed)
    compared = sent = 0
    for _ in range(steps):
        path = rng.choice(sorted(texts))
        data = texts[path].encode()
        at = rng.randrange(len(data) + 1)
        while at < len(data) and data[at] & 0xC0 == 0x80:
            at += 1
        typed = rng.choice(TYPED)
        end = at + (1 if typed == "" and at < len(data) else 0)
        texts[path] = (data[:at] + typed.encode() + data[end:]).decode()
        versions[path] += 1
        ws.change(path, versions[path], [TextEdit(at, end, typed.encode())])
        for mode in ("previous", "run"):
            for each in sorted(texts):
                asked = mode if each == path else "previous"
                got = _sent(ws, each, asked, cached, cached_wire, reuse=True)
                again = "lint-cached" if asked == "run" else asked  # the findings just made
                want = _sent(ws, each, again, fresh, fresh_wire, reuse=False)
                assert got == want, (each, typed, at)
                compared += 1
                sent += want.count(b'"message"')
    return compared, sent


def test_reused_forms_send_what_fresh_conversion_sends(tmp_path: Path) -> None:
    compared, sent = _run(tmp_path, 150, seed=12)
    assert compared == 600
    assert sent > 1000  # the files have findings to reuse


def test_a_moved_finding_is_not_sent_with_its_old_position(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison above catches reuse keyed without the positions."""
    keyed = Converter._form_key

    def without_positions(self: Converter, index: LineIndex, diag: object) -> tuple[object, ...]:
        return keyed(self, index, diag)[2:]  # type: ignore[arg-type]

    monkeypatch.setattr(convert.Converter, "_form_key", without_positions)
    with pytest.raises(AssertionError):
        _run(tmp_path, 150, seed=12)
