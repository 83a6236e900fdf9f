"""`wit-ls check` runs with the cyclic collector off (its modules' objects and one root's
analysis live to the end, so a collection would only walk them) and, over many package roots,
collects between them so that memory stays bounded: the young generation after each root,
everything every 16 roots. The collector is on again when `main` returns."""

from __future__ import annotations

import contextlib
import gc
import io
from pathlib import Path

from wit_ls.cli import main


def _roots(tmp_path: Path, count: int) -> list[str]:
    roots = []
    for n in range(count):
        root = tmp_path / f"p{n}"
        root.mkdir()
        (root / "a.wit").write_text(f"package t:p{n};\ninterface i {{ f: func(); }}\n")
        roots.append(str(root))
    return roots


def _collections(argv: list[str]) -> list[int]:
    """The generations collected while ``main(argv)`` runs."""
    seen: list[int] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "stop":
            seen.append(info["generation"])

    gc.collect()
    gc.callbacks.append(record)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(argv) == 0
    finally:
        gc.callbacks.remove(record)
    return seen


def test_one_root_runs_no_collection(tmp_path: Path) -> None:
    assert _collections(["check", "--no-cache", *_roots(tmp_path, 1)]) == []
    assert gc.isenabled()


def test_many_roots_collect_between_roots(tmp_path: Path) -> None:
    # (One process: with more, each collects between its own roots.)
    seen = _collections(["check", "--no-cache", "--jobs", "1", *_roots(tmp_path, 33)])
    # 32 collections between 33 roots: a full one before the 17th and the 33rd root.
    assert seen.count(2) == 2
    assert seen.count(0) == 30
    assert gc.isenabled()


def test_a_library_caller_without_the_collector_keeps_it_off(tmp_path: Path) -> None:
    gc.disable()
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["check", "--no-cache", *_roots(tmp_path, 2)]) == 0
        assert not gc.isenabled()
    finally:
        gc.enable()


def _kept_kinds() -> list[str]:
    from wit_ls.cli import check_cmd

    return sorted(type(kept).__name__ for kept in check_cmd.KEPT)


def test_one_root_is_kept_until_the_next_check(tmp_path: Path) -> None:
    """A check of one root keeps its analysis and parsed files past `run` (freeing them is
    work `wit-ls` has no use for before it exits); the next check drops them, and a check of
    many roots keeps nothing (its memory stays bounded), with a split or without."""
    one, *many = _roots(tmp_path, 3)
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["check", "--no-cache", "--jobs", "1", one]) == 0
        assert _kept_kinds() == ["Analysis", "SharedFileCache"]
        assert main(["check", "--no-cache", "--jobs", "1", *many]) == 0
        assert _kept_kinds() == []
        assert main(["check", "--no-cache", "--jobs", "1", one]) == 0
        assert main(["check", "--no-cache", "--jobs", "2", *many]) == 0
        assert _kept_kinds() == []
