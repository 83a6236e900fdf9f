"""Parsing for a one-shot `wit-ls check`, stepping over the runs of line comments.

Most of the bytes of real WIT are documentation (about 70% in the largest real package), and
tree-sitter reads a comment byte by byte like any other text. A check has no use for the
comments after the package header (it lowers without documentation, and a line comment holds no
lexical problem), so the parser is given the text between them as its included ranges: the
runs are stepped over, every other node keeps its byte offsets, and the tree simply holds no
node for the comments left out. The tree's points (rows, columns) are not kept right, and a
check reads none (its positions are byte offsets, turned into lines by `LineIndex`).

The comments before the first item (the header's documentation) stay, and so does any text
where telling comments apart needs more than a line-by-line scan: a block comment anywhere in
the file (they nest) and a `//` that may sit in a string on its line. A tree with any error is
parsed again whole, so that every broken file gets the diagnostics and recovery of an ordinary
parse.
"""

from __future__ import annotations

from tree_sitter import Parser, Point, Range

from wit_ls.syntax.language import language
from wit_ls.syntax.lexical import LINE_COMMENT_RUN, has_block_comment
from wit_ls.syntax.tree import SyntaxTree, parse

# A run of line comments: one `//` comment to the end of its line, and every following line
# that holds only a comment (its indentation and the newlines between them are stepped over
# too). The lexical checks blank the same runs (one pattern compiled).
_RUN = LINE_COMMENT_RUN
# Shorter runs are left in: each range costs more to set up than reading a few bytes saves.
MIN_RUN = 100
_ORIGIN = Point(0, 0)
_END = 0xFFFFFFFF


def _first_code(source: bytes) -> int:
    """The offset of the first byte that is neither white space nor in a line comment."""
    at = 0
    size = len(source)
    while at < size:
        byte = source[at]
        if byte in b" \t\r\n\f\v":
            at += 1
        elif source.startswith(b"//", at):
            newline = source.find(b"\n", at)
            at = size if newline == -1 else newline + 1
        else:
            break
    return at


def comment_runs(source: bytes) -> list[tuple[int, int]]:
    """The byte ranges of the runs of line comments a check may step over in ``source`` (none
    when the text has a block comment or a run that may start in a string)."""
    return comment_scan(source)[0]


def comment_scan(source: bytes) -> tuple[list[tuple[int, int]], bytes | None]:
    """:func:`comment_runs`, and ``source`` with each run of line comments (of any length) made
    one space, as the lexical checks want it (``LINE_COMMENT_RUN.sub(b" ", source)``, found in
    the same pass); None for a text with a block comment (the lexical checks then scan none)."""
    if has_block_comment(source):
        return [], None
    quotes = source.find(b'"') != -1
    runs: list[tuple[int, int]] = []
    pieces: list[bytes] = []
    at = 0
    first = -1
    steppable = True
    for match in _RUN.compiled.finditer(source):
        start, end = match.span()
        pieces.append(source[at:start])
        at = end
        if not steppable or end - start < MIN_RUN:
            continue
        if first < 0:
            first = _first_code(source)
            if first < len(source) and source[first] >= 0x80:
                # (other white space, a byte-order mark: where does the header start?)
                steppable = False
                continue
        if start < first:
            continue  # (the header's documentation)
        # A `//` after a quote on its line may be in a string: the text is left as it is.
        if quotes and source.rfind(b'"', source.rfind(b"\n", 0, start) + 1, start) != -1:
            steppable = False
            continue
        runs.append((start, end))
    if not pieces:
        return (runs, source)
    pieces.append(source[at:])
    return (runs if steppable else []), b" ".join(pieces)


def parse_skipping_comments(source: bytes) -> SyntaxTree:
    """``source`` parsed without its runs of line comments (see the module's note); a tree
    with an error, or a text with nothing to step over, is parsed as :func:`parse` does. The
    tree keeps the text with its comment runs blanked for the lexical checks (see
    :func:`comment_scan`)."""
    runs, code = comment_scan(source)
    if not runs:
        return SyntaxTree(source, parse(source).tree, code=code)
    ranges: list[Range] = []
    at = 0
    for start, end in runs:
        if start > at:
            ranges.append(Range(_ORIGIN, _ORIGIN, at, start))
        at = end
    ranges.append(Range(_ORIGIN, _ORIGIN, at, _END))
    parser = Parser(language())
    parser.included_ranges = ranges
    tree = parser.parse(source)
    if tree.root_node.has_error:
        return SyntaxTree(source, parse(source).tree, code=code)
    return SyntaxTree(source, tree, code=code)
