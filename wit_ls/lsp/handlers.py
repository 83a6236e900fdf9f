"""Feature requests: each converts in, calls a :mod:`wit_ls.features` function, converts out.
Every handler is guarded: an exception is logged and answered with an empty result."""

from __future__ import annotations

from typing import Any

from lsprotocol import types as lsp

from wit_ls.features import code_actions as actions_feature
from wit_ls.features import completion as completion_feature
from wit_ls.features import formatting as formatting_feature
from wit_ls.features import hints as hints_feature
from wit_ls.features import hover as hover_feature
from wit_ls.features import navigation, structure
from wit_ls.features import semantic_tokens as tokens_feature
from wit_ls.features import symbols as symbols_feature
from wit_ls.features.common import Location
from wit_ls.lsp import breaking_view
from wit_ls.lsp.convert import COMPLETION_KINDS, path_of, uri_of
from wit_ls.lsp.server import WitLanguageServer, guarded

LEGEND = lsp.SemanticTokensLegend(token_types=list(tokens_feature.TOKEN_TYPES),
                                  token_modifiers=list(tokens_feature.TOKEN_MODIFIERS))


def _none() -> None:
    return None


def _empty() -> list[Any]:
    return []


def _get(obj: Any, *names: str) -> Any:
    """Field access on custom-request params (a dict or an object)."""
    for name in names:
        if obj is None:
            return None
        obj = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
    return obj


