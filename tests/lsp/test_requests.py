"""The server's handlers called in-process (no transport): which requests compute the package
analysis, and how an internal error in the lint layer reaches the user."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types as t

from wit_ls import lint
from wit_ls.lsp import handlers
from wit_ls.lsp.server import WitLanguageServer, guarded
from wit_ls.lsp.workspace import Workspace
from wit_ls.syntax import Diagnostic, TextEdit

TEXT = """package a:b;

interface i {
  record r {
    x: u32,
  }
  f: func(v: r) -> r;
}
"""


@pytest.fixture
def server(tmp_path: Path) -> tuple[WitLanguageServer, str]:
    path = (tmp_path / "a.wit").as_posix()
    ls = WitLanguageServer()
    uri = "file://" + path
    ls.ws.open(uri, path, 1, TEXT)
    return ls, uri


def _doc(uri: str) -> t.TextDocumentIdentifier:
    return t.TextDocumentIdentifier(uri=uri)


def test_tree_only_requests_do_not_analyse(server: tuple[WitLanguageServer, str]) -> None:
    ls, uri = server
    tokens = handlers.tokens_full(ls, t.SemanticTokensParams(text_document=_doc(uri)))
    folds = handlers.folding(ls, t.FoldingRangeParams(text_document=_doc(uri)))
    chains = handlers.selection(ls, t.SelectionRangeParams(
        text_document=_doc(uri), positions=[t.Position(line=4, character=4)]))
    symbols = handlers.document_symbol(ls, t.DocumentSymbolParams(text_document=_doc(uri)))
    assert tokens is not None and tokens.data
    assert folds and chains and symbols
    assert ls.ws.analysed_roots() == []


def test_semantic_requests_analyse_the_package(server: tuple[WitLanguageServer, str]) -> None:
    ls, uri = server
    found = handlers.definition(ls, t.DefinitionParams(
        text_document=_doc(uri), position=t.Position(line=6, character=13)))
    assert found is not None and found[0].range.start == t.Position(line=3, character=9)
    assert len(ls.ws.analysed_roots()) == 1


def test_a_crashing_lint_is_an_internal_error_diagnostic(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(*_args: object, **_kwargs: object) -> list[object]:
        raise RuntimeError("boom")

    monkeypatch.setattr(lint, "lint", crash)
    logged: list[str] = []
    ws = Workspace(report_error=logged.append)
    path = (tmp_path / "a.wit").as_posix()
    ws.open("file://" + path, path, 1, TEXT)
    found = [d for d in ws.diagnostics_for(path) if d.code == "internal-error"]
    assert [d.message.split(" (")[0] for d in found] == [
        "internal error in wit-ls lint: RuntimeError: boom"]
    assert len(logged) == 1 and "RuntimeError: boom" in logged[0] and path in logged[0]


def test_without_a_reporter_the_lint_crash_is_logged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def crash(*_args: object, **_kwargs: object) -> list[object]:
        raise ValueError("bad")

    monkeypatch.setattr(lint, "lint", crash)
    ws = Workspace()
    path = (tmp_path / "a.wit").as_posix()
    ws.open("file://" + path, path, 1, TEXT)
    with caplog.at_level(logging.ERROR, logger="wit_ls.lsp"):
        found = ws.diagnostics_for(path)
    assert any(d.code == "internal-error" for d in found)
    assert "lint of" in caplog.text and "ValueError: bad" in caplog.text


def test_a_failing_handler_is_logged_and_answered_empty(
        server: tuple[WitLanguageServer, str], monkeypatch: pytest.MonkeyPatch) -> None:
    ls, _ = server

    messages: list[str] = []
    monkeypatch.setattr(ls, "log", lambda message, _level=None: messages.append(message))

    def broken(_ls: WitLanguageServer, _params: object) -> list[int]:
        raise KeyError("x")

    assert guarded(broken, list)(ls, None) == []
    assert len(messages) == 1 and messages[0].startswith("wit-ls: broken failed: KeyError")


KEPT = """package example:kept@0.1.0;

interface api {
  use types.{id, unused-thing};

  /// Look something up.
  find: func(key: id) -> result<string, string>;
}

interface types {
  /// An id.
  type id = u64;
  /// Not used.
  type unused-thing = u8;
}
"""


def _apply_fix(text: bytes, diag: Diagnostic) -> bytes:
    fix: Any = diag.data["fix"]
    edits = sorted(fix["edits"], key=lambda e: -e["start"])
    for e in edits:
        text = text[:e["start"]] + e["new_text"].encode() + text[e["end"]:]
    return text


def test_kept_lint_findings_move_with_edits_until_lint_runs_again(tmp_path: Path) -> None:
    """The first answer after an edit shows the last lint findings: moved over the edit (their
    fixes too), and dropped where the edit touched them, never pointing into other text."""
    ws = Workspace()
    path = (tmp_path / "kept" / "api.wit").as_posix()
    ws.open("file://" + path, path, 1, KEPT)
    source = KEPT.encode()
    unused = next(d for d in ws.diagnostics_for(path) if d.code == "unused-use")
    assert source[unused.start:unused.end] == b"unused-thing"
    fixed = _apply_fix(source, unused)
    # A line typed above everything: the finding and its fix move down with the text.
    ws.change(path, 2, [TextEdit(0, 0, b"// note\n")])
    moved = next(d for d in ws.diagnostics_for(path, "previous") if d.code == "unused-use")
    now = b"// note\n" + source
    assert now[moved.start:moved.end] == b"unused-thing"
    assert _apply_fix(now, moved) == b"// note\n" + fixed
    # A finding whose text is edited is dropped until the next lint pass.
    at = moved.start
    ws.change(path, 3, [TextEdit(at, at + 1, b"U")])
    assert not [d for d in ws.diagnostics_for(path, "previous") if d.code == "unused-use"]
    assert [d for d in ws.diagnostics_for(path, "previous") if d.code == "string-error"]
