"""Hover: the item's WIT signature, docs, gates, where it is defined, and for a resource its
constructor and methods, for a type alias what it resolves to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wit_ls.features.common import (
    DECLARATIONS,
    Context,
    attributes_of,
    doc_comment_before,
    identifier_at,
    signature_text,
)


@dataclass(frozen=True)
class HoverResult:
    markdown: str
    start: int
    end: int


def _stability_text(stability: Any) -> str:
    if stability is None or stability == "":
        return ""
    if isinstance(stability, str):
        return stability
    parts = []
    for attr in ("since", "unstable", "feature", "deprecated"):
        value = getattr(stability, attr, None)
        if value:
            if attr == "feature":
                parts.append(f"@unstable(feature = {value})")
            elif attr == "unstable":
                parts.append(f"@unstable(feature = {value})" if isinstance(value, str)
                             else "@unstable")
            else:
                parts.append(f"@{attr}(version = {value})")
    return " ".join(dict.fromkeys(parts)) if parts else str(stability)


def _container_text(container: Any) -> str:
    if container is None:
        return ""
    if isinstance(container, str):
        return container
    return str(getattr(container, "qualified", None) or getattr(container, "name", "") or "")


def render_symbol(sym: Any) -> str:
    signature = str(getattr(sym, "signature", "") or getattr(sym, "name", ""))
    lines = [f"```wit\n{signature}\n```"]
    kind = str(getattr(sym, "kind", ""))
    resolved = getattr(sym, "resolved_type", None)
    if kind == "type" and resolved:
        resolved_text = str(getattr(resolved, "signature", resolved))
        if resolved_text and resolved_text not in signature:
            lines.append(f"Resolves to `{resolved_text}`")
    if kind == "resource":
        members = [c for c in getattr(sym, "children", ()) or ()
                   if str(getattr(c, "kind", "")) in
                   ("constructor", "method", "static", "getter", "setter")]
        if members:
            body = "\n".join(f"  {getattr(m, 'signature', '') or getattr(m, 'name', '')}"
                             for m in members)
            lines.append(f"```wit\n{body}\n```")
    gates = _stability_text(getattr(sym, "stability", None))
    if gates:
        lines.append(f"*{gates}*")
    docs = str(getattr(sym, "docs", "") or "").strip()
    if docs:
        lines.append(docs)
    container = _container_text(getattr(sym, "container", None))
    qualified = str(getattr(sym, "qualified", "") or "")
    where = container or qualified
    if where:
        lines.append(f"Defined in `{where}`")
    return "\n\n---\n\n".join([lines[0], "\n\n".join(lines[1:])]) if len(lines) > 1 else lines[0]


def hover(ctx: Context, offset: int) -> HoverResult | None:
    ident = identifier_at(ctx.tree, offset)
    if ctx.analysis is not None:
        sym = ctx.analysis.symbol_at(ctx.path, offset)
        if sym is not None:
            if ident is not None:
                start, end = ident.start_byte, ident.end_byte
            else:
                start, end = offset, offset
            return HoverResult(render_symbol(sym), start, end)
    # Without the model: the declaration under the cursor, from the syntax alone.
    if ident is None or ident.parent is None:
        return None
    decl = ident.parent
    if decl.type not in DECLARATIONS or decl.child_by_field_name("name") != ident:
        return None
    parts = [f"```wit\n{signature_text(ctx.tree, decl)}\n```"]
    gates = " ".join(f"@{n}{a}" for n, a in attributes_of(ctx.tree, decl))
    if gates:
        parts.append(f"*{gates}*")
    docs = doc_comment_before(ctx.tree, decl)
    if docs:
        parts.append(docs)
    return HoverResult("\n\n".join(parts), ident.start_byte, ident.end_byte)
