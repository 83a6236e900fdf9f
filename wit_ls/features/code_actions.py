"""Quick fixes for diagnostics where the fix is certain, and small refactors."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from tree_sitter import Node

from wit_ls.features.common import (
    FeatureContext,
    FileEdit,
    ancestor,
    flatten_symbols,
    package_header,
)
from wit_ls.syntax import Diagnostic
from wit_ls.syntax.vocabulary import PRIMITIVE_TYPES, TYPE_DEFINITION_NODES


@dataclass
class CodeAction:
    title: str
    kind: str  # "quickfix" or "refactor.rewrite"
    edits: list[FileEdit]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    preferred: bool = False


_TYPE_KINDS = ("type", "record", "variant", "enum", "flags", "resource")
_QUOTED = re.compile(r"[`'\"]([%A-Za-z0-9-]+)[`'\"]")


def _name_in(ctx: FeatureContext, diag: Diagnostic) -> str | None:
    text = ctx.tree.source[diag.start:diag.end].decode("utf-8", "replace").strip()
    if re.fullmatch(r"%?[A-Za-z][A-Za-z0-9-]*", text):
        return text.lstrip("%")
    m = _QUOTED.search(diag.message)
    return m.group(1) if m else None


def _is_unknown(diag: Diagnostic) -> bool:
    text = f"{diag.code} {diag.message}".lower()
    return any(w in text for w in ("unknown", "not defined", "does not exist", "not found",
                                   "undefined", "no type named", "failed to find"))


def _enclosing_interface(ctx: FeatureContext, offset: int) -> Node | None:
    node = ctx.tree.root.descendant_for_byte_range(offset, offset)
    return ancestor(node, "interface_item", "world_item")


def _add_use(ctx: FeatureContext, diag: Diagnostic, name: str) -> list[CodeAction]:
    holder = _enclosing_interface(ctx, diag.start)
    if holder is None:
        return []
    holder_name = holder.child_by_field_name("name")
    here = ctx.tree.node_text(holder_name) if holder_name is not None else ""
    body = holder.child_by_field_name("body")
    if body is None:
        return []
    actions: list[CodeAction] = []
    seen: set[str] = set()
    for sym in flatten_symbols(ctx.analysis.all_symbols()):
        if sym.kind != "interface" or sym.name == here:
            continue
        members = [c for c in sym.children if c.kind in _TYPE_KINDS and c.name == name]
        if not members:
            continue
        same_package = "/deps/" not in sym.path and (
            sym.path.rsplit("/", 1)[0] == ctx.path.rsplit("/", 1)[0])
        iface = sym.name if same_package else (sym.qualified or sym.name)
        if iface in seen:
            continue
        seen.add(iface)
        # Reuse an existing `use iface.{...}` when there is one.
        edit: FileEdit | None = None
        for child in body.named_children:
            if child.type == "use_item":
                path = child.child_by_field_name("path")
                names = child.child_by_field_name("names")
                if path is not None and names is not None and ctx.tree.node_text(path) == iface:
                    close = names.children[-1]
                    inner = [c for c in names.named_children if c.type == "use_name"]
                    text = f", {name}" if inner else name
                    edit = FileEdit(ctx.path, close.start_byte, close.start_byte, text)
                    break
        if edit is None:
            open_brace = body.children[0]
            line_end = ctx.tree.source.find(b"\n", open_brace.end_byte)
            insert_at = line_end if line_end >= 0 else open_brace.end_byte
            indent = "  "
            first = next((c for c in body.named_children), None)
            if first is not None:
                line_start = ctx.tree.source.rfind(b"\n", 0, first.start_byte) + 1
                prefix = ctx.tree.source[line_start:first.start_byte].decode("utf-8", "replace")
                if not prefix.strip():
                    indent = prefix
            edit = FileEdit(ctx.path, insert_at, insert_at, f"\n{indent}use {iface}.{{{name}}};")
        actions.append(CodeAction(f"Add `use {iface}.{{{name}}}`", "quickfix", [edit], [diag],
                                  preferred=len(seen) == 1))
    return actions


def _did_you_mean(ctx: FeatureContext, diag: Diagnostic, name: str) -> list[CodeAction]:
    candidates: list[str] = []
    suggested = diag.data.get("suggestions") or diag.data.get("did_you_mean") if diag.data else None
    if isinstance(suggested, str):
        candidates = [suggested]
    elif isinstance(suggested, list):
        candidates = [s for s in suggested if isinstance(s, str)]
    m = re.search(r"did you mean [`'\"]([^`'\"]+)[`'\"]", diag.message)
    if m:
        candidates.insert(0, m.group(1))
    if not candidates:
        pool: set[str] = set()
        holder = _enclosing_interface(ctx, diag.start)
        if holder is not None:
            stack = [holder]
            while stack:
                node = stack.pop()
                for child in node.named_children:
                    if child.type in TYPE_DEFINITION_NODES or child.type in (
                            "use_name", "interface_item", "world_item"):
                        ident = child.child_by_field_name("alias") or child.child_by_field_name(
                            "name")
                        if ident is not None:
                            pool.add(ctx.tree.node_text(ident).lstrip("%"))
                    if child.type in ("interface_body", "world_body", "use_item", "use_names"):
                        stack.append(child)
        if not pool:
            for sym in flatten_symbols(ctx.analysis.all_symbols()):
                if sym.kind in (*_TYPE_KINDS, "interface", "world"):
                    pool.add(sym.name)
        at = ctx.tree.root.descendant_for_byte_range(diag.start, diag.end)
        if at is not None and at.parent is not None and at.parent.type == "named_type":
            pool |= PRIMITIVE_TYPES  # a type position: `u23` may be a mistyped `u32`
        pool.discard(name)
        candidates = difflib.get_close_matches(name, sorted(pool), n=3, cutoff=0.6)
    text = ctx.tree.source[diag.start:diag.end].decode("utf-8", "replace")
    start, end = diag.start, diag.end
    if name not in text:
        return []
    offset = text.index(name)
    start, end = diag.start + offset, diag.start + offset + len(name.encode())
    if start > 0 and ctx.tree.source[start - 1:start] == b"%":
        start -= 1
    return [CodeAction(f"Change to `{c}`", "quickfix", [FileEdit(ctx.path, start, end, c)], [diag],
                       preferred=i == 0 and len(candidates) == 1)
            for i, c in enumerate(dict.fromkeys(candidates))]


def _missing_semicolon(ctx: FeatureContext, diag: Diagnostic) -> list[CodeAction]:
    if "';'" not in diag.message and "`;`" not in diag.message:
        return []
    if not diag.message.startswith("expected") and "missing" not in diag.message:
        return []
    # Insert right after the token before the error (not at the start of the next line).
    at = diag.start
    src = ctx.tree.source
    back = at
    while back > 0 and src[back - 1:back] in (b" ", b"\t", b"\n", b"\r"):
        back -= 1
    return [CodeAction("Insert missing `;`", "quickfix", [FileEdit(ctx.path, back, back, ";")],
                       [diag], preferred=True)]


def _remove_unused_use(ctx: FeatureContext, diag: Diagnostic) -> list[CodeAction]:
    text = f"{diag.code} {diag.message}".lower()
    if "unused" not in text:
        return []
    node = ctx.tree.root.descendant_for_byte_range(diag.start, max(diag.start, diag.end - 1))
    use_name = ancestor(node, "use_name")
    use_item = ancestor(node, "use_item", "toplevel_use")
    if use_item is None:
        return []
    names_node = use_item.child_by_field_name("names")
    siblings = [c for c in names_node.named_children if c.type == "use_name"] if names_node else []
    src = ctx.tree.source
    if use_name is None or len(siblings) <= 1:
        start = src.rfind(b"\n", 0, use_item.start_byte) + 1
        end = use_item.end_byte
        if src[end:end + 1] == b"\n":
            end += 1
        if src[start:use_item.start_byte].strip():
            start = use_item.start_byte
        return [CodeAction("Remove unused `use`", "quickfix", [FileEdit(ctx.path, start, end, "")],
                           [diag], preferred=True)]
    index = next(i for i, s in enumerate(siblings) if s.id == use_name.id)
    if index + 1 < len(siblings):
        start, end = use_name.start_byte, siblings[index + 1].start_byte
    else:
        start, end = siblings[index - 1].end_byte, use_name.end_byte
    name_node = use_name.child_by_field_name("name")
    label = ctx.tree.node_text(name_node) if name_node is not None else "name"
    return [CodeAction(f"Remove unused `{label}`", "quickfix", [FileEdit(ctx.path, start, end, "")],
                       [diag], preferred=True)]


def _add_version(ctx: FeatureContext, diag: Diagnostic | None) -> list[CodeAction]:
    header = package_header(ctx.tree)
    if header is None:
        return []
    name = header.child_by_field_name("name")
    if name is None or name.child_by_field_name("version") is not None:
        return []
    return [CodeAction("Add a version to the package (`@0.1.0`)",
                       "quickfix" if diag is not None else "refactor.rewrite",
                       [FileEdit(ctx.path, name.end_byte, name.end_byte, "@0.1.0")],
                       [diag] if diag is not None else [])]


def code_actions(ctx: FeatureContext, start: int, end: int,
                 diagnostics: Sequence[Diagnostic]) -> list[CodeAction]:
    return list(iter_code_actions(ctx, start, end, diagnostics))


def iter_code_actions(ctx: FeatureContext, start: int, end: int,
                      diagnostics: Sequence[Diagnostic]) -> Iterator[CodeAction]:
    """The actions one at a time (the server yields to its message loop between them)."""
    versioned = False
    for diag in diagnostics:
        actions: list[CodeAction] = []
        actions.extend(_lint_actions(ctx, diag))
        actions.extend(_help_fix(ctx, diag))
        has_help_fix = bool(diag.data and "help_fix" in diag.data)
        if (diag.code == "syntax-error" or "expected" in diag.message) and not has_help_fix:
            actions.extend(_missing_semicolon(ctx, diag))
        if _is_unknown(diag):
            name = _name_in(ctx, diag)
            if name:
                actions.extend(_add_use(ctx, diag, name))
                actions.extend(_did_you_mean(ctx, diag, name))
        actions.extend(_remove_unused_use(ctx, diag))
        text = f"{diag.code} {diag.message}".lower()
        if "version" in text and "package" in text:
            actions.extend(_add_version(ctx, diag))
        versioned = versioned or any(a.title.startswith("Add a version") for a in actions)
        yield from actions
    header = package_header(ctx.tree)
    if header is not None and start <= header.end_byte and header.start_byte <= end and \
            not versioned:
        yield from _add_version(ctx, None)


def _help_fix(ctx: FeatureContext, diag: Diagnostic) -> list[CodeAction]:
    """The fix that goes with a diagnostic's help note (:mod:`wit_ls.model.teach`)."""
    fix = diag.data.get("help_fix") if diag.data else None
    if not isinstance(fix, dict) or not isinstance(fix.get("title"), str):
        return []
    edits: list[FileEdit] = []
    for edit in fix.get("edits") or []:
        if (isinstance(edit, list) and len(edit) == 3 and isinstance(edit[0], int)
                and isinstance(edit[1], int) and isinstance(edit[2], str)
                and 0 <= edit[0] <= edit[1] <= len(ctx.tree.source)):
            edits.append(FileEdit(ctx.path, edit[0], edit[1], edit[2]))
    if not edits:
        return []
    return [CodeAction(fix["title"], "quickfix", edits, [diag],
                       preferred=fix.get("preferred", True) is not False)]


def _lint_actions(ctx: FeatureContext, diag: Diagnostic) -> list[CodeAction]:
    """A lint finding's fix and its "suppress here" / "suppress in this file" actions, from the
    lint layer (empty for diagnostics that are not lint findings)."""
    if not diag.data or "rule" not in diag.data:
        return []
    out: list[CodeAction] = []
    from wit_ls.lint.fixes import code_actions as lint_code_actions  # the rules load on use

    for action in lint_code_actions(diag, ctx.tree):
        edits = [FileEdit(ctx.path, e.start, e.end, e.new_text.decode("utf-8", "replace"))
                 for e in action.edits]
        if edits:
            out.append(CodeAction(action.title, "quickfix", edits, [diag],
                                  preferred=action.preferred))
    return out
