"""Editor features as pure functions over `$0` fixtures (architecture.md, "Tests").

:func:`context` turns fixture text into the :class:`FeatureContext` a feature takes and the
cursor's byte offset; the analysis runs over an in-memory file system, only when the feature
asks for it. The ``render_*`` helpers print results the way a test states what it expects:
ranges as ``line:column `text```, edits applied to the text."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from support.fixtures import Fixture, parse_fixture

from wit_ls.features.common import FeatureContext, FileEdit
from wit_ls.model import MemoryFileSystem, Options, analyze
from wit_ls.model.api import Analysis, Location
from wit_ls.syntax import SyntaxTree, parse


class FeatureFixture:
    """A parsed fixture, its trees, and feature contexts over it."""

    def __init__(self, text: str) -> None:
        self.fixture: Fixture = parse_fixture(text)
        self.data = {p: t.encode("utf-8") for p, t in self.fixture.files.items()}
        self.trees: dict[str, SyntaxTree] = {p: parse(d) for p, d in self.data.items()}
        self.analyses = 0

    @property
    def path(self) -> str:
        return self.fixture.cursor[0] if self.fixture.cursor else next(iter(self.trees))

    @property
    def offset(self) -> int:
        assert self.fixture.cursor is not None, "the fixture has no `$0` cursor"
        return self.fixture.cursor[1]

    def _analyze(self, roots: Sequence[str]) -> Analysis:
        self.analyses += 1
        return analyze(MemoryFileSystem(self.data), list(roots), Options())

    def context(self, path: str | None = None, *, workspace: bool = False) -> FeatureContext:
        """The context of ``path`` (default: the cursor's file) over the fixture's package, or
        over every package root of it (``workspace``: what references and rename see)."""
        target = path or self.path
        roots = self.fixture.roots
        if workspace and self.fixture.multi_file:
            roots = sorted({p.rsplit("/", 1)[0] for p in self.trees if "/deps/" not in p})

        def run() -> Analysis:
            return self._analyze(roots)

        return FeatureContext(target, self.trees[target], run, self.trees)

    def where(self, path: str, start: int, end: int | None = None) -> str:
        """``line:col `text``` (1-based, code points) of a byte range, with the path when the
        fixture has several files."""
        data = self.data[path]
        before = data[:start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1:].decode("utf-8")) + 1
        text = data[start:end if end is not None else start].decode("utf-8")
        prefix = f"{path}:" if self.fixture.multi_file else ""
        return f"{prefix}{line}:{col} `{text}`"

    def locations(self, locs: Iterable[Location]) -> list[str]:
        return [self.where(loc.path, loc.start, loc.end) for loc in locs]

    def apply(self, edits: Sequence[FileEdit], path: str | None = None) -> str:
        """The text of ``path`` (default: the cursor's file) with the edits for it applied."""
        target = path or self.path
        return edited_files({target: self.data[target]}, edits)[target].decode("utf-8")


def edited_files(files: Mapping[str, bytes], edits: Sequence[FileEdit]) -> dict[str, bytes]:
    """Every file's bytes with the edits for it applied (edits of other paths are ignored)."""
    out: dict[str, bytes] = {}
    for path, data in files.items():
        for edit in sorted((e for e in edits if e.path == path), key=lambda e: -e.start):
            data = data[:edit.start] + edit.new_text.encode("utf-8") + data[edit.end:]
        out[path] = data
    return out


def context(text: str) -> tuple[FeatureContext, int]:
    """A feature context over the fixture and the cursor's offset."""
    fx = FeatureFixture(text)
    return fx.context(), fx.offset


class RootOnDisk:
    """A package root read from disk into memory (paths relative to ``base``): its files, the
    trees of its ``.wit`` files, and a feature context for each of its own (not ``deps/``)
    files, sharing one analysis made on first use."""

    def __init__(self, base: Path, rel: str) -> None:
        root = base / rel
        paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        self.rel = rel
        self.files = {p.relative_to(base).as_posix(): p.read_bytes() for p in paths}
        self.trees = {p: parse(d) for p, d in self.files.items() if p.endswith(".wit")}
        self._analysis: Analysis | None = None
        self.contexts = {p: FeatureContext(p, t, self.analysis, self.trees)
                         for p, t in self.trees.items() if "/deps/" not in p[len(rel):]}

    def analysis(self) -> Analysis:
        if self._analysis is None:
            self._analysis = analyze(MemoryFileSystem(self.files), [self.rel], Options())
        return self._analysis
