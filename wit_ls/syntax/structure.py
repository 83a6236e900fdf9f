"""Parser-level rules that the permissive grammar accepts but wit-parser rejects while parsing
(wit-spec.md §2.2): where `package` headers and attributes may stand, nesting limits."""

from __future__ import annotations

from functools import lru_cache

from tree_sitter import Node, Query, QueryCursor, Tree

from wit_ls.syntax.diagnostics import Diagnostic
from wit_ls.syntax.language import language
from wit_ls.syntax.vocabulary import COMMENT_NODES

TYPE_CHECKING = False  # not typing's: see wit_ls.light_typing
if TYPE_CHECKING:
    from typing import cast
else:
    from wit_ls.light_typing import cast

MAX_TYPE_DEPTH = 100
MAX_PACKAGE_DEPTH = 100



def _items(node: Node) -> list[Node]:
    return [c for c in node.named_children if c.type not in COMMENT_NODES and not c.is_error]


def _check_top_level(items: list[Node], out: list[Diagnostic]) -> None:
    for index, item in enumerate(items):
        kind = item.type
        if kind not in ("package_decl", "nested_package"):
            continue  # (only package headers and blocks can be wrong here)
        attributes = [c for c in item.named_children if c.type == "attribute"]
        if attributes:
            # wit-parser points at the `package` keyword that follows the attributes.
            keyword = next((c for c in item.children if c.type == "package"), attributes[0])
            out.append(
                Diagnostic(
                    keyword.start_byte,
                    keyword.end_byte,
                    "cannot place attributes on nested packages",
                    "attribute-on-package",
                )
            )
        if kind == "package_decl" and index > 0:
            # wit-parser reads a later `package x:y;` as a nested package and stops at the `;`.
            semi = item.children[-1]
            out.append(
                Diagnostic(
                    semi.start_byte, semi.end_byte, "expected '{', found ';'", "syntax-error"
                )
            )


_TYPES_QUERY = (
    "[(tuple_type) (list_type) (map_type) (option_type) (result_type) (future_type)"
    " (stream_type)] @t"
)
_PACKAGES_QUERY = "(nested_package) @p"


@lru_cache(maxsize=2)
def _query(text: str) -> Query:
    return cast(Query, Query(language(), text))


def _captured(query: str, root: Node) -> list[Node]:
    found = QueryCursor(_query(query)).captures(root)
    nodes = [node for group in found.values() for node in group]
    nodes.sort(key=lambda n: (n.start_byte, -n.end_byte))
    return nodes


def _depths(nodes: list[Node]) -> list[tuple[Node, int]]:
    """(node, nesting depth among ``nodes``) in document order, for nodes sorted by start.
    Ancestors are the earlier nodes still open at a node's start: a stack of their ends."""
    out: list[tuple[Node, int]] = []
    stack: list[int] = []
    for node in nodes:
        start = node.start_byte
        while stack and stack[-1] <= start:
            stack.pop()
        stack.append(node.end_byte)
        out.append((node, len(stack)))
    return out


def structure_errors(tree: Tree) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    root = tree.root_node
    _check_top_level(_items(root), out)
    source = root.text or b""
    # Nested packages: only at the top level, at most MAX_PACKAGE_DEPTH deep.
    if source.count(b"package") > 1:
        skip_until = -1
        for node, depth in _depths(_captured(_PACKAGES_QUERY, root)):
            if node.start_byte < skip_until:
                continue
            if depth == 2:
                name = node.child_by_field_name("name") or node
                out.append(
                    Diagnostic(
                        name.start_byte,
                        name.end_byte,
                        "nested packages must be placed at the top-level",
                        "nested-package-depth",
                    )
                )
            if depth > MAX_PACKAGE_DEPTH:
                out.append(
                    Diagnostic(
                        node.start_byte,
                        node.start_byte + 7,
                        "package nesting too deep",
                        "nesting-too-deep",
                    )
                )
                skip_until = node.end_byte
                continue
            body = node.child_by_field_name("body")
            if body is not None:
                _check_top_level(_items(body), out)
    # Type nesting depth (one diagnostic per overly deep chain). Impossible with few `<`: in
    # the file, and in the top-level node that holds the chain (each level opens with a `<`).
    base = root.start_byte
    if source.count(b"<") > MAX_TYPE_DEPTH and any(
            source.count(b"<", c.start_byte - base, c.end_byte - base) > MAX_TYPE_DEPTH
            for c in root.children):
        skip_until = -1
        for node, depth in _depths(_captured(_TYPES_QUERY, root)):
            if node.start_byte < skip_until or depth <= MAX_TYPE_DEPTH:
                continue
            out.append(
                Diagnostic(
                    node.start_byte, node.end_byte, "type nesting too deep", "nesting-too-deep"
                )
            )
            skip_until = node.end_byte
    return out
