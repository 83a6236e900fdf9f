"""Going to a definition and placing the usage lenses find the definitions' names without
making the symbols (``wit_ls.model.symbols.definition_places``): they must be exactly the
places of the symbols ``SymbolBuilder`` makes (the keys of ``by_loc``), and the interfaces
and type definitions with their kinds those of ``Analysis.document_symbols``, for package
folders of the corpus (valid and broken, with nested packages, worlds, inline interfaces,
resources and `use`s)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.oracle import corpus_wit_files

from wit_ls.features.common import flatten_symbols
from wit_ls.host.disk import DiskFileSystem
from wit_ls.model.api import analyze
from wit_ls.model.resolved import Loc

FOLDERS = sorted({p.parent for p in corpus_wit_files() if "deps" not in p.parts})
KINDS = {"interface", "type", "record", "variant", "enum", "flags", "resource"}


@pytest.mark.parametrize("folder", FOLDERS[::6] or [None], ids=lambda f: f and f.name)
def test_definition_places_are_the_symbols_places(folder: Path | None) -> None:
    if folder is None:
        pytest.fail("the corpus is absent (../shared/corpus)")
    analysis = analyze(DiskFileSystem(), [str(folder)])
    for root in analysis._roots:
        by_path = root.defs_by_path
        assert sorted(loc for locs in by_path.values() for loc in locs) == sorted(root.by_loc)
        assert all(locs == sorted(set(locs)) for locs in by_path.values())
    for path in {p for root in analysis._roots for p in root.symbols}:
        symbols = [s for s in flatten_symbols(analysis.document_symbols(path))
                   if s.path == path and s.kind in KINDS]
        assert sorted(analysis.declared_types(path)) == sorted(
            (Loc(path, *s.selection), s.kind) for s in symbols), path
