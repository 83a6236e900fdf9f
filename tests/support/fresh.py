"""A workspace made afresh from given trees, to compare the server's incremental answers with.

The documents hold the same tree-sitter trees the incremental side has (after broken text an
incremental reparse may recover differently from a parse from scratch: that is tree-sitter's
business, not the comparison's), every diagnostic is computed anew, and the lowering memo is
emptied meanwhile so that no earlier lowering is reused."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from wit_ls.lsp.workspace import Workspace
from wit_ls.model import lower as lowering
from wit_ls.syntax import SyntaxTree


@contextmanager
def fresh_workspace(folder: Path, trees: Mapping[Path, SyntaxTree]) -> Iterator[Workspace]:
    kept = dict(lowering._PREVIOUS)
    lowering._PREVIOUS.clear()
    try:
        ws = Workspace()
        ws.add_folder(folder.as_uri(), folder.as_posix())
        for p, tree in trees.items():
            doc = ws.open(p.as_uri(), p.as_posix(), 1, "")
            doc.tree = SyntaxTree(tree.source, tree.tree)
        yield ws
    finally:
        lowering._PREVIOUS.clear()
        lowering._PREVIOUS.update(kept)
