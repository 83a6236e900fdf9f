"""The light first answer (wit_ls.lsp.first_answer) against the pygls server, in process: its
``initialize`` result and its first ``publishDiagnostics`` must be the bytes the pygls server
sends for the same messages (computed here by the pygls-only server, never copied from the
light path), for several clients and workspaces; and what it cannot answer exactly, it leaves
to the pygls server without sending anything."""

from __future__ import annotations

import io
import json
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import FILES, write_workspace
from pygls.protocol import default_converter
from pytest_lsp import client_capabilities
from support.oracle import corpus_dir
from support.pygls_answers import (
    Recorder,
    capabilities_module,
    initialize_message,
    pygls_capabilities,
    pygls_session,
    split,
)

from wit_ls.lsp import first_answer
from wit_ls.lsp.first_answer import FirstAnswer, HandoverWriter, Takeover

REPO = Path(__file__).resolve().parents[2]
CHECKS = REPO / "tests" / "fixtures" / "checks"


def framed(message: dict[str, object]) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def light_session(messages: list[dict[str, object]]) -> tuple[list[bytes], Takeover]:
    """The frames the light path sends for ``messages`` (then the end of the input)."""
    out = io.BytesIO()
    with tempfile.TemporaryFile() as stdin:
        stdin.write(b"".join(framed(m) for m in messages))
        stdin.seek(0)
        takeover = FirstAnswer(out).run(stdin.fileno())
    return frames_of(out.getvalue()), takeover


def frames_of(data: bytes) -> list[bytes]:
    """The framed messages of ``data`` (a last incomplete one left out)."""
    frames: list[bytes] = []
    while b"\r\n\r\n" in data:
        head, _, rest = data.partition(b"\r\n\r\n")
        length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
        if len(rest) < length:
            break
        frames.append(head + b"\r\n\r\n" + rest[:length])
        data = rest[length:]
    return frames


def caps(name: str) -> Any:
    return default_converter().unstructure(client_capabilities(name))


VSCODE = caps("visual-studio-code")
NEOVIM = caps("neovim")

# Client capability sets: recorded clients, a minimal one, and what pygls' capabilities
# builder and the position encoding negotiation look at.
CLIENTS: dict[str, object] = {
    "visual-studio-code": VSCODE,
    "neovim": NEOVIM,
    "minimal": {},
    "utf-8 first": {"general": {"positionEncodings": ["utf-8", "utf-16"]}},
    "utf-32 only": {"general": {"positionEncodings": ["utf-32"]}},
    "unknown encodings": {"general": {"positionEncodings": ["utf-7", "ebcdic"]}},
    "no encodings": {"general": {"positionEncodings": []}},
    "prepare rename": {"textDocument": {"rename": {"prepareSupport": True}}},
    "no prepare rename": {"textDocument": {"rename": {"prepareSupport": False}}},
    "will save": {"textDocument": {"synchronization": {"willSave": True,
                                                       "willSaveWaitUntil": False}}},
    "will save until": {"textDocument": {"synchronization": {"willSaveWaitUntil": True}}},
    "notebooks and file operations": {"notebookDocument": {"synchronization": {}},
                                      "workspace": {"fileOperations": {"didCreate": True,
                                                                       "willRename": True}}},
    "pull": {"textDocument": {"diagnostic": {"relatedDocumentSupport": True}}},
}


@pytest.mark.parametrize("name", list(CLIENTS))
@pytest.mark.parametrize("options", [None, {}, {"lint": {"preset": "all"}},
                                     {"wit": {"features": ["x"]}}])
def test_initialize_result_equals_pygls(name: str, options: object) -> None:
    message = initialize_message(CLIENTS[name], options, ["file:///tmp/ws"], msg_id=7)
    light, takeover = light_session([message])
    assert takeover.answered is not None, takeover.reason
    assert light[0] == pygls_session([message], settle=0)[0]


@pytest.mark.parametrize("msg_id", [0, "init-1", 2**40])
def test_initialize_ids(msg_id: int | str) -> None:
    message = initialize_message(VSCODE, None, [], msg_id=msg_id)
    assert light_session([message])[0][0] == pygls_session([message], settle=0)[0]


def test_kept_capabilities_are_current() -> None:
    path = REPO / "wit_ls" / "lsp" / "first_capabilities.py"
    assert path.read_text(encoding="utf-8") == capabilities_module(pygls_capabilities()), (
        "run `python tests/support/pygls_answers.py` to write it afresh")


# ---- the first diagnostics ----------------------------------------------------------------


def open_message(path: Path, text: str, version: int = 1) -> dict[str, object]:
    return {"jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": path.as_uri(), "languageId": "wit",
                                        "version": version, "text": text}}}


INITIALIZED = {"jsonrpc": "2.0", "method": "initialized", "params": {}}


