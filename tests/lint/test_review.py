"""The committed review of the default preset's findings (docs/lint-review.md) stays true:
the WASI findings are exactly the reviewed ones, every sampled finding still exists, and the
share of wrong findings stays within the targets (WASI 1 in 20, elsewhere 1 in 10)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from lint.helpers import CORPUS, REPO

from wit_ls.cli import main

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(),
                                reason=f"real-world corpus not present at {CORPUS}")

REVIEW = REPO / "docs" / "lint-review.md"
_ROW = re.compile(r"^\| (\S+:\d+:\d+) \| ([a-z-]+) \| (right|debatable|wrong) \| (.+) \|$")
_CHECKER = {"syntax-error", "keyword-as-identifier"}


def _is_wasi(path: str) -> bool:
    return path.startswith(("WebAssembly__wasi-", "WebAssembly__WASI/"))


def _review() -> dict[str, dict[tuple[str, str], str]]:
    sections: dict[str, dict[tuple[str, str], str]] = {}
    current = ""
    for line in REVIEW.read_text("utf-8").splitlines():
        if line.startswith("## "):
            current = line[3:]
            sections[current] = {}
        m = _ROW.match(line)
        if m is not None:
            assert m.group(4).strip(), f"no reason given: {line}"
            sections[current][(m.group(1), m.group(2))] = m.group(3)
    return sections


def _default_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> set[tuple[str, str]]:
    monkeypatch.chdir(CORPUS)
    out = tmp_path / "out.json"
    assert main(["lint", ".", "-f", "json", "-o", str(out), "--exit-zero", "--isolated"]) in (0, 1)
    found = set()
    for d in json.loads(out.read_text("utf-8")):
        if d["code"] in _CHECKER or not d["code"].startswith("WIT"):
            continue  # the checker's diagnostics, not lint findings
        loc = f'{d["filename"]}:{d["location"]["row"]}:{d["location"]["column"]}'
        found.add((loc.replace(os.sep, "/"), d["name"]))
    return found


def test_review_matches_the_default_findings(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    review = _review()
    wasi, sample = review["WASI packages"], review["Sample of 100 elsewhere"]
    found = _default_findings(tmp_path, monkeypatch)
    now = {f for f in found if _is_wasi(f[0])}
    assert now == set(wasi), (
        "the default findings on the WASI packages changed; review them in "
        f"docs/lint-review.md. New: {sorted(now - set(wasi))}; gone: {sorted(set(wasi) - now)}")
    assert len(sample) == 100 and not any(_is_wasi(p) for p, _r in sample)
    gone = set(sample) - found
    assert not gone, f"sampled findings no longer reported, update the review: {sorted(gone)}"
    wrong_wasi = sum(v == "wrong" for v in wasi.values())
    wrong_sample = sum(v == "wrong" for v in sample.values())
    assert wrong_wasi * 20 <= len(wasi), "more than 1 in 20 WASI findings are false positives"
    assert wrong_sample * 10 <= len(sample), "more than 1 in 10 sampled findings are wrong"
    summary = REVIEW.read_text("utf-8")
    for label, rows in (("WASI packages", wasi), ("Sample elsewhere", sample)):
        counts = {v: sum(x == v for x in rows.values()) for v in ("right", "debatable", "wrong")}
        assert (f"{label}: {len(rows)} findings, {counts['right']} right, "
                f"{counts['debatable']} debatable, {counts['wrong']} wrong.") in summary
