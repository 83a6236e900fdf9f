"""Feature requests: module-level functions of the server and the params. Each opens a
:class:`~wit_ls.lsp.server.Request` for its document, converts in, calls a
:mod:`wit_ls.features` function, converts out. :data:`HANDLERS` lists them with their
registration options and what a failing request answers (it is logged)."""

from __future__ import annotations

import asyncio
import json
import zlib
from collections.abc import Callable

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcInvalidParams

from wit_ls.features import auto_import, graph_render, hierarchy, navigation, structure, usage
from wit_ls.features import code_actions as actions_feature
from wit_ls.features import completion as completion_feature
from wit_ls.features import formatting as formatting_feature
from wit_ls.features import graph as graph_feature
from wit_ls.features import hints as hints_feature
from wit_ls.features import hover as hover_feature
from wit_ls.features import semantic_tokens as tokens_feature
from wit_ls.features import symbols as symbols_feature
from wit_ls.features.auto_import import AutoImport
from wit_ls.features.common import FeatureContext
from wit_ls.lsp import breaking_view, first_forms
from wit_ls.lsp.convert import COMPLETION_KINDS, SYMBOL_KINDS, JsonText, uri_of
from wit_ls.lsp.format_options import format_options
from wit_ls.lsp.outline_rows import KeptOutline
from wit_ls.lsp.server import Handler, Request, WitLanguageServer, handler, plain_json
from wit_ls.lsp.token_rows import KeptRows
from wit_ls.model.api import Location

LEGEND = lsp.SemanticTokensLegend(token_types=list(tokens_feature.TOKEN_TYPES),
                                  token_modifiers=list(tokens_feature.TOKEN_MODIFIERS))


# Long loops of cancellable requests yield to the message loop this often.
_YIELD_EVERY = 64


def _empty() -> list[object]:
    return []


# ---- hover and navigation -------------------------------------------------------------------


def hover(ls: WitLanguageServer, params: lsp.HoverParams) -> lsp.Hover | None:
    req = ls.request(params.text_document.uri)
    if req is None:
        return None
    result = hover_feature.hover(req.features, req.offset(params.position))
    if result is None:
        return None
    kind = lsp.MarkupKind.Markdown if ls.client.markdown_hover else lsp.MarkupKind.PlainText
    return lsp.Hover(contents=lsp.MarkupContent(kind=kind, value=result.markdown),
                     range=req.range(result.start, result.end))


def _navigate(ls: WitLanguageServer,
              params: lsp.DefinitionParams | lsp.DeclarationParams | lsp.TypeDefinitionParams,
              find: Callable[[FeatureContext, int], list[Location]]
              ) -> list[lsp.Location] | None:
    req = ls.request(params.text_document.uri)
    if req is None:
        return None
    return ls.conv.locations(find(req.features, req.offset(params.position))) or None


def definition(ls: WitLanguageServer, params: lsp.DefinitionParams
               ) -> list[lsp.Location] | None:
    return _navigate(ls, params, navigation.definition)


def declaration(ls: WitLanguageServer, params: lsp.DeclarationParams
                ) -> list[lsp.Location] | None:
    return _navigate(ls, params, navigation.declaration)


def type_definition(ls: WitLanguageServer, params: lsp.TypeDefinitionParams
                    ) -> list[lsp.Location] | None:
    return _navigate(ls, params, navigation.type_definition)


async def references(ls: WitLanguageServer, params: lsp.ReferenceParams
                     ) -> list[lsp.Location] | None:
    """Over every package of the workspace, analysed one at a time (cancellable)."""
    req = ls.request(params.text_document.uri)
    if req is None:
        return None
    offset = req.offset(params.position)
    await ls.analysed(ls.ws.package_roots())
    found = navigation.references(req.workspace_features(), offset,
                                  params.context.include_declaration)
    return ls.conv.locations(found)


