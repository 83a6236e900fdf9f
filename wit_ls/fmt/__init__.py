"""The WIT formatter: one canonical layout, comments kept, only whitespace (and trailing commas
in multi-line bodies) changed.

``format_source(text)`` returns the formatted text, or ``None`` when the file has syntax errors
(a formatter must not guess at broken code).
"""

from __future__ import annotations

from wit_ls.fmt.printer import FormatOptions, format_source, format_tree

__all__ = ["FormatOptions", "format_source", "format_tree"]
