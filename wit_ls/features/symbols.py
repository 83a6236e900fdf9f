"""Document symbols from the syntax tree, workspace symbols from the model (fuzzy)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from tree_sitter import Node

from wit_ls.features.common import collapse, is_deprecated, signature_text
from wit_ls.model.symbols import Symbol
from wit_ls.syntax import SyntaxTree
from wit_ls.syntax.vocabulary import COMMENT_NODES


@dataclass
class DocSymbol:
    name: str
    kind: str
    detail: str
    start: int
    end: int
    sel_start: int
    sel_end: int
    deprecated: bool = False
    children: list[DocSymbol] = field(default_factory=list)


_CONTAINERS = {
    "nested_package": "package_body",
    "interface_item": "interface_body",
    "world_item": "world_body",
    "record_item": "record_body",
    "variant_item": "variant_body",
    "enum_item": "enum_body",
    "flags_item": "flags_body",
    "resource_item": "resource_body",
}
_KINDS = {
    "interface_item": "interface", "world_item": "world", "type_alias": "type",
    "record_item": "record", "variant_item": "variant", "enum_item": "enum",
    "flags_item": "flags", "resource_item": "resource", "func_item": "function",
    "record_field": "field", "variant_case": "case", "enum_case": "case", "flag": "flag",
    "constructor_item": "constructor", "import_item": "import", "export_item": "export",
    "include_item": "include", "nested_package": "package", "package_decl": "package",
}


def _method_kind(node: Node) -> str:
    if node.child_by_field_name("static") is not None:
        return "static"
    sig = node.child_by_field_name("type")
    if sig is not None and sig.type == "accessor":
        kind = sig.child_by_field_name("kind")
        return "getter" if kind is not None and kind.type == "get" else "setter"
    return "method"


def _symbol(tree: SyntaxTree, node: Node, depth: int = 0) -> DocSymbol | None:
    kind = node.type
    if kind == "method_item":
        sym_kind = _method_kind(node)
    elif kind == "func_item":
        sig = node.child_by_field_name("type")
        sym_kind = "function"
        if sig is not None and sig.type == "accessor":
            k = sig.child_by_field_name("kind")
            sym_kind = "getter" if k is not None and k.type == "get" else "setter"
    else:
        found = _KINDS.get(kind)
        if found is None:
            return None
        sym_kind = found
    name_node = node.child_by_field_name("name")
    if kind == "constructor_item":
        name, sel = "constructor", (node.start_byte, node.start_byte + len("constructor"))
        for child in node.children:
            if child.type == "constructor":
                sel = (child.start_byte, child.end_byte)
    elif kind in ("import_item", "export_item", "include_item") and name_node is None:
        path = node.child_by_field_name("path")
        if path is None:
            return None
        name, sel = collapse(tree.node_text(path)), (path.start_byte, path.end_byte)
    elif kind in ("package_decl", "nested_package"):
        if name_node is None:
            return None
        name, sel = collapse(tree.node_text(name_node)), (name_node.start_byte, name_node.end_byte)
    else:
        if name_node is None or name_node.is_missing:
            return None
        name = tree.node_text(name_node).lstrip("%")
        sel = (name_node.start_byte, name_node.end_byte)
    if not name:
        return None
    detail = ""
    if kind in ("type_alias", "func_item", "method_item", "record_field", "variant_case",
                "constructor_item", "import_item", "export_item"):
        detail = signature_text(tree, node)
        if name_node is not None and detail.startswith(tree.node_text(name_node)):
            detail = detail[len(tree.node_text(name_node)):].lstrip(" :")
    sym = DocSymbol(name, sym_kind, detail, node.start_byte, node.end_byte, sel[0], sel[1],
                    is_deprecated(tree, node))
    body_type = _CONTAINERS.get(kind)
    body: Node | None = None
    if body_type is not None or kind in ("import_item", "export_item"):
        body = node.child_by_field_name("body")
    if body is not None and depth < _MAX_DEPTH:
        sym.children = _symbols_in(tree, body.named_children, depth + 1)
    elif kind in ("func_item", "method_item", "constructor_item"):
        pass
    return sym


# Deeper than this (only broken or generated files get there) symbols are not listed.
_MAX_DEPTH = 64


def _symbols_in(tree: SyntaxTree, nodes: Iterable[Node], depth: int = 0) -> list[DocSymbol]:
    out: list[DocSymbol] = []
    if depth > _MAX_DEPTH:
        return out
    for child in nodes:
        if child.type in COMMENT_NODES or child.type == "attribute":
            continue
        if child.type == "ERROR":
            out.extend(_symbols_in(tree, child.named_children, depth + 1))
            continue
        sym = _symbol(tree, child, depth)
        if sym is not None:
            out.append(sym)
    return out


def top_level_symbols(tree: SyntaxTree, node: Node) -> list[DocSymbol]:
    """The symbols of one of the root's named children (before :func:`document_symbols`
    nests them under the header): they depend on its text alone."""
    return _symbols_in(tree, [node])


def header_symbol(top: Sequence[DocSymbol]) -> DocSymbol | None:
    """Among the top-level symbols, the `package` header the others nest under, if any."""
    return next((s for s in top if s.kind == "package" and not s.children), None)


def document_symbols(tree: SyntaxTree) -> list[DocSymbol]:
    """package > interface/world > types/functions > fields/cases/methods.

    When the file has a `package` header, everything else nests under it."""
    top = _symbols_in(tree, tree.root.named_children)
    header = header_symbol(top)
    if header is None:
        return top
    rest = [s for s in top if s is not header]
    header.children = rest
    header.start = 0
    header.end = len(tree.source)
    return [header]


@dataclass(frozen=True)
class WorkspaceSymbol:
    name: str
    kind: str
    path: str
    start: int
    end: int
    container: str
    deprecated: bool = False


def fuzzy_score(query: str, name: str) -> int | None:
    """Subsequence match (case-insensitive); lower is better, None when no match."""
    if not query:
        return 0
    q = query.lower()
    n = name.lower()
    if n == q:
        return -1000
    if n.startswith(q):
        return -500 + len(n)
    if q in n:
        return -200 + n.index(q) + len(n)
    pos = 0
    gaps = 0
    for ch in q:
        found = n.find(ch, pos)
        if found < 0:
            return None
        gaps += found - pos
        pos = found + 1
    return gaps * 10 + len(n)


def workspace_symbols(symbols: Sequence[Symbol], query: str,
                      limit: int = 500) -> list[WorkspaceSymbol]:
    """Fuzzy-filter model symbols (flattened, children included)."""
    scored: list[tuple[int, str, WorkspaceSymbol]] = []
    stack = list(symbols)
    seen: set[tuple[str, int, int]] = set()
    while stack:
        sym = stack.pop()
        stack.extend(sym.children)
        score = fuzzy_score(query, sym.name)
        if score is None or sym.kind in ("param", "use"):
            continue
        start, end = sym.selection
        key = (sym.path, start, end)
        if key in seen:
            continue
        seen.add(key)
        scored.append((score, sym.name, WorkspaceSymbol(
            sym.name, sym.kind, sym.path, start, end, sym.container,
            "deprecated" in sym.stability)))
    scored.sort(key=_rank)
    return [s for _, _, s in scored[:limit]]


def _rank(entry: tuple[int, str, WorkspaceSymbol]) -> tuple[int, str]:
    return entry[0], entry[1]
