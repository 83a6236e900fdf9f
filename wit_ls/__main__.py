"""``python -m wit_ls``: the same as the ``wit-ls`` command."""

from __future__ import annotations

from wit_ls.cli import entry

if __name__ == "__main__":
    entry()
