"""Shared plain-data types and tree helpers for the editor features."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from tree_sitter import Node

from wit_ls.model.api import Analysis
from wit_ls.model.symbols import Symbol
from wit_ls.syntax import SyntaxTree
from wit_ls.syntax.tree import enclosing
from wit_ls.syntax.vocabulary import COMMENT_NODES, TYPE_DEFINITION_NODES

# Node types that declare a named item, and the symbol kind each declares.
DECLARATIONS: dict[str, str] = {
    "package_decl": "package",
    "nested_package": "package",
    "interface_item": "interface",
    "world_item": "world",
    **TYPE_DEFINITION_NODES,  # a type definition declares the kind its keyword names
    "func_item": "function",
    "method_item": "method",
    "constructor_item": "constructor",
    "record_field": "field",
    "variant_case": "case",
    "enum_case": "case",
    "flag": "flag",
    "param": "param",
    "import_item": "import",
    "export_item": "export",
    "toplevel_use": "use",
    "use_item": "use",
    "include_item": "include",
}



@dataclass(frozen=True)
class FileEdit:
    """Replace ``[start, end)`` of the file ``path`` with ``new_text`` (an edit that names its
    file, unlike :class:`wit_ls.syntax.TextEdit`, which applies to a tree at hand)."""

    path: str
    start: int
    end: int
    new_text: str
    # Set for edits the user should confirm (e.g. they touch a dependency).
    needs_confirmation: bool = False


class FeatureContext:
    """What a feature may look at: one file's tree and path, the trees of other files, and the
    package analysis, computed on first use (features that need only the tree never pay for
    it)."""

    def __init__(self, path: str, tree: SyntaxTree, analyze: Callable[[], Analysis],
                 trees: Mapping[str, SyntaxTree] | None = None) -> None:
        self.path = path
        self.tree = tree
        # Trees of other files by path (open documents; the analysis' files come next).
        self.trees: Mapping[str, SyntaxTree] = trees if trees is not None else {}
        self._analyze = analyze
        self._analysis: Analysis | None = None

    @property
    def analysis(self) -> Analysis:
        if self._analysis is None:
            self._analysis = self._analyze()
        return self._analysis

    def at(self, path: str, tree: SyntaxTree) -> FeatureContext:
        """The same workspace seen from another file (sharing the analysis)."""
        other = FeatureContext(path, tree, lambda: self.analysis, self.trees)
        other._analysis = self._analysis
        return other

    def tree_of(self, path: str) -> SyntaxTree | None:
        if path == self.path:
            return self.tree
        found = self.trees.get(path)
        if found is not None:
            return found
        return self.analysis.files.get(path)


def leaf_at(tree: SyntaxTree, offset: int) -> Node | None:
    """The smallest node touching ``offset``, preferring an identifier ending at it."""
    root = tree.root
    node = root.descendant_for_byte_range(offset, offset)
    if node is None:
        return None
    if node.type != "identifier" and offset > 0:
        before = root.descendant_for_byte_range(offset - 1, offset - 1)
        if before is not None and before.type == "identifier" and before.end_byte == offset:
            return before
    return node


def identifier_at(tree: SyntaxTree, offset: int) -> Node | None:
    node = leaf_at(tree, offset)
    if node is not None and node.type == "identifier":
        return node
    return None


def ancestor(node: Node | None, *types: str, root: Node | None = None) -> Node | None:
    """The innermost of ``node`` and its ancestors of one of ``types``. With the tree's
    ``root``, found from the root down (climbing parents costs the depth squared)."""
    if root is not None:
        return enclosing(root, node, *types)
    while node is not None:
        if node.type in types:
            return node
        node = node.parent
    return None


def name_of(tree: SyntaxTree, node: Node) -> str:
    """Identifier text without the ``%`` escape."""
    text = tree.node_text(node)
    return text[1:] if text.startswith("%") else text


def attributes_of(tree: SyntaxTree, node: Node) -> list[tuple[str, str]]:
    """(name, argument text) of each attribute of a declaration."""
    out: list[tuple[str, str]] = []
    for child in node.named_children:
        if child.type == "attribute":
            name = child.child_by_field_name("name")
            args = child.child_by_field_name("arguments")
            out.append((tree.node_text(name) if name else "",
                        tree.node_text(args) if args else ""))
    return out


def is_deprecated(tree: SyntaxTree, node: Node) -> bool:
    return any(name == "deprecated" for name, _ in attributes_of(tree, node))


def collapse(text: str) -> str:
    """Whitespace runs to single spaces (signatures for one-line display)."""
    return " ".join(text.split())


def signature_text(tree: SyntaxTree, node: Node) -> str:
    """A one-line rendering of a declaration without its attributes, docs or body."""
    start = node.start_byte
    for child in node.children:
        if child.type == "attribute" or child.type in COMMENT_NODES:
            continue
        start = child.start_byte
        break
    end = node.end_byte
    body = node.child_by_field_name("body")
    if body is not None:
        end = body.start_byte
    text = tree.source[start:end].decode("utf-8", errors="replace")
    # Drop comments inside the signature.
    return collapse(text).rstrip(" ;")


def doc_comment_before(tree: SyntaxTree, node: Node) -> str:
    """The comments directly before a declaration, as wit-parser reads docs (all comments)."""
    lines: list[str] = []
    sibling = node.prev_sibling
    while sibling is not None and sibling.type in COMMENT_NODES:
        lines.append(_strip_comment(tree.node_text(sibling)))
        sibling = sibling.prev_sibling
    lines.reverse()
    return "\n".join(lines).strip()


def _strip_comment(text: str) -> str:
    if text.startswith("///"):
        return text[3:].removeprefix(" ").rstrip()
    if text.startswith("//"):
        return text[2:].removeprefix(" ").rstrip()
    if text.startswith("/*"):
        body = text[3:] if text.startswith("/**") else text[2:]
        body = body[:-2] if body.endswith("*/") else body
        out = []
        for line in body.splitlines():
            stripped = line.strip()
            if stripped.startswith("*"):
                stripped = stripped[1:].removeprefix(" ")
            out.append(stripped)
        return "\n".join(out).strip()
    return text


def package_header(tree: SyntaxTree) -> Node | None:
    for child in tree.root.named_children:
        if child.type == "package_decl":
            return child
    return None


def package_root_of(path: str) -> str:
    """The package directory a file is analysed under: its folder, or for a file inside a
    ``deps/`` folder, the folder holding that ``deps/``."""
    parts = path.replace("\\", "/").split("/")
    for i in range(len(parts) - 2, 0, -1):
        if parts[i] == "deps":
            return "/".join(parts[:i]) or "/"
    return "/".join(parts[:-1]) or "/"


def flatten_symbols(symbols: Sequence[Symbol]) -> list[Symbol]:
    """Every symbol and, recursively, its children (order not significant)."""
    out: list[Symbol] = []
    stack = list(symbols)
    while stack:
        sym = stack.pop()
        out.append(sym)
        stack.extend(sym.children)
    return out
