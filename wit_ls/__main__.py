"""``python -m wit_ls``: the same as the ``wit-ls`` command."""

from __future__ import annotations

import sys

from wit_ls.cli import main

if __name__ == "__main__":
    sys.exit(main())
