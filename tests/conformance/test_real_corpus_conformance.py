"""Conformance on real-world WIT (../shared/corpus/real, verdicts.tsv from wasm-tools 1.262).

* Every ``.wit`` file of a directory (or file) that wasm-tools accepts parses without a syntax
  diagnostic (runs now: syntax layer only).
* (b) The model's raw verdict (``manifest_deps=False``) equals the recorded verdict of every
  row, with the first error on the recorded line; rows whose note says
  ``with deps.toml/wkg.toml path deps materialized (...): ok`` are ok with manifest deps on.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest
from support.corpus import error_lines, model_check, read_tree
from support.oracle import corpus_dir, read_tsv

REAL = corpus_dir("real")
ROWS = read_tsv(REAL / "verdicts.tsv") if REAL is not None else []
needs_corpus = pytest.mark.skipif(REAL is None, reason="../shared/corpus/real absent")
_LOCATION = re.compile(r"--> (?P<path>[^:|]+):(?P<line>\d+):\d+")
_MATERIALIZED = re.compile(r"path deps materialized \((?P<deps>[^)]*)\): (?P<verdict>ok|error)")


def _ids(rows: list[dict[str, str]]) -> list[str]:
    return [r["path"] for r in rows]


OK_ROWS = [r for r in ROWS if r["verdict"] == "ok"]


@needs_corpus
@pytest.mark.parametrize("row", OK_ROWS, ids=_ids(OK_ROWS))
def test_accepted_wit_parses_without_syntax_errors(row: dict[str, str]) -> None:
    from wit_ls.syntax import parse

    assert REAL is not None
    files = read_tree(REAL, row["path"])
    assert files, "no .wit file found"
    problems = [f"{path}: {d.message}" for path, data in files.items()
                for d in parse(data).diagnostics]
    assert not problems


@lru_cache(maxsize=8)
def _project_files(project: str) -> dict[str, bytes]:
    """Every .wit and manifest file of one corpus project (path deps point around it)."""
    assert REAL is not None
    return read_tree(REAL, project, (".wit", "deps.toml", "wkg.toml"))


def _files_for(row: dict[str, str]) -> dict[str, bytes]:
    assert REAL is not None
    if row["input_kind"] == "file":
        return read_tree(REAL, row["path"])
    return _project_files(row["path"].split("/", 1)[0])


@needs_corpus
@pytest.mark.parametrize("row", ROWS, ids=_ids(ROWS))
def test_model_raw_verdict_matches_wasm_tools(row: dict[str, str]) -> None:
    files = _files_for(row)
    diags = model_check(files, row["path"], manifest_deps=False)
    errors = [d for d in diags if d.severity == 1]
    if row["verdict"] == "ok":
        assert not errors, [f"{d.path}: {d.message}" for d in errors[:5]]
        return
    assert errors, f"wasm-tools: {row['first_error']}"
    where = _LOCATION.search(row["first_error"])
    if where:
        expected = (where["path"].strip(), int(where["line"]))
        assert expected in error_lines(files, errors), (
            f"wasm-tools: {row['first_error'][:200]}\n"
            f"wit-ls: {sorted(error_lines(files, errors))[:5]} {errors[0].message}")


MANIFEST_ROWS = [r for r in ROWS if _MATERIALIZED.search(r["note"])]


@needs_corpus
@pytest.mark.parametrize("row", MANIFEST_ROWS, ids=_ids(MANIFEST_ROWS))
def test_model_with_manifest_path_deps(row: dict[str, str]) -> None:
    match = _MATERIALIZED.search(row["note"])
    assert match is not None
    diags = model_check(_files_for(row), row["path"], manifest_deps=True)
    errors = [f"{d.path}: {d.message}" for d in diags if d.severity == 1]
    if match["verdict"] == "ok":
        assert not errors, errors[:5]
    else:
        assert errors, "wasm-tools rejects this one even with its path deps"


def test_corpus_rows_are_what_this_module_expects() -> None:
    if REAL is None:
        pytest.skip("../shared/corpus/real absent")
    assert len(ROWS) > 150
    assert len(MANIFEST_ROWS) >= 9
    assert all(Path(REAL / r["path"]).exists() for r in ROWS)
