"""The server's capabilities as the pygls server answers `initialize` from a
client that states none (written by `python tests/support/pygls_answers.py`;
tests/lsp/test_first_answer.py checks that it is current)."""

CAPABILITIES = (
    '{"positionEncoding": "utf-16", "textDocumentSync": {"openClose": true, "change": 2, "sav'
    'e": true}, "completionProvider": {"triggerCharacters": [":", ".", "{", "@", "<", "/", " '
    '", ","], "resolveProvider": true}, "hoverProvider": true, "declarationProvider": true, "'
    'definitionProvider": true, "typeDefinitionProvider": true, "referencesProvider": true, "'
    'documentHighlightProvider": true, "documentSymbolProvider": true, "codeActionProvider": '
    '{"codeActionKinds": ["quickfix", "refactor.rewrite"]}, "codeLensProvider": {"resolveProv'
    'ider": true}, "documentLinkProvider": {"resolveProvider": false}, "workspaceSymbolProvid'
    'er": {"resolveProvider": false}, "documentFormattingProvider": true, "documentRangeForma'
    'ttingProvider": true, "documentOnTypeFormattingProvider": {"firstTriggerCharacter": "}",'
    ' "moreTriggerCharacter": [";"]}, "renameProvider": true, "foldingRangeProvider": true, "'
    'selectionRangeProvider": true, "executeCommandProvider": {"commands": []}, "semanticToke'
    'nsProvider": {"legend": {"tokenTypes": ["namespace", "type", "class", "enum", "interface'
    '", "struct", "typeParameter", "parameter", "variable", "property", "enumMember", "event"'
    ', "function", "method", "macro", "keyword", "modifier", "comment", "string", "number", "'
    'regexp", "operator", "decorator"], "tokenModifiers": ["declaration", "definition", "read'
    'only", "static", "deprecated", "abstract", "async", "modification", "documentation", "de'
    'faultLibrary"]}, "documentSelector": [{"language": "wit"}], "range": true, "full": {"del'
    'ta": true}}, "typeHierarchyProvider": true, "inlayHintProvider": {"resolveProvider": fal'
    'se}, "diagnosticProvider": {"interFileDependencies": true, "workspaceDiagnostics": true,'
    ' "identifier": "wit-ls"}, "workspace": {"workspaceFolders": {"supported": true, "changeN'
    'otifications": true}, "fileOperations": {}}}'
)
