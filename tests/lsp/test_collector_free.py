"""The server frees what it replaces without the cyclic garbage collector.

Large analyses are frozen out of the collector's reach and never unfrozen (see
`Workspace._analyse_root`): a full collection walking them took 300-450 ms, inside a lint pass
or an answer. That is sound only while an analysis, its lint findings and caches, and a
dropped workspace hold no reference cycle: a frozen cycle is never freed. These tests drive a
workspace with the collector off and check that nothing was left for it."""

from __future__ import annotations

import collections
import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from wit_ls.features import hover, navigation
from wit_ls.features.common import FeatureContext
from wit_ls.lsp import workspace as workspace_module
from wit_ls.lsp.workspace import Workspace

# A package with a dependency under deps/, worlds that import and export interfaces needing
# others (the elaboration of worlds), an include, a `use` of something missing and lint
# findings; a second file.
FILES = {
    "wit/deps/base/base.wit": """package example:base@1.0.0;

interface types {
  record point { x: u32, y: u32 }
  type id = u64;
}

interface clock {
  use types.{id};
  now: func() -> id;
}
""",
    "wit/app.wit": """package example:app@0.1.0;

interface shapes {
  use example:base/types@1.0.0.{point};
  record Square { corner: point, side: u32 }
  area: func(s: Square) -> u64;
}

interface uses-missing {
  use shapes.{circle};
}

/// The app.
world app {
  import example:base/clock@1.0.0;
  export shapes;
  export render: interface {
    use shapes.{Square};
    draw: func(s: Square);
  }
  include helper;
}
""",
    "wit/helper.wit": """package example:app@0.1.0;

world helper {
  export example:base/clock@1.0.0;
  import log: func(msg: string);
}
""",
}


def _edits(text: str) -> Iterator[str]:
    """The texts an editor would send: a space, a letter that breaks the file, a new
    declaration, a broken one, and the text again."""
    body = text.index("{") + 1
    yield text[:body] + " " + text[body:]
    yield text[:body] + "x" + text[body:]
    yield text + "\ninterface added { type t = u32; }\n"
    yield text + "\ninterface broken { f: func(; }\n"
    yield text


def _session(root: Path) -> Workspace:
    """Open each file of the package, lint it, edit it in every way and ask for hovers,
    references and the resolved JSON, releasing replaced analyses as the server does after
    an answer."""
    ws = Workspace()
    ws.add_folder(root.as_uri(), root.as_posix())
    for rel in ("wit/app.wit", "wit/helper.wit"):
        path = (root / rel).as_posix()
        text = (root / rel).read_text(encoding="utf-8")
        ws.open((root / rel).as_uri(), path, 1, text)
        ws.diagnostics_for(path, "run")
        for version, new in enumerate(_edits(text), start=2):
            ws.change(path, version, [new])
            ws.diagnostics_for(path, "previous")
            ws.diagnostics_for(path, "run")
            ctx = FeatureContext(path, ws.documents[path].tree,
                                 lambda path=path: ws.analysis_for(path), {})
            # The resolved model as JSON (what the comparison for breaking changes reads).
            ws.analysis_for(path).resolve_json()
            for offset in range(0, len(new), 40):
                hover.hover(ctx, offset)
                navigation.references(ctx, offset, True)
            ws.release_retired()
    ws.global_analysis()
    ws.release_retired()
    return ws


def _garbage() -> collections.Counter[str]:
    """The objects a collection finds unreachable now, by type (the collector is off)."""
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        found = collections.Counter(type(o).__qualname__ for o in gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.collect()
    return found


@pytest.fixture
def package(tmp_path: Path) -> Path:
    for rel, text in FILES.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    return tmp_path


def test_a_session_leaves_nothing_for_the_collector(package: Path) -> None:
    _session(package)  # once first: the modules it loads on first use leave garbage
    gc.collect()
    gc.disable()
    try:
        ws = _session(package)
        # Every replaced analysis, tree and lint finding was freed by reference counting.
        assert _garbage() == {}
        # So is a dropped workspace, with its analyses (the light first answer drops one).
        del ws
        assert _garbage() == {}
    finally:
        gc.enable()


def test_live_analyses_stay_frozen_and_replaced_ones_are_freed(
        package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every analysis here counts as large: frozen once made, never unfrozen, and freed
    once replaced all the same (the number of frozen objects stays flat over edits)."""
    monkeypatch.setattr(workspace_module, "FREEZE_OBJECTS", 1)
    path = (package / "wit/app.wit").as_posix()
    text = (package / "wit/app.wit").read_text(encoding="utf-8")
    gc.collect()
    try:
        ws = Workspace()
        ws.add_folder(package.as_uri(), package.as_posix())
        ws.open((package / "wit/app.wit").as_uri(), path, 1, text)
        counts = []
        for version in range(2, 42):
            # A new declaration each time: every answer analyses the package again.
            ws.change(path, version, [text + f"\ninterface added{version} {{}}\n"])
            ws.diagnostics_for(path, "previous")
            ws.release_retired()
            counts.append(gc.get_freeze_count())
        # The live analysis is still frozen after its answer (a full collection would walk
        # it otherwise)...
        assert counts[-1] > 0
        # ... and the 30 analyses replaced since the tenth were freed, frozen as they were.
        assert counts[-1] - counts[9] < (counts[9] - counts[8]) + 1000, counts
    finally:
        gc.unfreeze()
