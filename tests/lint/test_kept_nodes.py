"""A file's nodes by type kept per top-level unit between lint passes
(wit_ls.lint.kept_nodes) equal a walk of the whole new tree, over random edits of the
incremental test's package, of every rule fixture and of real WIT files, reparsed as the
editor reparses (incrementally)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from lint.helpers import FIXTURES
from lint.test_incremental import PACKAGE, _edit
from support.fixtures import parse_fixture

from wit_ls.lint.context import DOC_TARGETS, FileFacts, LintContext, walk
from wit_ls.lint.kept_nodes import KeptNodes, kept_facts
from wit_ls.syntax import SyntaxTree, TextEdit, apply_edits, parse

REAL = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "real"


def _spans(nodes: list[object]) -> list[tuple[str, int, int]]:
    return [(n.type, n.start_byte, n.end_byte) for n in nodes]  # type: ignore[attr-defined]


def _same(kept: FileFacts, tree: SyntaxTree) -> int:
    """Assert ``kept`` answers as a walk of ``tree`` does; how many nodes were compared."""
    walked = walk(tree.root)
    assert isinstance(kept.by_type, KeptNodes)
    for kind, nodes in walked.items():
        found = kept.by_type.get(kind, [])
        assert found == nodes, (kind, _spans(found)[:5], _spans(nodes)[:5])
    assert kept.by_type.get("no-such-kind") is None
    assert set(kept.by_type) == set(walked)
    plain = LintContext("/x.wit", tree, None, facts=FileFacts(  # type: ignore[arg-type]
        tree, walked, kept.comments, kept.comment_starts))
    assert [c.start_byte for c in kept.comments] == kept.comment_starts
    assert _spans(kept.comments) == sorted(
        _spans([n for kind in ("line_comment", "block_comment", "doc_comment")
                for n in walked.get(kind, [])]), key=lambda s: s[1])
    offsets = {n.start_byte for kind in DOC_TARGETS for n in walked.get(kind, [])}
    offsets |= {n.end_byte for n in kept.comments} | {0, len(tree.source)}
    for offset in sorted(offsets):
        assert kept.doc_target_at is not None
        assert kept.doc_target_at(offset) == plain.docs_target_at(offset), offset
    return sum(len(v) for v in walked.values())


# (type, a type under it) pairs asked of `nodes_holding`: the first as the semver rules ask.
HOLDING = (("use_path", "version"), ("result_type", "primitive_type"),
           ("interface_item", "func_item"), ("use_path", "identifier"))


def _holding(kept: FileFacts, tree: SyntaxTree) -> None:
    """``nodes_holding`` of facts no one asked yet: every node of the type with a node of the
    other under it, and only nodes of the type, in document order."""
    walked = walk(tree.root)
    assert kept.nodes_holding is not None
    for kind, inner in HOLDING:
        found = kept.nodes_holding(kind, inner)
        everything = walked.get(kind, [])
        assert [n for n in everything if n in found] == found, kind
        needed = [n for n in everything
                  if any(n.start_byte <= m.start_byte and m.end_byte <= n.end_byte
                         for m in walked.get(inner, []))]
        assert [n for n in found if n in needed] == needed, (kind, inner)


def _run(text: str, steps: int, seed: str) -> int:
    """Random edits of ``text``, each reparsed incrementally; the facts of every error-free
    tree are kept from the last error-free one's. How many edits kept some units."""
    rng = random.Random(seed)
    tree = parse(text)
    facts: FileFacts | None = None
    kept_some = 0
    valid = text
    for _ in range(steps):
        # Mostly go on from valid text (broken text keeps no facts).
        new = valid if tree.root.has_error and rng.random() < 0.7 else _edit(rng, text)
        prefix = 0
        while prefix < min(len(text), len(new)) and text[prefix] == new[prefix]:
            prefix += 1
        suffix = 0
        while (suffix < min(len(text), len(new)) - prefix
               and text[-1 - suffix] == new[-1 - suffix]):
            suffix += 1
        edit = TextEdit(len(text[:prefix].encode()), len(text[:len(text) - suffix].encode()),
                        new[prefix:len(new) - suffix].encode())
        tree = apply_edits(tree, [edit])
        text = new
        assert tree.source == text.encode()
        if tree.root.has_error:
            continue
        valid = text
        before = facts
        facts = kept_facts(tree, before)
        assert isinstance(facts.by_type, KeptNodes)
        _holding(kept_facts(tree, before), tree)
        if before is not None and any(f is None for f in facts.by_type._fresh):
            kept_some += 1
        _same(facts, tree)
    return kept_some


@pytest.mark.parametrize("seed", range(4))
def test_package_edits(seed: int) -> None:
    assert _run(PACKAGE, 80, f"kept-{seed}") >= 20


def _fixture_texts() -> list[tuple[str, str]]:
    out = []
    for path in sorted(FIXTURES.glob("*.wit")):
        for name, text in parse_fixture(path.read_text("utf-8")).files.items():
            if not parse(text).root.has_error:
                out.append((f"{path.stem}:{name}", text))
    return out


@pytest.mark.parametrize(("name", "text"), _fixture_texts(), ids=lambda v: v
                         if isinstance(v, str) and len(v) < 80 else "")
def test_fixture_edits(name: str, text: str) -> None:
    _run(text, 12, name)


def _real_files() -> list[Path]:
    return sorted(REAL.glob("*/wit/*.wit"))[:12]


@pytest.mark.parametrize("path", _real_files(), ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_real_file_edits(path: Path) -> None:
    _run(path.read_text("utf-8"), 25, path.name)


def test_real_files_exist() -> None:
    assert len(_real_files()) >= 5


def test_unchanged_units_are_not_walked() -> None:
    """An edit inside one interface walks that unit only; the others' nodes are found again
    from their inventories, as the nodes of the new tree."""
    tree = parse(PACKAGE)
    first = kept_facts(tree, None)
    at = PACKAGE.index("record rec2 { a: u32 }") + len("record rec2 { a: u32")
    edited = apply_edits(tree, [TextEdit(at, at, b", b: u8")])
    second = kept_facts(edited, first)
    assert isinstance(second.by_type, KeptNodes)
    walked = [f is not None for f in second.by_type._fresh]
    assert walked.count(True) == 1
    assert second.by_type["record_field"] == walk(edited.root)["record_field"]