def highlight(ls: WitLanguageServer, params: lsp.DocumentHighlightParams
              ) -> list[lsp.DocumentHighlight] | None:
    req = ls.request(params.text_document.uri)
    if req is None:
        return None
    found = navigation.highlights(req.features, req.offset(params.position))
    return [lsp.DocumentHighlight(
        range=req.range(h.start, h.end),
        kind=lsp.DocumentHighlightKind.Write if h.declaration else lsp.DocumentHighlightKind.Read)
        for h in found]


# ---- rename ---------------------------------------------------------------------------------


def prepare_rename(ls: WitLanguageServer, params: lsp.PrepareRenameParams
                   ) -> lsp.PrepareRenamePlaceholder | None:
    req = ls.request(params.text_document.uri)
    if req is None:
        return None
    found = navigation.prepare_rename(req.workspace_features(), req.offset(params.position))
    if found is None:
        return None
    start, end, text = found
    return lsp.PrepareRenamePlaceholder(range=req.range(start, end), placeholder=text)


def rename(ls: WitLanguageServer, params: lsp.RenameParams) -> lsp.WorkspaceEdit | None:
    req = ls.request(params.text_document.uri)
    if req is None:
        return None
    annotations = ls.client.change_annotations
    result = navigation.rename(req.workspace_features(), req.offset(params.position),
                               params.new_name, is_dependency=ls.ws.is_dependency,
                               allow_dependency_edits=annotations)
    if result.error is not None:
        raise JsonRpcInvalidParams(result.error)
    return ls.conv.workspace_edit(result.edits, req.versions(), ls.client.document_changes,
                                  annotations)


# ---- completion -----------------------------------------------------------------------------


def completion(ls: WitLanguageServer, params: lsp.CompletionParams) -> lsp.CompletionList | None:
    req = ls.request(params.text_document.uri)
    if req is None:
        return None
    snippets = ls.client.snippets
    result = completion_feature.complete(req.features, req.offset(params.position), snippets)
    rng = req.range(result.replace_start, result.replace_end)
    items: list[lsp.CompletionItem] = []
    for item in result.items:
        text = item.insert_text if item.insert_text is not None else item.label
        fmt = lsp.InsertTextFormat.PlainText
        if snippets and item.snippet is not None:
            text, fmt = item.snippet, lsp.InsertTextFormat.Snippet
        elif item.snippet is not None and item.kind == "snippet":
            continue
        data: dict[str, object] | None = None
        if item.target is not None:
            data = {"uri": params.text_document.uri, "path": item.target.path,
                    "start": item.target.start, "end": item.target.end}
        additional: list[lsp.TextEdit] | None = None
        if item.auto_import is not None:
            if ls.client.resolve_additional_edits:
                data = {**(data or {"uri": params.text_document.uri}),
                        "at": result.replace_start, "use": _auto_import_json(item.auto_import)}
            else:
                additional = _import_edits(req, result.replace_start, item.auto_import)
        items.append(lsp.CompletionItem(
            label=item.label,
            kind=COMPLETION_KINDS.get(item.kind, lsp.CompletionItemKind.Text),
            detail=item.detail or None,
            sort_text=item.sort_text,
            filter_text=item.label,
            insert_text_format=fmt,
            text_edit=lsp.TextEdit(range=rng, new_text=text),
            additional_text_edits=additional,
            data=data))
    return lsp.CompletionList(is_incomplete=False, items=items)


def _auto_import_json(wanted: AutoImport) -> dict[str, object]:
    return {"interface": wanted.interface, "name": wanted.name, "alias": wanted.alias,
            "path": wanted.declared.path, "start": wanted.declared.start,
            "end": wanted.declared.end}


def _auto_import_of(value: object) -> AutoImport | None:
    if not isinstance(value, dict):
        return None
    interface, name, alias = value.get("interface"), value.get("name"), value.get("alias")
    path, start, end = value.get("path"), value.get("start"), value.get("end")
    if not (isinstance(interface, str) and isinstance(name, str) and isinstance(path, str)
            and isinstance(start, int) and isinstance(end, int)
            and (alias is None or isinstance(alias, str))):
        return None
    return AutoImport(interface, name, alias, Location(path, start, end))


