"""The single-edit matrix (matrix/edits.toml over matrix/base): per-world verdicts of
`wit-ls breaking --strict` equal those of `wasm-tools component semver-check`, the reference,
including edits that live only in the dependency package; and a no-op change (reordering,
comments, `wit-ls fmt`) has no finding at all."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import tomllib

from tests.breaking.resolve_helper import require_wasm_tools
from wit_ls.breaking import CompareOptions, compare, world_verdicts
from wit_ls.fmt import format_source
from wit_ls.host.disk import DiskFileSystem
from wit_ls.model import Options, analyze

MATRIX = Path(__file__).parent / "matrix"
EDITS: list[dict[str, Any]] = tomllib.loads((MATRIX / "edits.toml").read_text("utf-8"))["edit"]
WORLDS = ("importer", "exporter")


def _replace(text: str, before: str, after: str) -> str:
    assert text.count(before) == 1, f"{before!r} must occur once"
    return text.replace(before, after, 1)


def _versions(root: Path, new: str) -> None:
    for file in root.rglob("*.wit"):
        file.write_text(file.read_text("utf-8").replace("@1.0.0", f"@{new}"), "utf-8")


def _make(edit: dict[str, Any], tmp: Path) -> tuple[Path, Path]:
    old, new = tmp / "old" / "wit", tmp / "new" / "wit"
    for root in (old, new):
        shutil.copytree(MATRIX / "base" / "wit", root)
        path = root / edit["file"]
        text = path.read_text("utf-8")
        for before, after in edit.get("messy", []):
            text = _replace(text, before, after)
        path.write_text(text, "utf-8")
    _versions(new, "1.0.1")
    path = new / edit["file"]
    text = path.read_text("utf-8")
    if edit.get("fmt"):
        formatted = format_source(text)
        assert formatted is not None and formatted != text
        text = formatted
    else:
        text = _replace(text, edit["before"], edit["after"])
    for before, after in edit.get("also", []):
        text = _replace(text, before, after)
    path.write_text(text, "utf-8")
    return old, new


def _resolve(root: Path) -> dict[str, Any]:
    analysis = analyze(DiskFileSystem(), [str(root)], Options())
    errors = [d.message for d in analysis.diagnostics if d.severity == 1]
    assert not errors, errors
    doc: dict[str, Any] = analysis.resolve_json()
    return doc


def _oracle(tool: str, old: Path, new: Path, tmp: Path) -> dict[str, bool]:
    """semver-check per world: both versions encoded as WIT packages and loaded side by side as
    dependencies of an empty root package (one resolve must hold both)."""
    combined = tmp / "combined"
    (combined / "deps").mkdir(parents=True)
    (combined / "root.wit").write_text("package oracle:root;\n", "utf-8")
    for label, root in (("old", old), ("new", new)):
        done = subprocess.run([tool, "component", "wit", "--wasm", "-o",
                               str(combined / "deps" / f"{label}.wasm"), str(root)],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
    verdicts = {}
    for world in WORLDS:
        done = subprocess.run([tool, "component", "semver-check", "--prev",
                               f"m:root/{world}@1.0.0", "--new", f"m:root/{world}@1.0.1",
                               str(combined)], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 or "not semver-compatible" in done.stderr, done.stderr
        verdicts[world] = done.returncode == 0
    return verdicts


@pytest.mark.parametrize("edit", EDITS, ids=[e["name"] for e in EDITS])
def test_world_verdicts_match_semver_check(edit: dict[str, Any], tmp_path: Path) -> None:
    tool = require_wasm_tools()
    old, new = _make(edit, tmp_path)
    expected = _oracle(tool, old, new, tmp_path)
    old_doc, new_doc = _resolve(old), _resolve(new)
    strict = CompareOptions(strict=True)
    ours = {v.world: v.compatible for v in world_verdicts(old_doc, new_doc, "m:root", strict)}
    assert ours == expected, [
        (v.world, [c.message for c in v.breaks])
        for v in world_verdicts(old_doc, new_doc, "m:root", strict)
    ]
    changes = compare(old_doc, new_doc, None, strict)
    if edit.get("noop"):
        assert expected == dict.fromkeys(WORLDS, True)
        assert [c.message for c in changes] == []
    else:
        # Every edit of the matrix is seen by wit-ls, breaking or not.
        assert changes, "no finding for a real change"


def test_the_matrix_is_large_enough() -> None:
    edits = [e for e in EDITS if not e.get("noop")]
    assert len(edits) >= 30
    assert sum(1 for e in edits if e["file"].startswith("deps/")) >= 5
    assert {e["name"] for e in EDITS if e.get("noop")} >= {"noop: wit-ls fmt"}


def test_the_command_line_prints_the_same_verdicts(tmp_path: Path) -> None:
    require_wasm_tools()
    edit = next(e for e in EDITS if e["name"] == "dependency: record field added")
    old, new = _make(edit, tmp_path)
    import sys

    done = subprocess.run([sys.executable, "-m", "wit_ls", "breaking", str(new), "--against",
                           str(old), "--strict", "--format", "json"],
                          capture_output=True, text=True, timeout=120)
    out = json.loads(done.stdout)
    worlds = {(w["package"], w["world"]): w["compatible"] for w in out["worlds"]}
    assert worlds[("m:root", "importer")] is False
    assert worlds[("m:root", "exporter")] is False
    assert done.returncode == 1
