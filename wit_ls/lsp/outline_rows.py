"""A whole document's nested document symbols (as JSON text) and folding ranges, made again only
for the top-level nodes an edit changed.

VS Code asks for a changed document's symbols (outline, breadcrumbs) and folding ranges after
each edit; in a 20,000-line file making the 3 MB of symbols' JSON took about 0.3 s and the
folding ranges 0.1 s. The symbols and the folding ranges inside a top-level node depend on its
text alone (and the byte on either side, which the lexer may look at), and their lines,
counted from the node's first line, and columns, when the node starts at the same column, too:
so those of an unchanged node are the last answer's, moved by the lines the node moved. Nodes
with syntax errors are always made again. The answers equal
:meth:`Converter.document_symbols_json` of :func:`document_symbols` and :func:`folding_ranges`
(``tests/lsp/test_outline_rows.py`` checks both over random edits).
"""

from __future__ import annotations

import json
import re

from tree_sitter import Node

from wit_ls.features.structure import FoldingRange, node_folds, top_folds
from wit_ls.features.symbols import DocSymbol, header_symbol, top_level_symbols
from wit_ls.lsp import first_forms
from wit_ls.syntax import SyntaxTree
from wit_ls.syntax.line_index import Encoding

_Key = tuple[str, bytes, bytes, bytes]
_PACKAGES = frozenset(["package_decl", "nested_package"])
# A line number in a symbol's JSON text: only keys are written with a bare quote (a quote in a
# string is escaped).
_LINE = re.compile(r'"line": (\d+)')


class _Text:
    """One symbol's JSON text, split around its line numbers, made at ``line`` and
    ``column``."""

    __slots__ = ("column", "line", "lines", "pieces", "text")

    def __init__(self, text: str, line: int, column: int) -> None:
        self.text = text
        self.line = line
        self.column = column
        parts = _LINE.split(text)
        self.pieces = parts[0::2]
        self.lines = [int(p) for p in parts[1::2]]

    def at(self, line: int) -> str:
        """The text of the same symbol starting ``line - self.line`` lines lower."""
        delta = line - self.line
        if delta == 0:
            return self.text
        pieces = self.pieces
        out = [pieces[0]]
        for number, piece in zip(self.lines, pieces[1:], strict=True):
            out.append(f'"line": {number + delta}')
            out.append(piece)
        return "".join(out)


def _key(tree: SyntaxTree, node: Node) -> _Key | None:
    if node.has_error:
        return None
    source = tree.source
    start, end = node.start_byte, node.end_byte
    return (node.type, source[start:end], source[start - 1:start] if start else b"",
            source[end:end + 1])


class KeptOutline:
    """One document's symbols' texts and folding ranges by top-level node, from its last
    answers."""

    def __init__(self) -> None:
        self._symbols: dict[_Key, list[tuple[DocSymbol, _Text]]] = {}
        self._folds: dict[_Key, tuple[int, list[FoldingRange]]] = {}

    def symbols_json(self, tree: SyntaxTree, encoding: Encoding) -> str:
        """The JSON text of ``tree``'s nested document symbols."""
        index = tree.line_index
        old = self._symbols
        kept: dict[_Key, list[tuple[DocSymbol, _Text]]] = {}
        top: list[tuple[DocSymbol, str]] = []
        for node in tree.root.named_children:
            # A package's symbol may become the header, whose range is the whole file.
            key = None if node.type in _PACKAGES else _key(tree, node)
            line, column = index.position(node.start_byte, encoding)
            made = None if key is None else kept.get(key, old.get(key))
            if made is None or (made and made[0][1].column != column):
                made = [(sym, _Text(json.dumps(first_forms.document_symbols(
                    index, [sym], encoding)[0]), line, column))
                    for sym in top_level_symbols(tree, node)]
            if key is not None:
                kept[key] = made
            top.extend((sym, text.at(line)) for sym, text in made)
        self._symbols = kept
        header = header_symbol([sym for sym, _ in top])
        if header is None:
            return "[" + ", ".join(text for _, text in top) + "]"
        rest = [text for sym, text in top if sym is not header]
        whole = DocSymbol(header.name, header.kind, header.detail, 0, len(tree.source),
                          header.sel_start, header.sel_end, header.deprecated)
        text = json.dumps(first_forms.document_symbols(index, [whole], encoding)[0])
        if rest:
            text = text[:-1] + ', "children": [' + ", ".join(rest) + "]}"
        return "[" + text + "]"

    def folding_ranges(self, tree: SyntaxTree) -> list[FoldingRange]:
        """``tree``'s folding ranges (:func:`wit_ls.features.structure.folding_ranges`)."""
        index = tree.line_index
        old = self._folds
        kept: dict[_Key, tuple[int, list[FoldingRange]]] = {}
        out = top_folds(tree)
        for node in tree.root.children:
            if not node.child_count:
                continue
            key = _key(tree, node)
            line = index.line_of(node.start_byte)
            made = None if key is None else kept.get(key, old.get(key))
            if made is None:
                made = (line, node_folds(tree, node))
            if key is not None:
                kept[key] = made
            delta = line - made[0]
            out.extend(made[1] if delta == 0 else [
                FoldingRange(r.start_line + delta, r.end_line + delta, r.kind) for r in made[1]])
        self._folds = kept
        out.sort(key=lambda r: (r.start_line, r.end_line, r.kind))
        return out
