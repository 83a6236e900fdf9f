"""The semantic tokens of a whole document, in LSP form, made again only for the top-level
declarations an edit changed.

VS Code asks for a changed document's semantic tokens after each edit; in a 20,000-line file
classifying every token and converting each to a line and column took about 0.3 s. A token's
class depends on its top-level declaration alone (and the file's type names' kinds), and its
line and column, counted from that declaration's first line and start, on the declaration's
text alone: so the rows of a top-level node whose text (with the byte on either side, which the
lexer may look at) is unchanged are the last ones, moved to where the node is now. Nodes with
syntax errors are always made again. The answer equals :meth:`Converter.semantic_data` of
:func:`semantic_tokens` (``tests/lsp/test_token_rows.py`` checks it over random edits).
"""

from __future__ import annotations

from wit_ls.features.semantic_tokens import encode, local_type_kinds, tokens_in
from wit_ls.lsp.convert import Converter
from wit_ls.syntax import SyntaxTree

Row = tuple[int, int, int, int, int]
# A top-level node's rows: lines counted from its first line; on that line, columns counted
# from its start.
_Key = tuple[str, bytes, bytes, bytes]


class _Piece:
    """A top-level node's tokens: the first row, the relative encoding of the others (it does
    not depend on where the node is) and the last row."""

    __slots__ = ("first", "last", "tail")

    def __init__(self, rows: list[Row]) -> None:
        self.first = rows[0] if rows else None
        self.last = rows[-1] if rows else None
        self.tail = encode(rows)[5:]


class KeptRows:
    """One document's rows by top-level node, from its last answer."""

    def __init__(self) -> None:
        self._kinds: dict[str, str] | None = None
        self._pieces: dict[_Key, _Piece] = {}

    def data(self, tree: SyntaxTree, conv: Converter) -> list[int]:
        """The LSP data of ``tree``'s semantic tokens (all of them)."""
        kinds = local_type_kinds(tree)
        if kinds != self._kinds:
            self._pieces = {}
            self._kinds = kinds
        old = self._pieces
        pieces: dict[_Key, _Piece] = {}
        source = tree.source
        index = tree.line_index
        encoding = conv.encoding
        data: list[int] = []
        prev_line = prev_col = 0
        for node in tree.root.children:
            start, end = node.start_byte, node.end_byte
            key: _Key | None = None
            piece: _Piece | None = None
            if not node.has_error:
                key = (node.type, source[start:end], source[start - 1:start] if start else b"",
                       source[end:end + 1])
                piece = pieces.get(key)
                if piece is None:
                    piece = old.get(key)
            first_line, first_col = index.position(start, encoding)
            if piece is None:
                piece = _Piece([
                    (line - first_line, col - first_col if line == first_line else col,
                     length, typ, mods)
                    for line, col, length, typ, mods in conv.semantic_rows(
                        index, tokens_in(tree, node, kinds))])
            if key is not None:
                pieces[key] = piece
            first, last = piece.first, piece.last
            if first is None or last is None:
                continue
            line = first[0] + first_line
            col = first[1] + first_col if first[0] == 0 else first[1]
            data.extend((line - prev_line, col - prev_col if line == prev_line else col,
                         first[2], first[3], first[4]))
            data.extend(piece.tail)
            prev_line = last[0] + first_line
            prev_col = last[1] + first_col if last[0] == 0 else last[1]
        self._pieces = pieces
        return data
