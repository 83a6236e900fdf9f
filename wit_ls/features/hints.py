"""Inlay hints (the implicit `own` of a bare resource type) and document links (interface paths
to the files defining them)."""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from wit_ls.features.common import FeatureContext
from wit_ls.features.navigation import definition
from wit_ls.model.api import Location


@dataclass(frozen=True)
class InlayHint:
    offset: int
    label: str
    kind: str  # "type" or "parameter"
    tooltip: str = ""
    padding_right: bool = False


@dataclass(frozen=True)
class DocumentLink:
    start: int
    end: int
    target: Location
    tooltip: str = ""


def _nodes(root: Node, types: frozenset[str], start: int, end: int) -> list[Node]:
    out: list[Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.end_byte < start or node.start_byte > end:
            continue
        if node.type in types:
            out.append(node)
        stack.extend(reversed(node.named_children))
    return out


def _is_resource_decl(ctx: FeatureContext, target: Location) -> bool:
    tree = ctx.tree_of(target.path)
    if tree is None:
        return False
    node = tree.root.descendant_for_byte_range(target.start, max(target.start, target.end - 1))
    while node is not None and node.type == "identifier":
        node = node.parent
    return node is not None and node.type == "resource_item"


def inlay_hints(ctx: FeatureContext, start: int, end: int) -> list[InlayHint]:
    hints: list[InlayHint] = []
    for node in _nodes(ctx.tree.root, frozenset(["named_type"]), start, end):
        # A bare resource name in a function signature means `own<r>`.
        if ancestor_type(node) not in ("param_list", "func_type", "accessor",
                                       "constructor_item"):
            continue
        name = node.child_by_field_name("name")
        if name is None:
            continue
        targets = definition(ctx, name.start_byte)
        if len(targets) == 1 and _is_resource_decl(ctx, targets[0]):
            hints.append(InlayHint(node.start_byte, "own ", "type",
                                   "a bare resource type is an owned handle: own<"
                                   + ctx.tree.node_text(name) + ">"))
    hints.sort(key=lambda h: h.offset)
    return hints


def ancestor_type(node: Node) -> str:
    """The nearest enclosing construct that decides what a type position means."""
    current = node.parent
    while current is not None:
        if current.type in ("param_list", "func_type", "accessor", "constructor_item",
                            "record_field", "variant_case", "type_alias", "interface_body",
                            "world_body"):
            return current.type
        current = current.parent
    return ""


# Nodes no `use_path` can be in (by the grammar) when they hold no syntax error: a 20,000-line
# file's links look into its `use`, `import`, `export` and `include` statements, not its types
# and functions.
_WITHOUT_PATHS = frozenset(["record_item", "variant_item", "enum_item", "flags_item",
                            "resource_item", "type_alias", "func_item", "line_comment",
                            "doc_comment", "block_comment", "attribute", "package_decl",
                            "use_names", "identifier", "use_path"])


def _use_paths(root: Node) -> list[Node]:
    """The `use_path` nodes under ``root`` in document order."""
    out: list[Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "use_path":
            out.append(node)
        if node.type not in _WITHOUT_PATHS or node.has_error:
            stack.extend(reversed(node.named_children))
    return out


def document_links(ctx: FeatureContext) -> list[DocumentLink]:
    links: list[DocumentLink] = []
    for node in _use_paths(ctx.tree.root):
        name = node.child_by_field_name("name")
        if name is None:
            continue
        targets = definition(ctx, name.start_byte)
        if len(targets) != 1 or targets[0].path == ctx.path:
            continue
        links.append(DocumentLink(node.start_byte, node.end_byte, targets[0]))
    return links
