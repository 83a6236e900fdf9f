"""Lint findings kept per top-level item between passes (an editor re-lints after each edit).

A file is cut into *units*: each top-level node that is not a comment, with the comments and
blank space before it (its docs), and what follows it on its last line; a last unit holds
the comments after the last item. The rules in :data:`ITEM_RULES` find, in one unit, only from
that unit's nodes: run over a context whose nodes are those of one unit
(:class:`UnitContext`), each gives exactly the findings the whole file gives inside that unit.
What else they read goes through a few doors, which record what they answered while a unit is
linted:

* the model's answers (:meth:`PackageIndex.target`, the `use` targets
  :meth:`PackageIndex.definition` follows, :meth:`PackageIndex.referenced`), and the units
  :meth:`PackageIndex.definition` read, with positions written relative to the unit holding
  them (by that unit's text) or, in another file, with that file's text;
* the file's package header (:attr:`LintContext.package`).

A unit's findings are reused when its text is the same and every recorded question gets the
same answer again (asked anew of the new analysis); otherwise the unit is linted again. A rule
of :data:`ITEM_PARTS` has a part that finds so, kept per unit the same way, and a part run
over the whole file every pass. The other rules (package-wide facts, the model's ABI sizes,
comments between items) run over the whole file every pass. A file whose tree has errors is
linted whole (error recovery may parse the same text differently).
``tests/lint/test_incremental.py`` checks, over random edits, that the findings equal a pass
without the cache.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tree_sitter import Node

from wit_ls.lint.context import (
    COMMENT_TYPES,
    FileFacts,
    LintContext,
    PackageHeader,
    PackageIndex,
    walk,
)
from wit_ls.lint.rule import CheckFn, Finding, Fix, FixEdit, Rule
from wit_ls.lint.rules import string_error
from wit_ls.model.moved import AnalysisView, MovedAnalysis
from wit_ls.model.resolved import Loc
from wit_ls.syntax import Diagnostic, SyntaxTree

if TYPE_CHECKING:
    from wit_ls.lint.rule import Level

# Rules whose findings in a unit depend only on the unit's text and what the recording doors
# answer (see the module docs). The others read package-wide memos, the model's ABI sizes or
# the comments between items.
ITEM_RULES = frozenset({
    "async-returns-future", "boolean-trap", "deprecated-usage", "deprecated-without-guidance",
    "empty-resource-body", "encoding-only-error", "error-type-naming", "flat-params-exceed",
    "gate-inconsistent", "gate-without-version", "integer-pseudo-handle",
    "large-list-prefer-stream", "large-tuple", "list-char", "missing-docs",
    "missing-member-docs", "name-stutter", "nested-option", "owned-handle-param",
    "redundant-use-alias", "setter-type-mismatch", "since-before-reference", "since-missing",
    "static-self-param", "stream-without-completion", "too-many-params",
    "unnecessary-escape", "unstable-feature-naming", "untyped-error", "unused-type",
    "unused-use",
})

# Rules with a part that finds as the item rules do (kept per unit) and a part that reads
# package-wide facts (run over the whole file): by rule name, (item part, the rest).
ITEM_PARTS: dict[str, tuple[CheckFn, CheckFn]] = {
    "string-error": (string_error.item_findings, string_error.alias_findings),
}

_NOT_ASKED = object()


@dataclass(frozen=True)
class Unit:
    """One top-level item with what comes before it (see the module docs): ``start``/``end``
    bound the nodes it holds, ``key_start``/``key_end`` the text its findings may depend on
    (from the start of its first line to the end of its last)."""

    start: int
    end: int
    key_start: int
    key_end: int
    nodes: tuple[Node, ...]
    text: bytes


def units(tree: SyntaxTree) -> list[Unit]:
    source = tree.source
    out: list[Unit] = []
    pending: list[Node] = []
    start = 0
    # (Lines end at `\n` only, as in the line index: a line starts after the last one.)
    for child in tree.root.children:
        pending.append(child)
        if child.type in COMMENT_TYPES:
            continue
        out.append(_unit(source, source.rfind(b"\n", 0, start) + 1, start, child.end_byte,
                         tuple(pending)))
        start = child.end_byte
        pending = []
    if pending or not out:
        end = len(source)
        out.append(_unit(source, source.rfind(b"\n", 0, start) + 1, start, end,
                         tuple(pending)))
    return out


def _unit(source: bytes, key_start: int, start: int, end: int, nodes: tuple[Node, ...]) -> Unit:
    newline = source.find(b"\n", end)
    key_end = len(source) if newline < 0 else newline + 1
    return Unit(start, end, key_start, key_end, nodes, source[key_start:key_end])


class UnitTable:
    """The units of the file being linted, to write positions relative to them."""

    def __init__(self, path: str, tree: SyntaxTree, table: list[Unit] | None = None) -> None:
        self.path = path
        self.source = tree.source
        self.units = units(tree) if table is None else table
        self._starts = [u.start for u in self.units]
        by_text: dict[bytes, Unit | None] = {}
        for unit in self.units:
            by_text[unit.text] = None if unit.text in by_text else unit
        self._by_text = by_text

    def unique(self, unit: Unit) -> bool:
        """Whether no other unit of the file has the same text."""
        return self._by_text.get(unit.text) is unit

    def unit_at(self, offset: int) -> Unit:
        return self.units[max(0, bisect_right(self._starts, offset) - 1)]

    def relative(self, path: str, offset: int) -> Hashable:
        """``offset`` of ``path`` as (unit text, offset in it) in this file, else with the
        file's text (compared by identity first: unchanged files keep their bytes)."""
        if path != self.path:
            return (path, offset)
        unit = self.unit_at(offset)
        return (unit.text, offset - unit.key_start)

    def absolute(self, where: Hashable) -> tuple[str, int] | None:
        """The inverse of :meth:`relative` in this table: None when the unit is gone (or its
        text is not unique)."""
        assert isinstance(where, tuple)
        first, offset = where
        if isinstance(first, str):
            return first, offset
        unit = self._by_text.get(first)
        if unit is None:
            return None
        return self.path, unit.key_start + offset


