"""``wit-ls serve`` whose lint passes wait, for the tests of lint off the message loop
(``test_lint_off_loop.py``): a lint pass over a text holding ``// slow-lint GATE`` (a folder)
creates ``GATE/started-N`` and waits until ``GATE/release`` exists, then lints as usual.
Nothing is timed: the test says when lint may go on."""

from __future__ import annotations

import os
import re
import sys
import time
from typing import Any

from wit_ls import lint
from wit_ls.cli import entry
from wit_ls.syntax import Diagnostic, SyntaxTree

_MARK = re.compile(rb"// slow-lint (\S+)")
_real_lint = lint.lint


def _slow_lint(path: str, tree: SyntaxTree, **kwargs: Any) -> list[Diagnostic]:
    found = _MARK.search(tree.source)
    if found is not None:
        gate = found.group(1).decode()
        started = len([n for n in os.listdir(gate) if n.startswith("started-")])
        with open(os.path.join(gate, f"started-{started + 1}"), "w", encoding="utf-8"):
            pass
        while not os.path.exists(os.path.join(gate, "release")):
            time.sleep(0.005)
    return _real_lint(path, tree, **kwargs)


if __name__ == "__main__":
    lint.lint = _slow_lint  # type: ignore[assignment]
    sys.argv = ["wit-ls", "serve"]
    entry()