def _import_edits(req: Request, offset: int, wanted: AutoImport) -> list[lsp.TextEdit]:
    return [lsp.TextEdit(range=req.range(edit.start, edit.end), new_text=edit.new_text)
            for edit in auto_import.import_edits(req.features, offset, wanted)
            if edit.path == req.path]


def completion_resolve(ls: WitLanguageServer, item: lsp.CompletionItem) -> lsp.CompletionItem:
    data = plain_json(item.data)
    if not isinstance(data, dict):
        return item
    uri, path, start, end = data.get("uri"), data.get("path"), data.get("start"), data.get("end")
    if not (isinstance(uri, str) and isinstance(path, str) and isinstance(start, int)
            and isinstance(end, int)):
        return item
    req = ls.request(uri)
    if req is None:
        return item
    wanted = _auto_import_of(data.get("use"))
    at = data.get("at")
    if wanted is not None and isinstance(at, int):
        item.additional_text_edits = _import_edits(req, at, wanted)
    docs = completion_feature.resolve_documentation(req.features, Location(path, start, end))
    if docs:
        kind = (lsp.MarkupKind.Markdown if ls.client.markdown_completion_docs
                else lsp.MarkupKind.PlainText)
        item.documentation = lsp.MarkupContent(kind=kind, value=docs)
    return item


# ---- symbols --------------------------------------------------------------------------------


def document_symbol(ls: WitLanguageServer, params: lsp.DocumentSymbolParams
                    ) -> JsonText | list[lsp.SymbolInformation]:
    """Hierarchical symbols (what VS Code asks for after every change) are sent as JSON text
    made directly (see :class:`~wit_ls.lsp.convert.JsonText`)."""
    req = ls.request(params.text_document.uri)
    if req is None:
        return []
    if ls.client.hierarchical_symbols:
        return JsonText(_outline(ls, req).symbols_json(req.tree, ls.conv.encoding))
    syms = symbols_feature.document_symbols(req.tree)
    return ls.conv.flat_symbols(req.index, params.text_document.uri, syms)


def _outline(ls: WitLanguageServer, req: Request) -> KeptOutline:
    """What the last symbols and folding ranges of the document made (see
    :mod:`wit_ls.lsp.outline_rows`)."""
    kept = ls.outline_rows.get(req.path)
    if kept is None:
        kept = ls.outline_rows[req.path] = KeptOutline()
    return kept


async def workspace_symbol(ls: WitLanguageServer, params: lsp.WorkspaceSymbolParams
                           ) -> list[lsp.WorkspaceSymbol]:
    """Over every package of the workspace, analysed one at a time (cancellable)."""
    await ls.analysed(ls.ws.package_roots())
    analysis = ls.ws.global_analysis()
    found = symbols_feature.workspace_symbols(analysis.all_symbols(), params.query)
    out = []
    for i, sym in enumerate(found):
        if i % _YIELD_EVERY == _YIELD_EVERY - 1:
            await asyncio.sleep(0)
        converted = ls.conv.workspace_symbol(sym)
        if converted is not None:
            out.append(converted)
    return out


# ---- semantic tokens ------------------------------------------------------------------------


def _tokens(ls: WitLanguageServer, req: Request, start: int = 0, end: int | None = None
            ) -> tuple[str, list[int]]:
    """A result id and the data of the tokens in [start, end) (the whole document: those of
    the top-level declarations an edit did not change are the last answer's, moved)."""
    if start == 0 and end is None:
        kept = ls.token_rows.get(req.path)
        if kept is None:
            kept = ls.token_rows[req.path] = KeptRows()
        data = kept.data(req.tree, ls.conv)
    else:
        toks = tokens_feature.semantic_tokens(req.tree, start, end)
        data = ls.conv.semantic_data(req.index, toks)
    ls.token_counter += 1
    return f"{ls.token_counter}", data


