"""Property test: formatting whitespace- and comment-shuffled corpus files keeps every token and
comment in order and is idempotent (bench/fmt_variants.py runs 10,000 of these and also compares
`wasm-tools component wit --json` before and after)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fmt.invariants import problems
from fmt.shuffle import variant
from support.oracle import corpus_dir
from wit_ls.syntax import parse

REAL = corpus_dir("real")


def _files() -> list[str]:
    if REAL is None:
        return []
    texts = []
    for path in sorted(REAL.rglob("*.wit")):
        text = path.read_text("utf-8", errors="replace")
        if not parse(text).root.has_error and len(text) < 20_000:
            texts.append(text)
    return texts


FILES = _files()


@pytest.mark.skipif(REAL is None, reason="../shared/corpus/real is not present beside the checkout")
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(index=st.integers(min_value=0, max_value=10**6), seed=st.integers(0, 2**32 - 1))
def test_shuffled_corpus_files_keep_tokens_and_are_stable(index: int, seed: int) -> None:
    text = variant(FILES[index % len(FILES)], random.Random(seed))
    if parse(text).root.has_error:  # the shuffle can only fail by our own mistake
        pytest.fail("the shuffled variant does not parse")
    assert problems(text) == []
