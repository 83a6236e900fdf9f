"""The editor shows no lint findings for a file under `deps/` (vendored code the user does not
own), as `wit-ls lint` skips it; the same text in the user's package is linted."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from lsp_helpers import open_doc, wait_diagnostics

pytestmark = [pytest.mark.asyncio]

LINTED = ("package wasi:io@0.2.0;\n\ninterface streams {\n"
          "    %read: func() -> result<u8, string>;\n}\n")
LINT_CODES = {"string-error", "unnecessary-escape"}


async def _codes_once_linted(client: Any, uri: str) -> set[str]:
    """The diagnostic codes of ``uri`` once lint findings arrived (the first push may carry
    only the syntax layer's)."""
    for _ in range(100):
        codes = {str(d.code) for d in await wait_diagnostics(client, uri, 1)}
        if codes & LINT_CODES:
            return codes
        await asyncio.sleep(0.1)
    return codes


async def test_no_lint_findings_in_deps(client: Any, workspace: Path) -> None:
    vendored = open_doc(client, workspace / "app/wit/deps/io/streams.wit", LINTED)
    own = workspace / "app/wit/mine.wit"
    own.write_text(LINTED.replace("package wasi:io@0.2.0;\n\n", ""), "utf-8")  # app's package
    assert LINT_CODES <= await _codes_once_linted(client, open_doc(client, own))
    # The server has linted by now; the vendored file still has no finding.
    found = {str(d.code) for d in await wait_diagnostics(client, vendored, 1)}
    assert not found & LINT_CODES, found