def compare_first_diagnostics(folder: Path, path: Path, text: str, client: object,
                              options: object = None, extra: list[dict[str, object]] | None
                              = None) -> dict[str, object]:
    """Assert the light path's first publication for ``path`` equals the pygls server's;
    return it (read as JSON)."""
    messages = [initialize_message(client, options, [folder.as_uri()]), INITIALIZED,
                *(extra or []), open_message(path, text)]
    light, takeover = light_session(messages)
    published = [f for f in light[1:] if b'"textDocument/publishDiagnostics"' in f]
    assert len(published) == 1, takeover.reason
    assert takeover.published, takeover.reason
    theirs = pygls_session(messages, until="textDocument/publishDiagnostics")
    first = next(f for f in theirs if b'"textDocument/publishDiagnostics"' in f)
    assert published[0] == first
    return split(first)[1]


PUSH_CLIENTS: dict[str, object] = {
    "visual-studio-code": VSCODE,
    "utf-8 with code descriptions": {
        "general": {"positionEncodings": ["utf-8"]},
        "textDocument": {"publishDiagnostics": {"codeDescriptionSupport": True,
                                                "relatedInformation": True}}},
    "utf-32": {"general": {"positionEncodings": ["utf-32"]}},
    "minimal": {},
}


@pytest.mark.parametrize("client", list(PUSH_CLIENTS))
@pytest.mark.parametrize("name", sorted(FILES))
def test_fixture_workspace_first_diagnostics(tmp_path: Path, client: str, name: str) -> None:
    folder = write_workspace(tmp_path)
    path = folder / name
    text = path.read_text(encoding="utf-8")
    compare_first_diagnostics(folder, path, text, PUSH_CLIENTS[client])
    # Broken: an unknown name (with non-ASCII text before it on the line) and a syntax error.
    broken = text.replace("thing", "thinq", 1).replace(";", " 😀 +", 2)
    found = compare_first_diagnostics(folder, path, broken, PUSH_CLIENTS[client])
    params = found["params"]
    assert isinstance(params, dict) and params["diagnostics"]


@pytest.mark.parametrize("fixture", sorted(p.name for p in CHECKS.glob("*.wit")))
def test_error_fixtures_first_diagnostics(tmp_path: Path, fixture: str) -> None:
    """Every kind of error the checks fixtures show (help notes, related information, code
    descriptions), opened in a one-package workspace."""
    folder = tmp_path / "ws"
    folder.mkdir()
    path = folder / fixture
    text = (CHECKS / fixture).read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    client = PUSH_CLIENTS["utf-8 with code descriptions" if len(fixture) % 2 else "minimal"]
    compare_first_diagnostics(folder, path, text, client)


def test_settings_are_honoured(tmp_path: Path) -> None:
    """Initialization options and a didChangeConfiguration before the document opens."""
    folder = write_workspace(tmp_path)
    path = folder / "app/wit/world.wit"
    text = path.read_text(encoding="utf-8")
    change = {"jsonrpc": "2.0", "method": "workspace/didChangeConfiguration",
              "params": {"settings": {"wit": {"allFeatures": True}}}}
    compare_first_diagnostics(folder, path, text, {}, options={"features": ["a"]},
                              extra=[change])


def _corpus_cases() -> list[tuple[str, str]]:
    real = corpus_dir("real")
    if real is None:
        return []
    cases = []
    for repo in sorted(real.iterdir()):
        files = sorted(p for p in repo.rglob("*.wit") if "deps" not in p.relative_to(repo).parts)
        # Each repository's first file of each folder, at most 6 per repository.
        folders: dict[Path, Path] = {}
        for f in files:
            folders.setdefault(f.parent, f)
        cases += [(repo.name, str(f.relative_to(real))) for f in list(folders.values())[:6]]
    return cases


@pytest.mark.parametrize(("repo", "file"), _corpus_cases() or [("", "")])
def test_corpus_first_diagnostics(repo: str, file: str) -> None:
    assert file.startswith(repo)
    real = corpus_dir("real")
    if real is None:
        pytest.skip("../shared/corpus/real is absent: the real corpus is not compared")
    path = real / file
    text = path.read_text(encoding="utf-8")
    # The whole corpus as the workspace, as the editor benchmark opens it.
    compare_first_diagnostics(real, path, text, VSCODE)
    broken = text.replace("}", "", 1)
    compare_first_diagnostics(real, path, broken, PUSH_CLIENTS["utf-8 with code descriptions"])


# ---- the first pulled reports --------------------------------------------------------------

# VS Code as code-server 1.139 states it: it pulls diagnostics and can be asked to pull again.
PULL_VSCODE: dict[str, Any] = {
    **VSCODE, "textDocument": {**VSCODE["textDocument"], "diagnostic": {
        "dynamicRegistration": True, "relatedDocumentSupport": False}},
    "workspace": {**VSCODE["workspace"], "diagnostics": {"refreshSupport": True}}}
PULL_CLIENTS: dict[str, object] = {
    "code-server": PULL_VSCODE,
    "utf-8 pull": {"general": {"positionEncodings": ["utf-8"]},
                   "textDocument": {"diagnostic": {}},
                   "workspace": {"diagnostics": {"refreshSupport": True}}},
}


