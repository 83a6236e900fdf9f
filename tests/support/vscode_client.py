"""The client capabilities VS Code states, for tests and benches that talk to the server as it
does."""

from __future__ import annotations

from lsprotocol import types as t
from pytest_lsp import client_capabilities


def pull_capabilities() -> t.ClientCapabilities:
    """VS Code as code-server 1.139 states it: it pulls diagnostics (the server then pushes
    none) and can be asked to pull again."""
    caps = client_capabilities("visual-studio-code")
    assert caps.text_document is not None and caps.workspace is not None
    caps.text_document.diagnostic = t.DiagnosticClientCapabilities(
        dynamic_registration=True, related_document_support=False)
    caps.workspace.diagnostics = t.DiagnosticWorkspaceClientCapabilities(refresh_support=True)
    return caps
