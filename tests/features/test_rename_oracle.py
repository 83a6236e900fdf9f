"""Renaming keeps a valid package valid: over the real corpus, names are renamed with the
editor's rename and ``wasm-tools component wit`` must still accept the package (and the
renamed name must appear where the old one was declared).

Each valid package root of ``../shared/corpus/real`` gets up to 5 renames, chosen by a seeded
random pick among the declarations of its own files (types, resources, interfaces, worlds,
functions, fields, cases), one rename at a time."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from support.features import RootOnDisk, edited_files
from support.oracle import corpus_dir, read_tsv, run_oracle_many
from tree_sitter import Node

from wit_ls.features import navigation
from wit_ls.syntax import SyntaxTree

PER_ROOT = 5
NEW_NAME = "zz-renamed"


def _declared_names(tree: SyntaxTree) -> list[Node]:
    """Identifiers that name a declaration (the `name` field of their parent)."""
    out: list[Node] = []
    stack = [tree.root]
    while stack:
        node = stack.pop()
        name = node.child_by_field_name("name")
        if name is not None and name.type == "identifier" and node.type != "use_name":
            out.append(name)
        stack.extend(node.named_children)
    return sorted(out, key=lambda n: n.start_byte)


def test_renames_keep_real_packages_valid(tmp_path: Path) -> None:
    real = corpus_dir("real")
    if real is None:
        pytest.skip("needs ../shared/corpus/real (the team's shared corpus) beside the checkout")
    roots = [r["path"] for r in read_tsv(real / "verdicts.tsv") if r["verdict"] == "ok"]
    jobs: list[dict[str, object]] = []
    described: list[str] = []
    for number, rel in enumerate(roots):
        root = RootOnDisk(real, rel)
        files, trees = root.files, root.trees
        own = list(root.contexts)
        picks = [(p, n) for p in own for n in _declared_names(trees[p])]
        for path, ident in random.Random(rel).sample(picks, min(PER_ROOT, len(picks))):
            ctx = root.contexts[path]
            result = navigation.rename(ctx, ident.start_byte, NEW_NAME, None, True)
            if result.error is not None:
                continue
            out = tmp_path / str(len(jobs))
            for name, data in edited_files(files, result.edits).items():
                (out / name).parent.mkdir(parents=True, exist_ok=True)
                (out / name).write_bytes(data)
            shift = sum(len(e.new_text.encode()) - (e.end - e.start) for e in result.edits
                        if e.path == path and e.start < ident.start_byte)
            renamed = (out / path).read_bytes()
            assert renamed[ident.start_byte + shift:].startswith(NEW_NAME.encode()), (rel, path)
            jobs.append({"path": out / rel})
            described.append(f"{path}:{ident.start_byte} `{trees[path].node_text(ident)}`")
        assert number < 10 or jobs, "no rename was made in the first roots"
    results = run_oracle_many(jobs)
    broken = [f"{what}: {res.output.splitlines()[0] if res.output else ''}"
              for what, res in zip(described, results, strict=True) if not res.ok]
    assert len(jobs) > 300
    assert broken == []