class Recorder:
    """The questions a unit's rules asked the recording doors, with their answers, written
    relative to units (see :class:`UnitTable`)."""

    def __init__(self, table: UnitTable, index: PackageIndex) -> None:
        self.table = table
        self.index = index
        self.asked: dict[Hashable, Hashable] = {}

    def loc(self, loc: Loc | None) -> Hashable:
        if loc is None:
            return None
        path = self.index.linter_path(loc.path)
        return (self.file(path), self.table.relative(path, loc.start), loc.end - loc.start)

    def file(self, path: str) -> Hashable:
        """The text of another file (its own bytes), nothing for this one (its units are)."""
        if path == self.table.path:
            return None
        tree = self.index.trees.get(path)
        if tree is None:
            model = self.index.analysis.files.get(path)
            return model.source if model is not None else None
        return tree.source


@dataclass
class _Entry:
    """One unit's findings (rule name and finding, relative to its ``key_start``) and the
    questions they depended on; ``placed``: the findings at the unit's last place.
    ``base``: the analysis the answers came from (the last one, through the edits since, for
    a :class:`MovedAnalysis`); ``texts``: the texts of the units of this file its questions
    and answers name, or None when they name another file (see :func:`_unmoved`)."""

    findings: list[tuple[str, Finding]]
    asked: dict[Hashable, Hashable]
    placed: tuple[int, list[tuple[str, Finding]]] | None = None
    base: object = None
    texts: frozenset[bytes] | None = None

    def at(self, start: int) -> list[tuple[str, Finding]]:
        """The findings of the unit placed at ``start``."""
        if self.placed is None or self.placed[0] != start:
            self.placed = (start, [(name, _shift(f, start)) for name, f in self.findings])
        return self.placed[1]