def tokens_full(ls: WitLanguageServer, params: lsp.SemanticTokensParams
                ) -> lsp.SemanticTokens | None:
    req = ls.request(params.text_document.uri)
    if req is None:
        return None
    result_id, data = _tokens(ls, req)
    ls.token_cache[req.path] = (result_id, data)
    return lsp.SemanticTokens(data=data, result_id=result_id)


def tokens_delta(ls: WitLanguageServer, params: lsp.SemanticTokensDeltaParams
                 ) -> lsp.SemanticTokens | lsp.SemanticTokensDelta | None:
    req = ls.request(params.text_document.uri)
    if req is None:
        return None
    result_id, data = _tokens(ls, req)
    previous = ls.token_cache.get(req.path)
    ls.token_cache[req.path] = (result_id, data)
    if previous is None or previous[0] != params.previous_result_id:
        return lsp.SemanticTokens(data=data, result_id=result_id)
    start, delete, insert = tokens_feature.diff(previous[1], data)
    edits = [] if delete == 0 and not insert else [
        lsp.SemanticTokensEdit(start=start, delete_count=delete, data=insert)]
    return lsp.SemanticTokensDelta(edits=edits, result_id=result_id)


def tokens_range(ls: WitLanguageServer, params: lsp.SemanticTokensRangeParams
                 ) -> lsp.SemanticTokens | None:
    req = ls.request(params.text_document.uri)
    if req is None:
        return None
    start, end = req.offsets(params.range)
    return lsp.SemanticTokens(data=_tokens(ls, req, start, end)[1])


# ---- structure ------------------------------------------------------------------------------


def formatting(ls: WitLanguageServer, params: lsp.DocumentFormattingParams
               ) -> list[lsp.TextEdit] | None:
    req = ls.request(params.text_document.uri)
    if req is None:
        return None
    options = format_options(ls.ws.fs, req.path, params.options.tab_size,
                             params.options.insert_spaces, ls.log)
    edits = formatting_feature.formatting_edits(req.path, req.tree, options=options)
    return [ls.conv.text_edit(req.index, edit) for edit in edits]


def range_formatting(ls: WitLanguageServer, params: lsp.DocumentRangeFormattingParams
                     ) -> list[lsp.TextEdit] | None:
    req = ls.request(params.text_document.uri)
    if req is None:
        return None
    options = format_options(ls.ws.fs, req.path, params.options.tab_size,
                             params.options.insert_spaces, ls.log)
    start, end = req.offsets(params.range)
    edits = formatting_feature.range_formatting_edits(req.path, req.tree, start, end, options)
    return [ls.conv.text_edit(req.index, edit) for edit in edits]


def on_type_formatting(ls: WitLanguageServer, params: lsp.DocumentOnTypeFormattingParams
                       ) -> list[lsp.TextEdit] | None:
    req = ls.request(params.text_document.uri)
    if req is None:
        return None
    options = format_options(ls.ws.fs, req.path, params.options.tab_size,
                             params.options.insert_spaces, ls.log)
    edits = formatting_feature.on_type_formatting_edits(
        req.path, req.tree, req.offset(params.position), params.ch, options)
    return [ls.conv.text_edit(req.index, edit) for edit in edits]


def folding(ls: WitLanguageServer, params: lsp.FoldingRangeParams) -> JsonText | list[object]:
    """Sent as JSON text made directly, as the light first answer makes it."""
    req = ls.request(params.text_document.uri)
    if req is None:
        return []
    return JsonText(json.dumps([first_forms.folding_range(r)
                                for r in _outline(ls, req).folding_ranges(req.tree)]))


