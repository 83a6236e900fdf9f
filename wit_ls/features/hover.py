"""Hover: what the item under the cursor is, the way a reader needs it.

A name is followed through ``use`` (and ``use ... as``, any number of hops) to the item that
defines it, and the hover shows that item's whole definition as WIT (printed from the resolved
model by :mod:`wit_ls.model.wit_text`, long bodies shortened with a count), its gates, its doc
comment, where it lives (with a link to the file) and the ``use`` hops that brought it here. An
interface (also on an ``import``/``export``/``use`` path) shows its doc comment and a summary of
what it holds; a package name its version and the versions present in ``deps/``. Types and
functions end with their Canonical ABI facts, and an error with a ``help`` note adds the note."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import quote

from tree_sitter import Node

from wit_ls.features.common import (
    DECLARATIONS,
    FeatureContext,
    ancestor,
    attributes_of,
    doc_comment_before,
    identifier_at,
    leaf_at,
    signature_text,
)
from wit_ls.model.abi import MAX_FLAT_PARAMS, MAX_FLAT_RESULTS, MAX_SIZE
from wit_ls.model.api import AbiFacts
from wit_ls.model.resolved import Loc, Resolve, RFunc, RPackage, Stability
from wit_ls.model.symbols import Symbol
from wit_ls.model.wit_text import definition_text, function_text, ident, world_text

# Names listed per kind in an interface's summary before the rest is left as a count.
_SUMMARY_NAMES = 6


@dataclass(frozen=True)
class HoverResult:
    markdown: str
    start: int
    end: int


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _join(code: str, rest: list[str]) -> str:
    """A WIT code block, then the other sections under a rule."""
    block = f"```wit\n{code}\n```"
    rest = [part for part in rest if part]
    return block + ("\n\n---\n\n" + "\n\n".join(rest) if rest else "")


def render_symbol(sym: Symbol) -> str:
    """Markdown for a model symbol (a field, case, parameter, or an item the resolved model does
    not describe): its signature, gates, docs and where it is defined."""
    lines: list[str] = []
    signature = sym.signature or sym.name
    if sym.kind == "type" and sym.resolved_type and sym.resolved_type not in signature:
        lines.append(f"Resolves to `{sym.resolved_type}`")
    if sym.stability:
        lines.append(f"*{sym.stability}*")
    lines.append(sym.docs.strip())
    where = sym.container or sym.qualified
    if where:
        lines.append(f"Defined in `{where}`")
    return _join(signature, lines)


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


# ---- where things live ----------------------------------------------------------------------


def file_link(ctx: FeatureContext, label: str, loc: Loc) -> str:
    """``label`` as inline code, linked to the line of ``loc`` when its path makes a file URI."""
    path = loc.path
    if path.startswith("/"):
        uri = PurePosixPath(path).as_uri()
    elif re.match(r"[A-Za-z]:/", path):
        uri = "file:///" + quote(path)
    else:
        return f"`{label}`"
    tree = ctx.tree_of(path)
    if tree is not None:
        line = tree.source.count(b"\n", 0, loc.start) + 1
        uri += f"#L{line}"
    return f"[`{label}`]({uri})"


def _package_of(r: Resolve, owner: tuple[str, int] | None) -> RPackage | None:
    if owner is None:
        return None
    item = r.interfaces[owner[1]] if owner[0] == "interface" else r.worlds[owner[1]]
    return r.packages[item.package] if item.package is not None else None


def _owner_name(r: Resolve, owner: tuple[str, int] | None) -> str:
    if owner is None:
        return ""
    if owner[0] == "interface":
        return r.interfaces[owner[1]].name or "<anonymous>"
    return r.worlds[owner[1]].name


def _owner_qualified(r: Resolve, owner: tuple[str, int] | None) -> str:
    """``wasi:io/streams@0.2.8`` for an interface, ``ns:pkg/world@v`` for a world."""
    if owner is None:
        return ""
    if owner[0] == "interface":
        return r.interface_qualified(owner[1])
    pkg = _package_of(r, owner)
    name = _owner_name(r, owner)
    if pkg is None:
        return name
    base = f"{pkg.namespace}:{pkg.name}/{name}"
    return f"{base}@{pkg.version}" if pkg.version else base


def _gates(stability: Stability) -> str:
    text = stability.text()
    return f"*{text}*" if text else ""


def _docs(docs: str | None) -> str:
    return (docs or "").strip()


# ---- what the resolved model knows -------------------------------------------------------------


def follow_use(r: Resolve, tid: int) -> tuple[int, list[tuple[str, str]]]:
    """The type that ``tid`` finally names when it was brought in by ``use`` (any number of
    hops), and each hop as (interface or world that has the ``use``, the name there)."""
    hops: list[tuple[str, str]] = []
    for _ in range(1000):
        t = r.types[tid]
        if t.kind != "type" or not t.args or not isinstance(t.args[0], int):
            break
        target = r.types[t.args[0]]
        if target.name is None or target.owner == t.owner:
            break  # `type x = y` inside one interface: an alias, shown as such
        hops.append((_owner_name(r, t.owner), t.name or ""))
        tid = target.id
    return tid, hops


def _via(hops: list[tuple[str, str]], final: str) -> str:
    if not hops:
        return ""
    names = [name for _, name in hops[1:]] + [final]
    shown = [f"`{owner}`" + (f" (as `{name}`)" if name != after else "")
             for (owner, name), after in zip(hops, names, strict=True)]
    return "via `use` in " + " → ".join(shown)


def _type_markdown(ctx: FeatureContext, r: Resolve, tid: int) -> str:
    defined, hops = follow_use(r, tid)
    t = r.types[defined]
    rest = [_gates(t.stability), _docs(t.docs)]
    if t.kind == "type":
        target = r.dealias(t.args[0] if t.args else None)
        if isinstance(target, int) and r.types[target].name is not None:
            named = r.types[target]
            rest.insert(0, f"Resolves to `{named.kind} {ident(named.name or '')}`")
    where = _owner_qualified(r, t.owner)
    place = [f"Defined in {file_link(ctx, where, t.loc)}"] if where else []
    via = _via(hops, t.name or "")
    rest.append(" · ".join([*place, via] if via else place))
    return _join(definition_text(r, defined), rest)


def _func_markdown(ctx: FeatureContext, r: Resolve, f: RFunc, owner: tuple[str, int]) -> str:
    rest = [_gates(f.stability), _docs(f.docs)]
    if f.resource is not None:
        kind = {"constructor": "Constructor"}.get(f.kind, "Static function" if "static" in f.kind
                                                   else "Method")
        rest.insert(0, f"{kind} of `resource {ident(r.types[f.resource].name or '')}`")
    rest.append(f"Defined in {file_link(ctx, _owner_qualified(r, owner), f.loc)}")
    return _join(function_text(r, f) + ";", rest)


def _names(names: list[str]) -> str:
    shown = ", ".join(f"`{n}`" for n in names[:_SUMMARY_NAMES])
    more = len(names) - _SUMMARY_NAMES
    return shown + (f" and {more} more" if more > 0 else "")


def interface_summary(r: Resolve, iid: int) -> str:
    """What an interface holds: its types by kind and its functions, with names, and the
    interfaces it takes types from."""
    iface = r.interfaces[iid]
    by_kind: dict[str, list[str]] = {}
    for name, tid in iface.types.items():
        t = r.types[tid]
        if follow_use(r, tid)[1]:
            continue  # brought in by `use`: listed under "uses"
        kind = "type" if t.kind == "type" else t.kind
        by_kind.setdefault(kind, []).append(name)
    funcs = [f.label for f in iface.functions.values() if f.resource is None]
    parts = [f"{_plural(len(names), kind)} ({_names(names)})" for kind, names in by_kind.items()]
    if funcs:
        parts.append(f"{_plural(len(funcs), 'function')} ({_names(funcs)})")
    text = "Holds " + (", ".join(parts) if parts else "nothing")
    uses = [r.interface_qualified(dep) for dep in r.interface_direct_deps(iid)]
    if uses:
        text += " · uses " + ", ".join(f"`{u}`" for u in uses)
    return text


def _interface_markdown(ctx: FeatureContext, r: Resolve, iid: int) -> str:
    iface = r.interfaces[iid]
    where = r.interface_qualified(iid)
    return _join(f"interface {ident(iface.name or '')}",
                 [_gates(iface.stability), _docs(iface.docs), interface_summary(r, iid),
                  f"Defined in {file_link(ctx, where, iface.loc)}"])


def _world_markdown(ctx: FeatureContext, r: Resolve, wid: int) -> str:
    world = r.worlds[wid]
    where = _owner_qualified(r, ("world", wid))
    return _join(world_text(r, world),
                 [_gates(world.stability), _docs(world.docs),
                  f"Defined in {file_link(ctx, where, world.loc)}"])


def _package_markdown(ctx: FeatureContext, key: str, version: str | None) -> str:
    """A package: its header, docs, and the versions of it that the workspace has loaded from
    ``deps/`` (how to get a missing one is the ``help`` note of its error)."""
    ns_name = key.split("@")[0]
    found: RPackage | None = None
    in_deps: set[str] = set()
    for resolver in ctx.analysis.resolvers():
        for pkg in resolver.r.packages:
            if f"{pkg.namespace}:{pkg.name}" != ns_name:
                continue
            if (pkg.version or None) == version and found is None:
                found = pkg
            if "/deps/" in pkg.loc.path:
                in_deps.add(pkg.version or "")
    rest = [_docs(found.docs) if found is not None else ""]
    if in_deps:
        listed = ", ".join(f"`{v}`" if v else "(no version)"
                           for v in sorted(in_deps, key=_version_key))
        rest.append(f"Versions in `deps/`: {listed}")
    else:
        rest.append(f"No version of `{ns_name}` in `deps/`")
    if found is not None:
        rest.append(f"Defined in {file_link(ctx, found.key, found.loc)}")
    return _join(f"package {key}", rest)


def _version_key(version: str) -> tuple[tuple[int, ...], int, str]:
    core, _, pre = version.partition("-")
    numbers = tuple(int(p) if p.isdigit() else 0 for p in core.split("."))
    return numbers, 0 if pre else 1, pre


def _describe(ctx: FeatureContext, r: Resolve, loc: Loc) -> str | None:
    """Markdown for the definition at ``loc``, or None when the resolved model has no item
    there (members and parameters)."""
    for t in r.types:
        if t.name is not None and t.loc == loc:
            return _type_markdown(ctx, r, t.id)
    for iface in r.interfaces:
        if iface.loc == loc:
            return _interface_markdown(ctx, r, iface.id)
        for f in iface.functions.values():
            if f.loc == loc:
                return _func_markdown(ctx, r, f, ("interface", iface.id))
    for world in r.worlds:
        if world.loc == loc:
            return _world_markdown(ctx, r, world.id)
        for item in [*world.imports.values(), *world.exports.values()]:
            if item.func is not None and item.func.loc == loc:
                return _func_markdown(ctx, r, item.func, ("world", world.id))
    for pkg in r.packages:
        if pkg.loc == loc:
            return _package_markdown(ctx, pkg.key, pkg.version)
    return None


# ---- the request --------------------------------------------------------------------------------


def _package_at(ctx: FeatureContext, offset: int) -> HoverResult | None:
    """A hover on a package name: in a ``package`` header, or the ``ns:name@version`` part of an
    ``import``/``export``/``use`` path."""
    leaf = leaf_at(ctx.tree, offset)
    node = ancestor(leaf, "package_name", "use_path", root=ctx.tree.root)
    if node is None:
        return None
    ns = node.child_by_field_name("namespace")
    name = node.child_by_field_name("package" if node.type == "use_path" else "name")
    if ns is None or name is None:
        return None
    interface: Node | None = node.child_by_field_name("name") if node.type == "use_path" \
        else None
    if interface is not None and interface.start_byte <= offset <= interface.end_byte:
        return None  # the interface part of a path: the interface's own hover
    version_node = node.child_by_field_name("version")
    source = ctx.tree.source
    version = (source[version_node.start_byte:version_node.end_byte].decode("utf-8", "replace")
               if version_node is not None else None)
    key = (source[ns.start_byte:name.end_byte].decode("utf-8", "replace")
           + (f"@{version}" if version else ""))
    end = name.end_byte if node.type == "use_path" else node.end_byte
    return HoverResult(_package_markdown(ctx, key, version), ns.start_byte, end)


def _help_at(ctx: FeatureContext, offset: int) -> tuple[str, int, int] | None:
    """The ``help`` note of an error under the cursor (:mod:`wit_ls.model.teach`), with the
    error's range."""
    for diag in ctx.analysis.diagnostics_for(ctx.path):
        note = diag.data.get("help") if diag.data else None
        if isinstance(note, str) and diag.start <= offset <= max(diag.end, diag.start + 1):
            return f"**help:** {note}", diag.start, diag.end
    return None


