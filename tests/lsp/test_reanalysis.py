"""After an edit, workspace-wide analyses (references, workspace symbols) re-analyse only the
packages that read the edited file: the edited package, and those that reach it through
``deps/`` (a symbolic link here), not every package of the workspace."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest

from wit_ls.lsp import workspace as workspace_module
from wit_ls.lsp.workspace import Workspace
from wit_ls.model.api import RootAnalysis


def _package(root: Path, name: str, body: str) -> Path:
    (root / name / "wit").mkdir(parents=True)
    path = root / name / "wit" / "a.wit"
    path.write_text(f"package example:{name};\n{body}\n", encoding="utf-8")
    return path


def test_an_edit_reanalyses_only_the_packages_that_read_the_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p0 = _package(tmp_path, "p0", "interface i { type t = u32; }")
    p1 = _package(tmp_path, "p1", "interface i { type t = u32; }")
    _package(tmp_path, "p2", "interface i { type t = u32; }")
    p3 = _package(tmp_path, "p3", "interface j { use example:p0/i.{t}; f: func(a: t); }")
    (p3.parent / "deps").mkdir()
    (p3.parent / "deps" / "p0").symlink_to(p0.parent, target_is_directory=True)
    computed: list[str] = []
    original = workspace_module.analyze_root

    def counting(*args: object, **kwargs: object) -> RootAnalysis:
        computed.append(Path(str(args[1])).parent.name)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(workspace_module, "analyze_root", counting)
    ws = Workspace()
    ws.add_folder(tmp_path.as_uri(), tmp_path.as_posix())
    first = ws.global_analysis()
    assert sorted(computed) == ["p0", "p1", "p2", "p3"]
    assert [d.message for d in first.diagnostics if d.severity.name == "ERROR"] == []
    computed.clear()
    assert ws.global_analysis() is first
    assert computed == []

    # An edit in the editor: only its package.
    ws.open(p1.as_uri(), p1.as_posix(), 1, "package example:p1;\ninterface i { type u = u8; }\n")
    ws.global_analysis()
    assert computed == ["p1"]
    computed.clear()

    # A file saved on disk: its package and the one that reads it through deps/, which now
    # sees the new text (its `use` of `t` breaks).
    p0.write_text("package example:p0;\ninterface i { type renamed = u32; }\n", encoding="utf-8")
    ws.files_changed([p0.as_posix()])
    after = ws.global_analysis()
    assert sorted(computed) == ["p0", "p3"]
    assert any(d.path.endswith("p3/wit/a.wit") and "t" in d.message
               for d in after.diagnostics if d.severity.name == "ERROR")


def test_edits_that_never_reach_an_answer_keep_few_replaced_analyses(tmp_path: Path) -> None:
    """`release_retired` runs when an answer has been sent; a stream of edits that never lets
    one finish must still let replaced analyses go, and small analyses are never frozen out
    of the collector's reach: the server's memory grew 10 MB per 1,000 edits otherwise."""
    gc.unfreeze()
    path = _package(tmp_path, "p0", "interface i { type t = u32; }")
    ws = Workspace()
    ws.add_folder(tmp_path.as_uri(), tmp_path.as_posix())
    ws.open(path.as_uri(), path.as_posix(), 1, path.read_text(encoding="utf-8"))
    alive: list[weakref.ref[object]] = []
    for n in range(40):
        ws.change(path.as_posix(), n + 2,
                  [f"package example:p0;\ninterface i {{ type t{n} = u32; }}\n"])
        alive.append(weakref.ref(ws.analysis_for(path.as_posix())))
    assert len(ws._retired) <= workspace_module.MAX_RETIRED
    # A small analysis is not frozen: freezing would also freeze the garbage cycles of the
    # moment, which nothing frees then (frozen objects are never unfrozen).
    assert gc.get_freeze_count() == 0
    living = sum(ref() is not None for ref in alive)
    assert living <= workspace_module.MAX_RETIRED + 1, living
    ws.release_retired()
