"""Parser-level rules that the permissive grammar accepts but wit-parser rejects while parsing
(wit-spec.md §2.2): where `package` headers and attributes may stand, nesting limits."""

from __future__ import annotations

from tree_sitter import Node, Tree

from wit_ls.syntax.diagnostics import Diagnostic

MAX_TYPE_DEPTH = 100
MAX_PACKAGE_DEPTH = 100

_TYPE_KINDS = frozenset(
    [
        "tuple_type",
        "list_type",
        "map_type",
        "option_type",
        "result_type",
        "future_type",
        "stream_type",
    ]
)
_COMMENTS = frozenset(["line_comment", "block_comment", "doc_comment"])


def _items(node: Node) -> list[Node]:
    return [c for c in node.named_children if c.type not in _COMMENTS and not c.is_error]


def _check_top_level(items: list[Node], out: list[Diagnostic]) -> None:
    for index, item in enumerate(items):
        attributes = [c for c in item.named_children if c.type == "attribute"]
        if item.type in ("package_decl", "nested_package") and attributes:
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
        if item.type == "package_decl" and index > 0:
            # wit-parser reads a later `package x:y;` as a nested package and stops at the `;`.
            semi = item.children[-1]
            out.append(
                Diagnostic(
                    semi.start_byte, semi.end_byte, "expected '{', found ';'", "syntax-error"
                )
            )


def structure_errors(tree: Tree) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    root = tree.root_node
    _check_top_level(_items(root), out)
    # Nested packages inside nested packages; type nesting depth. Neither can happen without
    # many `<` or more than one nested `package`, so most files skip the walk.
    source = root.text or b""
    if source.count(b"<") <= MAX_TYPE_DEPTH and source.count(b"package") <= 2:
        for item in _items(root):
            if item.type == "nested_package":
                body = item.child_by_field_name("body")
                if body is not None:
                    _check_top_level(_items(body), out)
        return out
    stack: list[tuple[Node, int, int]] = [(root, 0, 0)]
    while stack:
        node, package_depth, type_depth = stack.pop()
        for child in node.children:
            kind = child.type
            pdepth, tdepth = package_depth, type_depth
            if kind == "nested_package":
                pdepth += 1
                if pdepth == 2:
                    name = child.child_by_field_name("name") or child
                    out.append(
                        Diagnostic(
                            name.start_byte,
                            name.end_byte,
                            "nested packages must be placed at the top-level",
                            "nested-package-depth",
                        )
                    )
                if pdepth > MAX_PACKAGE_DEPTH:
                    out.append(
                        Diagnostic(
                            child.start_byte,
                            child.start_byte + 7,
                            "package nesting too deep",
                            "nesting-too-deep",
                        )
                    )
                    continue
                body = child.child_by_field_name("body")
                if body is not None:
                    _check_top_level(_items(body), out)
            elif kind in _TYPE_KINDS:
                tdepth += 1
                if tdepth > MAX_TYPE_DEPTH:
                    out.append(
                        Diagnostic(
                            child.start_byte,
                            child.end_byte,
                            "type nesting too deep",
                            "nesting-too-deep",
                        )
                    )
                    continue
            if child.child_count:
                stack.append((child, pdepth, tdepth))
    return out
