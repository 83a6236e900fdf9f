"""encoding-only-error: what `wasm-tools component wit` accepts but binary encoding rejects."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from wit_ls.lint.context import LintContext
from wit_ls.lint.rule import Finding, Fix, FixEdit, Rule
from wit_ls.lint.rules._util import contains


def _is_borrow(ctx: LintContext, node: Node) -> bool:
    kind = node.child_by_field_name("kind")
    return node.type == "handle_type" and kind is not None and ctx.text(kind) == "borrow"


def check(ctx: LintContext) -> Iterator[Finding]:
    for node in ctx.nodes("list_type"):
        size = node.child_by_field_name("size")
        if size is not None and ctx.text(size).isdigit() and int(ctx.text(size)) == 0:
            yield Finding(size.start_byte, size.end_byte,
                          "fixed-length lists must have more than zero elements; binary "
                          "encoding rejects `list<T, 0>` (use `list<T>` or a positive length)")
    for node in ctx.nodes("stream_type", "future_type"):
        element = node.child_by_field_name("element")
        if element is None:
            continue
        keyword = "stream" if node.type == "stream_type" else "future"
        if node.type == "stream_type" and element.type == "primitive_type" \
                and ctx.text(element) == "char":
            yield Finding(
                element.start_byte, element.end_byte,
                "`stream<char>` is not valid at this time: binary encoding rejects it; use "
                "`stream<u8>` with a documented encoding",
                Fix("Replace with `stream<u8>` (UTF-8 bytes)",
                    (FixEdit(element.start_byte, element.end_byte, "u8"),), "unsafe"),
            )
            continue
        found = contains(ctx, element, _is_borrow)
        if found is not None:
            yield Finding(
                found.start_byte, found.end_byte,
                f"`{keyword}` payload cannot contain a `borrow` type: binary encoding rejects "
                "it; pass an owned handle instead",
            )
    for node in ctx.nodes("package_name"):
        for field in ("namespace", "name"):
            part = node.child_by_field_name(field)
            if part is None:
                continue
            text = ctx.text(part)
            upper = next((ch for ch in text if ch.isupper()), None)
            if upper is not None:
                what = "namespace" if field == "namespace" else "name"
                yield Finding(
                    part.start_byte, part.end_byte,
                    f"character `{upper}` is not lowercase in package {what}: binary encoding "
                    "rejects upper-case package names",
                    Fix("Lower-case the package " + what,
                        (FixEdit(part.start_byte, part.end_byte, text.lower()),), "unsafe"),
                )


RULE = Rule(
    check=check,
    name="encoding-only-error",
    code="WIT101",
    category="correctness",
    default_level="error",
    fix="unsafe",
    summary="Constructs that parse but that binary encoding (`component wit --wasm`) rejects",
    what=(
        "Reports WIT that `wasm-tools component wit` accepts as text but that fails when the "
        "package is encoded as a binary or validated: `list<T, 0>`, `stream<char>`, an upper-case "
        "package namespace or name, and a `future` or `stream` payload that contains "
        "`borrow<..>` (directly or through a record, variant, tuple or alias of this package)."
    ),
    why=(
        "Every real use of a WIT package encodes it: `wit-bindgen`, `cargo component`, `jco` and "
        "publishing to a registry all fail on these, far from where the text was written."
    ),
    bad="package Acme:io;\n\ninterface text {\n    resource file;\n"
        "    read: func() -> stream<char>;\n"
        "    watch: func(f: future<borrow<file>>);\n}\n",
    good="package acme:io;\n\ninterface text {\n    resource file;\n    /// UTF-8 text.\n"
         "    read: func() -> stream<u8>;\n    watch: func(f: future<file>);\n}\n",
    fix_doc=(
        "Unsafe: `stream<char>` becomes `stream<u8>` (the payload changes from code points to "
        "bytes, so document the encoding) and upper-case package names are lower-cased (which "
        "renames the package). No fix for the other cases."
    ),
)
