"""End-to-end fixtures: ``wit-ls serve`` over stdio, driven by pytest-lsp with the recorded
capabilities of real clients, on small multi-package workspaces written by the tests."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types as t
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

REPO = Path(__file__).resolve().parents[2]
REAL = REPO.parent / "shared" / "corpus" / "real"
SERVER = [sys.executable, "-m", "wit_ls", "serve"]
CLIENTS = ["visual-studio-code", "neovim"]


# A two-package workspace with a deps/ folder. Non-ASCII text sits in comments and docs before
# names on the same line, so wrong position units would shift every range after it.
FILES: dict[str, str] = {
    "app/wit/world.wit": """package example:app@0.1.0;

/// The app world (ünïcödé 😀).
world app {
  import wasi:io/streams@0.2.0;
  import logger: interface {
    log: func(msg: string);
  }
  export api;
  include base;
}

world base {
  import types;
}
""",
    "app/wit/api.wit": """package example:app@0.1.0;

interface api {
  use types.{thing, kind as thing-kind, blob};
  use wasi:io/streams@0.2.0.{input-stream};

  /* 😀 */ /// Make a thing.
  make: func(name: string, k: thing-kind) -> thing;
  read: func(s: borrow<input-stream>) -> list<u8>;
  wrap: func(b: blob) -> thing;
}
""",
    "app/wit/types.wit": """package example:app@0.1.0;

interface types {
  /// A thing — with docs.
  @since(version = 0.1.0)
  record thing {
    name: string,
    size: u32,
  }

  enum kind { small, large }

  resource blob {
    constructor(data: list<u8>);
    size: func() -> u64;
    from-thing: static func(t: thing) -> blob;
  }

  type blob-alias = blob;
}
""",
    "app/wit/deps/io/streams.wit": """package wasi:io@0.2.0;

interface streams {
  /// An input stream.
  resource input-stream {
    read: func(len: u64) -> list<u8>;
  }

  resource output-stream;
}

world imports {
  import streams;
}
""",
    "lib/wit/lib.wit": """package example:lib;

interface shared {
  record point { x: s32, y: s32 }

  distance: func(a: point, b: point) -> f64;
}
""",
}


def write_workspace(root: Path, files: dict[str, str] | None = None) -> Path:
    for rel, text in (files or FILES).items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def copy_real(name: str, dest: Path) -> Path | None:
    """A copy of one real corpus package (``wit/`` with its ``deps/``), or None if absent."""
    source = REAL / name / "wit"
    if not source.is_dir():
        return None
    target = dest / name
    shutil.copytree(source, target)
    return target


def uri(path: Path) -> str:
    return path.resolve().as_uri()


def make_client() -> LanguageClient:
    """pytest-lsp's client, also recording registrations and the version of each published
    diagnostics notification (``client.published[uri] = [(version, diagnostics), ...]``)."""
    from pygls.protocol import default_converter
    from pytest_lsp.client import DEFAULT_CLIENT_FEATURES

    client = LanguageClient(converter_factory=default_converter)
    client.registrations = []  # type: ignore[attr-defined]
    client.published = {}  # type: ignore[attr-defined]
    for method, func in DEFAULT_CLIENT_FEATURES.items():
        if method not in (t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, t.WORKSPACE_DIAGNOSTIC_REFRESH):
            client.feature(method)(func)

    @client.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def publish(params: t.PublishDiagnosticsParams) -> None:
        client.diagnostics[params.uri] = params.diagnostics
        client.published.setdefault(params.uri, []).append(  # type: ignore[attr-defined]
            (params.version, params.diagnostics))

    @client.feature(t.CLIENT_REGISTER_CAPABILITY)
    def register(params: t.RegistrationParams) -> None:
        client.registrations.extend(params.registrations)  # type: ignore[attr-defined]

    client.refreshes = 0  # type: ignore[attr-defined]

    @client.feature(t.WORKSPACE_DIAGNOSTIC_REFRESH)
    def refresh(_params: None) -> None:
        client.refreshes += 1  # type: ignore[attr-defined]

    client.lens_refreshes = 0  # type: ignore[attr-defined]

    @client.feature(t.WORKSPACE_CODE_LENS_REFRESH)
    def code_lens_refresh(_params: None) -> None:
        client.lens_refreshes += 1  # type: ignore[attr-defined]

    return client


CONFIG = ClientServerConfig(server_command=SERVER, client_factory=make_client)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return write_workspace(tmp_path / "ws")


@pytest_lsp.fixture(config=CONFIG, params=CLIENTS)
async def client(request: Any, lsp_client: LanguageClient, workspace: Path) -> Any:
    """A server initialised on ``workspace`` (folders ``app`` and ``lib``)."""
    lsp_client.client_name = request.param  # type: ignore[attr-defined]
    lsp_client.root = workspace  # type: ignore[attr-defined]
    result = await lsp_client.initialize_session(t.InitializeParams(
        capabilities=client_capabilities(request.param),
        workspace_folders=[
            t.WorkspaceFolder(uri=uri(workspace / "app"), name="app"),
            t.WorkspaceFolder(uri=uri(workspace / "lib"), name="lib"),
        ],
        initialization_options={"features": [], "allFeatures": False},
    ))
    lsp_client.init_result = result  # type: ignore[attr-defined]
    # Clients that can pull diagnostics are not sent pushed ones (see the server).
    lsp_client.pulls = (  # type: ignore[attr-defined]
        client_capabilities(request.param).text_document.diagnostic is not None)
    lsp_client.encoding = str(getattr(  # type: ignore[attr-defined]
        result.capabilities.position_encoding, "value", result.capabilities.position_encoding)
        or "utf-16")
    yield
    await lsp_client.shutdown_session()