def selection(ls: WitLanguageServer, params: lsp.SelectionRangeParams
              ) -> list[lsp.SelectionRange]:
    req = ls.request(params.text_document.uri)
    if req is None:
        return []
    chains = structure.selection_ranges(req.tree, [req.offset(p) for p in params.positions])
    return [ls.conv.selection_range(req.index, chain) for chain in chains]


def links(ls: WitLanguageServer, params: lsp.DocumentLinkParams) -> list[lsp.DocumentLink]:
    req = ls.request(params.text_document.uri)
    if req is None:
        return []
    out = []
    for link in hints_feature.document_links(req.features):
        target_index = ls.line_index(link.target.path)
        target = uri_of(link.target.path)
        if target_index is not None:
            line, _ = target_index.position(link.target.start, "utf-32")
            target += f"#L{line + 1}"
        out.append(lsp.DocumentLink(
            range=req.range(link.start, link.end), target=target,
            tooltip=link.target.path if ls.client.link_tooltips else None))
    return out


def inlay(ls: WitLanguageServer, params: lsp.InlayHintParams) -> list[lsp.InlayHint]:
    req = ls.request(params.text_document.uri)
    if req is None:
        return []
    start, end = req.offsets(params.range)
    return [lsp.InlayHint(position=ls.conv.position(req.index, h.offset), label=h.label,
                          kind=lsp.InlayHintKind.Type, tooltip=h.tooltip or None,
                          padding_right=h.padding_right or None)
            for h in hints_feature.inlay_hints(req.features, start, end)]


# ---- code actions ---------------------------------------------------------------------------


async def code_action(ls: WitLanguageServer, params: lsp.CodeActionParams
                      ) -> list[lsp.CodeAction]:
    """Cancellable: it yields to the message loop while the package is analysed and every
    few actions (the edits name the document versions of the request's start)."""
    req = ls.request(params.text_document.uri)
    if req is None:
        return []
    start, end = req.offsets(params.range)
    versions = req.versions()
    await ls.analysed(ls.ws.roots_for(req.path))
    diags = [ls.conv.diagnostic_in(req.index, d, req.path) for d in params.context.diagnostics]
    # Clients that do not send `data` back still get the fixes: match the server's own.
    await ls.fresh_lint(req.path)
    own = ls.ws.diagnostics_for(req.path, "lint-cached")
    known = {(d.start, d.end, d.code, d.message): d for d in own}
    diags = [d if d.data else known.get((d.start, d.end, d.code, d.message), d) for d in diags]
    if not diags:
        diags = [d for d in own if d.start <= end and d.end >= start]
    wanted = params.context.only
    out: list[lsp.CodeAction] = breaking_view.bump_actions(ls, params)
    by_range = {(d.range.start.line, d.range.start.character, d.message): d
                for d in params.context.diagnostics}
    for i, action in enumerate(actions_feature.iter_code_actions(req.features, start, end,
                                                                 diags)):
        if i % _YIELD_EVERY == _YIELD_EVERY - 1:
            await asyncio.sleep(0)
        kind = (lsp.CodeActionKind.QuickFix if action.kind == "quickfix"
                else lsp.CodeActionKind.RefactorRewrite)
        if wanted and not any(kind.value.startswith(w.value if isinstance(w, lsp.CodeActionKind)
                                                    else w) for w in wanted):
            continue
        related = []
        for diag in action.diagnostics:
            pos = ls.conv.position(req.index, diag.start)
            found = by_range.get((pos.line, pos.character, diag.message))
            related.append(found if found is not None else ls.conv.diagnostic(req.index, diag))
        out.append(lsp.CodeAction(
            title=action.title, kind=kind, diagnostics=related or None,
            is_preferred=action.preferred or None,
            edit=ls.conv.workspace_edit(action.edits, versions,
                                        ls.client.document_changes, False)))
    return out


