"""Editor features as plain data over syntax trees and the semantic model.

Every function here takes a :class:`wit_ls.syntax.SyntaxTree` and/or an analysis (see
:class:`wit_ls.features.common.AnalysisLike`) and returns dataclasses whose ranges are UTF-8
byte offsets. Nothing here knows LSP: :mod:`wit_ls.lsp` converts in and out.
"""
