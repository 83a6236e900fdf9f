"""Indexing the workspace never delays the first diagnostics of an open document: the
document's package is analysed first, the other packages after (in the background)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from wit_ls.lsp.capabilities import ClientSupport
from wit_ls.lsp.server import LINT_IDLE_SECONDS, WitLanguageServer

pytestmark = [pytest.mark.asyncio]


def _stopped(ls: WitLanguageServer) -> None:
    """Stop the server's background work and wait for its lint thread to end: a thread left
    behind would make later tests' ``wit-ls check`` decline to fork (``check_split``)."""
    pool = ls.lint_pool
    ls.stop_background_work()
    if pool is not None:
        pool.shutdown(wait=True)


async def test_the_open_documents_package_is_analysed_before_the_others(
        tmp_path: Path) -> None:
    roots = []
    for name in ("a", "b", "c", "d"):
        root = tmp_path / name
        root.mkdir()
        (root / f"{name}.wit").write_text(
            f"package example:{name};\n\ninterface i {{\n  f: func();\n}}\n", encoding="utf-8")
        roots.append(root.as_posix())
    ls = WitLanguageServer()
    ls.client = ClientSupport(pull_diagnostics=True)  # nothing is pushed (no transport here)
    ls.ws.add_folder(tmp_path.as_uri(), tmp_path.as_posix())
    order: list[str] = []
    analyse = ls.ws._analyse_root

    def recorded(root: str) -> object:
        order.append(root)
        return analyse(root)

    ls.ws._analyse_root = recorded  # type: ignore[method-assign,assignment]
    ls.start_indexing()
    # The editor opens a document of the last package as indexing starts.
    path = f"{roots[-1]}/d.wit"
    ls.ws.open(Path(path).as_uri(), path, 1, Path(path).read_text(encoding="utf-8"))
    ls.schedule_diagnostics([path])
    assert ls.index_task is not None
    try:
        await ls.index_task
    finally:
        _stopped(ls)
    assert order[0] == roots[-1], order
    assert sorted(order) == sorted(roots)


async def test_indexing_waits_for_a_pause_in_typing(tmp_path: Path) -> None:
    roots = []
    for name in ("a", "b"):
        root = tmp_path / name
        root.mkdir()
        (root / f"{name}.wit").write_text(
            f"package example:{name};\n\ninterface i {{\n  f: func();\n}}\n", encoding="utf-8")
        roots.append(root.as_posix())
    ls = WitLanguageServer()
    ls.client = ClientSupport(pull_diagnostics=True)
    ls.ws.add_folder(tmp_path.as_uri(), tmp_path.as_posix())
    order: list[str] = []
    analyse = ls.ws._analyse_root

    def recorded(root: str) -> object:
        order.append(root)
        return analyse(root)

    ls.ws._analyse_root = recorded  # type: ignore[method-assign,assignment]
    path = f"{roots[0]}/a.wit"
    ls.ws.open(Path(path).as_uri(), path, 1, Path(path).read_text(encoding="utf-8"))
    ls.schedule_diagnostics([path])
    ls.start_indexing()
    # The user keeps typing (an edit as recent as can be, for as long as this lasts).
    ls.last_scheduled = float("inf")
    try:
        await asyncio.sleep(3 * LINT_IDLE_SECONDS)
        assert roots[1] not in order  # (the open document's package may be linted meanwhile)
        assert ls.index_task is not None and not ls.index_task.done()
        ls.last_scheduled = 0.0  # typing paused
        await asyncio.wait_for(ls.index_task, 30)
    finally:
        _stopped(ls)
    assert roots[1] in order
