"""What the client supports, read once from its ``initialize`` capabilities into plain flags
(the handlers ask these, never the nested capability objects)."""

from __future__ import annotations

from dataclasses import dataclass

from lsprotocol import types as lsp


@dataclass(frozen=True)
class ClientSupport:
    # Diagnostics
    pull_diagnostics: bool = False
    diagnostic_refresh: bool = False
    code_lens_refresh: bool = False
    code_descriptions: bool = False
    # Workspace
    configuration: bool = False
    configuration_registration: bool = False
    watched_files_registration: bool = False
    work_done_progress: bool = False
    document_changes: bool = False
    change_annotations: bool = False
    # Requests
    markdown_hover: bool = True
    snippets: bool = False
    markdown_completion_docs: bool = False
    # completionItem/resolve may fill in additionalTextEdits (else they are sent at once).
    resolve_additional_edits: bool = False
    hierarchical_symbols: bool = False
    link_tooltips: bool = False


def client_support(caps: lsp.ClientCapabilities) -> ClientSupport:
    text = caps.text_document or lsp.TextDocumentClientCapabilities()
    workspace = caps.workspace or lsp.WorkspaceClientCapabilities()
    window = caps.window or lsp.WindowClientCapabilities()
    edit = workspace.workspace_edit or lsp.WorkspaceEditClientCapabilities()
    publish = text.publish_diagnostics or lsp.PublishDiagnosticsClientCapabilities()
    hover = text.hover or lsp.HoverClientCapabilities()
    completion = text.completion or lsp.CompletionClientCapabilities()
    completion_item = (completion.completion_item
                       or lsp.ClientCompletionItemOptions())
    symbols = text.document_symbol or lsp.DocumentSymbolClientCapabilities()
    links = text.document_link or lsp.DocumentLinkClientCapabilities()
    rename = text.rename or lsp.RenameClientCapabilities()
    watched = (workspace.did_change_watched_files
               or lsp.DidChangeWatchedFilesClientCapabilities())
    config = (workspace.did_change_configuration
              or lsp.DidChangeConfigurationClientCapabilities())
    refresh = workspace.diagnostics or lsp.DiagnosticWorkspaceClientCapabilities()
    lens_refresh = workspace.code_lens or lsp.CodeLensWorkspaceClientCapabilities()
    pull = text.diagnostic is not None
    hover_formats = hover.content_format or []
    return ClientSupport(
        pull_diagnostics=pull,
        diagnostic_refresh=bool(refresh.refresh_support),
        code_lens_refresh=bool(lens_refresh.refresh_support),
        code_descriptions=bool(publish.code_description_support) or pull,
        configuration=bool(workspace.configuration),
        configuration_registration=bool(config.dynamic_registration),
        watched_files_registration=bool(watched.dynamic_registration),
        work_done_progress=bool(window.work_done_progress),
        document_changes=bool(edit.document_changes),
        change_annotations=bool(edit.document_changes)
        and edit.change_annotation_support is not None
        and bool(rename.honors_change_annotations),
        markdown_hover=not hover_formats or lsp.MarkupKind.Markdown in hover_formats,
        snippets=bool(completion_item.snippet_support),
        markdown_completion_docs=lsp.MarkupKind.Markdown in (
            completion_item.documentation_format or []),
        resolve_additional_edits="additionalTextEdits" in (
            (completion_item.resolve_support or lsp.ClientCompletionItemResolveOptions(
                properties=[])).properties),
        hierarchical_symbols=bool(symbols.hierarchical_document_symbol_support),
        link_tooltips=bool(links.tooltip_support),
    )
