"""Lint findings through the language server: codes, links to the rule docs, tags, quick fixes
and suppressions as code actions, and configuration files (including broken ones)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from lsp_helpers import apply, doc, open_doc, wait_diagnostics
from lsprotocol import types as t

pytestmark = [pytest.mark.asyncio]

TEXT = """package example:lint@0.1.0;

interface api {
  use types.{id, unused-thing};

  /// Look something up.
  find: func(key: id) -> result<string, string>;
}

interface types {
  type id = u64;
  type unused-thing = u8;
}
"""


def _write(workspace: Path, text: str = TEXT) -> Path:
    path = workspace / "lint" / "wit" / "api.wit"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _by_code(diags: list[t.Diagnostic], code: str) -> t.Diagnostic:
    found = [d for d in diags if d.code == code]
    assert found, [(d.code, d.message) for d in diags]
    return found[0]


async def _lint_diagnostics(client: Any, uri_: str, code: str) -> list[t.Diagnostic]:
    """Diagnostics once lint findings are in (they follow the first pass when pushed)."""
    diags: list[t.Diagnostic] = []
    for _ in range(300):
        diags = await wait_diagnostics(client, uri_)
        if any(d.code == code for d in diags):
            return diags
        await asyncio.sleep(0.02)
    return diags


async def test_findings_carry_code_source_link_and_tags(client: Any, workspace: Path) -> None:
    uri_ = open_doc(client, _write(workspace))
    diags = await _lint_diagnostics(client, uri_, "unused-use")
    unused = _by_code(diags, "unused-use")
    assert unused.source == "wit-ls"
    assert unused.tags and t.DiagnosticTag.Unnecessary in unused.tags
    string_error = _by_code(diags, "string-error")
    assert string_error.severity == t.DiagnosticSeverity.Warning
    if client.client_name == "neovim":  # it declares codeDescription support
        assert string_error.code_description is not None
        assert "rules.md#string-error" in string_error.code_description.href


async def test_fix_and_suppression_as_code_actions(client: Any, workspace: Path) -> None:
    path = _write(workspace)
    uri_ = open_doc(client, path)
    diags = await _lint_diagnostics(client, uri_, "unused-use")
    unused = _by_code(diags, "unused-use")
    actions = await client.text_document_code_action_async(t.CodeActionParams(
        text_document=doc(uri_), range=unused.range,
        context=t.CodeActionContext(diagnostics=[unused])))
    titles = [a.title for a in actions]
    assert any("uppress" in title and "line" in title for title in titles), titles
    assert any("uppress" in title and "file" in title for title in titles), titles
    fix = next(a for a in actions if a.is_preferred)
    edits = fix.edit.changes[uri_] if fix.edit.changes else fix.edit.document_changes[0].edits
    fixed = apply(TEXT, edits, client.encoding)
    assert "unused-thing}" not in fixed and "use types.{id}" in fixed


async def test_config_file_levels_and_broken_config(client: Any, workspace: Path) -> None:
    path = _write(workspace)
    (path.parent.parent / "wit-ls.toml").write_text(
        '[lint.rules]\nstring-error = "error"\n', encoding="utf-8")
    uri_ = open_doc(client, path)
    diags = await _lint_diagnostics(client, uri_, "string-error")
    assert _by_code(diags, "string-error").severity == t.DiagnosticSeverity.Error

    other = _write(workspace / "broken")
    (other.parent.parent / "wit-ls.toml").write_text("[lint\npreset = 1\n", encoding="utf-8")
    other_uri = open_doc(client, other)
    await _lint_diagnostics(client, other_uri, "string-error")
    for _ in range(300):
        if any("wit-ls.toml" in m.message for m in client.messages):
            break
        await asyncio.sleep(0.02)
    messages = [m.message for m in client.messages]
    assert any("wit-ls.toml:1" in m for m in messages), messages
