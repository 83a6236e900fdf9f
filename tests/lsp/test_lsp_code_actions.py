"""Quick fixes for the model's errors where the fix is certain: add the missing `use`, "did you
mean" for a misspelled name, and adding a version to a package header."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from lsp_helpers import apply, doc, open_doc, wait_diagnostics
from lsprotocol import types as t

pytestmark = [pytest.mark.asyncio]

TEXT = """package example:fix;

interface types {
  record thing { id: u32 }
}

interface api {
  make: func() -> thing;
  find: func(t: u32) -> option<u23>;
}
"""


async def _actions(client: Any, uri_: str, diag: t.Diagnostic) -> list[t.CodeAction]:
    found = await client.text_document_code_action_async(t.CodeActionParams(
        text_document=doc(uri_), range=diag.range,
        context=t.CodeActionContext(diagnostics=[diag])))
    return list(found or [])


def _edits(action: t.CodeAction, uri_: str) -> list[Any]:
    assert action.edit is not None
    if action.edit.changes:
        return list(action.edit.changes[uri_])
    return [e for change in action.edit.document_changes or [] for e in change.edits]


async def test_add_missing_use_and_did_you_mean(client: Any, workspace: Path) -> None:
    path = workspace / "fix" / "wit" / "fix.wit"
    path.parent.mkdir(parents=True)
    path.write_text(TEXT, encoding="utf-8")
    uri_ = open_doc(client, path, TEXT)
    diags = [d for d in await wait_diagnostics(client, uri_)
             if d.severity == t.DiagnosticSeverity.Error]
    unknown_thing = next(d for d in diags if "`thing`" in d.message)
    unknown_u23 = next(d for d in diags if "`u23`" in d.message)

    add_use = next(a for a in await _actions(client, uri_, unknown_thing)
                   if a.title.startswith("Add `use"))
    fixed = apply(TEXT, _edits(add_use, uri_), client.encoding)
    assert "use types.{thing};" in fixed

    did_you_mean = next(a for a in await _actions(client, uri_, unknown_u23)
                        if "`u32`" in a.title)
    assert "option<u32>" in apply(TEXT, _edits(did_you_mean, uri_), client.encoding)


async def test_add_a_version_to_the_package_header(client: Any, workspace: Path) -> None:
    path = workspace / "fix" / "wit" / "fix.wit"
    path.parent.mkdir(parents=True)
    path.write_text(TEXT, encoding="utf-8")
    uri_ = open_doc(client, path, TEXT)
    await wait_diagnostics(client, uri_)
    header = t.Range(start=t.Position(line=0, character=10), end=t.Position(line=0, character=10))
    found = await client.text_document_code_action_async(t.CodeActionParams(
        text_document=doc(uri_), range=header, context=t.CodeActionContext(diagnostics=[])))
    action = next(a for a in found or [] if a.title.startswith("Add a version"))
    assert apply(TEXT, _edits(action, uri_), client.encoding).startswith(
        "package example:fix@0.1.0;")


STATIC_FIRST = """package example:teach;

interface files {
  resource file {
    static open: func(path: string) -> file;
  }
}
"""


async def test_help_note_and_its_quick_fix(client: Any, workspace: Path) -> None:
    """A mistake from an older guide: the message keeps wit-parser's words, a `help:` note
    follows it, and the quick fix writes the current form."""
    path = workspace / "teach" / "wit" / "teach.wit"
    path.parent.mkdir(parents=True)
    path.write_text(STATIC_FIRST, encoding="utf-8")
    uri_ = open_doc(client, path, STATIC_FIRST)
    diags = [d for d in await wait_diagnostics(client, uri_)
             if d.severity == t.DiagnosticSeverity.Error]
    diag = next(d for d in diags if "static" in d.message)
    first, _, note = diag.message.partition("\n\nhelp: ")
    assert "found keyword `static`" in first
    assert note == "`static` goes after the colon: `open: static func(...)`"
    fix = next(a for a in await _actions(client, uri_, diag) if "static func" in a.title)
    assert fix.is_preferred
    fixed = apply(STATIC_FIRST, _edits(fix, uri_), client.encoding)
    assert "    open: static func(path: string) -> file;" in fixed


UNUSED = """package example:unused;

interface types {
  /// An id.
  type id = u64;
  /// Not used.
  type unused-thing = u8;
}

interface api {
  use types.{id, unused-thing};

  /// Look something up.
  find: func(key: id) -> u32;
}
"""


async def test_a_lint_fix_sent_back_with_its_data_edits_the_right_text(
        client: Any, workspace: Path) -> None:
    """The fix in a lint finding's data (its offsets counted from the finding's start on the
    wire) comes back with the diagnostic and edits exactly the text the fix names."""
    path = workspace / "unused" / "wit" / "api.wit"
    path.parent.mkdir(parents=True)
    path.write_text(UNUSED, encoding="utf-8")
    uri_ = open_doc(client, path, UNUSED)
    for _ in range(500):
        found = [d for d in await wait_diagnostics(client, uri_) if d.code == "unused-use"]
        if found:
            break
        await asyncio.sleep(0.02)
    unused = found[0]
    assert unused.data is not None
    actions = [a for a in await _actions(client, uri_, unused)
               if "uppress" not in a.title and "gnore" not in a.title]
    assert actions, "no fix offered"
    fixed = apply(UNUSED, _edits(actions[0], uri_), client.encoding)
    assert "use types.{id};" in fixed
    assert fixed.replace("use types.{id};", "use types.{id, unused-thing};") == UNUSED
