"""Human names for tokens and nodes, in wit-parser's style (``';'``, keyword `` `use` ``,
"an identifier"), so that users recognise the messages they know from wasm-tools."""

from __future__ import annotations

from wit_ls.syntax.vocabulary import CONTEXTUAL_KEYWORDS, KEYWORDS

PUNCTUATION = frozenset("=,:.;(){}<>")
OPERATORS = frozenset(["->", "*", "@", "/", "+", "-"])


NAMED_TOKENS = {
    "identifier": "an identifier",
    "version": "a version",
    "integer": "an integer",
    "string": "a string literal",
    "end": "eof",
}

# What each construct is called in messages such as "expected `;` after the type alias".
CONSTRUCT_NAMES = {
    "package_decl": "the package header",
    "nested_package": "the nested package",
    "package_name": "the package name",
    "toplevel_use": "the `use` statement",
    "use_item": "the `use` statement",
    "use_path": "the path",
    "use_names": "the `use` list",
    "interface_item": "the interface",
    "interface_body": "the interface",
    "world_item": "the world",
    "world_body": "the world",
    "import_item": "the import",
    "export_item": "the export",
    "include_item": "the include",
    "include_names": "the `with` list",
    "func_item": "the function",
    "func_type": "the function type",
    "accessor": "the accessor",
    "param_list": "the parameter list",
    "param": "the parameter",
    "type_alias": "the type alias",
    "record_item": "the record",
    "record_body": "the record",
    "record_field": "the record field",
    "flags_item": "the flags",
    "flags_body": "the flags",
    "variant_item": "the variant",
    "variant_body": "the variant",
    "variant_case": "the variant case",
    "enum_item": "the enum",
    "enum_body": "the enum",
    "resource_item": "the resource",
    "resource_body": "the resource",
    "constructor_item": "the constructor",
    "method_item": "the method",
    "tuple_type": "the tuple type",
    "list_type": "the list type",
    "map_type": "the map type",
    "option_type": "the option type",
    "result_type": "the result type",
    "future_type": "the future type",
    "stream_type": "the stream type",
    "handle_type": "the handle type",
    "attribute": "the attribute",
    "attribute_arguments": "the attribute",
}


def describe_kind(kind: str) -> str:
    """Describe a grammar symbol (as an expected token)."""
    if kind in NAMED_TOKENS:
        return NAMED_TOKENS[kind]
    if kind in PUNCTUATION:
        return f"'{kind}'"
    if kind in OPERATORS:
        return f"`{kind}`"
    if kind in KEYWORDS or kind in CONTEXTUAL_KEYWORDS:
        return f"keyword `{kind}`"
    return kind.replace("_", " ")


def describe_text(text: str) -> str:
    """Describe a token found in the source (the "found X" part)."""
    if not text:
        return "eof"
    if text in PUNCTUATION:
        return f"'{text}'"
    if text in OPERATORS:
        return f"`{text}`"
    if text in KEYWORDS:
        return f"keyword `{text}`"
    if text.startswith("%"):
        return "an '%' identifier"
    if text.startswith('"'):
        return "a string literal"
    if text[0].isdigit():
        return "an integer"
    if text[0].isalpha() or text[0] == "_":
        return "an identifier"
    return f"'{text}'"


def join_alternatives(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} or {items[1]}"
    return ", ".join(items[:-1]) + f", or {items[-1]}"
