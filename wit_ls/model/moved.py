"""An analysis seen through edits that changed no token (``wit_ls.syntax.layout``), or that
changed tokens but left the file's declarations as they were (``wit_ls.model.token_moves``).

After whitespace typed between tokens or text typed inside a comment (or a letter that broke a
file between its statements), a fresh analysis of the new text finds what the last one found,
at positions moved by the edits. :class:`MovedAnalysis`
answers the questions the linter asks (:class:`AnalysisView`) from the last analysis that way,
so that an editor can lint the new text without analysing the package again. Offsets asked
about are moved back over the edits, the answers forward. Answers computed from the last
analysis that do not depend on positions (the Canonical ABI figures) are kept with it and
reused by every view of it (``tests/lsp/test_layout_lint.py`` compares with a fresh analysis
over random edits).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from wit_ls.model.resolved import Loc
from wit_ls.syntax import SyntaxTree
from wit_ls.syntax.layout import Shift

if TYPE_CHECKING:
    from wit_ls.model.abi import TypeAbi
    from wit_ls.model.api import Analysis


class AnalysisView(Protocol):
    """What the linter reads of the model's analysis of a package (an :class:`Analysis`, or
    a :class:`MovedAnalysis` of one)."""

    @property
    def files(self) -> Mapping[str, SyntaxTree]: ...

    def reference_targets(self, path: str) -> Mapping[int, Loc]: ...

    def is_referenced(self, loc: Loc) -> bool: ...

    def alias_target(self, loc: Loc) -> Loc | None: ...

    def type_abis(self, path: str, larger_than: int = -1) -> Mapping[Loc, TypeAbi]: ...

    def signature_abis(self, path: str,
                       larger_than: int = -1) -> Sequence[tuple[Loc, str, TypeAbi]]: ...


def _start(offset: int, shifts: Sequence[Shift]) -> int:
    """Where a token starting at ``offset`` starts after ``shifts`` (in order)."""
    for s in shifts:
        if offset >= s.start:
            offset += s.new_end - s.old_end
    return offset


def _end(offset: int, shifts: Sequence[Shift]) -> int:
    """Where a range ending at ``offset`` ends after ``shifts`` (text typed where it ends
    follows it)."""
    for s in shifts:
        if offset > s.start:
            offset += s.new_end - s.old_end
    return offset


def _start_back(offset: int, shifts: Sequence[Shift]) -> int | None:
    """The inverse of :func:`_start`: None inside text an edit typed."""
    for s in reversed(shifts):
        if offset >= s.new_end:
            offset -= s.new_end - s.old_end
        elif offset >= s.start:
            return None
    return offset


def _end_back(offset: int, shifts: Sequence[Shift]) -> int | None:
    """The inverse of :func:`_end`: None inside text an edit typed."""
    for s in reversed(shifts):
        if offset <= s.start:
            continue
        if offset < s.new_end:
            return None
        offset -= s.new_end - s.old_end
    return offset


class _MovedTargets(Mapping[int, Loc]):
    """A file's reference targets by the names' new offsets (see
    :meth:`MovedAnalysis.reference_targets`)."""

    def __init__(self, view: MovedAnalysis, old: Mapping[int, Loc],
                 shifts: Sequence[Shift]) -> None:
        self._view = view
        self._old = old
        self._shifts = shifts

    def __getitem__(self, offset: int) -> Loc:
        back = _start_back(offset, self._shifts)
        if back is None:
            raise KeyError(offset)
        found = self._old[back]
        return self._view.moved(found)

    def __iter__(self) -> Iterator[int]:
        return (_start(offset, self._shifts) for offset in self._old)

    def __len__(self) -> int:
        return len(self._old)


class MovedAnalysis:
    """``analysis`` (of the texts before ``shifts``) answering for the texts after them:
    ``shifts`` by path, in the order they were made; ``trees``: the new trees of the shifted
    files."""

    def __init__(self, analysis: Analysis, shifts: Mapping[str, Sequence[Shift]],
                 trees: Mapping[str, SyntaxTree]) -> None:
        self.base = analysis
        self._shifts = {path: tuple(found) for path, found in shifts.items() if found}
        # Per path, the first byte an edit touched: what lies before it did not move.
        self._first = {path: min(s.start for s in found) for path, found in self._shifts.items()}
        files = dict(analysis.files)
        for path in self._shifts:
            if path in files and path in trees:
                files[path] = trees[path]
        self._files = files

    @property
    def files(self) -> Mapping[str, SyntaxTree]:
        return self._files

    def same(self, analysis: Analysis, shifts: Mapping[str, Sequence[Shift]]) -> bool:
        """Whether this view is of ``analysis`` through exactly ``shifts``."""
        return analysis is self.base and self._shifts == {
            path: tuple(found) for path, found in shifts.items() if found}

    def moved(self, loc: Loc) -> Loc:
        first = self._first.get(loc.path)
        if first is None or (loc.start < first and loc.end <= first):
            return loc
        shifts = self._shifts[loc.path]
        return Loc(loc.path, _start(loc.start, shifts), _end(loc.end, shifts))

    def _back(self, loc: Loc) -> Loc | None:
        shifts = self._shifts.get(loc.path)
        if not shifts:
            return loc
        start, end = _start_back(loc.start, shifts), _end_back(loc.end, shifts)
        if start is None or end is None:
            return None
        return Loc(loc.path, start, end)

    def reference_targets(self, path: str) -> Mapping[int, Loc]:
        return _MovedTargets(self, self.base.reference_targets(path),
                             self._shifts.get(path, ()))

    def is_referenced(self, loc: Loc) -> bool:
        back = self._back(loc)
        return back is not None and self.base.is_referenced(back)

    def alias_target(self, loc: Loc) -> Loc | None:
        back = self._back(loc)
        if back is None:
            return None
        found = self.base.alias_target(back)
        return self.moved(found) if found is not None else None

    def type_abis(self, path: str, larger_than: int = -1) -> Mapping[Loc, TypeAbi]:
        """As :meth:`Analysis.type_abis`; only the figures of the types larger than
        ``larger_than`` bytes are moved (a rule that looks for the too large moves few)."""
        old = self.base.type_abis(path, larger_than)  # (kept by the analysis)
        if not self._shifts:
            return old
        return {self.moved(loc): abi for loc, abi in old.items()}

    def signature_abis(self, path: str,
                       larger_than: int = -1) -> Sequence[tuple[Loc, str, TypeAbi]]:
        old = self.base.signature_abis(path, larger_than)  # (kept by the analysis)
        if not self._shifts:
            return old
        return [(self.moved(loc), what, abi) for loc, what, abi in old]