def hover(ctx: FeatureContext, offset: int) -> HoverResult | None:
    found = _item_hover(ctx, offset)
    helped = _help_at(ctx, offset)
    if helped is None:
        return found
    note, start, end = helped
    if found is None:
        return HoverResult(note, start, end)
    return HoverResult(f"{found.markdown}\n\n---\n\n{note}", found.start, found.end)


def _item_hover(ctx: FeatureContext, offset: int) -> HoverResult | None:
    ident_node = identifier_at(ctx.tree, offset)
    found = _package_at(ctx, offset)
    if found is not None:
        return found
    start, end = ((ident_node.start_byte, ident_node.end_byte) if ident_node is not None
                  else (offset, offset))
    resolved = ctx.analysis.resolved_at(ctx.path, offset)
    markdown = _describe(ctx, *resolved) if resolved is not None else None
    if markdown is None:
        sym = ctx.analysis.symbol_at(ctx.path, offset)
        if sym is not None:
            markdown = render_symbol(sym)
    if markdown is not None:
        facts = ctx.analysis.abi_at(ctx.path, offset)
        abi = render_abi(facts) if facts is not None else ""
        return HoverResult(markdown + (f"\n\n{abi}" if abi else ""), start, end)
    # A declaration the model has no symbol for: from the syntax alone.
    if ident_node is None or ident_node.parent is None:
        return None
    decl = ident_node.parent
    if decl.type not in DECLARATIONS or decl.child_by_field_name("name") != ident_node:
        return None
    gates = " ".join(f"@{n}{a}" for n, a in attributes_of(ctx.tree, decl))
    return HoverResult(_join(signature_text(ctx.tree, decl),
                             [f"*{gates}*" if gates else "", doc_comment_before(ctx.tree, decl)]),
                       ident_node.start_byte, ident_node.end_byte)

