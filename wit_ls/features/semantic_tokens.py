"""Semantic tokens from the syntax tree (names classified by what declares or uses them)."""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from wit_ls.features.common import is_deprecated
from wit_ls.syntax import SyntaxTree
from wit_ls.syntax.vocabulary import (
    COMMENT_NODES,
    CONTEXTUAL_KEYWORDS,
    KEYWORDS,
    PRIMITIVE_TYPES,
)

# The legend: standard LSP token types and modifiers, in this order.
TOKEN_TYPES: tuple[str, ...] = (
    "namespace", "type", "class", "enum", "interface", "struct", "typeParameter", "parameter",
    "variable", "property", "enumMember", "event", "function", "method", "macro", "keyword",
    "modifier", "comment", "string", "number", "regexp", "operator", "decorator",
)
TOKEN_MODIFIERS: tuple[str, ...] = (
    "declaration", "definition", "readonly", "static", "deprecated", "abstract", "async",
    "modification", "documentation", "defaultLibrary",
)
_TYPE_INDEX = {name: i for i, name in enumerate(TOKEN_TYPES)}
_MOD_BIT = {name: 1 << i for i, name in enumerate(TOKEN_MODIFIERS)}


@dataclass(frozen=True)
class SemanticToken:
    """A token at byte range [start, end); may span lines (the server splits it)."""

    start: int
    end: int
    type: str
    modifiers: tuple[str, ...] = ()

    @property
    def type_index(self) -> int:
        return _TYPE_INDEX[self.type]

    @property
    def modifier_bits(self) -> int:
        bits = 0
        for m in self.modifiers:
            bits |= _MOD_BIT[m]
        return bits


_DECL_TYPES = {
    "interface_item": "interface",
    "world_item": "namespace",
    "type_alias": "type",
    "record_item": "struct",
    "variant_item": "enum",
    "enum_item": "enum",
    "flags_item": "enum",
    "resource_item": "class",
    "func_item": "function",
    "method_item": "method",
    "record_field": "property",
    "variant_case": "enumMember",
    "enum_case": "enumMember",
    "flag": "enumMember",
    "param": "parameter",
    "import_item": "function",
    "export_item": "function",
}
_KIND_OF_DECL = {
    "type_alias": "type", "record_item": "struct", "variant_item": "enum", "enum_item": "enum",
    "flags_item": "enum", "resource_item": "class",
}


def local_type_kinds(tree: SyntaxTree) -> dict[str, str]:
    """Name -> token type of the types declared in this file (for uses of them)."""
    out: dict[str, str] = {}
    stack = [tree.root]
    while stack:
        node = stack.pop()
        for child in node.named_children:
            kind = _KIND_OF_DECL.get(child.type)
            if kind is not None:
                name = child.child_by_field_name("name")
                if name is not None:
                    out[tree.node_text(name).lstrip("%")] = kind
            elif child.type in ("package_body", "interface_item", "interface_body", "world_item",
                                "world_body", "nested_package", "import_item", "export_item"):
                stack.append(child)
    return out


def semantic_tokens(tree: SyntaxTree, start: int = 0, end: int | None = None,
                    type_kinds: dict[str, str] | None = None) -> list[SemanticToken]:
    """Tokens overlapping [start, end), in document order, not overlapping each other."""
    if end is None:
        end = len(tree.source)
    kinds = local_type_kinds(tree)
    if type_kinds:
        kinds = {**type_kinds, **kinds}
    return tokens_in(tree, tree.root, kinds, start, end)


def tokens_in(tree: SyntaxTree, root: Node, kinds: dict[str, str], start: int = 0,
              end: int | None = None) -> list[SemanticToken]:
    """The tokens of ``root``'s subtree overlapping [start, end), in document order, with
    ``kinds`` the type names' kinds (:func:`local_type_kinds`). A token's class depends on its
    node and the nodes around it up to the top-level declaration that holds it, never above:
    the tokens of a whole tree are those of each top-level node in turn."""
    if end is None:
        end = len(tree.source)
    out: list[SemanticToken] = []
    cursor = root.walk()
    visited_children = False
    while True:
        node = cursor.node
        assert node is not None
        if not visited_children:
            if node.end_byte < start or node.start_byte > end:
                pass
            elif node.child_count == 0 or node.type in COMMENT_NODES or node.type in (
                "version", "string"):
                # The cursor knows the node's field: looking it up among the parent's
                # children made a flat error node with n children cost n per token.
                tok = _classify(tree, node, kinds, cursor.field_name)
                if tok is not None:
                    out.append(tok)
                visited_children = True
                continue
            if cursor.goto_first_child():
                continue
            visited_children = True
        elif cursor.goto_next_sibling():
            visited_children = False
        elif not cursor.goto_parent():
            break
    cleaned = [t for t in out if t.end > t.start]
    cleaned.sort(key=lambda t: t.start)
    return cleaned


