"""Work shared among forked processes (`wit_ls.cli.forked`): the results of a serial run, in
order, whatever the children do."""

from __future__ import annotations

import os

import pytest

from wit_ls.cli import forked


@pytest.mark.parametrize(("count", "parts", "expected"), [
    (10, 2, [(0, 5), (5, 10)]),
    (10, 3, [(0, 4), (4, 7), (7, 10)]),
    (3, 3, [(0, 1), (1, 2), (2, 3)]),
    (5, 1, [(0, 5)]),
])
def test_slices(count: int, parts: int, expected: list[tuple[int, int]]) -> None:
    assert forked.slices(count, parts) == expected


def _square(items: list[int]) -> list[object]:
    return [(n, n * n, [str(n)], {"n": n}) for n in items]


@pytest.mark.parametrize("parts", [1, 2, 3, 7])
def test_results_in_order(parts: int) -> None:
    """In order; this process computes the first slice only (each child's answer taken)."""
    items = list(range(23))
    parent = os.getpid()
    here: list[int] = []

    def compute(some: list[int]) -> list[object]:
        if os.getpid() == parent:
            here.extend(some)
        return _square(some)

    assert forked.map_in_processes(items, parts, compute) == _square(items)
    assert here == items[:forked.slices(len(items), parts)[0][1]]


def _in_children(misbehave: object, here: list[int]) -> object:
    parent = os.getpid()

    def compute(items: list[int]) -> list[object]:
        if os.getpid() == parent:
            here.extend(items)
        else:
            if misbehave == "dies":
                os._exit(9)
            if misbehave == "answers, then exits 3":
                real = os._exit
                os._exit = lambda _code: real(3)  # (the child's own copy of the module)
            if misbehave == "raises":
                raise RuntimeError("child")
            if misbehave == "short":
                return _square(items)[:-1]
            if misbehave == "not a list":
                return {"x": 1}  # type: ignore[return-value]
            if misbehave == "unmarshallable":
                return [object()]
        return _square(items)

    return compute


@pytest.mark.parametrize("misbehave", ["dies", "raises", "short", "not a list",
                                       "unmarshallable", "answers, then exits 3"])
def test_a_failed_child_is_computed_here(misbehave: str) -> None:
    """Every child's answer refused: this process computes every slice, in order."""
    items = list(range(11))
    here: list[int] = []
    assert forked.map_in_processes(items, 3, _in_children(misbehave, here)) == _square(items)
    assert here == items


def test_no_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refused)
    assert forked.map_in_processes(list(range(5)), 2, _square) == _square(list(range(5)))
