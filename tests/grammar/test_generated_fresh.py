"""The committed generated parser matches grammar.js, and the compiled extension matches it."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from _paths import GRAMMAR, SHARED

CLI = SHARED / "tools" / "tree-sitter"


def test_generated_sources_are_fresh(tmp_path):
    if not CLI.is_file():
        pytest.skip(f"tree-sitter CLI not found (expected at ../{CLI.relative_to(SHARED.parent)})")
    if shutil.which("node") is None:
        pytest.skip("`node` is not on PATH; `tree-sitter generate` needs it to evaluate grammar.js")
    copy = tmp_path / "grammar"
    copy.mkdir()
    for name in ("grammar.js", "tree-sitter.json"):
        shutil.copy(GRAMMAR / name, copy / name)
    shutil.copytree(GRAMMAR / "src", copy / "src")
    (copy / "src" / "grammar.json").unlink()
    (copy / "src" / "parser.c").unlink()
    result = subprocess.run([str(CLI), "generate"], cwd=copy, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    for name in ("grammar.json", "node-types.json", "parser.c"):
        fresh = (copy / "src" / name).read_text(encoding="utf-8")
        committed = (GRAMMAR / "src" / name).read_text(encoding="utf-8")
        assert fresh == committed, f"src/{name} is stale: run `tree-sitter generate` in grammar/ and commit"


def _define(name: str) -> int:
    text = (GRAMMAR / "src" / "parser.c").read_text(encoding="utf-8")
    match = re.search(rf"^#define {name} (\d+)$", text, re.MULTILINE)
    assert match, name
    return int(match.group(1))


def test_compiled_language_matches_parser_c(language):
    """An editable install keeps an old extension after grammar/src changes; catch that here."""
    assert language.parse_state_count == _define("STATE_COUNT"), "rebuild: pip install -e ."
    assert language.node_kind_count == _define("SYMBOL_COUNT") + _define("ALIAS_COUNT"), "rebuild: pip install -e ."
    assert language.field_count == _define("FIELD_COUNT"), "rebuild: pip install -e ."
