"""WIT packages encoded as components (``.wasm`` binary, ``.wat`` text) are decoded.

The encodings are made at test time by ``wasm-tools component wit --wasm`` (and ``wasm-tools
print`` for the text) from the WIT sources in ``tests/fixtures/wasm/``; wit-ls's ``resolve --json``
of them is compared with what ``wasm-tools component wit --json`` prints for the same file. Broken
encodings give a diagnostic naming the file, never a traceback.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from support.oracle import REPO_ROOT, wasm_tools

from tests.support.resolve_json import compare
from wit_ls.model import MemoryFileSystem, analyze
from wit_ls.syntax import Severity

SOURCES = REPO_ROOT / "tests" / "fixtures" / "wasm"
CASES = sorted(p.name for p in SOURCES.iterdir() if p.is_dir())
# Decoded packages whose arenas wit-parser fills in the binary's order, which differs from the
# order of the same package read as WIT text (resources' `own` handles, world-level types):
# equal after normalising arena order, not identical.
ORDER_ONLY = {"types", "worlds"}

needs_wasm_tools = pytest.mark.skipif(wasm_tools() is None, reason="wasm-tools not installed")


def _tool(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    tool = wasm_tools()
    assert tool is not None
    return subprocess.run([tool, *args], cwd=cwd, capture_output=True, timeout=120, check=False)


def _encode(case: str, tmp_path: Path, suffix: str) -> Path:
    wasm = tmp_path / f"{case}.wasm"
    done = _tool("component", "wit", "--wasm", str(SOURCES / case), "-o", str(wasm), cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    if suffix == ".wasm":
        return wasm
    text = _tool("print", str(wasm), cwd=tmp_path)
    assert text.returncode == 0, text.stderr.decode()
    wat = tmp_path / f"{case}.wat"
    wat.write_bytes(text.stdout)
    return wat


def _wit_ls(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wit_ls", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, check=False)


@needs_wasm_tools
@pytest.mark.parametrize("suffix", [".wasm", ".wat"])
@pytest.mark.parametrize("case", CASES)
def test_resolve_json_of_an_encoded_package(case: str, suffix: str, tmp_path: Path) -> None:
    encoded = _encode(case, tmp_path, suffix)
    theirs = _tool("component", "wit", "--json", encoded.name, cwd=tmp_path)
    assert theirs.returncode == 0, theirs.stderr.decode()
    ours = _wit_ls("resolve", "--json", encoded.name, cwd=tmp_path)
    assert ours.returncode == 0, ours.stderr
    result = compare(json.loads(theirs.stdout), json.loads(ours.stdout))
    assert result.normalised, result.diff
    assert result.identical or case in ORDER_ONLY, result.diff


@needs_wasm_tools
@pytest.mark.parametrize("suffix", [".wasm", ".wat"])
def test_encoded_package_in_deps_is_used(suffix: str, tmp_path: Path) -> None:
    """A root whose dependency is only available encoded: its names resolve, and the JSON is
    what wasm-tools prints."""
    encoded = _encode("worlds", tmp_path, suffix)
    root = tmp_path / "root"
    (root / "deps").mkdir(parents=True)
    encoded.rename(root / "deps" / encoded.name)
    (root / "main.wit").write_text(
        "package demo:main;\n\nworld main {\n  include demo:worlds/service;\n"
        "  import demo:worlds/log;\n}\n", "utf-8")
    theirs = _tool("component", "wit", "--json", "root", cwd=tmp_path)
    assert theirs.returncode == 0, theirs.stderr.decode()
    ours = _wit_ls("resolve", "--json", "root", cwd=tmp_path)
    assert ours.returncode == 0, ours.stderr
    assert compare(json.loads(theirs.stdout), json.loads(ours.stdout)).normalised
    check = _wit_ls("check", "root", cwd=tmp_path)
    assert check.returncode == 0, check.stdout


WAT = """\
(component
  (type $i (component
    (type (instance
      (type (record (field "x" u32) (field "label" string)))
      (export "point" (type (eq 0)))
      (export "move" (func (param "p" 1) (param "by" (list u8)) (result 1)))
    ))
    (export "demo:text/geometry@0.1.0" (instance (type 0)))
  ))
  (export "geometry" (type $i))
)
"""


def test_wat_text_without_the_oracle() -> None:
    """A hand-written WAT package: its interface, type and function are in the model."""
    fs = MemoryFileSystem({"/p/geometry.wat": WAT})
    analysis = analyze(fs, ["/p/geometry.wat"])
    assert [d.message for d in analysis.diagnostics if d.severity == Severity.ERROR] == []
    doc = analysis.resolve_json()
    packages = doc["packages"]
    interfaces = doc["interfaces"]
    types = doc["types"]
    assert isinstance(packages, list) and isinstance(interfaces, list)
    assert isinstance(types, list)
    assert [p["name"] for p in packages] == ["demo:text@0.1.0"]
    assert [i["name"] for i in interfaces] == ["geometry"]
    assert list(interfaces[0]["functions"]) == ["move"]
    move = interfaces[0]["functions"]["move"]
    assert [p["name"] for p in move["params"]] == ["p", "by"]
    point = types[move["result"]]
    assert point["name"] == "point"
    assert [f["name"] for f in point["kind"]["record"]["fields"]] == ["x", "label"]


BROKEN = {
    "truncated.wasm": b"\x00asm\x0d\x00\x01\x00\x07\x10\x01\x41",
    "module.wasm": b"\x00asm\x01\x00\x00\x00",
    "garbage.wasm": b"\x00asm\x0d\x00\x01\x00\x07\x03\x01\x99\x00",
    "actual-component.wasm": b"\x00asm\x0d\x00\x01\x00\x01\x08\x00asm\x01\x00\x00\x00",
    "unbalanced.wat": b"(component (type (component)\n",
    "no-package.wat": b"(component)\n",
    "not-a-name.wat": b'(component (type $c (component (export "x" (instance)))) '
                      b'(export "x" (type $c)))\n',
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_encoding_is_a_diagnostic(name: str) -> None:
    root = f"/p/{name}"
    analysis = analyze(MemoryFileSystem({root: BROKEN[name]}), [root])
    errors = [d for d in analysis.diagnostics if d.severity == Severity.ERROR]
    assert [d.code for d in errors] == ["invalid-binary-package"]
    assert errors[0].path == root
    assert root in errors[0].message


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_dependency_on_the_command_line(name: str, tmp_path: Path) -> None:
    (tmp_path / "deps").mkdir()
    (tmp_path / "deps" / name).write_bytes(BROKEN[name])
    (tmp_path / "a.wit").write_text("package a:a;\n", "utf-8")
    done = _wit_ls("check", ".", cwd=tmp_path)
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert f"deps/{name}" in done.stdout
    assert "invalid-binary-package" in done.stdout


def test_mutated_encodings_never_raise_anything_else() -> None:
    """Bytes changed, dropped or inserted at random in a WAT package and in its binary header:
    decoding either succeeds or raises DecodeError (deterministic seed)."""
    import random

    from wit_ls.model.component_types import DecodeError
    from wit_ls.model.wasm_package import decode_package

    rng = random.Random(15)
    seeds = [WAT.encode(), b"\x00asm\x0d\x00\x01\x00" + BROKEN["garbage.wasm"][8:]]
    outcomes = {"ok": 0, "refused": 0}
    for _ in range(400):
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(data))
            roll = rng.random()
            if roll < 0.5:
                data[at] = rng.randrange(256)
            elif roll < 0.75:
                del data[at:at + rng.randint(1, 8)]
            else:
                data[at:at] = bytes([rng.randrange(256)])
        try:
            decode_package(bytes(data))
            outcomes["ok"] += 1
        except DecodeError:
            outcomes["refused"] += 1
    assert outcomes["refused"] > 0
