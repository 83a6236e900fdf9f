"""Breaking changes against `breaking.against` in the editor, besides the diagnostics (which
the workspace adds to a file's own): code lenses per interface and world and on the package
line, and the code action that bumps the package version."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from wit_ls.lsp.convert import path_of, uri_of
from wit_ls.syntax import SyntaxTree

if TYPE_CHECKING:  # the comparison loads on first use (not before the first diagnostics)
    from wit_ls.breaking.live import LiveResult
    from wit_ls.lsp.server import WitLanguageServer


def _compared(ls: WitLanguageServer, uri: str) -> tuple[str, SyntaxTree, LiveResult] | None:
    """The document's path, tree and breaking changes, or None when there is no comparison."""
    path = path_of(uri)
    if path is None:
        return None
    tree = ls.ws.tree(path)
    result = ls.ws.breaking_result(path)
    if tree is None or result is None:
        return None
    return path, tree, result


def code_lenses(ls: WitLanguageServer, params: lsp.CodeLensParams) -> list[lsp.CodeLens]:
    compared = _compared(ls, params.text_document.uri)
    if compared is None:
        return []
    path, tree, result = compared
    index = tree.line_index
    out: list[lsp.CodeLens] = []
    for lens in result.lenses:
        if lens.path == path:
            out.append(lsp.CodeLens(range=ls.conv.range(index, lens.start, lens.end),
                                    command=lsp.Command(title=lens.title, command="")))
    for bump in result.bumps:
        if bump.path == path:
            out.append(lsp.CodeLens(
                range=ls.conv.range(index, bump.start, bump.end),
                command=lsp.Command(
                    title=f"{bump.reason}: version {bump.suggested} (now {bump.current})",
                    command="")))
    return out


def bump_actions(ls: WitLanguageServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    """"Bump the package version to X" when the range touches a package header that needs it."""
    uri = params.text_document.uri
    compared = _compared(ls, uri)
    if compared is None:
        return []
    path, tree, result = compared
    index = tree.line_index
    start, end = ls.conv.offsets(index, params.range)
    line_start = tree.source.rfind(b"\n", 0, start) + 1
    line_end = tree.source.find(b"\n", end)
    line_end = len(tree.source) if line_end < 0 else line_end
    out: list[lsp.CodeAction] = []
    for bump in result.bumps:
        if bump.path != path or bump.end < line_start or bump.start > line_end:
            continue
        changes: dict[str, list[lsp.TextEdit]] = {uri: [lsp.TextEdit(
            range=ls.conv.range(index, bump.version_start, bump.version_end),
            new_text=bump.suggested)]}
        # New items of the package get `@since` for the new version (the package uses it).
        for item_path, offset, indent in result.ungated:
            item_tree = ls.ws.tree(item_path)
            if item_tree is None:
                continue
            at = ls.conv.range(item_tree.line_index, offset, offset)
            changes.setdefault(uri_of(item_path), []).append(lsp.TextEdit(
                range=at, new_text=f"@since(version = {bump.suggested})\n{indent}"))
        out.append(lsp.CodeAction(
            title=f"Bump the package version to {bump.suggested}",
            kind=lsp.CodeActionKind.QuickFix, is_preferred=True,
            edit=lsp.WorkspaceEdit(changes=changes)))
    return out
