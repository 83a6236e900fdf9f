"""One module per lint rule; the explicit table is :mod:`wit_ls.lint.registry`."""