@dataclass
class ItemCache:
    """The kept findings of one file (see the module docs), valid for one set of rule levels,
    options and features, and one set of package files."""

    key: Hashable = None
    entries: dict[bytes, _Entry] = field(default_factory=dict)
    # The last run's diagnostics, by id() of their finding (held, so ids are not reused):
    # a kept finding gives the same diagnostic (its rule's level is part of ``key``).
    diagnostics: dict[int, tuple[Finding, Rule, Diagnostic]] = field(default_factory=dict)


class UnitContext(LintContext):
    """A file's context seeing only one unit's nodes; the package header it reads is
    recorded."""

    recorder: Recorder | None = None

    @property
    def package(self) -> PackageHeader | None:
        found = super().package
        if self.recorder is not None:
            self.recorder.asked[("package",)] = (
                None if found is None else (found.namespace, found.name, found.version))
        return found


def _shift(finding: Finding, delta: int) -> Finding:
    if delta == 0:
        return finding
    fix = finding.fix
    if fix is not None:
        fix = Fix(fix.message, tuple(FixEdit(e.start + delta, e.end + delta, e.new_text)
                                     for e in fix.edits), fix.applicability)
    return Finding(finding.start + delta, finding.end + delta, finding.message, fix,
                   finding.tags)


def _inside(finding: Finding, unit: Unit) -> bool:
    if not unit.key_start <= finding.start <= finding.end <= unit.key_end:
        return False
    return finding.fix is None or all(unit.key_start <= e.start <= e.end <= unit.key_end
                                      for e in finding.fix.edits)


def _texts(asked: Mapping[Hashable, Hashable]) -> frozenset[bytes] | None:
    """The texts of the units of the linted file that ``asked`` names (see :class:`_Entry`),
    None when it names another file."""
    out: set[bytes] = set()
    for question, answer in asked.items():
        assert isinstance(question, tuple)
        if question[0] == "package":
            continue
        if question[1] is not None or not isinstance(question[2][0], bytes):
            return None
        out.add(question[2][0])
        if question[0] in ("target", "alias") and answer is not None:
            assert isinstance(answer, tuple)
            if answer[0] is not None or not isinstance(answer[1][0], bytes):
                return None
            out.add(answer[1][0])
    return frozenset(out)


def _base(analysis: AnalysisView) -> object:
    """The analysis whose answers ``analysis`` gives (moved over edits that changed no
    token, for a :class:`MovedAnalysis`)."""
    return analysis.base if isinstance(analysis, MovedAnalysis) else analysis


def _unmoved(entry: _Entry, table: UnitTable, base: object) -> bool:
    """Whether ``entry``'s answers from the model hold without asking again: they came from
    the same analysis (seen through edits that changed no token since), and every unit of
    this file they name is still there, with the same text (and once only). Tokens did not
    change, so each question is about the same name and its answer is the same definition,
    and positions written relative to unchanged units are the same."""
    if entry.texts is None or entry.base is not base:
        return False
    by_text = table._by_text
    return all(by_text.get(text) is not None for text in entry.texts)


def _still(entry: _Entry, recorder: Recorder, ctx: LintContext, base: object) -> bool:
    """Whether every question ``entry`` recorded gets the same answer now."""
    table, index = recorder.table, recorder.index
    if _unmoved(entry, table, base):
        package = entry.asked.get(("package",), _NOT_ASKED)
        if package is _NOT_ASKED:
            return True
        found = ctx.package
        return package == (None if found is None else (found.namespace, found.name,
                                                       found.version))
    for question, answer in entry.asked.items():
        assert isinstance(question, tuple)
        kind = question[0]
        if kind == "package":
            found = ctx.package
            if answer != (None if found is None else (found.namespace, found.name,
                                                      found.version)):
                return False
            continue
        file, where = question[1], question[2]
        place = table.absolute(where)
        if place is None:
            return False
        path, offset = place
        if file is not None and recorder.file(path) != file:
            return False
        now: Hashable
        if kind == "text":
            continue
        if kind == "target":
            now = recorder.loc(index.target(path, offset))
        elif kind == "alias":
            model = index.model_path(path)
            now = recorder.loc(index.analysis.alias_target(Loc(model, offset,
                                                               offset + question[3])))
        else:  # "referenced"
            now = index.referenced_at(path, offset, offset + question[3])
        if now != answer:
            return False
    return True


