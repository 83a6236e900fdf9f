"""The formatter over real WIT: it is idempotent, its output parses without errors, and it
changes nothing but whitespace and trailing commas (the token sequence is the same)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wit_ls.fmt import format_source
from wit_ls.syntax import parse

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
REAL = SHARED / "corpus" / "real"


def _tokens(text: str) -> list[str]:
    tree = parse(text)
    out: list[str] = []
    stack = [tree.root]
    while stack:
        node = stack.pop()
        if node.child_count == 0 or node.type.endswith("comment"):
            token = tree.node_text(node)
            out.append(token.rstrip() if token.startswith("//") else token)
        else:
            stack.extend(reversed(node.children))
    return out


def _without_trailing_commas(tokens: list[str]) -> list[str]:
    return [
        t
        for i, t in enumerate(tokens)
        if not (t == "," and i + 1 < len(tokens) and tokens[i + 1] in ("}", ")", ">"))
    ]


def _files() -> list[Path]:
    if not REAL.is_dir():
        return []
    return sorted(p for p in REAL.rglob("*.wit") if not parse(p.read_bytes()).root.has_error)


@pytest.mark.skipif(
    not REAL.is_dir(), reason="../shared/corpus/real is not present beside the checkout"
)
def test_formatter_on_the_real_corpus() -> None:
    files = _files()
    assert len(files) > 500
    failures: list[str] = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        once = format_source(text)
        if once is None:
            failures.append(f"{path}: refused")
            continue
        if parse(once).root.has_error:
            failures.append(f"{path}: output does not parse")
            continue
        if format_source(once) != once:
            failures.append(f"{path}: not idempotent")
            continue
        if _without_trailing_commas(_tokens(once)) != _without_trailing_commas(_tokens(text)):
            failures.append(f"{path}: tokens changed")
    assert not failures, "\n".join(failures[:20])
