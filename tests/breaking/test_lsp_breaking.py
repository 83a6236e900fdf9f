"""Breaking changes in the editor: `breaking.against` names a git revision of a repository made by
the test; the server reads the old version with git (no checkout), shows a diagnostic per change
(B-code, perspective, docs link; a removal on the enclosing interface with the old text), code
lenses per interface and on the package line, a code action that bumps the version, and notices
when the revision moves. With the recorded capabilities of VS Code and Neovim. Below them, the
comparison the server runs (`live_breaking`) on its own: what a session cannot easily show."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types as t
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.lsp.lsp_helpers import apply, change, doc, edits_of, open_doc, pos, range_text
from tests.support.git_repo import commit_all
from wit_ls.breaking.live import Side, live_breaking, next_version
from wit_ls.lsp.baseline import side_of
from wit_ls.model import Options, analyze
from wit_ls.model.fs import MemoryFileSystem

OLD = """package example:app@0.2.0;

interface api {
  enum color { red, green }
  paint: func(c: color) -> string;
  erase: func();
}

world app {
  export api;
}
"""

NEW = OLD.replace("red, green", "red, green, blue").replace("  erase: func();\n", "")


def _repo(root: Path) -> Path:
    """A repository whose HEAD has OLD; the working tree has NEW (not committed)."""
    path = root / "wit" / "app.wit"
    path.parent.mkdir(parents=True)
    path.write_text(OLD, encoding="utf-8")
    commit_all(root, "release 0.2.0")
    path.write_text(NEW, encoding="utf-8")
    return path


def _client() -> LanguageClient:
    from pygls.protocol import default_converter
    from pytest_lsp.client import DEFAULT_CLIENT_FEATURES

    client = LanguageClient(converter_factory=default_converter)
    client.published = {}  # type: ignore[attr-defined]
    for method, func in DEFAULT_CLIENT_FEATURES.items():
        if method not in (t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, t.WORKSPACE_DIAGNOSTIC_REFRESH,
                          t.CLIENT_REGISTER_CAPABILITY):
            client.feature(method)(func)

    @client.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def publish(params: t.PublishDiagnosticsParams) -> None:
        client.published.setdefault(params.uri, []).append(  # type: ignore[attr-defined]
            (params.version, params.diagnostics))

    @client.feature(t.WORKSPACE_DIAGNOSTIC_REFRESH)
    def refresh(_params: None) -> None:
        return None

    @client.feature(t.CLIENT_REGISTER_CAPABILITY)
    def register(_params: t.RegistrationParams) -> None:
        return None

    return client


CONFIG = ClientServerConfig(server_command=[sys.executable, "-m", "wit_ls", "serve"],
                            client_factory=_client)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    _repo(root)
    return root


@pytest_lsp.fixture(config=CONFIG, params=["visual-studio-code", "neovim"])
async def client(request: Any, lsp_client: LanguageClient, repo: Path) -> Any:
    capabilities = client_capabilities(request.param)
    result = await lsp_client.initialize_session(t.InitializeParams(
        capabilities=capabilities,
        workspace_folders=[t.WorkspaceFolder(uri=repo.as_uri(), name="repo")],
        initialization_options={"breaking": {"against": "HEAD"}},
    ))
    lsp_client.pulls = capabilities.text_document.diagnostic is not None  # type: ignore[attr-defined]
    lsp_client.encoding = str(getattr(  # type: ignore[attr-defined]
        result.capabilities.position_encoding, "value", result.capabilities.position_encoding)
        or "utf-16")
    lsp_client.code_lens = result.capabilities.code_lens_provider  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


async def _diagnostics(client: Any, uri: str, until: Any, timeout: float = 30.0
                       ) -> list[t.Diagnostic]:
    """The latest diagnostics of ``uri`` (pulled or pushed) once ``until(diagnostics)``."""
    deadline = asyncio.get_running_loop().time() + timeout
    diags: list[t.Diagnostic] = []
    while asyncio.get_running_loop().time() < deadline:
        if client.pulls:
            report = await client.text_document_diagnostic_async(
                t.DocumentDiagnosticParams(text_document=doc(uri)))
            diags = list(getattr(report, "items", []) or [])
        else:
            published = client.published.get(uri, [])
            diags = list(published[-1][1]) if published else []
        if until(diags):
            return diags
        await asyncio.sleep(0.05)
    raise AssertionError([(d.code, d.message) for d in diags])


def _codes(diags: list[t.Diagnostic]) -> set[str]:
    return {str(d.code) for d in diags if str(d.code or "").startswith("B")}


@pytest.mark.asyncio
async def test_each_breaking_change_is_a_diagnostic_on_the_changed_item(
        client: Any, repo: Path) -> None:
    path = repo / "wit" / "app.wit"
    uri = open_doc(client, path)
    diags = await _diagnostics(client, uri, lambda d: {"B504", "B202"} <= _codes(d))
    added = next(d for d in diags if d.code == "B504")
    assert range_text(client, NEW, added.range) == "blue"
    assert added.severity == t.DiagnosticSeverity.Error
    assert "(breaks importers and exporters)" in added.message
    if added.code_description is not None:  # only for clients that declare support
        assert added.code_description.href.endswith("docs/breaking.md#rules")
    removed = next(d for d in diags if d.code == "B202")
    assert range_text(client, NEW, removed.range) == "api"
    assert "(breaks importers)" in removed.message
    assert removed.related_information
    assert removed.related_information[0].message == "in HEAD: erase: func();"


@pytest.mark.asyncio
async def test_code_lenses_and_a_version_bump(client: Any, repo: Path) -> None:
    path = repo / "wit" / "app.wit"
    uri = open_doc(client, path)
    await _diagnostics(client, uri, lambda d: "B504" in _codes(d))
    assert client.code_lens is not None
    lenses = await client.text_document_code_lens_async(t.CodeLensParams(text_document=doc(uri)))
    # Usage lenses come without their commands, which the client resolves.
    lenses = [lens if lens.command else await client.code_lens_resolve_async(lens)
              for lens in lenses]
    titles = {(lens.range.start.line, lens.command.title) for lens in lenses if lens.command}
    assert (2, "2 breaking changes since HEAD (importers: 2, exporters: 1)") in titles
    assert any(line == 0 and "0.3.0" in title for line, title in titles), titles
    # The usage lenses sit beside them, on the same interface.
    assert any(line == 2 and title.startswith(("imported by", "exported by", "used by"))
               for line, title in titles), titles
    actions = await client.text_document_code_action_async(t.CodeActionParams(
        text_document=doc(uri), range=t.Range(start=pos(client, NEW, "0.2.0"),
                                              end=pos(client, NEW, "0.2.0")),
        context=t.CodeActionContext(diagnostics=[])))
    bump = next(a for a in actions or [] if isinstance(a, t.CodeAction)
                and a.title == "Bump the package version to 0.3.0")
    assert bump.edit is not None
    [edits] = edits_of(bump.edit).values()
    assert apply(NEW, edits, client.encoding).startswith("package example:app@0.3.0;\n")


@pytest.mark.asyncio
async def test_the_comparison_follows_edits_and_a_moving_revision(
        client: Any, repo: Path) -> None:
    path = repo / "wit" / "app.wit"
    uri = open_doc(client, path)
    await _diagnostics(client, uri, lambda d: "B504" in _codes(d))
    # Typing the removed function back: its finding goes, the enum one stays.
    at = pos(client, NEW, "  paint:")
    change(client, uri, 2, "  erase: func();\n", at, at)
    diags = await _diagnostics(client, uri, lambda d: "B202" not in _codes(d))
    assert "B504" in _codes(diags)
    # Committing the current text moves HEAD: nothing differs any more.
    path.write_text(NEW.replace("  paint:", "  erase: func();\n  paint:"), encoding="utf-8")
    commit_all(repo, "next")
    await asyncio.sleep(1.2)
    end = pos(client, NEW, ";\n\ninterface", delta=1)  # on the package line, before the edit
    change(client, uri, 3, " ", end, end)
    await _diagnostics(client, uri, lambda d: not _codes(d))


# ---- the comparison alone ------------------------------------------------------------------


def _side(text: str) -> Side:
    return side_of(analyze(MemoryFileSystem({"/w/wit/app.wit": text}), ["/w/wit"], Options()))


def test_nothing_changed_means_no_findings_lenses_or_bumps() -> None:
    result = live_breaking(_side(OLD), _side(OLD), "HEAD")
    assert result.findings == () and result.lenses == () and result.bumps == ()


def test_the_bump_is_asked_for_until_the_header_has_it() -> None:
    [bump] = live_breaking(_side(OLD), _side(NEW), "HEAD").bumps
    assert (bump.current, bump.suggested) == ("0.2.0", "0.3.0")
    assert NEW.encode()[bump.start:bump.end] == b"example:app@0.2.0"
    bumped = NEW.replace("app@0.2.0", "app@0.3.0")
    assert live_breaking(_side(OLD), _side(bumped), "HEAD").bumps == ()


def test_next_versions() -> None:
    assert next_version("0.2.0", True) == "0.3.0"
    assert next_version("1.4.2", True) == "2.0.0"
    assert next_version("0.0.3", True) == "0.0.4"
    assert next_version("0.2.0", False) == "0.2.1"
    assert next_version("0.3.0-rc-1", False) == "0.3.0"


def test_new_items_without_since_are_where_a_bump_adds_it() -> None:
    old = OLD.replace("interface api {", "@since(version = 0.2.0)\ninterface api {")
    new = old.replace("  erase: func();\n", "  erase: func();\n  wipe: func();\n").replace(
        "0.2.0;", "0.2.1;")
    result = live_breaking(_side(old), _side(new), "HEAD")
    [(path, offset, indent)] = result.ungated
    assert path == "/w/wit/app.wit"
    assert new.encode()[offset:].startswith(b"wipe: func();")
    assert indent == "  "