def register(server: WitLanguageServer) -> None:
    # ---- hover and navigation --------------------------------------------------------

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    @guarded(_none)
    def hover(ls: WitLanguageServer, params: lsp.HoverParams) -> lsp.Hover | None:
        ctx = ls.context(params.text_document.uri)
        if ctx is None:
            return None
        index = ctx.tree.line_index
        result = hover_feature.hover(ctx, ls.conv.offset(index, params.position))
        if result is None:
            return None
        formats = ls.capability("text_document.hover.content_format", []) or []
        kind = (lsp.MarkupKind.Markdown if not formats or lsp.MarkupKind.Markdown in formats
                else lsp.MarkupKind.PlainText)
        return lsp.Hover(contents=lsp.MarkupContent(kind=kind, value=result.markdown),
                         range=ls.conv.range(index, result.start, result.end))

    def _nav(ls: WitLanguageServer, params: Any,
             fn: Any) -> list[lsp.Location] | None:
        ctx = ls.context(params.text_document.uri)
        if ctx is None:
            return None
        found: list[Location] = fn(ctx, ls.conv.offset(ctx.tree.line_index, params.position))
        return ls.conv.locations(found) or None

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    @guarded(_none)
    def definition(ls: WitLanguageServer, params: lsp.DefinitionParams
                   ) -> list[lsp.Location] | None:
        return _nav(ls, params, navigation.definition)

    @server.feature(lsp.TEXT_DOCUMENT_DECLARATION)
    @guarded(_none)
    def declaration(ls: WitLanguageServer, params: lsp.DeclarationParams
                    ) -> list[lsp.Location] | None:
        return _nav(ls, params, navigation.declaration)

    @server.feature(lsp.TEXT_DOCUMENT_TYPE_DEFINITION)
    @guarded(_none)
    def type_definition(ls: WitLanguageServer, params: lsp.TypeDefinitionParams
                        ) -> list[lsp.Location] | None:
        return _nav(ls, params, navigation.type_definition)

    @server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    @guarded(_none)
    def references(ls: WitLanguageServer, params: lsp.ReferenceParams
                   ) -> list[lsp.Location] | None:
        ctx = ls.global_context(params.text_document.uri)
        if ctx is None:
            return None
        offset = ls.conv.offset(ctx.tree.line_index, params.position)
        found = navigation.references(ctx, offset, params.context.include_declaration)
        return ls.conv.locations(found)

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT)
    @guarded(_none)
    def highlight(ls: WitLanguageServer, params: lsp.DocumentHighlightParams
                  ) -> list[lsp.DocumentHighlight] | None:
        ctx = ls.context(params.text_document.uri)
        if ctx is None:
            return None
        index = ctx.tree.line_index
        found = navigation.highlights(ctx, ls.conv.offset(index, params.position))
        return [lsp.DocumentHighlight(
            range=ls.conv.range(index, s, e),
            kind=lsp.DocumentHighlightKind.Write if decl else lsp.DocumentHighlightKind.Read)
            for s, e, decl in found]

    # ---- rename ----------------------------------------------------------------------

    @server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
    @guarded(_none)
    def prepare_rename(ls: WitLanguageServer, params: lsp.PrepareRenameParams
                       ) -> lsp.PrepareRenamePlaceholder | None:
        ctx = ls.global_context(params.text_document.uri)
        if ctx is None:
            return None
        index = ctx.tree.line_index
        found = navigation.prepare_rename(ctx, ls.conv.offset(index, params.position))
        if found is None:
            return None
        start, end, text = found
        return lsp.PrepareRenamePlaceholder(range=ls.conv.range(index, start, end),
                                            placeholder=text)

    @server.feature(lsp.TEXT_DOCUMENT_RENAME)
    @guarded(_none)
    def rename(ls: WitLanguageServer, params: lsp.RenameParams) -> lsp.WorkspaceEdit | None:
        ctx = ls.global_context(params.text_document.uri)
        if ctx is None:
            return None
        index = ctx.tree.line_index
        document_changes = bool(ls.capability("workspace.workspace_edit.document_changes", False))
        annotations = document_changes and ls.capability(
            "workspace.workspace_edit.change_annotation_support") is not None and bool(
            ls.capability("text_document.rename.honors_change_annotations", False))
        result = navigation.rename(ctx, ls.conv.offset(index, params.position), params.new_name,
                                   is_dependency=ls.ws.is_dependency,
                                   allow_dependency_edits=annotations)
        if result.error is not None:
            from pygls.exceptions import JsonRpcInvalidParams

            raise_error = JsonRpcInvalidParams(result.error)
            raise raise_error
        versions = {p: d.version for p, d in ls.ws.documents.items()}
        return ls.conv.workspace_edit(result.edits, versions, document_changes, annotations)

    # ---- completion ------------------------------------------------------------------

    @server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(
        trigger_characters=[":", ".", "{", "@", "<", "/", " ", ","], resolve_provider=True))
    @guarded(_none)
    def completion(ls: WitLanguageServer, params: lsp.CompletionParams
                   ) -> lsp.CompletionList | None:
        ctx = ls.context(params.text_document.uri)
        if ctx is None:
            return None
        index = ctx.tree.line_index
        snippets = bool(ls.capability(
            "text_document.completion.completion_item.snippet_support", False))
        offset = ls.conv.offset(index, params.position)
        result = completion_feature.complete(ctx, offset, snippets)
        rng = ls.conv.range(index, result.replace_start, result.replace_end)
        items: list[lsp.CompletionItem] = []
        for item in result.items:
            text = item.insert_text if item.insert_text is not None else item.label
            fmt = lsp.InsertTextFormat.PlainText
            if snippets and item.snippet is not None:
                text, fmt = item.snippet, lsp.InsertTextFormat.Snippet
            elif item.snippet is not None and item.kind == "snippet":
                continue
            data = dict(item.data)
            data["uri"] = params.text_document.uri
            items.append(lsp.CompletionItem(
                label=item.label,
                kind=COMPLETION_KINDS.get(item.kind, lsp.CompletionItemKind.Text),
                detail=item.detail or None,
                sort_text=item.sort_text,
                filter_text=item.label,
                insert_text_format=fmt,
                text_edit=lsp.TextEdit(range=rng, new_text=text),
                data=data))
        return lsp.CompletionList(is_incomplete=False, items=items)

    @server.feature(lsp.COMPLETION_ITEM_RESOLVE)
    @guarded(lambda: None)
    def completion_resolve(ls: WitLanguageServer, item: lsp.CompletionItem
                           ) -> lsp.CompletionItem:
        data = item.data if isinstance(item.data, dict) else {}
        uri = data.get("uri")
        if isinstance(uri, str) and "path" in data:
            ctx = ls.context(uri)
            if ctx is not None:
                docs = completion_feature.resolve_documentation(ctx, data)
                if docs:
                    formats = ls.capability(
                        "text_document.completion.completion_item.documentation_format",
                        []) or []
                    kind = (lsp.MarkupKind.Markdown if lsp.MarkupKind.Markdown in formats
                            else lsp.MarkupKind.PlainText)
                    item.documentation = lsp.MarkupContent(kind=kind, value=docs)
        return item

    # ---- symbols ---------------------------------------------------------------------

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @guarded(_empty)
    def document_symbol(ls: WitLanguageServer, params: lsp.DocumentSymbolParams
                        ) -> list[lsp.DocumentSymbol] | list[lsp.SymbolInformation]:
        ctx = ls.context(params.text_document.uri)
        if ctx is None:
            return []
        index = ctx.tree.line_index
        syms = symbols_feature.document_symbols(ctx.tree)
        if ls.capability(
                "text_document.document_symbol.hierarchical_document_symbol_support", False):
            return [ls.conv.document_symbol(index, s) for s in syms]
        return ls.conv.flat_symbols(index, params.text_document.uri, syms)

    @server.feature(lsp.WORKSPACE_SYMBOL)
    @guarded(_empty)
    def workspace_symbol(ls: WitLanguageServer, params: lsp.WorkspaceSymbolParams
                         ) -> list[lsp.WorkspaceSymbol]:
        analysis = ls.ws.global_analysis()
        if analysis is None:
            return []
        found = symbols_feature.workspace_symbols(analysis.all_symbols(), params.query)
        out = []
        for sym in found:
            converted = ls.conv.workspace_symbol(sym)
            if converted is not None:
                out.append(converted)
        return out

    # ---- semantic tokens -------------------------------------------------------------

    def _tokens(ls: WitLanguageServer, uri: str, start: int = 0, end: int | None = None
                ) -> tuple[str, list[int]] | None:
        ctx = ls.context(uri)
        if ctx is None:
            return None
        toks = tokens_feature.semantic_tokens(ctx.tree, start, end)
        data = ls.conv.semantic_data(ctx.tree.line_index, toks)
        ls._token_counter += 1
        return f"{ls._token_counter}", data

    @server.feature(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, lsp.SemanticTokensRegistrationOptions(
        legend=LEGEND, full=lsp.SemanticTokensFullDelta(delta=True), range=True,
        document_selector=[lsp.TextDocumentFilterLanguage(language="wit")]))
    @guarded(_none)
    def tokens_full(ls: WitLanguageServer, params: lsp.SemanticTokensParams
                    ) -> lsp.SemanticTokens | None:
        found = _tokens(ls, params.text_document.uri)
        if found is None:
            return None
        result_id, data = found
        path = path_of(params.text_document.uri)
        if path is not None:
            ls.token_cache[path] = (result_id, data)
        return lsp.SemanticTokens(data=data, result_id=result_id)

    @server.feature(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL_DELTA)
    @guarded(_none)
    def tokens_delta(ls: WitLanguageServer, params: lsp.SemanticTokensDeltaParams
                     ) -> lsp.SemanticTokens | lsp.SemanticTokensDelta | None:
        found = _tokens(ls, params.text_document.uri)
        if found is None:
            return None
        result_id, data = found
        path = path_of(params.text_document.uri)
        previous = ls.token_cache.get(path) if path is not None else None
        if path is not None:
            ls.token_cache[path] = (result_id, data)
        if previous is None or previous[0] != params.previous_result_id:
            return lsp.SemanticTokens(data=data, result_id=result_id)
        start, delete, insert = tokens_feature.diff(previous[1], data)
        edits = [] if delete == 0 and not insert else [
            lsp.SemanticTokensEdit(start=start, delete_count=delete, data=insert)]
        return lsp.SemanticTokensDelta(edits=edits, result_id=result_id)

    @server.feature(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_RANGE)
    @guarded(_none)
    def tokens_range(ls: WitLanguageServer, params: lsp.SemanticTokensRangeParams
                     ) -> lsp.SemanticTokens | None:
        ctx = ls.context(params.text_document.uri)
        if ctx is None:
            return None
        start, end = ls.conv.offsets(ctx.tree.line_index, params.range)
        found = _tokens(ls, params.text_document.uri, start, end)
        if found is None:
            return None
        return lsp.SemanticTokens(data=found[1])

    # ---- structure -------------------------------------------------------------------

    @server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
    @guarded(_none)
    def formatting(ls: WitLanguageServer, params: lsp.DocumentFormattingParams
                   ) -> list[lsp.TextEdit] | None:
        ctx = ls.context(params.text_document.uri)
        if ctx is None:
            return None
        edits = formatting_feature.formatting_edits(
            ctx.path, ctx.tree, params.options.tab_size, params.options.insert_spaces)
        index = ctx.tree.line_index
        return [ls.conv.text_edit(index, edit) for edit in edits]

    @server.feature(lsp.TEXT_DOCUMENT_FOLDING_RANGE)
    @guarded(_empty)
    def folding(ls: WitLanguageServer, params: lsp.FoldingRangeParams
                ) -> list[lsp.FoldingRange]:
        ctx = ls.context(params.text_document.uri)
        if ctx is None:
            return []
        return [ls.conv.folding_range(r) for r in structure.folding_ranges(ctx.tree)]

    @server.feature(lsp.TEXT_DOCUMENT_SELECTION_RANGE)
    @guarded(_empty)
    def selection(ls: WitLanguageServer, params: lsp.SelectionRangeParams
                  ) -> list[lsp.SelectionRange]:
        ctx = ls.context(params.text_document.uri)
        if ctx is None:
            return []
        index = ctx.tree.line_index
        offsets = [ls.conv.offset(index, p) for p in params.positions]
        chains = structure.selection_ranges(ctx.tree, offsets)
        return [ls.conv.selection_range(index, chain) for chain in chains]

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_LINK, lsp.DocumentLinkOptions(
        resolve_provider=False))
    @guarded(_empty)
    def links(ls: WitLanguageServer, params: lsp.DocumentLinkParams) -> list[lsp.DocumentLink]:
        ctx = ls.context(params.text_document.uri)
        if ctx is None:
            return []
        index = ctx.tree.line_index
        out = []
        tooltips = bool(ls.capability("text_document.document_link.tooltip_support", False))
        for link in hints_feature.document_links(ctx):
            target_index = ls.line_index(link.target.path)
            target = uri_of(link.target.path)
            if target_index is not None:
                line, _ = target_index.position(link.target.start, "utf-32")
                target += f"#L{line + 1}"
            out.append(lsp.DocumentLink(range=ls.conv.range(index, link.start, link.end),
                                        target=target,
                                        tooltip=link.target.path if tooltips else None))
        return out

    @server.feature(lsp.TEXT_DOCUMENT_INLAY_HINT)
    @guarded(_empty)
    def inlay(ls: WitLanguageServer, params: lsp.InlayHintParams) -> list[lsp.InlayHint]:
        ctx = ls.context(params.text_document.uri)
        if ctx is None:
            return []
        index = ctx.tree.line_index
        start, end = ls.conv.offsets(index, params.range)
        return [lsp.InlayHint(position=ls.conv.position(index, h.offset), label=h.label,
                              kind=lsp.InlayHintKind.Type, tooltip=h.tooltip or None,
                              padding_right=h.padding_right or None)
                for h in hints_feature.inlay_hints(ctx, start, end)]

    # ---- code actions ----------------------------------------------------------------

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(
        code_action_kinds=[lsp.CodeActionKind.QuickFix, lsp.CodeActionKind.RefactorRewrite]))
    @guarded(_empty)
    def code_action(ls: WitLanguageServer, params: lsp.CodeActionParams
                    ) -> list[lsp.CodeAction]:
        ctx = ls.context(params.text_document.uri)
        if ctx is None:
            return []
        index = ctx.tree.line_index
        start, end = ls.conv.offsets(index, params.range)
        diags = [ls.conv.diagnostic_in(index, d, ctx.path) for d in params.context.diagnostics]
        # Clients that do not send `data` back still get the fixes: match the server's own.
        known = {(d.start, d.end, d.code, d.message): d for d in ls.ws.diagnostics_for(ctx.path)}
        diags = [d if d.data else known.get((d.start, d.end, d.code, d.message), d)
                 for d in diags]
        if not diags:
            diags = [d for d in ls.ws.diagnostics_for(ctx.path)
                     if d.start <= end and d.end >= start]
        document_changes = bool(ls.capability("workspace.workspace_edit.document_changes", False))
        versions = {p: d.version for p, d in ls.ws.documents.items()}
        wanted = params.context.only
        out: list[lsp.CodeAction] = []
        by_range = {(d.range.start.line, d.range.start.character, d.message): d
                    for d in params.context.diagnostics}
        out.extend(breaking_view.bump_actions(ls, params))
        for action in actions_feature.code_actions(ctx, start, end, diags):
            kind = (lsp.CodeActionKind.QuickFix if action.kind == "quickfix"
                    else lsp.CodeActionKind.RefactorRewrite)
            if wanted and not any(str(kind.value).startswith(str(getattr(w, "value", w)))
                                  for w in wanted):
                continue
            related = []
            for diag in action.diagnostics:
                pos = ls.conv.position(index, diag.start)
                found = by_range.get((pos.line, pos.character, diag.message))
                related.append(found if found is not None else ls.conv.diagnostic(index, diag))
            out.append(lsp.CodeAction(
                title=action.title, kind=kind, diagnostics=related or None,
                is_preferred=action.preferred or None,
                edit=ls.conv.workspace_edit(action.edits, versions, document_changes, False)))
        return out

    @server.feature(lsp.TEXT_DOCUMENT_CODE_LENS, lsp.CodeLensOptions(resolve_provider=False))
    @guarded(_empty)
    def code_lens(ls: WitLanguageServer, params: lsp.CodeLensParams) -> list[lsp.CodeLens]:
        return breaking_view.code_lenses(ls, params)

    # ---- custom requests -------------------------------------------------------------

    @server.feature("wit-ls/syntaxTree")
    @guarded(lambda: {"text": ""})
    def syntax_tree(ls: WitLanguageServer, params: Any) -> dict[str, str]:
        uri = _get(params, "textDocument", "uri")
        if not isinstance(uri, str):
            return {"text": ""}
        ctx = ls.context(uri)
        if ctx is None:
            return {"text": ""}
        return {"text": structure.syntax_tree_text(ctx.tree)}

    @server.feature("wit-ls/elaboratedWorld")
    @guarded(lambda: {"text": ""})
    def elaborated_world(ls: WitLanguageServer, params: Any) -> dict[str, str]:
        uri = _get(params, "textDocument", "uri")
        line = _get(params, "position", "line")
        character = _get(params, "position", "character")
        if not isinstance(uri, str):
            return {"text": ""}
        ctx = ls.context(uri)
        if ctx is None or ctx.analysis is None:
            return {"text": ""}
        offset = 0
        if isinstance(line, int) and isinstance(character, int):
            offset = ls.conv.offset(ctx.tree.line_index,
                                    lsp.Position(line=line, character=character))
        text = ctx.analysis.elaborated_world(ctx.path, offset)
        return {"text": text or ""}
