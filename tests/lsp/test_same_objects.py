"""A finished lint pass keeps, of its findings, the objects of the last ones where they are
equal, data too (``wit_ls.lsp.workspace._same_objects``): the server then converts them from
the forms it kept. The result must hold exactly the pass' findings, in its order."""

from __future__ import annotations

import pytest

from wit_ls.lsp.workspace import _same_objects
from wit_ls.syntax import Diagnostic, Severity


def _d(start: int, message: str = "m", code: str = "r", severity: Severity = Severity.WARNING,
       data: dict[str, object] | None = None, tags: tuple[str, ...] = ()) -> Diagnostic:
    return Diagnostic(start, start + 2, message, code, severity, "/p/a.wit", tags=tags,
                      data={"rule": code} if data is None else data)


# (last, found, which of found come back as which object of last: index or None for itself)
CASES = [
    ("no last", [], [_d(1), _d(5)], [None, None]),
    ("equal ones reused", [_d(1), _d(5)], [_d(1), _d(5), _d(9)], [0, 1, None]),
    ("the very objects", "same", "same", [0, 1]),
    ("moved: not equal", [_d(1), _d(5)], [_d(2), _d(6)], [None, None]),
    ("other data", [_d(1, data={"rule": "r", "fix": {"edits": [1]}})],
     [_d(1, data={"rule": "r", "fix": {"edits": [2]}})], [None]),
    ("other severity, same place and message", [_d(1, severity=Severity.ERROR)], [_d(1)],
     [None]),
    ("other tags", [_d(1, tags=("unnecessary",))], [_d(1)], [None]),
    # Matched against the first of last with its place, message and code only (rare).
    ("two alike at one place", [_d(1, severity=Severity.ERROR), _d(1)], [_d(1)], [None]),
    ("duplicates found", [_d(1)], [_d(1), _d(1)], [0, 0]),
    ("other message", [_d(1, message="x")], [_d(1)], [None]),
    ("other code", [_d(1, code="q")], [_d(1)], [None]),
    ("same code, other data", [_d(1, code="q")], [_d(1, code="q", data={"rule": "r"})],
     [None]),
]


@pytest.mark.parametrize(("last", "found", "reused"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_findings_kept_as_the_last_objects(last: object, found: object,
                                           reused: list[int | None]) -> None:
    if last == "same":
        last = found = [_d(1), _d(5)]
    assert isinstance(last, list) and isinstance(found, list)
    out = _same_objects(found, last)
    assert len(out) == len(found)
    for got, want, which in zip(out, found, reused, strict=True):
        assert got == want and got.data == want.data
        assert got is (want if which is None else last[which]), (got, want, which)
