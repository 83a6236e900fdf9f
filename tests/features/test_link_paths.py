"""Document links look for `use_path` nodes only where the grammar lets them be (or below a
syntax error): the nodes found must be those of a walk of the whole tree, in the same order,
over the corpus' files and mutants of them (tokens deleted or typed, which break the file)."""

from __future__ import annotations

import random

from support.oracle import corpus_wit_files
from tree_sitter import Node

from wit_ls.features.hints import _use_paths
from wit_ls.syntax import parse

TYPED = [b"{", b"}", b";", b"use a.{b};", b"import x;", b"include w;", b"record", b"/*"]


def _walked(root: Node) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "use_path":
            out.append((node.start_byte, node.end_byte))
        stack.extend(reversed(node.named_children))
    return out


def test_use_paths_are_those_of_a_whole_walk() -> None:
    rng = random.Random(5)
    files = corpus_wit_files()
    checked = 0
    for path in rng.sample(files, min(150, len(files))):
        data = path.read_bytes()
        texts = [data]
        for _ in range(4):
            at = rng.randrange(len(data) + 1)
            cut = min(len(data), at + rng.randint(0, 6))
            texts.append(data[:at] + rng.choice([b"", *TYPED]) + data[cut:])
        for text in texts:
            root = parse(text).root
            assert [(n.start_byte, n.end_byte) for n in _use_paths(root)] == _walked(root), path
            checked += 1
    assert checked >= 500
