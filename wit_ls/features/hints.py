"""Inlay hints (the implicit `own` of a bare resource type, the resolved version of an
unversioned foreign path) and document links (interface paths to the files defining them)."""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from wit_ls.features.common import FeatureContext, package_header
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


def _version_of(ctx: FeatureContext, path: str) -> str | None:
    tree = ctx.tree_of(path)
    if tree is None:
        return None
    header = package_header(tree)
    name = header.child_by_field_name("name") if header is not None else None
    version = name.child_by_field_name("version") if name is not None else None
    return tree.node_text(version) if version is not None else None


def inlay_hints(ctx: FeatureContext, start: int, end: int) -> list[InlayHint]:
    hints: list[InlayHint] = []
    wanted = frozenset(["named_type", "use_path"])
    for node in _nodes(ctx.tree.root, wanted, start, end):
        if node.type == "named_type":
            parent = node.parent
            # A bare resource name in a function signature means `own<r>`.
            if parent is None or ancestor_type(node) not in ("param_list", "func_type",
                                                             "accessor", "constructor_item"):
                continue
            name = node.child_by_field_name("name")
            if name is None:
                continue
            targets = definition(ctx, name.start_byte)
            if len(targets) == 1 and _is_resource_decl(ctx, targets[0]):
                hints.append(InlayHint(node.start_byte, "own ", "type",
                                       "a bare resource type is an owned handle: own<"
                                       + ctx.tree.node_text(name) + ">"))
        else:
            if node.child_by_field_name("namespace") is None:
                continue
            if node.child_by_field_name("version") is not None:
                continue
            name = node.child_by_field_name("name")
            if name is None:
                continue
            targets = definition(ctx, name.start_byte)
            if len(targets) != 1:
                continue
            version = _version_of(ctx, targets[0].path)
            if version:
                hints.append(InlayHint(node.end_byte, f"@{version}", "type",
                                       "the version this path resolves to"))
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


def document_links(ctx: FeatureContext) -> list[DocumentLink]:
    links: list[DocumentLink] = []
    for node in _nodes(ctx.tree.root, frozenset(["use_path"]), 0, len(ctx.tree.source)):
        name = node.child_by_field_name("name")
        if name is None:
            continue
        targets = definition(ctx, name.start_byte)
        if len(targets) != 1 or targets[0].path == ctx.path:
            continue
        links.append(DocumentLink(node.start_byte, node.end_byte, targets[0]))
    return links