def lint_units(ctx: LintContext, rules: list[tuple[Rule, Level]], cache: ItemCache,
               check_stop: Callable[[], None]) -> list[tuple[Rule, Level, Finding]] | None:
    """The findings of the item ``rules`` in ``ctx``'s file, unit by unit, reusing ``cache``
    (and updating it); None when a rule failed (the caller runs the rules whole, which
    reports the failure as a whole pass would)."""
    from wit_ls.lint.kept_nodes import KeptNodes

    nodes = ctx.facts.by_type  # kept facts of this tree have its units
    table = UnitTable(ctx.path, ctx.tree, nodes.units if isinstance(nodes, KeptNodes)
                      and nodes.tree is ctx.tree else None)
    index = ctx.index
    recorder = Recorder(table, index)
    out: dict[str, list[Finding]] = {rule.name: [] for rule, _ in rules}
    kept: dict[bytes, _Entry] = {}
    probe = UnitContext(ctx.path, ctx.tree, ctx.analysis, facts=ctx.facts, index=index,
                        options=ctx._options, features=ctx.features)
    base = _base(ctx.analysis)
    for unit in table.units:
        entry = cache.entries.get(unit.text)
        if entry is not None and _still(entry, recorder, probe, base):
            for name, finding in entry.at(unit.key_start):
                out[name].append(finding)
            kept[unit.text] = entry
            continue
        check_stop()
        by_type: dict[str, list[Node]] = {}
        for node in unit.nodes:
            for kind, found in walk(node).items():
                by_type.setdefault(kind, []).extend(found)
        comments = sorted((n for kind in COMMENT_TYPES for n in by_type.get(kind, [])),
                          key=lambda n: n.start_byte)
        facts = FileFacts(ctx.tree, by_type, comments, [c.start_byte for c in comments])
        sub = UnitContext(ctx.path, ctx.tree, ctx.analysis, facts=facts, index=index,
                          options=ctx._options, features=ctx.features)
        recorder.asked = {}
        sub.recorder = recorder
        index.recorder = recorder
        here: list[tuple[str, Finding]] = []
        try:
            for rule, _level in rules:
                part = ITEM_PARTS.get(rule.name)
                check = rule.check if part is None else part[0]
                try:
                    here.extend((rule.name, finding) for finding in check(sub))
                except Exception:
                    return None
        finally:
            index.recorder = None
        for name, finding in here:
            out[name].append(finding)
        if all(_inside(f, unit) for _, f in here) and table.unique(unit):
            entry = _Entry([(name, _shift(f, -unit.key_start)) for name, f in here],
                           recorder.asked, (unit.key_start, here), base,
                           _texts(recorder.asked))
            kept[unit.text] = entry
    cache.entries = kept
    result: list[tuple[Rule, Level, Finding]] = []
    for rule, level in rules:
        result.extend((rule, level, f) for f in out[rule.name])
    return result


def cache_key(levels: Mapping[str, Level], options: Mapping[str, Mapping[str, object]] | None,
              features: frozenset[str], trees: Mapping[str, SyntaxTree]) -> Hashable:
    """What every kept finding of a file also depends on."""
    return (tuple(levels.items()), repr(sorted((options or {}).items())), features,
            tuple(sorted(trees)))
