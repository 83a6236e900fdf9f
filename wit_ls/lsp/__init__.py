"""The language server front door: the only package that imports pygls or lsprotocol.

Each handler converts LSP data in (:mod:`wit_ls.lsp.convert`), calls a feature function
(:mod:`wit_ls.features`), and converts the result out.
"""
