"""Formatting whole files: syntax check first, then the layout, with the file's line endings
and byte-order mark kept."""

from __future__ import annotations

from wit_ls.fmt.printer import FormatOptions, layout
from wit_ls.syntax import SyntaxTree, parse

BOM = "\ufeff"


def format_tree(tree: SyntaxTree, options: FormatOptions | None = None) -> str | None:
    """Format a parsed file; ``None`` when it has syntax errors."""
    if tree.root.has_error:
        return None
    return format_text(tree.text, options)


def format_text(text: str, options: FormatOptions | None = None) -> str:
    """Format text that parses without errors (the caller checked)."""
    bom = text.startswith(BOM)
    body = text[1:] if bom else text
    out, _ = layout(body, options)
    if uses_crlf(body):
        out = out.replace("\n", "\r\n")
    return BOM + out if bom else out


def uses_crlf(text: str) -> bool:
    """Whether the file's first line break is CRLF."""
    first = text.find("\n")
    return first > 0 and text[first - 1] == "\r"


def format_source(source: str | bytes, options: FormatOptions | None = None) -> str | None:
    """Format WIT source text; ``None`` when it has syntax errors."""
    return format_tree(parse(source), options)
