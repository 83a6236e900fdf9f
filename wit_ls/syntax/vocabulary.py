"""The words and node types of WIT, defined once for every layer: keywords, primitive types,
type constructors, and the sets of tree node types the layers look for."""

from __future__ import annotations

KEYWORDS = frozenset(
    """use type func u8 u16 u32 u64 s8 s16 s32 s64 f32 f64 char record resource own borrow
    flags variant enum bool string option result future stream error-context list map _ as from
    static interface tuple world import export package constructor include with async""".split()
)

# Words that are keywords only where they appear (`get`/`set` of accessors); names elsewhere.
CONTEXTUAL_KEYWORDS = frozenset(["get", "set"])

PRIMITIVE_TYPES = frozenset(
    "bool u8 u16 u32 u64 s8 s16 s32 s64 f32 f64 char string error-context".split()
)

# The keywords that build types from types, in the order completion offers them.
TYPE_CONSTRUCTORS = ("list", "option", "result", "tuple", "map", "future", "stream", "own",
                     "borrow")

TYPE_KEYWORDS = PRIMITIVE_TYPES | frozenset(TYPE_CONSTRUCTORS)

# Comments are extras of the grammar: they may appear between any two tokens.
COMMENT_NODES = frozenset(["line_comment", "block_comment", "doc_comment"])

# Node types that define a named type, and the keyword that introduces each.
TYPE_DEFINITION_NODES: dict[str, str] = {
    "type_alias": "type",
    "record_item": "record",
    "variant_item": "variant",
    "enum_item": "enum",
    "flags_item": "flags",
    "resource_item": "resource",
}
