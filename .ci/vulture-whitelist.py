# Names vulture reports as unused that are used by frameworks, not by our code.
# (Read by vulture only; see [tool.vulture] in pyproject.toml.)
pytestmark  # pytest reads a test module's marks from this variable
_.documentation  # lsprotocol CompletionItem field set by completionItem/resolve
__getattr__  # wit_ls.model: lazy attribute access (PEP 562)
pytest_collection_modifyitems  # pytest hook (tests/conftest.py)
_.type_children  # wit_ls/lint/context.py: unused; left for the lint branch that rewrites that module
_.lsp_text_document__did_open  # pygls protocol overrides (wit_ls/lsp/protocol.py)
_.lsp_text_document__did_change
_.lsp_text_document__did_close
_.lsp_shutdown
_.lsp_exit
_.report_server_error  # pygls hook (wit_ls/lsp/server.py)
_.read_outside_workspace  # a setting read through the settings dataclass
__class_getitem__  # wit_ls.light_typing.Generic: called by Generic[...] in a class's bases
_.included_ranges  # tree_sitter.Parser property set by wit_ls/syntax/skip_comments.py
