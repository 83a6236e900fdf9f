"""Hover: the item's WIT signature, docs, gates, where it is defined, and for a resource its
constructor and methods, for a type alias what it resolves to; for types and functions their
Canonical ABI facts."""

from __future__ import annotations

from dataclasses import dataclass

from wit_ls.features.common import (
    DECLARATIONS,
    FeatureContext,
    attributes_of,
    doc_comment_before,
    identifier_at,
    signature_text,
)
from wit_ls.model.abi import MAX_FLAT_PARAMS, MAX_FLAT_RESULTS, MAX_SIZE
from wit_ls.model.api import AbiFacts
from wit_ls.model.symbols import Symbol


@dataclass(frozen=True)
class HoverResult:
    markdown: str
    start: int
    end: int


def render_symbol(sym: Symbol) -> str:
    """Markdown for a model symbol: signature, what an alias resolves to, a resource's members,
    gates, docs and where it is defined."""
    signature = sym.signature or sym.name
    lines = [f"```wit\n{signature}\n```"]
    if sym.kind == "type" and sym.resolved_type and sym.resolved_type not in signature:
        lines.append(f"Resolves to `{sym.resolved_type}`")
    if sym.kind == "resource":
        members = [c for c in sym.children
                   if c.kind in ("constructor", "method", "static", "getter", "setter")]
        if members:
            body = "\n".join(f"  {m.signature or m.name}" for m in members)
            lines.append(f"```wit\n{body}\n```")
    if sym.stability:
        lines.append(f"*{sym.stability}*")
    docs = sym.docs.strip()
    if docs:
        lines.append(docs)
    where = sym.container or sym.qualified
    if where:
        lines.append(f"Defined in `{where}`")
    return "\n\n---\n\n".join([lines[0], "\n\n".join(lines[1:])]) if len(lines) > 1 else lines[0]


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def render_abi(facts: AbiFacts) -> str:
    """One line of Canonical ABI facts: a type's size, alignment and flattening (and a list's
    element size), or how a function's parameters and results travel."""
    if facts.type is not None:
        t = facts.type
        shown = ", ".join(t.flat) + (", ..." if t.flat_count > len(t.flat) else "")
        parts = [f"{_plural(t.size, 'byte')}, align {t.align}",
                 f"flattens to {_plural(t.flat_count, 'value')} ({shown})"]
        if facts.element_size is not None:
            parts.append(f"element {_plural(facts.element_size, 'byte')}")
        if t.size > MAX_SIZE:
            parts.append("too large for a 32-bit memory")
        return "Canonical ABI: " + " · ".join(parts)
    f = facts.function
    if f is None:
        return ""
    params = _plural(f.flat_params, "flat parameter")
    if f.params_in_memory:
        params += f" → passed through memory (more than {MAX_FLAT_PARAMS})"
    results = _plural(f.flat_results, "flat result")
    if f.results_in_memory:
        results += f" → returned through memory (more than {MAX_FLAT_RESULTS})"
    return f"Canonical ABI: {params} · {results}"


def hover(ctx: FeatureContext, offset: int) -> HoverResult | None:
    ident = identifier_at(ctx.tree, offset)
    sym = ctx.analysis.symbol_at(ctx.path, offset)
    if sym is not None:
        if ident is not None:
            start, end = ident.start_byte, ident.end_byte
        else:
            start, end = offset, offset
        markdown = render_symbol(sym)
        facts = ctx.analysis.abi_at(ctx.path, offset)
        abi = render_abi(facts) if facts is not None else ""
        if abi:
            markdown += f"\n\n{abi}"
        return HoverResult(markdown, start, end)
    # A declaration the model has no symbol for: from the syntax alone.
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
