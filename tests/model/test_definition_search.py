"""The definition whose name holds an offset (``_RootResult.target_at`` when no reference is
there) is found by a search over the sorted definitions, and must be the one a scan in sorted
order finds first: checked over random sets of ranges, overlapping and nested included."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from wit_ls.model.api import _RootResult
from wit_ls.model.resolved import Loc

RANGES = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 12)), max_size=40)


def _result(locs: list[Loc]) -> _RootResult:
    """A root result whose indexes are these definitions (and no references)."""
    result = _RootResult(None, None)  # type: ignore[arg-type]
    result._refs_indexed = True
    result._defs_by_path = {"a.wit": sorted(locs)}
    return result


@given(RANGES, st.integers(-2, 80))
def test_the_search_finds_what_a_scan_finds(ranges: list[tuple[int, int]], offset: int) -> None:
    locs = [Loc("a.wit", start, start + length) for start, length in ranges]
    scan = next((loc for loc in sorted(locs) if loc.start <= offset <= loc.end), None)
    result = _result(locs)
    assert result.target_at("a.wit", offset) == scan
    assert result.target_at("b.wit", offset) is None
