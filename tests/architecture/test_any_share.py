"""The share of expressions of type ``Any`` per package of wit_ls, as mypy measures it
(``mypy --any-exprs-report``). The features and the server use the model through its types;
run this file with ``-s`` to see every package's share."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# Packages held under 0.5% (the bar); the others are printed.
LIMITS = {"features": 0.5, "fmt": 0.5, "lint": 0.5, "lsp": 0.5}


def any_share(report_dir: Path) -> dict[str, tuple[int, int]]:
    """(Any expressions, expressions) per top-level package of wit_ls."""
    subprocess.run([sys.executable, "-m", "mypy", "--any-exprs-report", str(report_dir)],
                   cwd=REPO, check=True, capture_output=True)
    totals: dict[str, tuple[int, int]] = {}
    for line in (report_dir / "any-exprs.txt").read_text().splitlines():
        parts = line.split()
        if len(parts) != 4 or not parts[0].startswith("wit_ls."):
            continue
        package = parts[0].split(".")[1]
        anys, exprs = totals.get(package, (0, 0))
        totals[package] = (anys + int(parts[1]), exprs + int(parts[2]))
    return totals


@pytest.mark.slow
def test_any_share_per_package(tmp_path: Path) -> None:
    totals = any_share(tmp_path)
    for package, (anys, exprs) in sorted(totals.items()):
        print(f"{package:10} {anys:5} / {exprs:6} = {100 * anys / max(exprs, 1):.2f}% Any")
    over = {p: round(100 * totals[p][0] / totals[p][1], 2) for p in LIMITS
            if 100 * totals[p][0] / totals[p][1] >= LIMITS[p]}
    assert not over, f"Any share at or above {LIMITS}: {over}"