def code_lens(ls: WitLanguageServer, params: lsp.CodeLensParams) -> JsonText:
    """Sent as JSON text made directly (a 20,000-line file has thousands of usage lenses; see
    :class:`~wit_ls.lsp.convert.JsonText`)."""
    lenses = [_lens_json(lens) for lens in breaking_view.code_lenses(ls, params)]
    if ls.ws.settings.reference_lenses:
        lenses.extend(_usage_lenses(ls, params.text_document.uri))
    return JsonText(json.dumps(lenses))


def _lens_json(lens: lsp.CodeLens) -> dict[str, object]:
    """What the protocol's converter makes of a lens whose command has no tooltip."""
    out: dict[str, object] = {"range": _range_json(lens.range)}
    if lens.command is not None:
        command: dict[str, object] = {"title": lens.command.title,
                                      "command": lens.command.command}
        if lens.command.arguments is not None:
            command["arguments"] = lens.command.arguments
        out["command"] = command
    if lens.data is not None:
        out["data"] = lens.data
    return out


# The client-side command a usage lens runs: VS Code's extension turns its arguments (the
# document's URI, the name's position, the references as LSP locations) into
# `editor.action.showReferences`; editors/nvim/lsp/wit_ls.lua fills the quickfix list.
SHOW_REFERENCES = "wit.showReferences"


def _usage_lenses(ls: WitLanguageServer, uri: str) -> list[dict[str, object]]:
    """The usage lenses of a document without their commands: where they go needs the
    package's analysis only, a lens' counts the references of its name, which the client asks
    for (``codeLens/resolve``) for the lenses it shows (a 20,000-line file has thousands)."""
    req = ls.request(uri)
    if req is None:
        return []
    text = _text_id(req)
    position = req.index.position
    encoding = ls.conv.encoding
    out: list[dict[str, object]] = []
    for start, end, kind in usage.usage_places(req.workspace_features()):
        line, col = position(start, encoding)
        end_line, end_col = position(end, encoding)
        out.append({"range": {"start": {"line": line, "character": col},
                              "end": {"line": end_line, "character": end_col}},
                    "data": {"uri": uri, "text": text, "start": start, "end": end,
                             "kind": kind}})
    return out


def _text_id(req: Request) -> int:
    """What a usage lens' data names the text it was made for by (its places depend on that
    text alone): a checksum, the same whether the document is open or read from disk."""
    return zlib.crc32(req.tree.source)


def code_lens_resolve(ls: WitLanguageServer, lens: lsp.CodeLens) -> lsp.CodeLens:
    """A usage lens' title and command (see :func:`_usage_lenses`). A lens made for another
    text of its document is left as it is (the client asks for the lenses again after a
    change)."""
    data = plain_json(lens.data)
    if not isinstance(data, dict):
        return lens
    uri, text, start, end, kind = (data.get("uri"), data.get("text"), data.get("start"),
                                   data.get("end"), data.get("kind"))
    if not (isinstance(uri, str) and isinstance(text, int) and isinstance(start, int)
            and isinstance(end, int) and isinstance(kind, str)):
        return lens
    req = ls.request(uri)
    if req is None or _text_id(req) != text:
        return lens
    found = usage.usage_lens(req.workspace_features(), start, end, kind)
    rng = req.range(found.start, found.end)
    locations = [ls.conv.location(ref) for ref in found.references]
    argument = [{"uri": loc.uri, "range": _range_json(loc.range)}
                for loc in locations if loc is not None]
    lens.command = lsp.Command(title=found.title, command=SHOW_REFERENCES,
                               arguments=[uri, _range_json(rng)["start"], argument])
    return lens


def _range_json(rng: lsp.Range) -> dict[str, dict[str, int]]:
    return {"start": {"line": rng.start.line, "character": rng.start.character},
            "end": {"line": rng.end.line, "character": rng.end.character}}


# ---- type hierarchy -------------------------------------------------------------------------