def _classify(tree: SyntaxTree, node: Node, kinds: dict[str, str],
              field: str | None) -> SemanticToken | None:
    kind = node.type
    if kind == "doc_comment":
        return SemanticToken(node.start_byte, node.end_byte, "comment", ("documentation",))
    if kind in ("line_comment", "block_comment"):
        return SemanticToken(node.start_byte, node.end_byte, "comment")
    if kind in ("version", "integer"):
        return SemanticToken(node.start_byte, node.end_byte, "number")
    if kind == "string":
        return SemanticToken(node.start_byte, node.end_byte, "string")
    if kind == "primitive_type" or (not node.is_named and kind in PRIMITIVE_TYPES):
        return SemanticToken(node.start_byte, node.end_byte, "type", ("defaultLibrary",))
    if not node.is_named:
        if kind in KEYWORDS or kind in CONTEXTUAL_KEYWORDS:
            return SemanticToken(node.start_byte, node.end_byte, "keyword")
        if kind in ("->", "=", "/", ":", "@"):
            if kind == "@" and node.parent is not None and node.parent.type == "attribute":
                return SemanticToken(node.start_byte, node.end_byte, "decorator")
            return None
        return None
    if kind != "identifier":
        return None
    parent = node.parent
    if parent is None:
        return None
    ptype = parent.type
    text = tree.node_text(node).lstrip("%")
    if ptype == "attribute":
        return SemanticToken(node.start_byte, node.end_byte, "decorator")
    if ptype == "attribute_argument":
        if field == "key":
            return SemanticToken(node.start_byte, node.end_byte, "parameter")
        return SemanticToken(node.start_byte, node.end_byte, "variable", ("readonly",))
    if ptype == "package_name":
        mods: tuple[str, ...] = ("defaultLibrary",) if _is_wasi(tree, parent) else ()
        grand = parent.parent
        if grand is not None and grand.type in ("package_decl", "nested_package"):
            mods = (*mods, "declaration")
        return SemanticToken(node.start_byte, node.end_byte, "namespace", mods)
    if ptype == "use_path":
        wasi = tree.node_text(parent).startswith("wasi:")
        mods = ("defaultLibrary",) if wasi else ()
        if field in ("namespace", "package"):
            return SemanticToken(node.start_byte, node.end_byte, "namespace", mods)
        return SemanticToken(node.start_byte, node.end_byte, "interface", mods)
    if ptype in ("toplevel_use",) and field == "alias":
        return SemanticToken(node.start_byte, node.end_byte, "interface", ("declaration",))
    if ptype == "use_name":
        decl = ("declaration",) if field == "alias" or parent.child_by_field_name("alias") is None \
            else ()
        tok_type = kinds.get(text, "type")
        return SemanticToken(node.start_byte, node.end_byte, tok_type, decl)
    if ptype in ("include_name",):
        return SemanticToken(node.start_byte, node.end_byte, "function",
                             ("declaration",) if field == "alias" else ())
    if ptype == "named_type" or (ptype == "handle_type" and field == "resource"):
        tok_type = kinds.get(text, "type")
        if ptype == "handle_type":
            tok_type = "class"
        return SemanticToken(node.start_byte, node.end_byte, tok_type)
    decl_type = _DECL_TYPES.get(ptype)
    if decl_type is not None and field == "name":
        flags = ["declaration"]
        if ptype in ("import_item", "export_item"):
            typ = parent.child_by_field_name("type")
            body = parent.child_by_field_name("body")
            if body is not None or parent.child_by_field_name("path") is not None or typ is None:
                decl_type = "interface"
        if ptype == "method_item" and parent.child_by_field_name("static") is not None:
            flags.append("static")
        if ptype in ("func_item", "method_item"):
            sig = parent.child_by_field_name("type")
            if sig is not None and sig.child_by_field_name("async") is not None:
                flags.append("async")
        if is_deprecated(tree, parent):
            flags.append("deprecated")
        return SemanticToken(node.start_byte, node.end_byte, decl_type, tuple(flags))
    return None


def _is_wasi(tree: SyntaxTree, package_name: Node) -> bool:
    ns = package_name.child_by_field_name("namespace")
    return ns is not None and tree.node_text(ns) == "wasi"


def encode(positions: list[tuple[int, int, int, int, int]]) -> list[int]:
    """LSP relative encoding of (line, start column, length, type index, modifier bits) tuples
    in the negotiated units, in document order, each on one line."""
    data: list[int] = []
    prev_line = 0
    prev_col = 0
    for line, col, length, typ, mods in positions:
        delta_line = line - prev_line
        delta_col = col - prev_col if delta_line == 0 else col
        data.extend((delta_line, delta_col, length, typ, mods))
        prev_line, prev_col = line, col
    return data


def diff(old: list[int], new: list[int]) -> tuple[int, int, list[int]]:
    """One edit turning ``old`` into ``new``: (start, delete count, data) on 5-int boundaries."""
    n = min(len(old), len(new))
    # Equal chunks are compared by the list's own comparison (a Python loop over the 200,000
    # integers of a 20,000-line file's tokens took tens of milliseconds), the first unequal
    # one item by item.
    prefix = 0
    while prefix + _CHUNK <= n and old[prefix:prefix + _CHUNK] == new[prefix:prefix + _CHUNK]:
        prefix += _CHUNK
    while prefix < n and old[prefix] == new[prefix]:
        prefix += 1
    prefix -= prefix % 5
    suffix = 0
    room = n - prefix
    while suffix + _CHUNK <= room and old[len(old) - suffix - _CHUNK:len(old) - suffix] == \
            new[len(new) - suffix - _CHUNK:len(new) - suffix]:
        suffix += _CHUNK
    while suffix < room and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    suffix -= suffix % 5
    return prefix, len(old) - prefix - suffix, new[prefix:len(new) - suffix]


_CHUNK = 512
