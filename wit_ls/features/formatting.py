"""Document formatting for editors: the formatter's output as a few line-level edits (so the
cursor and unchanged lines stay put), or no edits when the file has syntax errors."""

from __future__ import annotations

import difflib

from wit_ls.features.common import FileEdit
from wit_ls.fmt import FormatOptions, format_tree
from wit_ls.syntax import SyntaxTree


def formatting_edits(path: str, tree: SyntaxTree, tab_size: int = 2,
                     insert_spaces: bool = True) -> list[FileEdit]:
    indent = " " * max(0, min(tab_size, 16)) if insert_spaces else "\t"
    formatted = format_tree(tree, FormatOptions(indent=indent))
    if formatted is None:
        return []
    original = tree.source.decode("utf-8", errors="replace")
    if formatted == original:
        return []
    old_lines = original.splitlines(keepends=True)
    new_lines = formatted.splitlines(keepends=True)
    # Byte offset of the start of each old line (and of the end of the text).
    starts = [0]
    for line in old_lines:
        starts.append(starts[-1] + len(line.encode("utf-8")))
    edits: list[FileEdit] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        edits.append(FileEdit(path, starts[i1], starts[i2], "".join(new_lines[j1:j2])))
    return edits
