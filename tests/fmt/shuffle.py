"""Whitespace- and comment-shuffled variants of a WIT file, for property tests and the bench.

The variant keeps every token of the original in order (tree-sitter leaves, comments included)
and changes what is between them: other whitespace (none where two punctuation marks meet,
line breaks, blank lines, tabs) and new `/* ... */` and `// ...` comments anywhere."""

from __future__ import annotations

import random

from wit_ls.syntax import parse

_SEPARATORS = ["", " ", " ", "  ", "\t", "\n", "\n", "\n\n", "\n\n\n", " \n   ", "\n\t"]
_WORD = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_%-.+")


def leaves(text: str) -> list[str]:
    tree = parse(text)
    out: list[str] = []
    stack = [tree.root]
    while stack:
        node = stack.pop()
        if node.child_count == 0 or node.type.endswith("comment"):
            if node.end_byte > node.start_byte:
                out.append(tree.node_text(node))
        else:
            stack.extend(reversed(node.children))
    return out


def variant(text: str, rng: random.Random, comment_rate: float = 0.08) -> str:
    parts = leaves(text)
    out: list[str] = []
    serial = 0
    for i, leaf in enumerate(parts):
        if i:
            prev = parts[i - 1]
            sep = rng.choice(_SEPARATORS)
            if prev.startswith("//") and "\n" not in sep:
                sep += "\n"
            if sep == "" and (prev[-1] in _WORD and leaf[0] in _WORD):
                sep = " "
            if sep == "" and (prev.endswith(("/", "*")) or leaf.startswith(("/", "*"))):
                sep = " "
            if rng.random() < comment_rate:
                serial += 1
                if rng.random() < 0.5:
                    sep += f" /* c{serial} */ "
                else:
                    sep += f" // c{serial}\n"
            out.append(sep)
        out.append(leaf)
    return "".join(out) + "\n"
