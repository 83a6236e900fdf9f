"""wit-ls: language server, linter and command line for WIT.

The layers (see docs/architecture.md): ``wit_ls.syntax`` -> ``wit_ls.model`` ->
``wit_ls.lint`` / ``wit_ls.features`` -> ``wit_ls.lsp`` / ``wit_ls.cli``.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
