"""The older version that `breaking.against` names (a git revision of the workspace's repository,
or a folder), analysed once per revision, and the breaking changes of the current text against
it. Git is read with `git rev-parse`, `ls-tree` and `cat-file` (wit_ls.host.git): no network, no
checkout, the working tree untouched. A branch that moves is noticed within a second."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from wit_ls.host.disk import DiskFileSystem
from wit_ls.lint.config import ConfigError, config_for
from wit_ls.model import Analysis, FileSystem, Options, analyze
from wit_ls.model.fs import MemoryFileSystem

if TYPE_CHECKING:  # the comparison loads on first use (not before the first diagnostics)
    from wit_ls.breaking.live import LiveResult, Side

# How often a revision is resolved again (a branch or HEAD may move).
RECHECK_SECONDS = 1.0


def configured_against(root: str, fs: FileSystem) -> str | None:
    """`[breaking] against` of the configuration file that applies to ``root``, read through
    ``fs`` as the file's other settings are; a broken file counts as none here (the workspace
    reports it where it reads the file's features)."""
    try:
        return config_for(root, fs).breaking_against
    except ConfigError:
        return None


class _Workspace(Protocol):
    def analysis(self, roots: tuple[str, ...]) -> Analysis: ...


def side_of(analysis: Analysis) -> Side:
    """An analysis as the plain data that the comparison works on."""
    from wit_ls.breaking.live import Side

    files = analysis.files

    def source(path: str) -> bytes | None:
        tree = files.get(path)
        return tree.source if tree is not None else None

    return Side(analysis.resolve_json(), analysis.all_symbols, source)


@dataclass
class _Old:
    key: tuple[str, ...]
    analysis: Analysis
    side: Side | None = None


@dataclass
class Baseline:
    """Per package roots: the old analysis (by revision) and the last comparison."""

    against: str | None = None
    folders: tuple[str, ...] = ()
    options: Options = field(default_factory=Options)
    # Where configuration files are read (the workspace's, so an unsaved one counts).
    fs: FileSystem = field(default_factory=DiskFileSystem)
    _commits: dict[tuple[str, str], tuple[float, str | None]] = field(default_factory=dict)
    _old: dict[tuple[str, ...], _Old] = field(default_factory=dict)
    _results: dict[tuple[str, ...], tuple[Analysis, tuple[str, ...], LiveResult]] = field(
        default_factory=dict)
    _trees: dict[tuple[str, str], dict[str, bytes]] = field(default_factory=dict)

    def configure(self, against: str | None, folders: tuple[str, ...], options: Options,
                  fs: FileSystem | None = None) -> None:
        if fs is not None:
            self.fs = fs
        if (against, folders, options) != (self.against, self.folders, self.options):
            self.against, self.folders, self.options = against, folders, options
            self._old.clear()
            self._results.clear()
            self._commits.clear()

    def against_for(self, roots: tuple[str, ...]) -> str | None:
        """The setting, or else `[breaking] against` of the nearest configuration file."""
        if self.against:
            return self.against
        return configured_against(roots[0], self.fs) if roots else None

    def _commit(self, top: str, revision: str) -> str | None:
        now = time.monotonic()
        cached = self._commits.get((top, revision))
        if cached is not None and now - cached[0] < RECHECK_SECONDS:
            return cached[1]
        from wit_ls.host import git  # runs git: not on the first answer's path

        commit = git.commit_of(top, revision)
        self._commits[(top, revision)] = (now, commit)
        return commit

    def _folder(self, against: str) -> str | None:
        candidates = [against] if os.path.isabs(against) else [
            os.path.join(folder, against) for folder in self.folders]
        for candidate in candidates:
            if os.path.isdir(candidate):
                return os.path.normpath(candidate)
        return None

    def old_analysis(self, roots: tuple[str, ...]) -> Analysis | None:
        """The older version of the packages at ``roots``, or None (no setting, no repository,
        an unknown revision)."""
        against = self.against_for(roots)
        if not against:
            return None
        folder = self._folder(against)
        if folder is not None:
            key: tuple[str, ...] = ("folder", folder)
            cached = self._old.get(roots)
            if cached is None or cached.key != key:
                analysis = analyze(DiskFileSystem(), [folder], self.options)
                cached = self._old[roots] = _Old(key, analysis)
            return cached.analysis
        from wit_ls.host import git  # runs git: not on the first answer's path

        top = git.toplevel(os.path.dirname(roots[0]) or ".") if roots[0] else None
        if top is None:
            return None
        commit = self._commit(top, against)
        if commit is None:
            return None
        key = ("git", top, commit)
        cached = self._old.get(roots)
        if cached is None or cached.key != key:
            files = self._trees.get((top, commit))
            if files is None:
                files = git.read_tree(top, commit, "")
                self._trees = {(top, commit): files}
            present = [r for r in roots if any(p.startswith(r + os.sep) or p == r
                                               for p in files)]
            if not present:
                return None
            analysis = analyze(MemoryFileSystem(files), present, self.options)
            cached = self._old[roots] = _Old(key, analysis)
        return cached.analysis

    def result(self, ws: _Workspace, roots: tuple[str, ...]) -> LiveResult | None:
        """The breaking changes of the current analysis of ``roots`` against the old one
        (recomputed when either changes)."""
        old = self.old_analysis(roots)
        if old is None:
            return None
        old_key = self._old[roots].key
        new = ws.analysis(roots)
        if any(d.severity == 1 for d in new.diagnostics):
            # Half-typed text: its errors say enough; comparing it would report every item
            # that does not resolve as removed.
            return None
        cached = self._results.get(roots)
        if cached is not None and cached[0] is new and cached[1] == old_key:
            return cached[2]
        entry = self._old[roots]
        if entry.side is None:
            entry.side = side_of(old)
        from wit_ls.breaking.live import live_breaking

        result = live_breaking(entry.side, side_of(new), self.against_for(roots) or "")
        self._results[roots] = (new, old_key, result)
        return result
