"""Make ``tests/support`` importable as ``support`` from every test folder."""

from __future__ import annotations

import atexit
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

_TESTS = str(Path(__file__).resolve().parent)
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)

import pytest  # noqa: E402

# `wit-ls check` keeps results in a cache under the user's cache folder; the commands the tests
# run keep theirs in a temporary folder instead, removed at the end.
if "WIT_LS_CACHE_DIR" not in os.environ:
    _CACHE = tempfile.mkdtemp(prefix="wit-ls-test-cache-")
    os.environ["WIT_LS_CACHE_DIR"] = _CACHE
    atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

# `pytest -m "not slow"` is the fast inner loop (pure functions over texts: syntax, model,
# features, fmt, lint rules); CI runs everything. Slow, so left out of it:
# * every test that starts a language server (the pytest-lsp `client` fixture);
# * every module that starts processes (the command line, wasm-tools, git, an editor) or reads
#   the shared corpus (SLOW_SOURCE below, found in the module's text);
# * the modules listed here: whole corpora in process, mutants, the whole repository.
SLOW_FIXTURES = frozenset({"client"})
SLOW_SOURCE = re.compile(r"\bsubprocess\b|\bwasm_tools\(|\bcorpus_dir\(|\bgit_repo\b|"
                         r"\bshared_dir\(|\bCORPUS\b|\braw_client\b|\bpytest_lsp\b")
SLOW_MODULES = frozenset({
    "architecture/test_layers.py",
    "architecture/test_any_share.py",
    "architecture/test_dead_code.py",
    "architecture/test_startup.py",
    "breaking/test_semver_oracle.py",
    "cli/test_result_cache_corpus.py",
    "conformance/test_check_fixtures.py",
    "conformance/test_mutants.py",
    "conformance/test_never_raise.py",
    "conformance/test_real_corpus_conformance.py",
    "conformance/test_wasm_tools_suite.py",
    "features/test_auto_import_oracle.py",
    "fmt/test_format_corpus.py",
    "grammar/test_neovim.py",
    "grammar/test_recovery.py",
    "grammar/test_real_corpus.py",
    "lint/test_corpus.py",
    "lsp/test_lsp_code_actions.py",
    "lsp/test_lsp_completion_import.py",
    "lsp/test_lsp_features.py",
    "lsp/test_lsp_formatting.py",
    "lsp/test_lsp_hierarchy.py",
    "lsp/test_lsp_lint.py",
    "lsp/test_lsp_neovim.py",
    "lsp/test_lsp_protocol.py",
    "lsp/test_lsp_pull_refresh.py",
    "lsp/test_lsp_stress.py",
    "lsp/test_lsp_usage_lens.py",
    "lsp/test_layout_edits.py",
    "lsp/test_token_edits.py",
    "lsp/test_lsp_lint_vendored.py",
    "model/test_conformance.py",
    "model/test_lower_reuse.py",
})


_SLOW_SOURCE_CACHE: dict[str, bool] = {}


def _source_is_slow(path: Path) -> bool:
    key = str(path)
    if key not in _SLOW_SOURCE_CACHE:
        try:
            text = path.read_text("utf-8")
        except OSError:
            text = ""
        _SLOW_SOURCE_CACHE[key] = SLOW_SOURCE.search(text) is not None
    return _SLOW_SOURCE_CACHE[key]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = Path(str(item.fspath)).resolve()
        module = path.relative_to(_TESTS).as_posix()
        if (module in SLOW_MODULES or SLOW_FIXTURES.intersection(getattr(item, "fixturenames", ()))
                or _source_is_slow(path)):
            item.add_marker(pytest.mark.slow)
