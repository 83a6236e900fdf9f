"""Random edits in real packages nobody here wrote (a seeded sample of the shared corpus's
roots, valid and invalid ones): the server's incremental answers, without and with lint
findings, must equal a fresh analysis of the same text after every edit
(``edits_differential.py``; run it on a wider folder of roots by hand)."""

from __future__ import annotations

import random

import pytest
from support.oracle import read_tsv

from tests.lsp import edits_differential
from tests.model.conformance import CORPUS

REAL = CORPUS / "real"


@pytest.mark.skipif(not (REAL / "verdicts.tsv").is_file(),
                    reason="needs ../shared/corpus/real (the team's shared corpus) beside the "
                           "checkout")
def test_random_edits_in_real_packages_equal_a_fresh_analysis() -> None:
    rows = read_tsv(REAL / "verdicts.tsv")
    roots = sorted({r["path"] for r in rows if r["input_kind"] == "dir"})
    picked = random.Random(12).sample(roots, 8)
    problems: list[str] = []
    compared = sum(edits_differential._root(rel, REAL / rel, 12, 1, problems) for rel in picked)
    assert problems == []
    # A first answer after each of the 12 edits in each of the 8 roots, and lint passes after
    # about half of them.
    assert compared >= 12 * 8 + 30
