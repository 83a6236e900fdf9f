"""The modules a keystroke's first answer may load lazily are loaded by the server beforehand
(`ANSWER_MODULES`, after indexing): in a fresh process that has loaded them, letters typed
at every line end of the fixture workspace (breaking it in many ways) load no other module
of ours on the way to their diagnostics."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import write_workspace

SCRIPT = r"""
import json, sys
from pathlib import Path
from wit_ls.lsp.convert import Converter, DiagnosticForms
from wit_ls.lsp.server import warm_answer_modules
from wit_ls.lsp.workspace import Workspace
from wit_ls.syntax import TextEdit

folder = Path(sys.argv[1])
ws = Workspace()
ws.add_folder(folder.as_uri(), folder.as_posix())
paths = sorted(p.as_posix() for p in folder.rglob("*.wit"))
for path in paths:
    ws.open(Path(path).as_uri(), path, 1, Path(path).read_text(encoding="utf-8"))
    ws.diagnostics_for(path, "previous")
if sys.argv[2] == "warm":
    warm_answer_modules()
before = set(sys.modules)
forms = DiagnosticForms()
for path in paths:
    text = Path(path).read_bytes()
    version = 1
    at = text.find(b"\n")
    while at >= 0:
        for edit in (TextEdit(at, at, b"x"), TextEdit(at, at + 1, b"")):
            version += 1
            ws.change(path, version, [edit])
            found = ws.diagnostics_for(path, "previous")
            index = ws.tree(path).line_index
            Converter("utf-16", lambda _p, i=index: i, forms=forms).diagnostics(index, found, path)
            ws.release_retired()
        at = text.find(b"\n", at + 1)
print(json.dumps(sorted(m for m in set(sys.modules) - before if m.startswith("wit_ls"))))
"""


def _loaded(folder: Path, mode: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(folder), mode], capture_output=True,
                         text=True, check=True, cwd=Path(__file__).resolve().parents[2])
    loaded: list[str] = json.loads(out.stdout)
    return loaded


def test_broken_keystrokes_load_nothing_after_the_warm_up(tmp_path: Path) -> None:
    folder = write_workspace(tmp_path)
    assert _loaded(folder, "warm") == []
    # Without the warm-up the same keystrokes do load modules (the test can tell).
    assert _loaded(folder, "cold")