def pull_message(msg_id: int | str, path: Path, previous: str | None = None,
                 **extra: object) -> dict[str, object]:
    params: dict[str, object] = {"identifier": "wit-ls", "textDocument": {"uri": path.as_uri()}}
    if previous is not None:
        params["previousResultId"] = previous
    params.update(extra)
    return {"jsonrpc": "2.0", "id": msg_id, "method": "textDocument/diagnostic",
            "params": params}


def responses(frames: list[bytes]) -> dict[str, bytes]:
    """The response frames by id (as JSON text)."""
    return {json.dumps(split(f)[1]["id"]): f for f in frames if "method" not in split(f)[1]}


def compare_first_pulls(folder: Path, path: Path, text: str, client: object,
                        others: list[Path] | None = None) -> dict[str, object]:
    """Assert the light path's answers equal the pygls server's for a first pull of ``path``
    (and of the ``others``, opened too), a pull with the id that answer gave (unchanged) and
    one with another id (full again); return the first (read as JSON)."""
    opened = [path, *(others or [])]
    head = [initialize_message(client, None, [folder.as_uri()]), INITIALIZED,
            *(open_message(p, text if p == path else p.read_text(encoding="utf-8"))
              for p in opened)]
    light, takeover = light_session([*head, pull_message(2, path)])
    first = split(responses(light)["2"])[1]["result"]
    assert isinstance(first, dict), takeover.reason
    pulls = [pull_message(2, path), pull_message(3, path, first["resultId"]),
             pull_message("4", path, "0123456789abcdef"),
             *(pull_message(10 + i, p) for i, p in enumerate(others or []))]
    light, takeover = light_session([*head, *pulls])
    ours = responses(light)
    assert len(ours) == len(pulls) + 1, takeover.reason
    assert set(takeover.reports) == set(ours) - {"1"}
    theirs = responses(pygls_session([*head, *pulls], settle=0, responses=len(pulls) + 1))
    assert ours == theirs
    assert split(ours["3"])[1]["result"] == {"kind": "unchanged",
                                             "resultId": first["resultId"]}
    assert split(ours['"4"'])[1]["result"] == first
    return first


@pytest.mark.parametrize("client", list(PULL_CLIENTS))
@pytest.mark.parametrize("name", sorted(FILES))
def test_fixture_workspace_first_pulls(tmp_path: Path, client: str, name: str) -> None:
    folder = write_workspace(tmp_path)
    path = folder / name
    text = path.read_text(encoding="utf-8")
    others = [folder / n for n in sorted(FILES) if n != name][:2]
    compare_first_pulls(folder, path, text, PULL_CLIENTS[client], others)
    broken = text.replace("thing", "thinq", 1).replace(";", " 😀 +", 2)
    found = compare_first_pulls(folder, path, broken, PULL_CLIENTS[client], others)
    assert found["items"]


@pytest.mark.parametrize("fixture", sorted(p.name for p in CHECKS.glob("*.wit"))[::3])
def test_error_fixtures_first_pulls(tmp_path: Path, fixture: str) -> None:
    folder = tmp_path / "ws"
    folder.mkdir()
    path = folder / fixture
    text = (CHECKS / fixture).read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    client = PULL_CLIENTS["utf-8 pull" if len(fixture) % 2 else "code-server"]
    compare_first_pulls(folder, path, text, client)


@pytest.mark.parametrize(("repo", "file"), _corpus_cases()[::2] or [("", "")])
def test_corpus_first_pulls(repo: str, file: str) -> None:
    assert file.startswith(repo)
    real = corpus_dir("real")
    if real is None:
        pytest.skip("../shared/corpus/real is absent: the real corpus is not compared")
    path = real / file
    text = path.read_text(encoding="utf-8")
    compare_first_pulls(real, path, text, PULL_VSCODE)
    compare_first_pulls(real, path, text.replace("}", "", 1), PULL_CLIENTS["utf-8 pull"])


def test_pulls_it_leaves_to_pygls(tmp_path: Path) -> None:
    """A pull of a document that is not open, of another shape, ``workspace/diagnostic``, and
    a package compared for breaking changes: nothing more is answered, the pull is pending."""
    folder = write_workspace(tmp_path)
    path = folder / "app/wit/api.wit"
    head = [initialize_message(PULL_VSCODE, None, [folder.as_uri()]), INITIALIZED,
            open_message(path, path.read_text(encoding="utf-8"))]
    workspace_pull = {"jsonrpc": "2.0", "id": 2, "method": "workspace/diagnostic",
                      "params": {"previousResultIds": []}}
    for last in (pull_message(2, folder / "app/wit/world.wit"),
                 pull_message(2, path, workDoneToken="w"),
                 pull_message(2, path, previous=3),  # type: ignore[arg-type]
                 workspace_pull):
        sent, takeover = light_session([*head, last])
        assert len(sent) == 1 and not takeover.reports, last
        assert [json.loads(b) for b in takeover.pending] == [last]
    (folder / "app" / "wit-ls.toml").write_text('[breaking]\nagainst = "HEAD"\n')
    sent, takeover = light_session([*head, pull_message(2, path)])
    assert len(sent) == 1 and "breaking" in takeover.reason
    # No pull within OPEN_SECONDS of the open: handed over without waiting for one.
    sent, takeover = light_session(head)
    assert takeover.reason == "the input ended" and len(sent) == 1


