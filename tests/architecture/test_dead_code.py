"""No unused functions, classes, attributes or variables: vulture over the package, the tests
and the benchmarks (configured in pyproject.toml; framework names in .ci/vulture-whitelist.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_no_dead_code() -> None:
    found = subprocess.run([sys.executable, "-m", "vulture"], cwd=REPO, capture_output=True,
                           text=True)
    assert found.returncode == 0, "unused code (vulture):\n" + found.stdout + found.stderr
