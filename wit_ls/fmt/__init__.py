"""The WIT formatter: one canonical layout within a line width, comments kept, only whitespace
and commas changed (see docs/formatting.md).

``format_source(text)`` returns the formatted text, or ``None`` when the file has syntax errors
(a formatter must not guess at broken code). CRLF line endings and a byte-order mark are kept.
"""

from __future__ import annotations

from wit_ls.fmt.printer import FormatOptions, MemberSpan, layout
from wit_ls.fmt.source import format_source, format_text, format_tree

__all__ = ["FormatOptions", "MemberSpan", "format_source", "format_text", "format_tree", "layout"]
