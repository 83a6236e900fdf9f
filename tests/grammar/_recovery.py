"""The deletion property used by test_recovery.py (and handy when tuning the grammar).

A *top-level item* is a named, non-comment child of `source_file`: a package header, a nested
package, a top-level `use`, an interface or a world. Its *key* is its node type plus the text of
its `name` field (for a top-level `use`, the alias or else the path). An item is *intact* in a
tree when an item with the same key and no ERROR or MISSING node inside is a child of
`source_file` or of the body of a nested package (packages nest syntactically, so after a deleted
`}` of a nested package the packages that follow are, correctly, parsed inside it).

Deleting one `;` or `}` token must leave
* every item that ends at or before the deleted token intact, and
* all but at most one of the items that start after it intact.
The item that contains the deleted token may break (that is where the error is).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

COMMENTS = {"line_comment", "block_comment", "doc_comment"}


def item_key(node, source: bytes) -> tuple[str, str]:
    name = node.child_by_field_name("name")
    if name is None and node.type == "toplevel_use":
        name = node.child_by_field_name("alias") or node.child_by_field_name("path")
    text = source[name.start_byte : name.end_byte].decode("utf-8", "replace") if name else ""
    return node.type, text


def top_level_items(tree, _source: bytes):
    return [c for c in tree.root_node.named_children if c.type not in COMMENTS and c.type != "ERROR"]


def package_level_items(tree):
    """Items that are children of `source_file` or (recursively) of nested package bodies."""
    out = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        for child in node.named_children:
            if child.type in COMMENTS or child.type == "ERROR" or child.type == "package_body":
                continue
            out.append(child)
            if child.type == "nested_package":
                body = child.child_by_field_name("body")
                if body is not None:
                    stack.append(body)
    return out


def intact_keys(tree, source: bytes) -> Counter:
    return Counter(item_key(n, source) for n in package_level_items(tree) if not n.has_error)


def deletable_tokens(tree, kinds=(";", "}")) -> list[tuple[int, int]]:
    """(start, end) byte ranges of every `;` / `}` token in the tree, in order."""
    out = []
    cursor = tree.walk()
    visited_children = False
    while True:
        node = cursor.node
        if not visited_children:
            if node.child_count == 0:
                if not node.is_named and node.type in kinds and not node.is_missing:
                    out.append((node.start_byte, node.end_byte))
            elif cursor.goto_first_child():
                continue
        if cursor.goto_next_sibling():
            visited_children = False
            continue
        if not cursor.goto_parent():
            return out
        visited_children = True


@dataclass
class Outcome:
    before_broken: list[tuple[str, str]]
    after_broken: list[tuple[str, str]]

    @property
    def ok(self) -> bool:
        return not self.before_broken and len(self.after_broken) <= 1


def delete_and_check(parser, source: bytes, start: int, end: int, items=None) -> Outcome:
    """Delete source[start:end], reparse, and classify the original items."""
    if items is None:
        tree = parser.parse(source)
        items = [(item_key(n, source), n.start_byte, n.end_byte) for n in top_level_items(tree, source)]
    new = parser.parse(source[:start] + source[end:])
    have = intact_keys(new, source[:start] + source[end:])
    before, after = [], []
    for key, s, e in items:
        if e <= start:
            bucket = before
        elif s >= end:
            bucket = after
        else:
            continue  # contains the deleted token
        if have[key] > 0:
            have[key] -= 1
        else:
            bucket.append(key)
    return Outcome(before, after)
