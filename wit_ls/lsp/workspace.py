"""The server's inputs: open documents (with versions and incrementally reparsed trees),
workspace folders, the files on disk (cached, kept current by file-watcher events), settings;
and what is derived from them: package roots and analyses, cached by input version.

Nothing here speaks LSP; the handlers translate.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
import time
import traceback
import weakref
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from wit_ls import lint
from wit_ls.features.common import package_root_of
from wit_ls.host.disk import read_regular_file
from wit_ls.lint.config import ConfigError, LintConfig, config_for
from wit_ls.lsp.baseline import Baseline
from wit_ls.lsp.settings import Settings
from wit_ls.model import Analysis, FileSystem, Options
from wit_ls.model.api import RootAnalysis, analyze_root, combine
from wit_ls.model.loader import FileCache, SourceFile
from wit_ls.model.lower import lower
from wit_ls.model.moved import AnalysisView, MovedAnalysis
from wit_ls.model.shared_deps import SharedResolutions
from wit_ls.model.token_moves import TopNode, lowering_moved, top_nodes
from wit_ls.syntax import Diagnostic, Severity, SyntaxTree, TextEdit, apply_edits, parse
from wit_ls.syntax.layout import Shift, carry_diagnostics, layout_shift, moved

if TYPE_CHECKING:  # the lint rules and the comparison load on first use, after the first answer
    from wit_ls.breaking.live import LiveResult
    from wit_ls.lint.context import FileFacts
    from wit_ls.lint.incremental import ItemCache

log = logging.getLogger("wit_ls.lsp")

_SKIP_DIRS = frozenset(["deps", "node_modules", "target", "__pycache__"])
# A folder tree bigger than this is not walked for packages (a home directory opened by mistake).
_MAX_WALK = 20_000

# How often a lint pass waiting for its gate (see `LintJob._stopping`) looks whether it was
# stopped meanwhile.
GATE_POLL_SECONDS = 0.05
# Replaced analyses kept for freeing after an answer (see `release_retired`) at most.
MAX_RETIRED = 8
# An analysis that made at least this many objects (net; wasi-http makes about 10,000, the
# generated 20,000-line package about 165,000) is frozen out of the collector's reach for
# good (see `_analyse_root`): replaced, it is freed by reference counting alone.
FREEZE_OBJECTS = 100_000


def _fenced(fence: Callable[[], Callable[[str, bool], str | None] | None], path: str,
            listing: bool) -> str | None:
    """What ``fence`` says of ``path`` (see `CachedDiskFileSystem.fence`); nothing is read
    once its workspace is gone."""
    method = fence()
    return f"{path}: the workspace is closed" if method is None else method(path, listing)


def _norm(path: str) -> str:
    path = os.path.normpath(path).replace("\\", "/")
    return path


@dataclass
class Document:
    uri: str
    path: str
    version: int
    tree: SyntaxTree

    @property
    def text(self) -> str:
        return self.tree.text


class OutsideWorkspace(PermissionError):
    """A path the server does not read: it leads outside the workspace."""


SETTING_OUTSIDE = "wit.readOutsideWorkspace"
# Files read in folders above the workspace too (configuration is looked up, not followed).
_CONFIG_NAMES = frozenset(["wit-ls.toml", ".wit-ls.toml", "pyproject.toml", "wkg.toml",
                           "deps.toml"])


def _inside(path: str, roots: Iterable[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip("/") + "/") for root in roots)


class CachedDiskFileSystem:
    """The disk, cached (the model's ``FileSystem`` protocol), with open documents on top.

    Entries are dropped when the client reports a change (``invalidate``)."""

    def __init__(self, documents: dict[str, Document]) -> None:
        self._documents = documents
        self._bytes: dict[str, bytes | OSError] = {}
        self._listings: dict[str, list[str] | OSError] = {}
        # Real path -> the other names a cached file was read by (through a `deps/` link).
        self._aliases: dict[str, set[str]] = {}
        # Why a path may not be read (it leads outside the workspace), or None: set by the
        # workspace (the trust boundary).
        self.fence: Callable[[str, bool], str | None] = lambda _path, _listing: None

    def invalidate(self, path: str | None = None) -> None:
        if path is None:
            self._bytes.clear()
            self._listings.clear()
            self._aliases.clear()
            return
        path = _norm(path)
        # The path, everything cached under it (a folder deleted or restored whole), and the
        # listings of its ancestors (a file created in a new folder under deps/ adds that
        # folder to deps/'s listing).
        prefix = path.rstrip("/") + "/"
        for cache in (self._bytes, self._listings):
            cache.pop(path, None)
            for key in [k for k in cache if k.startswith(prefix)]:
                del cache[key]
        # The same file or folder read by another name.
        real = _norm(os.path.realpath(path))
        for target in [t for t in self._aliases
                       if t in (path, real) or t.startswith((prefix, real.rstrip("/") + "/"))]:
            for alias in self._aliases.pop(target):
                self._bytes.pop(alias, None)
        parent = os.path.dirname(path)
        while parent and parent not in ("/", "."):
            self._listings.pop(parent, None)
            if os.path.dirname(parent) == parent:
                break
            parent = os.path.dirname(parent)

    def read_bytes(self, path: str) -> bytes:
        path = _norm(path)
        doc = self._documents.get(path)
        if doc is not None:
            return doc.tree.source
        if path not in self._bytes:
            refused = self.fence(path, False)
            try:
                if refused is not None:
                    raise OutsideWorkspace(refused)
                # Only regular files below the size limit: a FIFO, a device or /dev/zero
                # named .wit never blocks the server or fills its memory.
                self._bytes[path] = read_regular_file(path)
                real = _norm(os.path.realpath(path))
                if real != path:
                    self._aliases.setdefault(real, set()).add(path)
            except OSError as err:
                # Kept without its traceback, whose frames hold this cache: a reference
                # cycle (see `Workspace.__post_init__`).
                self._bytes[path] = err.with_traceback(None)
        data = self._bytes[path]
        if isinstance(data, OSError):
            # A fresh exception each time (raising the cached one would chain tracebacks).
            raise type(data)(*data.args)
        return data

    def _listing(self, path: str) -> list[str] | OSError:
        if path not in self._listings:
            refused = self.fence(path, True)
            try:
                if refused is not None:
                    if not os.path.isdir(path):
                        raise NotADirectoryError(path)
                    raise OutsideWorkspace(refused)
                self._listings[path] = sorted(os.listdir(path))
            except OSError as err:
                self._listings[path] = err.with_traceback(None)  # (as in `read_bytes`)
        return self._listings[path]

    def list_dir(self, path: str) -> list[str]:
        path = _norm(path)
        names = self._listing(path)
        extra = {os.path.basename(p) for p in self._documents if os.path.dirname(p) == path}
        if isinstance(names, OSError):
            if not extra:
                raise type(names)(*names.args)
            return sorted(extra)
        return sorted(set(names) | extra)

    def is_dir(self, path: str) -> bool:
        """A directory (one outside the workspace too: listing it then says why not)."""
        path = _norm(path)
        listing = self._listing(path)
        if not isinstance(listing, OSError) or isinstance(listing, OutsideWorkspace):
            return True
        prefix = path.rstrip("/") + "/"
        return any(p.startswith(prefix) for p in self._documents)

    def is_file(self, path: str) -> bool:
        path = _norm(path)
        if path in self._documents:
            return True
        parent = self._listing(os.path.dirname(path))
        if isinstance(parent, OSError):
            return False
        # The listing is sorted: a bisection, not a scan (a folder of 10,000 files is listed
        # once and asked about each of them).
        name = os.path.basename(path)
        at = bisect_left(parent, name)
        if at == len(parent) or parent[at] != name:
            return False
        listing = self._listing(path)
        return isinstance(listing, OSError) and not isinstance(listing, OutsideWorkspace)


def discover_package_roots(folder: str, max_dirs: int = _MAX_WALK) -> list[str]:
    """Every folder under ``folder`` holding ``*.wit`` files, not descending into ``deps/``,
    hidden folders or build output."""
    roots: list[str] = []
    for seen, (current, dirs, files) in enumerate(os.walk(folder)):
        if seen >= max_dirs:
            break
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        if any(f.endswith(".wit") for f in files):
            roots.append(_norm(current))
    return roots


class EditorFileCache(FileCache):
    """The model's file cache, reusing the incrementally reparsed trees of open documents
    instead of parsing their text again."""

    def __init__(self, documents: dict[str, Document]) -> None:
        super().__init__(max_files=0)
        self._documents = documents

    def get(self, path: str, data: bytes) -> SourceFile:
        doc = self._documents.get(path)
        if doc is not None and doc.tree.source is data:
            found = self._files.get(path)
            if found is not None and found.data is data:
                return found
            source = SourceFile(path, data, doc.tree, lower(doc.tree, path, self.docs))
            self._files[path] = source
            return source
        return super().get(path, data)


def _read_paths(files: Iterable[str]) -> frozenset[str]:
    """The paths of the files an analysis read, as named and with links resolved."""
    out: set[str] = set()
    for path in files:
        path = _norm(path)
        out.add(path)
        if "/deps/" in path:  # where links to other packages are
            out.add(_norm(os.path.realpath(path)))
    return frozenset(out)


# At most this many edits that only moved text are kept per file before it is analysed again.
_MAX_MOVES = 256


@dataclass
class AnalysisEntry:
    """The combined analysis of some roots, valid while their shares are these."""

    parts: tuple[RootAnalysis, ...]
    analysis: Analysis
    seconds: float


@dataclass
class PartEntry:
    """One root's share of the analyses, computed at ``tick`` with the root at ``version``;
    stale once the root's version moves or one of the files it read changes later."""

    version: int
    tick: int
    paths: frozenset[str]
    part: RootAnalysis
    seconds: float


@dataclass
class LintJob:
    """One lint pass of one file over fixed inputs (a tree, the package's analysis and its
    other trees, the configuration: none of them changes once made), so that it can run in a
    thread of its own while the server answers requests. ``stop`` ends it early (between
    rules); ``findings`` is None until it has finished, and stays None when stopped."""

    path: str
    tree: SyntaxTree
    analysis: AnalysisView
    package: dict[str, SyntaxTree]
    config: LintConfig | None
    facts_cache: dict[str, FileFacts]
    item_cache: dict[str, ItemCache]
    stopped: bool = False
    findings: list[Diagnostic] | None = None
    # A crash in the lint layer, with its traceback (to log in the server's thread).
    error: str | None = None
    # Set while the pass may go on (see `_stopping`); None: always.
    gate: threading.Event | None = None

    def stop(self) -> None:
        self.stopped = True

    def _stopping(self) -> bool:
        """Whether to stop, asked between rules and items: while ``gate`` is clear (the
        server is answering messages) the pass waits here, so that it never shares the
        interpreter with an answer (a pass in a thread takes every other time slice of the
        thread that answers)."""
        gate = self.gate
        while gate is not None and not self.stopped and not gate.wait(GATE_POLL_SECONDS):
            pass
        return self.stopped

    def run(self) -> None:
        """Compute ``findings``. A crash in the lint layer is one ``internal-error`` finding
        (it never costs the other diagnostics, and is never hidden) and ``error``."""
        from wit_ls.lint.engine import INTERNAL_ERROR, LintCancelled

        try:
            self.findings = lint.lint(self.path, self.tree, config=self.config,
                                      package_trees=self.package, analysis=self.analysis,
                                      facts_cache=self.facts_cache,
                                      item_cache=self.item_cache,
                                      stop=self._stopping)
        except LintCancelled:
            return
        except Exception as err:
            message = f"internal error in wit-ls lint: {type(err).__name__}: {err}"
            self.error = f"{message} ({self.path})\n{traceback.format_exc()}"
            self.findings = [Diagnostic(0, 0, f"{message} (please report this; lint findings "
                                              "for this file are missing)", INTERNAL_ERROR,
                                        Severity.ERROR, self.path)]


@dataclass
class Workspace:
    settings: Settings = field(default_factory=Settings)
    folders: dict[str, str] = field(default_factory=dict)  # path -> uri
    documents: dict[str, Document] = field(default_factory=dict)
    # Per-root versions, bumped when an input under the root changes: unaffected roots keep
    # their analysis.
    _root_versions: dict[str, int] = field(default_factory=dict)
    _folder_roots: dict[str, list[str]] = field(default_factory=dict)
    _analyses: dict[tuple[str, ...], AnalysisEntry] = field(default_factory=dict)
    # Each root's share, reused by every analysis that includes the root; and when each path
    # last changed (a tick of ``_tick``), to find the shares that read it.
    _parts: dict[str, PartEntry] = field(default_factory=dict)
    _changed: dict[str, int] = field(default_factory=dict)
    _tick: int = 0
    # Edits of open documents that only moved text (whitespace between tokens, see
    # wit_ls.syntax.layout), per path, in order, that no analysis has seen: until one is
    # asked for, a keystroke's diagnostics are the last analysis' moved by them.
    _moves: dict[str, list[Shift]] = field(default_factory=dict)
    # Open documents edited since their package's last analysis by edits that changed tokens,
    # which no analysis has seen either: until one is asked for, a keystroke's diagnostics are
    # the last analysis' moved, when the edits left the file's lowering as it was at moved
    # positions (see wit_ls.model.token_moves; most letters typed in a large package do).
    _pending: dict[str, None] = field(default_factory=dict)
    # The top-level nodes of the tree a document's last analysis read (see token_moves).
    _top_nodes: dict[str, tuple[SyntaxTree, list[TopNode]]] = field(default_factory=dict)
    # The last `_token_shift` found: (tree analysed, tree now, the edit between them or None).
    _last_shift: tuple[SyntaxTree, SyntaxTree, Shift | None] | None = None
    # The last `_reresolved` found: (tree analysed, tree now, the root's diagnostics or None).
    _last_reresolved: tuple[SyntaxTree, SyntaxTree, list[Diagnostic] | None] | None = None
    _retired: list[object] = field(default_factory=list)
    fs: CachedDiskFileSystem = field(init=False)
    cache: EditorFileCache = field(init=False)
    # Where internal errors (a crashing lint run) are logged; they also become diagnostics.
    report_error: Callable[[str], None] | None = None
    lint_results: dict[str, list[Diagnostic]] = field(default_factory=dict)
    # Each file's lint facts while its tree is unchanged (lint re-reads the whole package):
    # used by one lint pass at a time (the server's lint thread).
    _lint_facts: dict[str, FileFacts] = field(default_factory=dict)
    # Each file's lint findings per top-level item, reused by the next pass where the item and
    # what it resolves to are unchanged (wit_ls.lint.incremental); same thread as the facts.
    _lint_items: dict[str, ItemCache] = field(default_factory=dict)
    # What each open document's kept lint findings were computed from: its tree, its
    # package's analysis (or the view of the last one through edits that moved text, see
    # `lint_analysis`) and the lint configuration (see `lint_is_fresh`).
    _lint_keys: dict[str, tuple[SyntaxTree, AnalysisView, LintConfig | None]] = field(
        default_factory=dict)
    # The last view made by `lint_analysis`, by root set.
    _lint_views: dict[tuple[str, ...], MovedAnalysis] = field(default_factory=dict)
    # Problems with lint configuration files, each shown to the user once.
    config_problems: list[str] = field(default_factory=list)
    _config_problems_seen: set[str] = field(default_factory=set)
    # The older version `breaking.against` names, and the comparisons with it.
    baseline: Baseline = field(default_factory=Baseline)
    breaking_results: dict[str, list[Diagnostic]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.fs = CachedDiskFileSystem(self.documents)
        # The file system asks the workspace through a weak reference: a reference cycle
        # would keep a dropped workspace and its analyses (the light first answer's, see
        # `wit_ls.lsp.first_answer`) until a full collection, which the server avoids.
        fence = weakref.WeakMethod(self.outside_workspace)
        self.fs.fence = lambda path, listing: _fenced(fence, path, listing)
        self.cache = EditorFileCache(self.documents)
        # Dependencies' resolutions recorded by a root's analysis and replayed by the next
        # ones while its deps/ are unchanged (see `_analyse_root`); the few roots edited last.
        self._resolutions = SharedResolutions(limit=4)
        self._trusted: list[str] | None = None
        # Whether an analysis was frozen out of the collector's reach (see `_analyse_root`).
        self._froze = False

    # ---- the trust boundary -------------------------------------------------------------

    def trusted_roots(self) -> list[str]:
        """The folders the server reads in (symlinks resolved): the workspace folders, or,
        without any, the package folders of the open documents."""
        if self._trusted is None:
            places = list(self.folders) or [package_root_of(p) for p in self.documents]
            self._trusted = sorted({_norm(os.path.realpath(p)) for p in places})
        return self._trusted

    def outside_workspace(self, path: str, listing: bool = False) -> str | None:
        """Why ``path`` (a file, or a folder to list) is not read, or None. Inside the trusted
        folders everything is read; above them (and above open documents) only what looking
        *up* needs: folder listings and configuration files. Open documents are answered from
        the editor's text and never read."""
        if self.settings.read_outside_workspace or not self.trusted_roots():
            return None
        real = _norm(os.path.realpath(path))
        if _inside(real, self.trusted_roots()):
            return None
        anchors = [*self.trusted_roots(), *(package_root_of(p) for p in self.documents)]
        place = real if listing else os.path.dirname(real)
        if (listing or os.path.basename(real) in _CONFIG_NAMES) and any(
                _inside(anchor, [place]) for anchor in anchors):
            return None
        return (f"{path} leads outside the workspace (to {real}); wit-ls does not read there "
                f"unless the setting `{SETTING_OUTSIDE}` is true")

    def _trust_changed(self) -> None:
        self._trusted = None
        self.fs.invalidate()

    # ---- inputs -------------------------------------------------------------------------

    def _touch(self, path: str) -> None:
        path = _norm(path)
        self._tick += 1
        self._changed[path] = self._tick
        # Packages may read the file by another name (a `deps/` link to it).
        self._changed[_norm(os.path.realpath(path))] = self._tick
        for root in list(self._root_versions):
            if path == root or path.startswith(root.rstrip("/") + "/"):
                self._root_versions[root] += 1
        # A file that appeared may create a new root.
        root = package_root_of(path)
        self._root_versions.setdefault(root, 0)
        self._root_versions[root] += 1

    def open(self, uri: str, path: str, version: int, text: str) -> Document:
        path = _norm(path)
        doc = Document(uri, path, version, parse(text))
        if not self.folders and path not in self.documents:
            self._trust_changed()
        self.documents[path] = doc
        self._touch(path)
        return doc

    def change(self, path: str, version: int, edits: Sequence[TextEdit | str]) -> Document | None:
        """Apply edits (byte ranges against the text so far) or full texts, in order."""
        doc = self.documents.get(_norm(path))
        if doc is None:
            return None
        tree = doc.tree
        shifts: list[Shift] | None = []
        for edit in edits:
            if isinstance(edit, str):
                tree = parse(edit)
                shifts = None
                continue
            new = apply_edits(tree, [edit])
            self._carry_kept(doc.path, edit)
            if shifts is not None:
                shift = layout_shift(tree, new, edit)
                if shift is None:
                    shifts = None
                else:
                    carry_diagnostics(tree, new, shift)
                    shifts.append(shift)
            tree = new
        doc.tree = tree
        doc.version = version
        known = self._moves.get(doc.path, [])
        if doc.path in self._pending:
            pass  # compared with the tree of the last analysis as a whole (see `_pending`)
        elif shifts and len(known) + len(shifts) <= _MAX_MOVES:
            self._moves[doc.path] = [*known, *shifts]
        elif self._may_defer(doc.path):
            self._moves.pop(doc.path, None)
            self._pending[doc.path] = None
        else:
            self._moves.pop(doc.path, None)
            self._touch(doc.path)
        return doc

    def _may_defer(self, path: str) -> bool:
        """Whether a token-changing edit of ``path`` may wait for an analysis (see
        `_pending`): its package's last analysis read it, and no other analysis did."""
        own = package_root_of(path)
        entry = self._parts.get(own)
        if entry is None or entry.part.result is None or path not in entry.part.files:
            return False
        real = _norm(os.path.realpath(path))
        return not any(root != own and (path in other.paths or real in other.paths)
                       for root, other in self._parts.items())

    def _carry_kept(self, path: str, edit: TextEdit) -> None:
        """Move the kept lint findings and breaking changes of ``path`` (shown with the next
        first answer, until a lint pass replaces them) over ``edit``: those after it shift,
        those it touches (or whose fix it touches) are dropped, so that none points into
        text it was not computed from."""
        for kept in (self.lint_results, self.breaking_results):
            found = kept.get(path)
            if found:
                kept[path] = [d for d in (_carried(d, edit) for d in found) if d is not None]

    def _flush_moves(self) -> None:
        """Make the analyses see the edits that only moved text (see ``_moves``)."""
        if self._moves or self._pending:
            for path in [*self._moves, *self._pending]:
                self._touch(path)
            self._moves.clear()
            self._pending.clear()

    def close(self, path: str) -> None:
        path = _norm(path)
        self._flush_moves()
        if self.documents.pop(path, None) is not None:
            self.fs.invalidate(path)
            self._touch(path)
        self._lint_keys.pop(path, None)
        self._lint_items.pop(path, None)

    def files_changed(self, paths: Iterable[str]) -> None:
        self._flush_moves()
        for path in paths:
            path = _norm(path)
            self.fs.invalidate(path)
            self._touch(path)
            if path.endswith(".wit") or not os.path.splitext(path)[1]:
                for folder in self._folder_roots:
                    if path.startswith(folder.rstrip("/") + "/"):
                        self._folder_roots[folder] = []  # rediscover lazily
                        self._folder_roots.pop(folder)
                        break

    def add_folder(self, uri: str, path: str) -> None:
        self.folders[_norm(path)] = uri
        self._trust_changed()

    def remove_folder(self, path: str) -> None:
        path = _norm(path)
        self.folders.pop(path, None)
        self._folder_roots.pop(path, None)
        self._trust_changed()
        self._analyses = {k: v for k, v in self._analyses.items()
                          if not any(r.startswith(path) for r in k)}
        self._parts = {k: v for k, v in self._parts.items() if not k.startswith(path)}

    def set_settings(self, settings: Settings) -> None:
        if settings.read_outside_workspace != self.settings.read_outside_workspace:
            self._trust_changed()
        self.settings = settings
        for root in self._root_versions:
            self._root_versions[root] += 1
        self._analyses.clear()
        self._parts.clear()

    # ---- derived ------------------------------------------------------------------------

    def folder_roots(self, folder: str) -> list[str]:
        roots = self._folder_roots.get(folder)
        if roots is None:
            roots = discover_package_roots(folder)
            self._folder_roots[folder] = roots
        return roots

    def package_roots(self) -> list[str]:
        """Every package root of every folder, plus the roots of open documents."""
        roots: dict[str, None] = {}
        for folder in self.folders:
            for root in self.folder_roots(folder):
                roots[root] = None
        for path in self.documents:
            roots[package_root_of(path)] = None
        return list(roots)

    def in_folders(self, path: str) -> bool:
        path = _norm(path)
        return any(path.startswith(f.rstrip("/") + "/") for f in self.folders)

    def is_dependency(self, path: str) -> bool:
        """A file of a package under some ``deps/`` folder, or outside every workspace folder
        while not open."""
        path = _norm(path)
        if "/deps/" in path:
            return True
        return bool(self.folders) and not self.in_folders(path) and path not in self.documents

    def roots_for(self, path: str) -> tuple[str, ...]:
        return (package_root_of(_norm(path)),)

    def tree(self, path: str) -> SyntaxTree | None:
        path = _norm(path)
        doc = self.documents.get(path)
        if doc is not None:
            return doc.tree
        try:
            return parse(self.fs.read_bytes(path))
        except OSError:
            return None

    def model_options(self, roots: tuple[str, ...]) -> Options:
        """The editor's `features` / `allFeatures` settings, with those of the configuration
        file that applies to the first root (as the command line reads it)."""
        features = set(self.settings.features)
        all_features = self.settings.all_features
        if roots:
            try:
                config = config_for(roots[0], self.fs)
            except ConfigError as err:
                self._config_problem(f"wit-ls: {err}")
                config = None
            if config is not None:
                features |= config.features
                all_features = all_features or config.all_features
        return Options(features=frozenset(features), all_features=all_features)

    def analysis(self, roots: tuple[str, ...]) -> Analysis:
        """The analysis of ``roots`` (cached until one of their files changes). It combines
        each root's share, and only the shares that read a changed file are computed again:
        after an edit, a workspace-wide request re-analyses the edited package and those that
        read it, not every package. The model never raises: an internal error in it is one of
        the analysis' diagnostics."""
        self._flush_moves()
        started = time.perf_counter()
        computed = 0.0
        parts: list[RootAnalysis] = []
        for root in roots:
            entry = self._parts.get(root)
            if entry is None or self._stale(root, entry):
                entry = self._analyse_root(root)
                computed += entry.seconds
            parts.append(entry.part)
        cached = self._analyses.get(roots)
        if cached is not None and len(cached.parts) == len(parts) and all(
                a is b for a, b in zip(cached.parts, parts, strict=True)):
            return cached.analysis
        analysis = combine(parts)
        if len(self._analyses) > 64:
            self._retired.extend(self._analyses.values())
            self._analyses.clear()
        if cached is not None:
            # Freeing a large analysis takes tens of milliseconds: do it after the answer.
            self._retired.append(cached)
        self._analyses[roots] = AnalysisEntry(tuple(parts), analysis,
                                              computed or time.perf_counter() - started)
        return analysis

    def index(self, root: str) -> None:
        """Analyse ``root`` if it has never been analysed (background indexing). A root with
        an analysis, even one older than its files, is left to whoever asks next: the
        package of an open document is brought up to date by that document's answers, and
        analysing it here, between two keystrokes, would analyse it whole and leave the
        next keystrokes comparing their text with whatever state it was in then (a letter
        just typed that breaks the file: each later letter then needed a whole analysis)."""
        if root not in self._parts:
            self.analysis((root,))

    def refresh(self, root: str) -> None:
        """Compute ``root``'s share now if it is stale (see :meth:`analysis`)."""
        self._flush_moves()
        entry = self._parts.get(root)
        if entry is None or self._stale(root, entry):
            self._analyse_root(root)

    def stale_roots(self, roots: Iterable[str]) -> list[str]:
        """The roots among ``roots`` whose share must be computed (again)."""
        self._flush_moves()
        out = []
        for root in roots:
            entry = self._parts.get(root)
            if entry is None or self._stale(root, entry):
                out.append(root)
        return out

    def _stale(self, root: str, entry: PartEntry) -> bool:
        if entry.version != self._root_versions.get(root, 0):
            return True
        changed = self._changed
        if len(changed) < len(entry.paths):
            return any(tick > entry.tick and path in entry.paths for path, tick in changed.items())
        return any(changed.get(path, 0) > entry.tick for path in entry.paths)

    def _analyse_root(self, root: str) -> PartEntry:
        """Compute ``root``'s share (see :meth:`analysis`)."""
        self._root_versions.setdefault(root, 0)
        if len(self._retired) >= MAX_RETIRED:
            # A stream of edits that never lets an answer finish (so never reaches
            # `release_retired`) must not keep every replaced analysis: release here, before
            # analysing.
            self.release_retired()
        started = time.perf_counter()
        tick = self._tick
        previous = self._parts.get(root)
        # A keystroke in a package's own files leaves its deps/ as they were: their resolution
        # is replayed from the recording the analysis before made instead of done again (see
        # `wit_ls.model.shared_deps`; it gives the same objects and diagnostics). Recording
        # costs a first analysis more than it saves, and after an edit inside deps/ it would
        # serve no later keystroke: only a root analysed again after edits to its own files
        # only (not below deps/, nor another package read through a deps/ link) records or
        # replays.
        own = root.rstrip("/") + "/"
        self.cache.resolutions = self._resolutions if previous is not None and not any(
            at > previous.tick and path in previous.paths
            and not (path.startswith(own) and "/deps/" not in path[len(own) - 1:])
            for path, at in self._changed.items()) else None
        collecting = gc.isenabled()
        gc.disable()
        try:
            part = analyze_root(self.fs, root, self.model_options((root,)), self.cache)
        finally:
            self.cache.resolutions = None
            if collecting:
                # The analysis lives until the next edit: its objects (about a million in a
                # 20,000-line package), with everything alive before them, are frozen: no
                # collection walks them, neither the young ones (each would walk them all
                # once, a third of a keystroke's time) nor a full one (300-450 ms, which
                # fell inside a lint pass or an answer). They are never unfrozen. An analysis
                # holds no reference cycle (tests/lsp/test_collector_free.py), so a replaced
                # one is freed by reference counting (`release_retired`), frozen or not, and
                # the collector only walks what was made since the last freeze. Freezing
                # also freezes the garbage cycles of the moment, which then stay: so only
                # analyses big enough for the walks to matter are frozen (when every one was,
                # a workspace of the whole corpus grew 10 MB per 1,000 edits).
                if gc.get_count()[0] >= FREEZE_OBJECTS:
                    gc.freeze()
                    self._froze = True
                gc.enable()
        if previous is not None:
            self._retired.append(previous)
        entry = PartEntry(self._root_versions[root], tick,
                          _read_paths(part.files), part,
                          time.perf_counter() - started)
        self._parts[root] = entry
        return entry

    def analysed_roots(self) -> list[tuple[str, ...]]:
        """The root sets whose analysis is cached."""
        return list(self._analyses)

    def freeze_kept(self) -> None:
        """Freeze what a lint pass left to keep (its findings, their LSP forms, the lint
        caches: about 80,000 objects in the 20,000-line package), once its answer is sent,
        in a workspace whose analyses are frozen (see `_analyse_root`): else the next full
        collection walks them all (70 ms of CPU, in the lint thread)."""
        if self._froze and gc.isenabled():
            gc.freeze()

    def release_retired(self) -> None:
        """Drop replaced analyses (call when no answer is waiting): reference counting frees
        them at once, frozen or not (see `_analyse_root`)."""
        self._retired.clear()

    def analysis_for(self, path: str) -> Analysis:
        return self.analysis(self.roots_for(path))

    def global_analysis(self) -> Analysis:
        """The analysis of every package of the workspace (empty when there is none)."""
        return self.analysis(tuple(sorted(self.package_roots())))

    def diagnostics_for(self, path: str, lint: str = "run") -> list[Diagnostic]:
        """Syntax diagnostics, the model's, and lint findings, for one file.

        ``lint``: "run" (compute lint findings and breaking changes now, in this thread),
        "previous" (reuse the last ones computed for this file, possibly a few keystrokes old,
        so that a fast first answer does not flicker), "lint-cached" (the last lint findings,
        fresh breaking changes: the server has just run :meth:`lint_job` in its lint
        thread)."""
        path = _norm(path)
        tree = self.tree(path)
        found: list[Diagnostic] = []
        seen: set[tuple[int, int, str]] = set()
        analysis, model = self._model_diagnostics(path, lint)
        for diag in model:
            key = (diag.start, diag.end, diag.message)
            if key not in seen:
                seen.add(key)
                found.append(diag)
        if tree is not None:
            for diag in self._dependency_problems(analysis, path, tree):
                key = (diag.start, diag.end, diag.message)
                if key not in seen:
                    seen.add(key)
                    found.append(diag)
            for diag in tree.diagnostics:
                key = (diag.start, diag.end, diag.message)
                if key not in seen:
                    seen.add(key)
                    found.append(diag.with_path(path))
        if lint == "run":
            job = self.lint_job(path)
            if job is not None:
                job.run()
                self.finish_lint(job)
        size = len(tree.source) if tree is not None else 0
        # Lint findings: fresh after "run"; otherwise the last ones computed for this file,
        # possibly a few keystrokes old, so that a fast first answer does not flicker.
        found.extend(d for d in self.lint_results.get(path, []) if d.end <= size)
        if lint in ("run", "lint-cached"):
            breaking = self.breaking_diagnostics(path)
            self.breaking_results[path] = breaking
        else:
            # As for lint: the first, fast answer keeps the last comparison's findings.
            breaking = [d for d in self.breaking_results.get(path, []) if d.end <= size]
        found.extend(breaking)
        found.sort(key=lambda d: (d.start, d.end, d.message))
        return found

    def _model_diagnostics(self, path: str, lint: str) -> tuple[Analysis, list[Diagnostic]]:
        """The analysis of ``path``'s packages and the model's diagnostics of ``path``. For the
        fast answer after edits that only moved text, the last analysis and its diagnostics
        moved by those edits: no token changed, so a fresh analysis finds the same at the
        moved places (help notes, which read the text around an error, are found again). Not
        when a diagnostic meets an edit."""
        if lint != "run" and (self._moves or self._pending):
            found = self._moved_diagnostics(path)
            if found is not None:
                return found
        analysis = self.analysis_for(path)
        return analysis, analysis.diagnostics_for(path)

    def _moved_diagnostics(self, path: str) -> tuple[Analysis, list[Diagnostic]] | None:
        """See :meth:`_model_diagnostics`: None when the last analysis of ``path``'s packages
        read a file changed since other than by the edits in ``_moves``, or a diagnostic
        meets one of those edits."""
        roots = self.roots_for(path)
        cached = self._unmoved(roots)
        if cached is None:
            return None
        out: list[Diagnostic] = []
        for part in cached.parts:
            edited = [p for p in self._pending if p in part.files]
            if edited:
                tokens = self._token_diagnostics(path, part, edited)
                if tokens is None:
                    return None
                out.extend(tokens)
                continue
            found = moved([d for d in part.unhelped if d.path == path], path,
                          lambda where: self._moves.get(where, ()))
            if found is None:
                return None
            trees = dict(part.files)
            for where in self._moves:
                if where in trees:
                    trees[where] = self.documents[where].tree
            out.extend(part.help_notes(found, trees))
        return cached.analysis, out

    def _token_diagnostics(self, path: str, part: RootAnalysis,
                           edited: list[str]) -> list[Diagnostic] | None:
        """The diagnostics of ``path`` after the token-changing edits of the document
        ``edited`` (see `_pending`), from ``part`` (the last analysis of its package), or None
        when the edits changed the file's lowering or that cannot be told cheaply."""
        shift = self._token_shift(part, edited)
        if shift is None:
            return self._reresolved(path, part, edited)
        where = edited[0]
        return part.diagnostics_after(path, where, self.documents[where].tree, shift)

    def _reresolved(self, path: str, part: RootAnalysis,
                    edited: list[str]) -> list[Diagnostic] | None:
        """For `_token_diagnostics`, when the edits changed the declarations of the document
        ``edited``: the diagnostics of ``path`` resolving again only the interface or world
        they changed and what depends on it (see `wit_ls.model.reresolve`), or None when
        that may differ from analysing the package again."""
        if len(edited) != 1 or any(p in part.files for p in self._moves):
            return None
        where = edited[0]
        old, new = part.files[where], self.documents[where].tree
        last = self._last_reresolved
        if last is None or last[0] is not old or last[1] is not new:
            from wit_ls.model.reresolve import reresolved_diagnostics
            from wit_ls.model.token_moves import edit_between

            collecting = gc.isenabled()
            gc.disable()
            try:
                found = reresolved_diagnostics(self.fs, part.root,
                                               self.model_options((part.root,)), self.cache,
                                               part, where, new,
                                               edit_between(old.source, new.source))
            finally:
                if collecting:
                    # As after an analysis (see `_analyse_root`): the objects made meanwhile
                    # (the edited file's lowering above all, tens of thousands in a large
                    # package, where a young collection walking them took 10-15 ms) are
                    # frozen, and freed by reference counting once replaced.
                    if gc.get_count()[0] >= FREEZE_OBJECTS // 10:
                        gc.freeze()
                    gc.enable()
            last = self._last_reresolved = (old, new, found)
        found = last[2]
        return None if found is None else [d for d in found if d.path == path]

    def _token_shift(self, part: RootAnalysis, edited: list[str]) -> Shift | None:
        """The one edit between the tree ``part`` read of the document ``edited`` and its
        tree now, when it left the file's lowering as it was at moved positions (see
        `wit_ls.model.token_moves`); None otherwise, for several such documents, or with
        edits that only moved text in ``part``'s other files."""
        if len(edited) != 1 or any(p in part.files for p in self._moves):
            return None
        where = edited[0]
        old, new = part.files[where], self.documents[where].tree
        last = self._last_shift
        if last is not None and last[0] is old and last[1] is new:
            return last[2]
        known = self._top_nodes.get(where)
        if known is None or known[0] is not old:
            known = (old, top_nodes(old))
            self._top_nodes = {where: known}
        shift = lowering_moved(old, new, where, known[1], part.items.get(where))
        self._last_shift = (old, new, shift)
        return shift

    def _unmoved(self, roots: tuple[str, ...]) -> AnalysisEntry | None:
        """The last analysis of ``roots`` when nothing it read changed since but by the edits
        in ``_moves`` (and in ``_pending``)."""
        cached = self._analyses.get(roots)
        if cached is None or len(cached.parts) != len(roots):
            return None
        for root, part in zip(roots, cached.parts, strict=True):
            entry = self._parts.get(root)
            if entry is None or entry.part is not part or self._stale(root, entry):
                return None
        return cached

    def lint_analysis(self, path: str) -> AnalysisView:
        """What a lint pass of ``path`` reads of its packages' analysis: after edits that only
        moved text, the last analysis seen through them (:class:`MovedAnalysis`, the same
        object while no edit comes: lint answers equal a fresh analysis' there, and the
        package is not analysed again for them); else the analysis, brought up to date."""
        roots = self.roots_for(_norm(path))
        if self._moves or self._pending:
            cached = self._unmoved(roots)
            shifts = self._view_shifts(cached) if cached is not None else None
            if cached is not None and shifts is not None:
                trees = {p: self.documents[p].tree for p in shifts}
                view = self._lint_views.get(roots)
                if view is None or not view.same(cached.analysis, shifts) or any(
                        view.files.get(p, tree) is not tree for p, tree in trees.items()):
                    view = self._lint_views[roots] = MovedAnalysis(cached.analysis, shifts,
                                                                   trees)
                return view
        self._lint_views.pop(roots, None)
        return self.analysis(roots)

    def _view_shifts(self, cached: AnalysisEntry) -> dict[str, list[Shift]] | None:
        """The edits since ``cached`` as shifts by path, for a lint pass to read it through
        (`MovedAnalysis`): those that only moved text, and a token-changing one that left its
        file's lowering as it was at moved positions (the resolver's answers are then the
        last ones, moved, as after edits that moved text); None when another edit is pending
        in one of its packages."""
        shifts = dict(self._moves)
        for part in cached.parts:
            edited = [p for p in self._pending if p in part.files]
            if edited:
                shift = self._token_shift(part, edited)
                if shift is None:
                    return None
                shifts[edited[0]] = [shift]
        if any(p not in self.documents for p in shifts):
            return None
        return shifts

    def _dependency_problems(self, analysis: Analysis, path: str,
                             tree: SyntaxTree) -> list[Diagnostic]:
        """Errors in files no editor shows (unreadable, non-UTF-8, refused or duplicate
        dependencies) reported on this file's ``package`` line, as ``wit-ls check`` reports
        them; only for a file with a package line, within the workspace."""
        decl = next((c for c in tree.root.named_children if c.type == "package_decl"), None)
        if decl is None or self.is_dependency(path):
            return []
        root = package_root_of(path).rstrip("/") + "/"
        out = []
        for diag in analysis.diagnostics:
            where = diag.path or ""
            if diag.severity != Severity.ERROR or where == path or not (
                    self.is_dependency(where) or not where.endswith(".wit")) or not (
                    where.startswith(root) or diag.code == "read-error"):
                continue
            shown = os.path.relpath(where, root) if where.startswith(root) else where
            out.append(Diagnostic(decl.start_byte, decl.end_byte,
                                  f"in dependency {shown}: {diag.message}", diag.code,
                                  diag.severity, path))
        return out

    def breaking_result(self, path: str) -> LiveResult | None:
        """The breaking changes of the packages holding ``path`` against `breaking.against`
        (setting or configuration file), or None when it is not set or not readable."""
        options = self.model_options(self.roots_for(_norm(path)))
        self.baseline.configure(self.settings.breaking_against, tuple(self.folders), options,
                                self.fs)
        return self.baseline.result(self, self.roots_for(_norm(path)))

    def breaking_diagnostics(self, path: str) -> list[Diagnostic]:
        path = _norm(path)
        try:
            result = self.breaking_result(path)
        except Exception:  # a comparison bug must not cost the other diagnostics
            log.error("breaking-change comparison of %s failed\n%s", path,
                      traceback.format_exc())
            return []
        if result is None:
            return []
        from wit_ls.breaking.live import diagnostics as breaking_diagnostics

        return breaking_diagnostics(result, path,
                                    self.baseline.against_for(self.roots_for(path)) or "")

    def lint_job(self, path: str) -> LintJob | None:
        """The lint pass of ``path`` as it is now, to run in any thread (:meth:`LintJob.run`
        reads only its own inputs) and hand to :meth:`finish_lint` in this one; None when the
        file is unreadable. The package's analysis and the configuration are brought up to
        date here."""
        path = _norm(path)
        tree = self.tree(path)
        if tree is None:
            return None
        analysis = self.lint_analysis(path)
        folder = path.rsplit("/", 1)[0]
        package = {p: t for p, t in analysis.files.items()
                   if p != path and p.rsplit("/", 1)[0] == folder}
        config = lint_config(path, self.settings, self.fs, self._config_problem)
        return LintJob(path, tree, analysis, package, config, self._lint_facts,
                       self._lint_items)

    def lint_is_fresh(self, path: str) -> bool:
        """Whether the lint findings kept for ``path`` were computed from its current text,
        package analysis and configuration (an open document whose lint pass has finished)."""
        path = _norm(path)
        key = self._lint_keys.get(path)
        doc = self.documents.get(path)
        if key is None or doc is None or key[0] is not doc.tree:
            return False
        return key[1] is self.lint_analysis(path) and key[2] == lint_config(
            path, self.settings, self.fs, self._config_problem)

    def finish_lint(self, job: LintJob) -> bool:
        """Keep the findings of a finished :meth:`lint_job` and report its crash; False (and
        nothing kept) when it was stopped, or the document changed since it started."""
        if job.findings is None:
            return False
        doc = self.documents.get(job.path)
        if doc is not None and doc.tree is not job.tree:
            return False
        if job.error is not None:
            if self.report_error is not None:
                self.report_error(job.error)
            else:
                log.error("lint of %s failed\n%s", job.path, job.error)
        self.lint_results[job.path] = _same_objects(job.findings,
                                                    self.lint_results.get(job.path))
        if doc is not None:
            self._lint_keys[job.path] = (job.tree, job.analysis, job.config)
        return True

    def _config_problem(self, message: str) -> None:
        if message not in self._config_problems_seen:
            self._config_problems_seen.add(message)
            self.config_problems.append(message)

    def take_config_problems(self) -> list[str]:
        problems, self.config_problems = self.config_problems, []
        return problems

    def workspace_files(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        """(path, roots) of every WIT file of every package root (deps excluded)."""
        for root in self.package_roots():
            try:
                names = self.fs.list_dir(root)
            except OSError:
                continue
            for name in names:
                if name.endswith(".wit"):
                    yield f"{root.rstrip('/')}/{name}", (root,)


def _carried(diag: Diagnostic, edit: TextEdit) -> Diagnostic | None:
    """``diag`` (and the offsets of its fix) over ``edit``, or None when the edit touches
    either."""
    if edit.start == edit.end and not edit.new_text:
        return diag
    delta = len(edit.new_text) - (edit.end - edit.start)

    def moved(start: int, end: int) -> tuple[int, int] | None:
        if end <= edit.start:
            return start, end
        if start >= edit.end:
            return start + delta, end + delta
        return None

    span = moved(diag.start, diag.end)
    if span is None:
        return None
    data = diag.data
    fix = data.get("fix")
    if isinstance(fix, dict) and isinstance(fix.get("edits"), list):
        edits = []
        for e in fix["edits"]:
            at = moved(int(e["start"]), int(e["end"]))
            if at is None:
                return None
            edits.append({**e, "start": at[0], "end": at[1]})
        data = {**data, "fix": {**fix, "edits": edits}}
    if span == (diag.start, diag.end) and data is diag.data:
        return diag
    return Diagnostic(span[0], span[1], diag.message, diag.code, diag.severity, diag.path,
                      diag.related, diag.tags, data)


def _same_objects(found: list[Diagnostic], last: list[Diagnostic] | None) -> list[Diagnostic]:
    """``found`` with each diagnostic equal (its data too) to one of ``last`` replaced by that
    object. A lint pass after a keystroke finds again most of what the last one found (moved
    over the edits since, and shown with the first answer): the server converts a
    diagnostic it has just sent as the same object again from what it kept
    (:meth:`~wit_ls.lsp.convert.Converter.diagnostics`), not afresh."""
    if not last:
        return found
    # Looked up by a plain tuple (hashed in C, unlike Diagnostic's own hash), then compared
    # whole: a diagnostic matching none, or several, is kept as found.
    known: dict[tuple[int, int, str, str], Diagnostic] = {}
    for diag in last:
        known.setdefault((diag.start, diag.end, diag.message, diag.code), diag)
    out: list[Diagnostic] = []
    for diag in found:
        same = known.get((diag.start, diag.end, diag.message, diag.code))
        out.append(same if same is not None and (same is diag or (
            same == diag and same.data == diag.data)) else diag)
    return out


def lint_config(path: str, settings: Settings, fs: FileSystem,
                report: Callable[[str], None]) -> LintConfig | None:
    """The lint configuration for ``path``: the nearest config file (read through ``fs``, so
    unsaved edits count), then the editor's settings (preset and per-rule levels) on top. A
    broken configuration is reported (with its location) and the defaults are used."""
    config = None
    try:
        config = config_for(path, fs)
    except ConfigError as err:
        report(f"wit-ls: {err}; using the default lint settings")
    if settings.lint_preset is None and not settings.lint_rules:
        return config
    rules: Mapping[str, str] = dict(settings.lint_rules)
    try:
        return lint.with_overrides(config, preset=settings.lint_preset, rules=rules)
    except ConfigError as err:
        report(f"wit-ls: invalid lint settings: {err}")
        return config
