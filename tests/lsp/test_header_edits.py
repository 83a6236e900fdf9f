"""A package without a `package` header is reported as such only while none of its files has
a syntax error (wit-parser stops at the syntax error first). A keystroke that breaks or mends
such a file while leaving its declarations as they were must still answer as a fresh analysis
does (the real-roots edit differential found the answer reused from before the keystroke)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.fresh import fresh_workspace

from wit_ls.lsp.workspace import Workspace
from wit_ls.syntax import TextEdit

# (text, edit start, edit end, new text): each edit leaves `world foo` as it was, moved.
CASES = [
    ("foo foo):foo;\nworld foo {\n}\n", 0, 14, b""),  # the broken line deleted: mended
    ("\nworld foo {\n}\n", 0, 0, b"foo foo):foo;"),  # a broken line typed: broken
    ("x;\nworld foo {\n  export run: func();\n}\n", 0, 2, b""),
    ("world foo {\n}\n\ninterface i {}\n}", 30, 31, b""),  # a stray brace at the end deleted
]


@pytest.mark.parametrize(("text", "start", "end", "new"), CASES)
def test_a_headerless_file_broken_or_mended_answers_as_a_fresh_analysis(
        tmp_path: Path, text: str, start: int, end: int, new: bytes) -> None:
    folder = tmp_path / "ws"
    folder.mkdir()
    path = folder / "a.wit"
    path.write_text(text, encoding="utf-8")
    ws = Workspace()
    ws.add_folder(folder.as_uri(), folder.as_posix())
    ws.open(path.as_uri(), path.as_posix(), 1, text)
    ws.diagnostics_for(path.as_posix(), "previous")
    ws.change(path.as_posix(), 2, [TextEdit(start, end, new)])
    got = [(d.start, d.end, d.code) for d in ws.diagnostics_for(path.as_posix(), "previous")]
    tree = ws.documents[path.as_posix()].tree
    with fresh_workspace(folder, {path: tree}) as fresh:
        expected = [(d.start, d.end, d.code)
                    for d in fresh.diagnostics_for(path.as_posix(), "previous")]
    assert got == expected
    # Each case goes from broken to mended or back: one side reports the missing header.
    was_broken = b"foo)" in text.encode() or text.startswith("x;") or text.endswith("}\n}")
    assert ("missing-package-header" in {c for _s, _e, c in got}) == was_broken