def _hierarchy_item(ls: WitLanguageServer, item: hierarchy.HierarchyItem
                    ) -> lsp.TypeHierarchyItem | None:
    whole = ls.conv.location(Location(item.path, item.start, item.end))
    name = ls.conv.location(Location(item.path, item.name_start, item.name_end))
    if whole is None or name is None:
        return None
    return lsp.TypeHierarchyItem(
        name=item.name, kind=SYMBOL_KINDS.get(item.kind, lsp.SymbolKind.Interface),
        uri=whole.uri, range=whole.range, selection_range=name.range, detail=item.id,
        data={"id": item.id})


def _hierarchy_items(ls: WitLanguageServer, items: list[hierarchy.HierarchyItem]
                     ) -> list[lsp.TypeHierarchyItem] | None:
    out = [converted for item in items
           if (converted := _hierarchy_item(ls, item)) is not None]
    return out or None


def prepare_type_hierarchy(ls: WitLanguageServer, params: lsp.TypeHierarchyPrepareParams
                           ) -> list[lsp.TypeHierarchyItem] | None:
    req = ls.request(params.text_document.uri)
    if req is None:
        return None
    return _hierarchy_items(ls, hierarchy.prepare(req.workspace_features(),
                                                  req.offset(params.position)))


def _related_types(ls: WitLanguageServer, item: lsp.TypeHierarchyItem, upward: bool
                   ) -> list[lsp.TypeHierarchyItem] | None:
    data = plain_json(item.data)
    item_id = data.get("id") if isinstance(data, dict) else None
    req = ls.request(item.uri)
    if req is None or not isinstance(item_id, str):
        return None
    find = hierarchy.supertypes if upward else hierarchy.subtypes
    return _hierarchy_items(ls, find(req.workspace_features(), item_id))


def supertypes(ls: WitLanguageServer, params: lsp.TypeHierarchySupertypesParams
               ) -> list[lsp.TypeHierarchyItem] | None:
    return _related_types(ls, params.item, upward=True)


def subtypes(ls: WitLanguageServer, params: lsp.TypeHierarchySubtypesParams
             ) -> list[lsp.TypeHierarchyItem] | None:
    return _related_types(ls, params.item, upward=False)


# ---- custom requests ------------------------------------------------------------------------


def _field(params: object, *names: str) -> object:
    """A field of custom-request params (plain JSON once converted)."""
    value = plain_json(params)
    for name in names:
        if not isinstance(value, dict):
            return None
        value = value.get(name)
    return value


def syntax_tree(ls: WitLanguageServer, params: object) -> dict[str, str]:
    uri = _field(params, "textDocument", "uri")
    req = ls.request(uri) if isinstance(uri, str) else None
    if req is None:
        return {"text": ""}
    return {"text": structure.syntax_tree_text(req.tree)}


def elaborated_world(ls: WitLanguageServer, params: object) -> dict[str, str]:
    uri = _field(params, "textDocument", "uri")
    req = ls.request(uri) if isinstance(uri, str) else None
    if req is None:
        return {"text": ""}
    line = _field(params, "position", "line")
    character = _field(params, "position", "character")
    offset = 0
    if isinstance(line, int) and isinstance(character, int):
        offset = req.offset(lsp.Position(line=line, character=character))
    text = req.features.analysis.elaborated_world(req.path, offset)
    return {"text": text or ""}


def _no_text() -> dict[str, str]:
    return {"text": ""}


def world_graph(ls: WitLanguageServer, params: object) -> dict[str, object] | None:
    """``wit-ls/worldGraph``: the graph of a world (docs/graph.md)."""
    uri = _field(params, "textDocument", "uri")
    req = ls.request(uri) if isinstance(uri, str) else None
    if req is None:
        return None
    line = _field(params, "position", "line")
    character = _field(params, "position", "character")
    world = _field(params, "world")
    offset = None
    if isinstance(line, int) and isinstance(character, int):
        offset = req.offset(lsp.Position(line=line, character=character))
    found = graph_feature.graph_for_editor(req.features.analysis, req.path, offset,
                                           world if isinstance(world, str) else None)

    def locate(path: str, start: int, end: int) -> object:
        loc = ls.conv.location(Location(path, start, end))
        if loc is None:
            return None
        return {"uri": loc.uri, "range": _range_json(loc.range)}

    return {"world": found.world, "worlds": list(found.worlds),
            "graph": graph_render.to_json(found.graph, locate, draw_ids=True),
            "mermaid": graph_render.to_mermaid(found.graph),
            "dot": graph_render.to_dot(found.graph)}


