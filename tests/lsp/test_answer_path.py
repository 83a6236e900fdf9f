"""What stands between a keystroke and its first answer: no timed debounce unless the settings
ask for one, background indexing that leaves packages already analysed to the answers, and a
handover (light first answer -> pygls server) that analyses the opened text before the edits
read after it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import write_workspace
from pygls.protocol import default_converter
from pytest_lsp import client_capabilities
from support.pygls_answers import initialize_message
from test_first_answer import INITIALIZED, framed, light_session, open_message

from wit_ls.lsp.server import create_server
from wit_ls.lsp.settings import parse_settings
from wit_ls.lsp.workspace import Workspace
from wit_ls.syntax import TextEdit


@pytest.mark.parametrize(("raw", "seconds"), [({}, 0.0), ({"diagnosticsDelay": 40}, 0.04)])
def test_the_first_answer_waits_only_for_a_configured_delay(raw: object,
                                                            seconds: float) -> None:
    server = create_server()
    settings, problems = parse_settings(raw)
    assert not problems
    server.ws.set_settings(settings)
    server.ws.analysis_for("/nowhere/a.wit")  # an analysis that took some time
    assert server._delay() == seconds


def _recording(ws: Workspace, texts: list[tuple[str, bytes | None]]) -> None:
    analyse = ws._analyse_root

    def recorded(root: str) -> object:
        docs = [d for p, d in ws.documents.items() if p.startswith(root)]
        texts.append((root, docs[0].tree.source if docs else None))
        return analyse(root)

    ws._analyse_root = recorded  # type: ignore[method-assign,assignment]


def test_indexing_leaves_an_analysed_package_to_its_answers(tmp_path: Path) -> None:
    folder = write_workspace(tmp_path)
    path = (folder / "app/wit/api.wit").as_posix()
    ws = Workspace()
    ws.add_folder(folder.as_uri(), folder.as_posix())
    text = Path(path).read_text(encoding="utf-8")
    ws.open(Path(path).as_uri(), path, 1, text)
    ws.diagnostics_for(path, "previous")
    roots = ws.package_roots()
    own = ws.roots_for(path)[0]
    ws.change(path, 2, [TextEdit(0, 0, b"x")])  # the package's analysis is now stale
    analysed: list[tuple[str, bytes | None]] = []
    _recording(ws, analysed)
    for root in roots:
        ws.index(root)
    assert own not in [root for root, _ in analysed]
    assert sorted(root for root, _ in analysed) == sorted(r for r in roots if r != own)
    ws.diagnostics_for(path, "previous")  # the answer brings it up to date
    for root in roots:
        ws.index(root)
    assert [root for root, _ in analysed].count(own) == 1


def test_the_handover_analyses_the_opened_text_before_later_edits(tmp_path: Path) -> None:
    folder = write_workspace(tmp_path)
    path = folder / "app/wit/api.wit"
    text = path.read_text(encoding="utf-8")
    caps = default_converter().unstructure(client_capabilities("visual-studio-code"))
    _sent, takeover = light_session([initialize_message(caps, None, [folder.as_uri()]),
                                    INITIALIZED, open_message(path, text)])
    assert takeover.published  # the light path answered the opened document
    # A letter typed as soon as that answer came, read by the pygls server after the handover.
    change = {"jsonrpc": "2.0", "method": "textDocument/didChange",
              "params": {"textDocument": {"uri": path.as_uri(), "version": 2},
                         "contentChanges": [{"range": {"start": {"line": 0, "character": 0},
                                                       "end": {"line": 0, "character": 0}},
                                             "text": "x"}]}}
    shutdown = {"jsonrpc": "2.0", "id": 9, "method": "shutdown"}
    exit_ = {"jsonrpc": "2.0", "method": "exit"}
    server = create_server()
    analysed: list[tuple[str, bytes | None]] = []
    _recording(server.ws, analysed)
    stdin = io.BytesIO(b"".join(framed(m) for m in (change, shutdown, exit_)))
    out = io.BytesIO()
    assert server.serve_stdio(stdin, out, takeover) == 0
    own = server.ws.roots_for(path.as_posix())[0]
    # The package's first analysis here is of the opened text; the letter is answered from it.
    assert [source for root, source in analysed if root == own] == [text.encode()]
