"""textDocument/formatting: the formatter's layout as line edits, in the client's encoding,
and nothing for a file with syntax errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lsp_helpers import apply, doc, open_doc
from lsprotocol import types as t

pytestmark = [pytest.mark.asyncio]

MESSY = """package example:fmt;

/// Docs with ünïcödé 😀 stay.
interface  api{
record point {x:s32,y : s32}
  move:func(p:point,by:s32)->point;   // trailing 😀
}
"""

TIDY = """package example:fmt;

/// Docs with ünïcödé 😀 stay.
interface api {
    record point {
        x: s32,
        y: s32,
    }
    move: func(p: point, by: s32) -> point; // trailing 😀
}
"""


async def test_formatting_returns_edits_that_produce_the_layout(client: Any,
                                                                workspace: Path) -> None:
    path = workspace / "fmt" / "wit" / "fmt.wit"
    path.parent.mkdir(parents=True)
    path.write_text(MESSY, encoding="utf-8")
    uri_ = open_doc(client, path, MESSY)
    edits = await client.text_document_formatting_async(t.DocumentFormattingParams(
        text_document=doc(uri_), options=t.FormattingOptions(tab_size=4, insert_spaces=True)))
    assert edits
    assert apply(MESSY, edits, client.encoding) == TIDY


async def test_no_edits_for_broken_code(client: Any, workspace: Path) -> None:
    path = workspace / "fmt" / "wit" / "broken.wit"
    path.parent.mkdir(parents=True)
    broken = "package example:fmt;\ninterface api { f: func( }\n"
    path.write_text(broken, encoding="utf-8")
    uri_ = open_doc(client, path, broken)
    edits = await client.text_document_formatting_async(t.DocumentFormattingParams(
        text_document=doc(uri_), options=t.FormattingOptions(tab_size=2, insert_spaces=True)))
    assert not edits


RANGE_SOURCE = """package example:fmt;

interface api {
  f:func(a:u32)->u32;
  g:func(b:u32)->u32;
  record r {x:u32}
}
"""


async def _open(client: Any, workspace: Path, name: str, text: str) -> str:
    path = workspace / "fmt" / "wit" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(open_doc(client, path, text))


async def test_range_formatting_formats_the_whole_items_the_range_touches(
        client: Any, workspace: Path) -> None:
    uri_ = await _open(client, workspace, "range.wit", RANGE_SOURCE)
    # From inside `f` to inside `g`: both members, nothing else.
    edits = await client.text_document_range_formatting_async(t.DocumentRangeFormattingParams(
        text_document=doc(uri_),
        range=t.Range(start=t.Position(line=3, character=5), end=t.Position(line=4, character=3)),
        options=t.FormattingOptions(tab_size=2, insert_spaces=True)))
    assert apply(RANGE_SOURCE, edits, client.encoding) == RANGE_SOURCE.replace(
        "  f:func(a:u32)->u32;\n  g:func(b:u32)->u32;",
        "  f: func(a: u32) -> u32;\n  g: func(b: u32) -> u32;")


async def test_format_on_type_after_a_brace_and_a_semicolon(client: Any,
                                                             workspace: Path) -> None:
    uri_ = await _open(client, workspace, "ontype.wit", RANGE_SOURCE)
    options = t.FormattingOptions(tab_size=2, insert_spaces=True)
    # `}` that closes the record: the record, one field per line.
    edits = await client.text_document_on_type_formatting_async(
        t.DocumentOnTypeFormattingParams(text_document=doc(uri_), ch="}", options=options,
                                         position=t.Position(line=5, character=18)))
    assert apply(RANGE_SOURCE, edits, client.encoding) == RANGE_SOURCE.replace(
        "  record r {x:u32}", "  record r {\n    x: u32,\n  }")
    # `;` after `g`: only `g`.
    edits = await client.text_document_on_type_formatting_async(
        t.DocumentOnTypeFormattingParams(text_document=doc(uri_), ch=";", options=options,
                                         position=t.Position(line=4, character=21)))
    assert apply(RANGE_SOURCE, edits, client.encoding) == RANGE_SOURCE.replace(
        "  g:func(b:u32)->u32;", "  g: func(b: u32) -> u32;")


async def test_the_configuration_file_wins_over_the_editor_tab_size(client: Any,
                                                                    workspace: Path) -> None:
    (workspace / "fmt").mkdir(exist_ok=True)
    (workspace / "fmt" / "wit-ls.toml").write_text("[format]\nindent-width = 3\nline-width = 40\n",
                                                   encoding="utf-8")
    source = ("package example:fmt;\ninterface api {\n"
              "f: func(first-param: u32, second-param: u32);\n}\n")
    uri_ = await _open(client, workspace, "configured.wit", source)
    edits = await client.text_document_formatting_async(t.DocumentFormattingParams(
        text_document=doc(uri_), options=t.FormattingOptions(tab_size=8, insert_spaces=True)))
    assert apply(source, edits, client.encoding) == (
        "package example:fmt;\ninterface api {\n   f: func(\n      first-param: u32,\n"
        "      second-param: u32,\n   );\n}\n")