HANDLERS: list[Handler] = [
    handler(lsp.TEXT_DOCUMENT_HOVER, hover),
    handler(lsp.TEXT_DOCUMENT_DEFINITION, definition),
    handler(lsp.TEXT_DOCUMENT_DECLARATION, declaration),
    handler(lsp.TEXT_DOCUMENT_TYPE_DEFINITION, type_definition),
    handler(lsp.TEXT_DOCUMENT_REFERENCES, references),
    handler(lsp.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT, highlight),
    handler(lsp.TEXT_DOCUMENT_PREPARE_RENAME, prepare_rename),
    handler(lsp.TEXT_DOCUMENT_RENAME, rename),
    handler(lsp.TEXT_DOCUMENT_COMPLETION, completion, options=lsp.CompletionOptions(
        trigger_characters=[":", ".", "{", "@", "<", "/", " ", ","], resolve_provider=True)),
    handler(lsp.COMPLETION_ITEM_RESOLVE, completion_resolve),
    handler(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL, document_symbol, _empty),
    handler(lsp.WORKSPACE_SYMBOL, workspace_symbol, _empty),
    handler(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, tokens_full,
            options=lsp.SemanticTokensRegistrationOptions(
                legend=LEGEND, full=lsp.SemanticTokensFullDelta(delta=True), range=True,
                document_selector=[lsp.TextDocumentFilterLanguage(language="wit")])),
    handler(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL_DELTA, tokens_delta),
    handler(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_RANGE, tokens_range),
    handler(lsp.TEXT_DOCUMENT_FORMATTING, formatting),
    handler(lsp.TEXT_DOCUMENT_RANGE_FORMATTING, range_formatting),
    handler(lsp.TEXT_DOCUMENT_ON_TYPE_FORMATTING, on_type_formatting,
            options=lsp.DocumentOnTypeFormattingOptions(first_trigger_character="}",
                                                        more_trigger_character=[";"])),
    handler(lsp.TEXT_DOCUMENT_FOLDING_RANGE, folding, _empty),
    handler(lsp.TEXT_DOCUMENT_SELECTION_RANGE, selection, _empty),
    handler(lsp.TEXT_DOCUMENT_DOCUMENT_LINK, links, _empty,
            lsp.DocumentLinkOptions(resolve_provider=False)),
    handler(lsp.TEXT_DOCUMENT_INLAY_HINT, inlay, _empty),
    handler(lsp.TEXT_DOCUMENT_CODE_ACTION, code_action, _empty, lsp.CodeActionOptions(
        code_action_kinds=[lsp.CodeActionKind.QuickFix, lsp.CodeActionKind.RefactorRewrite])),
    handler(lsp.TEXT_DOCUMENT_CODE_LENS, code_lens, _empty,
            lsp.CodeLensOptions(resolve_provider=True)),
    handler(lsp.CODE_LENS_RESOLVE, code_lens_resolve),
    handler(lsp.TEXT_DOCUMENT_PREPARE_TYPE_HIERARCHY, prepare_type_hierarchy),
    handler(lsp.TYPE_HIERARCHY_SUPERTYPES, supertypes),
    handler(lsp.TYPE_HIERARCHY_SUBTYPES, subtypes),
    handler("wit-ls/syntaxTree", syntax_tree, _no_text),
    handler("wit-ls/elaboratedWorld", elaborated_world, _no_text),
    handler("wit-ls/worldGraph", world_graph),
]
