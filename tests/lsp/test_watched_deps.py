"""File-watcher events under deps/: a file created in a new folder, and a folder deleted then
restored, change what the open package resolves without a restart."""

from __future__ import annotations

import shutil
from pathlib import Path

from wit_ls.lsp.workspace import Workspace

MAIN = "package example:app;\n\ninterface api {\n  use example:dep/types.{thing};\n}\n"
DEP = "package example:dep;\n\ninterface types { type thing = u32; }\n"


def _not_found(ws: Workspace, path: Path) -> bool:
    return any("example:dep" in d.message and "not found" in d.message
               for d in ws.diagnostics_for(str(path)))


def _opened(tmp_path: Path) -> tuple[Workspace, Path, Path]:
    """A workspace over ``tmp_path`` with an empty ``wit/deps/`` and ``wit/api.wit`` open."""
    wit = tmp_path / "wit"
    (wit / "deps").mkdir(parents=True)
    main = wit / "api.wit"
    main.write_text(MAIN)
    ws = Workspace()
    ws.add_folder(tmp_path.as_uri(), str(tmp_path))
    ws.open(main.as_uri(), str(main), 1, MAIN)
    return ws, wit, main


def test_new_and_restored_dependency_folders_are_seen(tmp_path: Path) -> None:
    ws, wit, main = _opened(tmp_path)
    assert _not_found(ws, main)
    dep = wit / "deps" / "dep"
    dep.mkdir()
    (dep / "types.wit").write_text(DEP)
    ws.files_changed([str(dep / "types.wit")])  # only the file's event, as editors send it
    assert not _not_found(ws, main)
    shutil.rmtree(dep)
    ws.files_changed([str(dep)])
    assert _not_found(ws, main)
    dep.mkdir()
    (dep / "types.wit").write_text(DEP)
    ws.files_changed([str(dep)])
    assert not _not_found(ws, main)


def test_a_new_empty_dependency_folder_is_an_error_until_it_has_a_file(tmp_path: Path) -> None:
    # wit-parser parses every folder of deps/ as a package: an empty one has no header.
    ws, wit, main = _opened(tmp_path)
    header = "no `package` header was found in any WIT file for this package"
    dep = wit / "deps" / "dep"
    dep.mkdir()
    ws.files_changed([str(dep)])
    assert [d.message for d in ws.diagnostics_for(str(dep))] == [header]
    assert f"in dependency deps/dep: {header}" in [d.message for d in ws.diagnostics_for(str(main))]
    (dep / "types.wit").write_text(DEP)
    ws.files_changed([str(dep / "types.wit")])
    assert ws.diagnostics_for(str(dep)) == []
    assert not any(header in d.message for d in ws.diagnostics_for(str(main)))
    assert not _not_found(ws, main)