def test_vscode_order_answers_the_pull_then_hands_over(tmp_path: Path) -> None:
    """vscode-languageclient, once initialized, sends didOpen for the open documents, pulls
    each, then ``workspace/diagnostic`` (the server states workspaceDiagnostics): the light
    path answers the document's pull and leaves the workspace pull to the pygls server."""
    folder = write_workspace(tmp_path)
    path = folder / "app/wit/api.wit"
    workspace_pull = {"jsonrpc": "2.0", "id": 3, "method": "workspace/diagnostic",
                      "params": {"identifier": "wit-ls", "previousResultIds": []}}
    messages = [initialize_message(PULL_VSCODE, None, [folder.as_uri()]), INITIALIZED,
                open_message(path, path.read_text(encoding="utf-8")), pull_message(2, path),
                workspace_pull]
    sent, takeover = light_session(messages)
    assert list(responses(sent)) == ["1", "2"] and list(takeover.reports) == ["2"]
    assert [json.loads(b) for b in takeover.pending] == [workspace_pull]
    assert "workspace/diagnostic" in takeover.reason


# ---- the first answers from the syntax tree (outline, folding, colouring) --------------------


def _request(msg_id: int, method: str, params: dict[str, object]) -> dict[str, object]:
    return {"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params}


def tree_requests(path: Path, text: str, first_id: int) -> list[dict[str, object]]:
    """What an editor asks about a document it opens: symbols, a code action (which the light
    path leaves to the pygls server), folding, semantic tokens of the whole file, of a range
    (given end first) and of the whole file again."""
    doc = {"uri": path.as_uri()}
    lines = text.count("\n")
    whole = {"start": {"line": 0, "character": 0}, "end": {"line": lines + 1, "character": 0}}
    backwards = {"start": {"line": max(lines - 2, 0), "character": 7},
                 "end": {"line": min(lines, 1), "character": 2}}
    asked = [("textDocument/documentSymbol", {"textDocument": doc}),
             ("textDocument/codeAction", {"textDocument": doc, "range": whole,
                                          "context": {"diagnostics": [], "triggerKind": 2}}),
             ("textDocument/foldingRange", {"textDocument": doc}),
             ("textDocument/semanticTokens/full", {"textDocument": doc}),
             ("textDocument/semanticTokens/range", {"textDocument": doc, "range": backwards}),
             ("textDocument/semanticTokens/full", {"textDocument": doc})]
    return [_request(first_id + i, method, params) for i, (method, params) in enumerate(asked)]


TREE_CLIENTS: dict[str, tuple[object, bool]] = {  # capabilities, pulls diagnostics?
    "visual-studio-code": (VSCODE, False),
    "code-server": (PULL_VSCODE, True),
    "utf-8 pull, flat symbols": (PULL_CLIENTS["utf-8 pull"], True),
    "utf-32, flat symbols": ({"general": {"positionEncodings": ["utf-32"]}}, False),
}


def compare_tree_answers(folder: Path, path: Path, text: str, client: str) -> None:
    """Assert the light path answers the symbols (for clients that take them nested),
    folding and semantic tokens of the opened ``path`` with the pygls server's bytes, leaves
    the code action to that server (pending, after what it took), and publishes (or answers
    the pull of) the first diagnostics too."""
    capabilities, pull = TREE_CLIENTS[client]
    head = [initialize_message(capabilities, None, [folder.as_uri()]), INITIALIZED,
            open_message(path, text)]
    if pull:
        head.append(pull_message(2, path))
    asked = tree_requests(path, text, 10)
    light, takeover = light_session([*head, *asked])
    ours = responses(light)
    assert isinstance(capabilities, dict)
    nested = capabilities.get("textDocument", {}).get("documentSymbol", {}).get(
        "hierarchicalDocumentSymbolSupport") is True
    left = [m for m in asked if m["method"] == "textDocument/codeAction"
            or (m["method"] == "textDocument/documentSymbol" and not nested)]
    answered = {json.dumps(m["id"]) for m in asked if m not in left}
    assert set(takeover.answers) == answered, takeover.reason
    assert set(ours) == answered | {"1"} | ({"2"} if pull else set())
    assert [json.loads(b) for b in takeover.pending] == left
    assert bool(takeover.published) != pull
    theirs = pygls_session([*head, *asked], settle=0, responses=len(head) - 2 + len(asked))
    for key in answered:
        assert ours[key] == responses(theirs)[key], key
    if not pull:
        # (the pygls server's second publication holds the lint findings)
        published = [f for f in light if b'"textDocument/publishDiagnostics"' in f]
        assert published == [f for f in theirs if b'"textDocument/publishDiagnostics"' in f][:1]


@pytest.mark.parametrize("client", list(TREE_CLIENTS))
@pytest.mark.parametrize("name", sorted(FILES))
def test_fixture_workspace_tree_answers(tmp_path: Path, client: str, name: str) -> None:
    folder = write_workspace(tmp_path)
    path = folder / name
    text = path.read_text(encoding="utf-8")
    compare_tree_answers(folder, path, text, client)
    broken = text.replace("thing", "thinq", 1).replace(";", " 😀 +", 2)
    compare_tree_answers(folder, path, broken, client)


@pytest.mark.parametrize("fixture", sorted(p.name for p in CHECKS.glob("*.wit"))[1::3])
def test_error_fixtures_tree_answers(tmp_path: Path, fixture: str) -> None:
    folder = tmp_path / "ws"
    folder.mkdir()
    path = folder / fixture
    text = (CHECKS / fixture).read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    compare_tree_answers(folder, path, text, list(TREE_CLIENTS)[len(fixture) % 4])


@pytest.mark.parametrize(("repo", "file"), _corpus_cases()[1::4] or [("", "")])
def test_corpus_tree_answers(repo: str, file: str) -> None:
    assert file.startswith(repo)
    real = corpus_dir("real")
    if real is None:
        pytest.skip("../shared/corpus/real is absent: the real corpus is not compared")
    path = real / file
    text = path.read_text(encoding="utf-8")
    compare_tree_answers(real, path, text, "code-server")
    compare_tree_answers(real, path, text.replace("}", "", 1), "visual-studio-code")


def test_what_follows_a_request_left_to_pygls(tmp_path: Path) -> None:
    """After a request left to the pygls server, requests about the open document are still
    answered, but any notification hands over (left request first, then the rest, in order);
    a semantic token request it cannot answer hands over too (the pygls server numbers token
    results in the order it handles them)."""
    folder = write_workspace(tmp_path)
    path = folder / "app/wit/api.wit"
    text = path.read_text(encoding="utf-8")
    head = [initialize_message(PULL_VSCODE, None, [folder.as_uri()]), INITIALIZED,
            open_message(path, text)]
    doc = {"uri": path.as_uri()}
    workspace_pull = _request(3, "workspace/diagnostic",
                              {"identifier": "wit-ls", "previousResultIds": []})
    symbols = _request(4, "textDocument/documentSymbol", {"textDocument": doc})
    change = {"jsonrpc": "2.0", "method": "textDocument/didChange",
              "params": {"textDocument": {"uri": path.as_uri(), "version": 2},
                         "contentChanges": [{"text": text + "\n"}]}}
    folding = _request(5, "textDocument/foldingRange", {"textDocument": doc})
    sent, takeover = light_session([*head, pull_message(2, path), workspace_pull, symbols,
                                    change, folding])
    assert list(responses(sent)) == ["1", "2", "4"]
    assert [json.loads(b) for b in takeover.consumed] == [*head, pull_message(2, path),
                                                          symbols]
    assert [json.loads(b) for b in takeover.pending] == [workspace_pull, change, folding]
    odd = _request(6, "textDocument/semanticTokens/full",
                   {"textDocument": doc, "workDoneToken": "w"})
    tokens = _request(7, "textDocument/semanticTokens/full", {"textDocument": doc})
    sent, takeover = light_session([*head, pull_message(2, path), workspace_pull, odd, tokens])
    assert list(responses(sent)) == ["1", "2"]
    assert [json.loads(b) for b in takeover.pending] == [workspace_pull, odd, tokens]
    # Before `initialized`, or about a document that is not open: left to the pygls server.
    other = _request(8, "textDocument/foldingRange",
                     {"textDocument": {"uri": (folder / "app/wit/world.wit").as_uri()}})
    sent, takeover = light_session([*head, other, pull_message(2, path)])
    assert list(responses(sent)) == ["1", "2"] and not takeover.answers
    assert [json.loads(b) for b in takeover.pending] == [other]


def _while_loading(head: list[dict[str, object]], later: list[dict[str, object]],
                   answered: set[str] | None) -> tuple[list[bytes], Takeover, bool]:
    """The light path fed ``head``, then, once it runs ``prepare`` (the pygls server's modules
    loading), ``later``; ``prepare`` returns once the responses with the ids ``answered`` were
    sent (None: once the light path has handed over). Returns what was sent, the takeover,
    and whether ``prepare`` had returned when the light path handed over."""
    read_fd, write_fd = os.pipe()
    out = io.BytesIO()
    started, release, finished = threading.Event(), threading.Event(), threading.Event()

    def prepare() -> None:
        started.set()
        release.wait(60)
        finished.set()

    def client() -> None:
        os.write(write_fd, b"".join(framed(m) for m in head))
        if started.wait(60):
            os.write(write_fd, b"".join(framed(m) for m in later))
            if answered is None:
                return
            deadline = time.monotonic() + 60
            while not answered <= set(responses(frames_of(out.getvalue()))) and \
                    time.monotonic() < deadline:
                time.sleep(0.01)
        release.set()

    writer = threading.Thread(target=client)
    writer.start()
    try:
        takeover = FirstAnswer(out, prepare).run(read_fd)
        loaded = finished.is_set()
    finally:
        release.set()
        writer.join()
        os.close(write_fd)
        os.close(read_fd)
    return frames_of(out.getvalue()), takeover, loaded


def test_answers_while_the_pygls_server_loads(tmp_path: Path) -> None:
    """Once the opened document's first pull is answered, the pygls server's modules load in a
    thread (``prepare``) while the light path answers the requests that come meanwhile (the
    same bytes as when they come with the open) and leaves the others to that server; it
    hands over once they are loaded, or at once at a notification."""
    folder = write_workspace(tmp_path)
    path = folder / "app/wit/api.wit"
    text = path.read_text(encoding="utf-8")
    head = [initialize_message(PULL_VSCODE, None, [folder.as_uri()]), INITIALIZED,
            open_message(path, text), pull_message(2, path)]
    later = [m for m in tree_requests(path, text, 10)
             if m["method"] != "textDocument/semanticTokens/range"]
    sent, takeover, loaded = _while_loading(head, later, {"10", "12", "13", "15"})
    ours = responses(sent)
    assert set(ours) == {"1", "2", "10", "12", "13", "15"} and loaded, takeover.reason
    assert [json.loads(b) for b in takeover.pending] == [later[1]]  # the code action
    assert takeover.reason.endswith("then the pygls server's modules were loaded")
    together, _takeover = light_session([*head, *later])
    assert ours == responses(together)
    # A notification while they load: handed over at once (the modules go on loading).
    change = {"jsonrpc": "2.0", "method": "textDocument/didChange",
              "params": {"textDocument": {"uri": path.as_uri(), "version": 2},
                         "contentChanges": [{"text": text + "\n"}]}}
    sent, takeover, loaded = _while_loading(head, [later[0], change, later[2]], None)
    assert set(responses(sent)) == {"1", "2", "10"} and not loaded
    assert [json.loads(b) for b in takeover.pending] == [change, later[2]]
    # A push client: the first diagnostics are published before the modules load.
    head[0] = initialize_message(VSCODE, None, [folder.as_uri()])
    sent, takeover, loaded = _while_loading(head[:3], later[:1], {"10"})
    assert takeover.published and set(responses(sent)) == {"1", "10"} and loaded
    assert b"publishDiagnostics" in sent[1]


def test_serve_loads_the_pygls_server_beside_the_first_answer(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`wit-ls serve` gives the light path the loading of the pygls server's modules."""
    from types import SimpleNamespace

    from wit_ls.cli import serve_cmd

    class Stop(Exception):
        pass

    given: list[object] = []

    def light(_stdin: object, _stdout: object, prepare: object = None) -> Takeover:
        given.append(prepare)
        raise Stop

    monkeypatch.setenv("WIT_LS_FIRST_ANSWER", "1")
    monkeypatch.setattr(first_answer, "first_answer", light)
    monkeypatch.setattr(serve_cmd.sys, "stdin", SimpleNamespace(buffer=io.BytesIO()))
    args = SimpleNamespace(command="serve", stdio=True, tcp=None, log_file=None,
                           log_level="WARNING", clientProcessId=None)
    with pytest.raises(Stop):
        serve_cmd.run(args)  # type: ignore[arg-type]
    assert given == [serve_cmd._load_server] if first_answer.enabled() else given == []


def test_handover_writer_drops_equal_answers() -> None:
    takeover = Takeover(first_answer.Framer(lambda _: None))
    answer = b'{"id": 5, "jsonrpc": "2.0", "result": {"data": [0, 1, 2, 3, 0], "resultId": "1"}}'
    other = answer.replace(b'"id": 5', b'"id": 6')
    takeover.answers = {"5": answer, "6": other.replace(b"[0, 1", b"[0, 9")}
    sink = Recorder()
    warnings: list[str] = []
    repulls: list[None] = []
    writer = HandoverWriter(sink, takeover, warnings.append, lambda: repulls.append(None))
    for body in (answer, other, answer):
        writer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    # The equal one is dropped once; the differing one is dropped (the client has an answer)
    # and reported; nobody is asked to pull diagnostics again.
    assert [s.partition(b"\r\n\r\n")[2] for s in sink.sent] == [answer]
    assert len(warnings) == 1 and not repulls


def test_handover_writer_drops_equal_reports() -> None:
    takeover = Takeover(first_answer.Framer(lambda _: None))
    report = b'{"id": 2, "jsonrpc": "2.0", "result": {"items": [], "kind": "full", "resultId": "x"}}'
    other = report.replace(b'"x"', b'"y"').replace(b'"id": 2', b'"id": "s"')
    takeover.reports = {"2": report, '"s"': other.replace(b'"y"', b'"z"')}
    sink = Recorder()
    warnings: list[str] = []
    repulls: list[None] = []
    writer = HandoverWriter(sink, takeover, warnings.append, lambda: repulls.append(None))
    for body in (report, other, report):
        writer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    # The equal one is dropped once; the differing one is dropped, reported, and the client
    # is asked to pull again.
    assert [s.partition(b"\r\n\r\n")[2] for s in sink.sent] == [report]
    assert len(warnings) == 1 and len(repulls) == 1


# ---- what the light path leaves to the pygls server -----------------------------------------


@pytest.mark.parametrize(("label", "messages"), [
    ("not initialize first", [{"jsonrpc": "2.0", "id": 1, "method": "shutdown"}]),
    ("exit first", [{"jsonrpc": "2.0", "method": "exit"}]),
    ("no capabilities", [{"jsonrpc": "2.0", "id": 1, "method": "initialize",
                          "params": {"processId": None}}]),
    ("processId a string", [initialize_message({}, processId="12")]),
    ("processId a float", [initialize_message({}, processId=1.0)]),
    ("unknown field", [initialize_message({}, workDoneToken="t")]),
    ("bad options", [initialize_message({}, {"features": 3})]),
    ("bad folder", [initialize_message({}, None, None, workspaceFolders=[{"uri": 1}])]),
    ("folder on a host", [initialize_message({}, None, ["file://host/share"])]),
    ("not jsonrpc 2.0", [{"jsonrpc": "1.0", "id": 1, "method": "initialize",
                          "params": {"processId": None, "capabilities": {}}}]),
    ("a boolean id", [{"jsonrpc": "2.0", "id": True, "method": "initialize",
                       "params": {"processId": None, "capabilities": {}}}]),
])
def test_leaves_what_it_cannot_answer(label: str, messages: list[dict[str, object]]) -> None:
    sent, takeover = light_session(messages)
    assert sent == [], label
    assert takeover.answered is None
    assert takeover.consumed == [] and len(takeover.pending) == len(messages)


def test_hands_over_pending_messages_in_order(tmp_path: Path) -> None:
    folder = write_workspace(tmp_path)
    path = folder / "app/wit/api.wit"
    text = path.read_text(encoding="utf-8")
    hover = {"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover",
             "params": {"textDocument": {"uri": path.as_uri()},
                        "position": {"line": 0, "character": 0}}}
    change = {"jsonrpc": "2.0", "method": "textDocument/didChange",
              "params": {"textDocument": {"uri": path.as_uri(), "version": 2},
                         "contentChanges": [{"text": text + "\n"}]}}
    messages = [initialize_message(VSCODE, None, [folder.as_uri()]), INITIALIZED,
                open_message(path, text), hover, change]
    sent, takeover = light_session(messages)
    # The hover is left to the pygls server, and the edit after it hands over: nothing is
    # published (the pygls server publishes once, after the edit, having read them together).
    assert len(sent) == 1 and not takeover.published
    assert [json.loads(b) for b in takeover.consumed] == messages[:3]
    assert [json.loads(b) for b in takeover.pending] == messages[3:]
    # Without the edit: the diagnostics are published, the hover is left.
    sent, takeover = light_session(messages[:4])
    assert len(sent) == 2 and takeover.published
    assert [json.loads(b) for b in takeover.pending] == messages[3:4]
    # An edit right after the open: nothing is published (the pygls server would not have).
    sent, takeover = light_session([*messages[:3], change, hover])
    assert len(sent) == 1 and not takeover.published
    assert [json.loads(b) for b in takeover.pending] == [change, hover]


def test_pull_client_hands_over_after_initialize(tmp_path: Path) -> None:
    folder = write_workspace(tmp_path)
    path = folder / "app/wit/api.wit"
    messages = [initialize_message(NEOVIM, None, [folder.as_uri()]), INITIALIZED,
                open_message(path, path.read_text(encoding="utf-8"))]
    sent, takeover = light_session(messages)
    assert len(sent) == 1 and takeover.answered is not None
    assert [json.loads(b) for b in takeover.pending] == messages[1:]


def test_malformed_header_hands_over() -> None:
    out = io.BytesIO()
    with tempfile.TemporaryFile() as stdin:
        stdin.write(b"Content-Length: x\r\n\r\n{}" + framed(initialize_message({})))
        stdin.seek(0)
        takeover = FirstAnswer(out).run(stdin.fileno())
    assert out.getvalue() == b"" and takeover.problems
    # The framer resynchronised: the initialize is left for the pygls server.
    assert [json.loads(b)["method"] for b in takeover.pending] == ["initialize"]


def test_handover_writer_drops_only_what_was_sent() -> None:
    takeover = Takeover(first_answer.Framer(lambda _: None))
    response = b'{"id": 1, "jsonrpc": "2.0", "result": {}}'
    same = (b'{"params": {"uri": "file:///a.wit", "diagnostics": [], "version": 1}, '
            b'"method": "textDocument/publishDiagnostics", "jsonrpc": "2.0"}')
    other = same.replace(b'"version": 1', b'"version": 2')
    takeover.answered = (1, response)
    takeover.published = {"file:///a.wit": same, "file:///b.wit": same.replace(b"a.wit", b"b.wit")}
    sink = Recorder()
    warnings: list[str] = []
    writer = HandoverWriter(sink, takeover, warnings.append)
    for body in (b'{"id": "1", "jsonrpc": "2.0", "result": null}', response, response, same,
                 same, other.replace(b"a.wit", b"b.wit"), same.replace(b"a.wit", b"b.wit")):
        writer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    bodies = [s.partition(b"\r\n\r\n")[2] for s in sink.sent]
    # The string id "1" is another request's; the second identical answer and publication
    # pass (the pygls server sent them twice); b's differing publication passes and ends b's
    # dropping.
    assert bodies == [b'{"id": "1", "jsonrpc": "2.0", "result": null}', response, same,
                      other.replace(b"a.wit", b"b.wit"), same.replace(b"a.wit", b"b.wit")]
    assert warnings == []


def test_disabled_by_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIT_LS_FIRST_ANSWER", "0")
    assert not first_answer.enabled()
    monkeypatch.setenv("WIT_LS_FIRST_ANSWER", "1")
    assert first_answer.enabled() == (os.name == "posix")


URIS = ["file:///tmp/a.wit", "file:///tmp/%40wasi-0.2/x.wit", "file:///tmp/a%20b/c.wit",
        "file:///tmp/%C3%BC%F0%9F%98%80.wit", "file:///tmp/./x/../y.wit", "file:///tmp//x.wit",
        "file:///tmp/a@b/c.wit", "file:///tmp/a+b/c%2Bd.wit", "file:///tmp/%ZZ/x.wit",
        "file:///tmp/A_b.c~d-e/F9.wit", "file:///tmp/%41%2F%7E.wit", "file:///tmp/a b/c.wit",
        "file:///tmp/%FF/x.wit", "file:///tmp/", "file:///", "file:///tmp/a%3Bb.wit"]


@pytest.mark.parametrize("uri", URIS)
def test_paths_equal_pygls(uri: str) -> None:
    from wit_ls.lsp import convert, first_forms

    path = first_forms.path_of(uri)
    assert path == convert.path_of(uri)
    assert first_forms.uri_of(path) == convert.uri_of(path)


@pytest.mark.parametrize("uri", ["file://host/share/x.wit", "file:///C:/x.wit", "untitled:1",
                                 "file:///tmp/a.wit?x", "file:///tmp/a.wit#b", "file:////x",
                                 "file:///tmp/a;b.wit", "file:/tmp/a.wit"])
def test_other_uris_are_left_to_pygls(uri: str) -> None:
    from wit_ls.lsp import first_forms

    with pytest.raises(first_forms.Unsure):
        first_forms.path_of(uri)


def _diagnostics(path: str, other: str) -> list[Any]:
    from wit_ls.syntax import Diagnostic, Related, Severity

    return [
        Diagnostic(3, 9, "plain", "", Severity.ERROR, path),
        Diagnostic(12, 11, "reversed range", "c", Severity.WARNING, path),
        Diagnostic(0, 4, "with help", "h", Severity.INFORMATION, path, data={"help": "do this"}),
        Diagnostic(5, 6, "linked", "l", Severity.HINT, path,
                   data={"url": "https://example.invalid/rules#l", "rule": "l", "n": [1, 2.5]}),
        Diagnostic(5, 6, "empty url", "u", Severity.ERROR, path, data={"url": ""}),
        Diagnostic(7, 30, "tagged", "t", Severity.WARNING, path,
                   tags=("unnecessary", "other", "deprecated")),
        Diagnostic(1, 2, "related", "r", Severity.ERROR, path,
                   related=(Related(other, 2, 6, "defined here"), Related(path, 0, 1, "here"),
                            Related("/nowhere/x.wit", 0, 1, "unreadable"))),
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32"])
@pytest.mark.parametrize("descriptions", [False, True])
def test_diagnostic_forms_equal_the_converter(tmp_path: Path, encoding: Any,
                                              descriptions: bool) -> None:
    """Each diagnostic form (help notes, code descriptions, tags, related information, data)
    against :meth:`Converter.diagnostic` as the protocol's converter serialises it."""
    from wit_ls.lsp import first_forms
    from wit_ls.lsp.convert import Converter
    from wit_ls.lsp.protocol import strict_converter
    from wit_ls.syntax import LineIndex

    texts = {str(tmp_path / "a é.wit"): "ü😀x\né\n  interface i {}\n",
             str(tmp_path / "b.wit"): "😀😀 b\n"}
    indexes = {p: LineIndex(t.encode()) for p, t in texts.items()}
    for p, text in texts.items():
        Path(p).write_text(text, encoding="utf-8")
    path, other = list(texts)
    conv = Converter(encoding, indexes.get, code_descriptions=descriptions)
    plain = strict_converter().unstructure
    for diag in _diagnostics(path, other):
        ours = first_forms.diagnostic(indexes[path], diag, encoding, descriptions, indexes.get)
        assert json.dumps(ours) == json.dumps(plain(conv.diagnostic(indexes[path], diag)))


def test_nested_capability_types_are_not_checked() -> None:
    """The documented exception (docs/architecture.md): capabilities pygls refuses with
    InvalidParams are answered by the light path; the replay's refusal is the one difference,
    and the handover writer reports it instead of sending a second answer."""
    message = initialize_message({"textDocument": {"hover": {"contentFormat": 5}}})
    light, takeover = light_session([message])
    assert takeover.answered is not None and b'"result"' in light[0]
    theirs = pygls_session([message], settle=0)
    assert b'"code": -32602' in theirs[0]
    sink = Recorder()
    warnings: list[str] = []
    writer = HandoverWriter(sink, takeover, warnings.append)
    writer.write(theirs[0])
    assert sink.sent == [] and len(warnings) == 1
