"""Read `// ^ capture` / `// <- capture` assertions from a WIT highlight fixture and check them.

This is the assertion format of `tree-sitter test` (test/highlight/*.wit), evaluated with
py-tree-sitter so that CI needs no CLI:

* `// ^ name` asserts the capture at the column of the caret, on the nearest line above that is
  not itself an assertion;
* `// <- name` asserts the capture at the column where the comment starts;
* `!name` negates.

The capture at a position is the one on the smallest captured node containing it (highlights.scm
gives each node at most one capture, so this is what every editor shows).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ASSERTION = re.compile(r"^(\s*)//\s*(?:(\^)|(<-))\s*(!?)([\w.]+)\s*$")


@dataclass(frozen=True)
class Assertion:
    row: int  # 0-based row of the asserted source line
    column: int  # 0-based byte column
    capture: str
    negative: bool
    line: int  # 0-based row of the assertion comment itself


def parse_assertions(text: str) -> list[Assertion]:
    out: list[Assertion] = []
    target: int | None = None
    for row, line in enumerate(text.split("\n")):
        m = ASSERTION.match(line)
        if m is None:
            target = row
            continue
        if target is None:
            raise ValueError(f"assertion on line {row + 1} has no source line above it")
        indent, caret, _arrow, neg, capture = m.groups()
        column = len(line[: line.index("^")].encode()) if caret else len(indent.encode())
        out.append(Assertion(target, column, capture, neg == "!", row))
    return out


def captures_at(query_cursor_factory, tree, row: int, column: int) -> list[str]:
    """Capture names of the nodes covering (row, column), smallest node first."""
    cursor = query_cursor_factory()
    point = (row, column)
    found = []
    for node, names in _captures(cursor, tree):
        if node.start_point <= point < node.end_point:
            for name in names:
                found.append((node.end_byte - node.start_byte, name))
    found.sort(key=lambda item: item[0])
    return [name for _, name in found]


def _captures(cursor, tree):
    by_node: dict[tuple[int, int], tuple[object, list[str]]] = {}
    for name, nodes in cursor.captures(tree.root_node).items():
        for node in nodes:
            key = (node.start_byte, node.end_byte, node.kind_id)
            by_node.setdefault(key, (node, []))[1].append(name)
    return list(by_node.values())


def check(language, query, text: str) -> tuple[int, list[str]]:
    """Return (number of assertions, failure messages)."""
    import tree_sitter as ts

    tree = ts.Parser(language).parse(text.encode())
    assertions = parse_assertions(text)
    failures = []
    for a in assertions:
        names = captures_at(lambda: ts.QueryCursor(query), tree, a.row, a.column)
        actual = names[0] if names else None
        ok = (actual != a.capture) if a.negative else (actual == a.capture)
        if not ok:
            failures.append(
                f"line {a.line + 1}: expected {'not ' if a.negative else ''}{a.capture!r} at "
                f"{a.row + 1}:{a.column + 1}, got {actual!r} (all: {names})"
            )
    return len(assertions), failures
