"""``resolve --json`` numbers every arena entry as wit-parser 1.262 does: one fixture per
ordering rule (``tests/fixtures/json/*.wit``, each rule stated at its top), with the JSON that
``wasm-tools component wit --json`` prints for it beside it (``*.json``). The oracle test checks
those expectations against wasm-tools itself, so none of them comes from wit-ls."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.support.oracle import wasm_tools
from tests.support.resolve_json import compare
from wit_ls.model import MemoryFileSystem, analyze
from wit_ls.syntax import Severity

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "json"
CASES = sorted(p.stem for p in FIXTURES.glob("*.wit"))


def _ours(name: str) -> object:
    text = (FIXTURES / f"{name}.wit").read_text("utf-8")
    analysis = analyze(MemoryFileSystem({f"{name}.wit": text}), [f"{name}.wit"])
    errors = [d.message for d in analysis.diagnostics if d.severity == Severity.ERROR]
    assert errors == []
    return json.loads(json.dumps(analysis.resolve_json()))


def _expected(name: str) -> object:
    return json.loads((FIXTURES / f"{name}.json").read_text("utf-8"))


def test_every_rule_has_a_fixture() -> None:
    assert set(CASES) >= {"package-order", "interface-order", "type-order", "anonymous-types",
                          "world-order", "gated-use", "external-id", "include-inline-interface",
                          "docs-and-stability", "elaborated-dependencies"}
    assert all((FIXTURES / f"{name}.json").is_file() for name in CASES)


@pytest.mark.parametrize("name", CASES)
def test_resolve_json_is_identical(name: str) -> None:
    result = compare(_expected(name), _ours(name))
    assert result.identical, result.diff


@pytest.mark.skipif(wasm_tools() is None, reason="wasm-tools is not installed")
@pytest.mark.parametrize("name", CASES)
def test_expectation_is_what_wasm_tools_prints(name: str) -> None:
    tool = wasm_tools()
    assert tool is not None
    proc = subprocess.run([tool, "component", "wit", "--json", f"{name}.wit"], cwd=FIXTURES,
                          capture_output=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    assert json.loads(proc.stdout) == _expected(name)
