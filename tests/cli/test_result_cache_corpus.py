"""Over the whole real corpus, `wit-ls check` prints the same bytes whether it analyses every
root (no cache), fills the cache, or answers every root from it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from support.oracle import corpus_dir, read_tsv, wit_ls_command


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_cached_output_is_identical_over_the_corpus(tmp_path: Path, fmt: str) -> None:
    real = corpus_dir("real")
    if real is None:
        pytest.skip("needs ../shared/corpus/real (the team's shared corpus) beside the checkout")
    dirs = [r["path"] for r in read_tsv(real / "verdicts.tsv") if r["input_kind"] == "dir"]
    env = {**os.environ, "WIT_LS_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("WIT_LS_NO_CACHE", None)

    def run(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*wit_ls_command(), "check", "--format", fmt, *extra, *dirs],
                              cwd=real, env=env, capture_output=True, text=True, timeout=600)

    fresh = run("--no-cache")
    assert not (tmp_path / "cache").exists()
    filled = run()
    entries = sorted(p.name for p in (tmp_path / "cache").iterdir() if p.name != ".pruned")
    assert len(entries) == len(dirs)
    answered = run()
    assert sorted(p.name for p in (tmp_path / "cache").iterdir() if p.name != ".pruned") == entries
    for done in (filled, answered):
        assert (done.returncode, done.stdout, done.stderr) == (
            fresh.returncode, fresh.stdout, fresh.stderr)
