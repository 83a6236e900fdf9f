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
