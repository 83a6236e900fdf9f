"""Parse WIT text into a tree, never raising, and reparse incrementally after edits."""

from __future__ import annotations

from tree_sitter import Node, Point, Tree

from wit_ls.syntax.diagnostics import Diagnostic, Severity
from wit_ls.syntax.language import new_parser
from wit_ls.syntax.lexical import check_encoding, lexical_errors
from wit_ls.syntax.line_index import LineIndex
from wit_ls.syntax.structure import structure_errors

TYPE_CHECKING = False  # not typing's: see wit_ls.light_typing
if TYPE_CHECKING:
    from typing import NamedTuple, cast
else:
    from wit_ls.light_typing import NamedTuple, cast


class TextEdit(NamedTuple):
    """Replace ``source[start:end]`` (byte offsets) with ``new_text``."""

    start: int
    end: int
    new_text: bytes


class SyntaxTree:
    """One file's source, its tree, and (lazily) its line index and syntax diagnostics."""

    __slots__ = ("_code", "_diagnostics", "_line_index", "_text", "source", "tree")

    def __init__(self, source: bytes, tree: Tree, _line_index: LineIndex | None = None,
                 code: bytes | None = None) -> None:
        self.source = source
        self.tree = tree
        self._line_index = _line_index
        self._diagnostics: list[Diagnostic] | None = None
        self._text: str | None = None
        # The source with each run of line comments made one space, when the parse found it
        # already (`wit_ls.syntax.skip_comments`): the lexical checks need it once.
        self._code = code

    def __repr__(self) -> str:
        return f"SyntaxTree({len(self.source)} bytes)"

    @property
    def root(self) -> Node:
        return self.tree.root_node

    @property
    def line_index(self) -> LineIndex:
        if self._line_index is None:
            self._line_index = LineIndex(self.source)
        return self._line_index

    @property
    def text(self) -> str:
        """The source decoded as UTF-8 (invalid bytes replaced)."""
        if self._text is None:
            self._text = self.source.decode("utf-8", errors="replace")
        return self._text

    def node_text(self, node: Node) -> str:
        return self.source[node.start_byte : node.end_byte].decode("utf-8", errors="replace")

    def computed_diagnostics(self) -> list[Diagnostic] | None:
        """:attr:`diagnostics` if they were computed already, else None."""
        return self._diagnostics

    def adopt_diagnostics(self, found: list[Diagnostic] | None) -> None:
        """Take ``found`` as this tree's diagnostics: the previous tree's, moved by an edit
        that changed no token (see :mod:`wit_ls.syntax.layout`), or none where another
        process checks the file (`wit_ls.cli.check_split`); None: find them again."""
        self._diagnostics = found

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Every syntax and lexical error, sorted by position."""
        if self._diagnostics is None:
            nul = self.source.find(b"\x00", 0, 8192)
            if nul != -1:
                # A binary file: one error (wit-parser's message) instead of hundreds, and a
                # note that says why.
                self._diagnostics = [
                    Diagnostic(
                        nul,
                        nul + 1,
                        "Control code '\\u{0}'",
                        "binary-file",
                        data={"help": "this looks like a binary file, not WIT text"},
                    )
                ]
                return self._diagnostics
            text, encoding = check_encoding(self.source)
            found = [
                *encoding,
                # A forbidden character is reported once, not also as a stray token.
                *_capped(
                    [
                        d
                        for d in _syntax_errors(self.tree, self.source)
                        if d.start not in {e.start for e in encoding}
                    ]
                ),
                *lexical_errors(self.tree, self.source, code=self._code),
                *structure_errors(self.tree),
            ]
            if found and not encoding:
                found = _lead_with_first_error(found, text, self.tree.root_node, self.source)
            size = len(self.source)
            clamped = [
                d
                if d.end <= size
                else Diagnostic(
                    min(d.start, size),
                    size,
                    d.message,
                    d.code,
                    d.severity,
                    d.path,
                    d.related,
                    d.tags,
                    d.data,
                )
                for d in found
            ]
            self._diagnostics = sorted(clamped, key=lambda d: (d.start, d.end))
            self._code = None
        return self._diagnostics

def _syntax_errors(tree: Tree, source: bytes) -> list[Diagnostic]:
    """:func:`wit_ls.syntax.errors.syntax_errors`, whose module (and the first-error walk's)
    is loaded only for a tree with errors: most files a `wit-ls check` reads have none."""
    if not tree.root_node.has_error:
        return []
    from wit_ls.syntax.errors import syntax_errors

    return syntax_errors(tree, source)


# One broken construct repeated thousands of times (a generated file, a bad paste) would give
# thousands of syntax errors; past this many, one note stands for the rest.
MAX_SYNTAX_ERRORS = 100


def _capped(found: list[Diagnostic]) -> list[Diagnostic]:
    if len(found) <= MAX_SYNTAX_ERRORS:
        return found
    kept = found[:MAX_SYNTAX_ERRORS]
    last = found[MAX_SYNTAX_ERRORS]
    more = len(found) - MAX_SYNTAX_ERRORS
    note = Diagnostic(
        last.start,
        last.end,
        f"{more} more syntax error(s) after this point are not shown; fix the ones above first",
        "too-many-errors",
        Severity.INFORMATION,
    )
    return [*kept, note]


_NAME_COMPLAINTS = frozenset({"invalid-identifier", "keyword-as-identifier"})


def _lead_with_first_error(found: list[Diagnostic], text: str, root: Node,
                           source: bytes) -> list[Diagnostic]:
    """Make wit-parser's first syntax error the first one reported. wit-parser reads the file
    up to it without objection (the walk stops, reporting nothing, at any lexical problem it
    meets first), so what the other checks report before it is tree-sitter's recovery blaming
    an earlier construct (a file that ends too soon, a version cut short) and gives way; so do
    other syntax errors at its token. Those after it stay.

    The walk starts at the first item that holds a problem (see
    :func:`wit_ls.syntax.first_error.walk_start`), not at the top of the file: an editor asks
    again after every keystroke, and the file is often broken meanwhile."""
    from wit_ls.syntax.first_error import first_problem, walk_start

    start, inside = walk_start(root, source, min(d.start for d in found))
    first = first_problem(text, start, inside)
    if isinstance(first, int):
        return _lead_with_lexical_error(found, first, source)
    if first is None:
        return found
    kept = [
        d
        for d in found
        if d.start >= first.start
        and (d.code != "syntax-error" or d.start >= max(first.end, first.start + 1))
        # The walk met this token where no name can be (it checks every name it reads), or
        # read it whole as wit-parser's lexer does (tree-sitter may cut an identifier short
        # at a character it does not take): the walk's report of the token leads.
        and not (first.code in ("syntax-error", "invalid-identifier")
                 and d.start == first.start and d.code in _NAME_COMPLAINTS)
    ]
    if any(d.start == first.start for d in kept):
        return kept  # a more specific diagnostic (a keyword used as a name, ...) is already there
    return [first, *kept]


def _lead_with_lexical_error(found: list[Diagnostic], token: int,
                             source: bytes) -> list[Diagnostic]:
    """wit-parser read the file up to ``token`` without objection and its lexer rejects that
    token: the lexical layer's report of it (at the token, or later on its line for a string
    left open) leads, and tree-sitter's syntax errors up to it (its recovery blaming an earlier
    construct, or the token itself) give way."""
    line_end = source.find(b"\n", token)
    line_end = len(source) if line_end == -1 else line_end
    lexical = [d.start for d in found if d.code != "syntax-error" and token <= d.start <= line_end]
    if not lexical:
        return found
    at = min(lexical)
    return [d for d in found if d.code != "syntax-error" or d.start > at]


def _as_bytes(source: str | bytes) -> bytes:
    if isinstance(source, bytes):
        return source
    return source.encode("utf-8", errors="surrogatepass")


def parse(source: str | bytes) -> SyntaxTree:
    """Parse WIT source. Never raises: broken input gives a tree with errors."""
    data = _as_bytes(source)
    tree = new_parser().parse(data)
    return SyntaxTree(data, tree)


def _point(index: LineIndex, offset: int) -> Point:
    line = index.line_of(offset)
    return cast(Point, Point(line, offset - index.line_start(line)))


def apply_edits(old: SyntaxTree, edits: list[TextEdit]) -> SyntaxTree:
    """Apply byte-range edits in order (each against the text produced by the previous one)
    and reparse incrementally, reusing the unchanged parts of the old tree."""
    tree = old.tree.copy()
    source = old.source
    index = old.line_index
    for edit in edits:
        start = max(0, min(edit.start, len(source)))
        end = max(start, min(edit.end, len(source)))
        new_source = source[:start] + edit.new_text + source[end:]
        new_index = index.edited(start, end, edit.new_text, new_source)
        new_end = start + len(edit.new_text)
        tree.edit(
            start_byte=start,
            old_end_byte=end,
            new_end_byte=new_end,
            start_point=_point(index, start),
            old_end_point=_point(index, end),
            new_end_point=_point(new_index, new_end),
        )
        source, index = new_source, new_index
    new_tree = new_parser().parse(source, tree)
    return SyntaxTree(source, new_tree, _line_index=index)


def enclosing(root: Node, node: Node | None, *types: str) -> Node | None:
    """The innermost of ``node`` and its ancestors whose type is one of ``types``, found from
    ``root`` down. ``Node.parent`` walks down from the root on every call, so climbing parent
    by parent costs the depth squared: seconds on thousands of nested types."""
    if node is None:
        return None
    found = None
    current: Node | None = root
    while current is not None:
        if current.type in types:
            found = current
        if current == node:
            return found
        current = current.child_with_descendant(node)
    return found
