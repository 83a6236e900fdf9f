"""Every WIT file that wasm-tools 1.262 accepts parses without ERROR or MISSING nodes."""

from __future__ import annotations

import pytest
from _paths import real_corpus_files, relative, require_shared, ui_corpus_files


def _problems(tree, source: bytes, limit: int = 3) -> list[str]:
    found = []
    stack = [tree.root_node]
    while stack and len(found) < limit:
        node = stack.pop()
        if not node.has_error:
            continue
        if node.is_error or node.is_missing:
            row, col = node.start_point
            what = f"MISSING {node.type}" if node.is_missing else "ERROR"
            text = source[node.start_byte : node.end_byte][:40].decode("utf-8", "replace")
            found.append(f"{what} at {row + 1}:{col + 1} {text!r}")
            continue
        stack.extend(reversed(node.children))
    return found


def _check_all(parser, files) -> list[str]:
    failures = []
    for path in files:
        source = path.read_bytes()
        tree = parser.parse(source)
        if tree.root_node.has_error:
            failures.append(f"{relative(path)}: {'; '.join(_problems(tree, source))}")
    return failures


def test_real_world_corpus_parses_cleanly(parser):
    require_shared()
    files = real_corpus_files()
    # 586 files when this test was written; a much smaller number means the selection broke.
    assert len(files) > 500, f"only {len(files)} accepted real-world files found"
    failures = _check_all(parser, files)
    assert not failures, f"{len(failures)}/{len(files)} files have syntax errors:\n" + "\n".join(failures)


def test_wit_parser_ui_cases_parse_cleanly(parser):
    require_shared()
    files = ui_corpus_files()
    assert len(files) > 60, f"only {len(files)} accepted tests/ui files found"
    failures = _check_all(parser, files)
    assert not failures, f"{len(failures)}/{len(files)} files have syntax errors:\n" + "\n".join(failures)


@pytest.mark.parametrize("snippet", ["interface i { f: func() }", "world w { import }", "package a:b"])
def test_detector_sees_errors(parser, snippet):
    """The check above would notice a broken file."""
    source = snippet.encode()
    assert _problems(parser.parse(source), source)
