"""The syntax layer: WIT text to tree-sitter trees, line indexes and syntax diagnostics.

Knows nothing of packages, files on disk or LSP.
"""

from __future__ import annotations

# First: tree_sitter's compiled binding without the package's typing-only extras (see there).
import wit_ls.syntax.binding  # noqa: F401
from wit_ls.syntax.diagnostics import Diagnostic, Related, Severity
from wit_ls.syntax.language import language, new_parser, queries_dir, query
from wit_ls.syntax.line_index import Encoding, LineIndex
from wit_ls.syntax.tree import SyntaxTree, TextEdit, apply_edits, parse

__all__ = [
    "Diagnostic",
    "Encoding",
    "LineIndex",
    "Related",
    "Severity",
    "SyntaxTree",
    "TextEdit",
    "apply_edits",
    "language",
    "new_parser",
    "parse",
    "queries_dir",
    "query",
]
