"""Group files into packages exactly as wit-parser does (wit-spec.md §3), through a
:class:`~wit_ls.model.fs.FileSystem`.

* a directory's ``*.wit`` files (path-sorted) are one package; ``deps/`` entries (directories,
  single files, nested ``package a:b { }`` blocks) are more packages; a ``deps/`` entry's own
  ``deps/`` is ignored;
* a single file is its own package (no file-system lookup);
* beyond wit-parser, ``deps.toml`` path entries and ``wkg.toml`` path overrides are offered as
  *candidates* for packages missing from ``deps/`` (the resolver decides which are needed).
"""

from __future__ import annotations

import errno
import posixpath
from collections import OrderedDict

from wit_ls.model import manifest_toml
from wit_ls.model.fs import FileSystem, normalize
from wit_ls.model.items import Declarations, FileItems, NestedPackage, PackageName
from wit_ls.model.lower import lower
from wit_ls.syntax import Diagnostic, Related, SyntaxTree, parse

TYPE_CHECKING = False  # not typing's: see wit_ls.light_typing
if TYPE_CHECKING:
    from collections.abc import Callable, Collection

    from wit_ls.model.shared_deps import SharedResolutions

# Codes of files that are not WIT text at all (see wit_ls.syntax.tree).
_UNDECODABLE = frozenset({"binary-file", "invalid-utf8"})


_ELOOP = errno.ELOOP


class SourceFile:
    """One parsed and lowered file."""

    __slots__ = ("data", "items", "path", "tree")

    def __init__(self, path: str, data: bytes, tree: SyntaxTree, items: FileItems) -> None:
        self.path = path
        self.data = data
        self.tree = tree
        self.items = items


class FileCache:
    """Parsed and lowered files keyed by path, reused while the content is unchanged."""

    # Dependencies' resolutions shared between roots (see `SharedFileCache`); the editor's
    # cache has one only while it analyses a root again after an edit of the root's own files.
    resolutions: SharedResolutions | None = None

    def __init__(self, docs: bool = True, budget: int = 0, max_files: int = 4096,
                 comments: bool = True) -> None:
        self._files: dict[str, SourceFile] = {}
        # False: items without documentation, for a one-shot check (see `lower`).
        self.docs = docs
        # False: trees without the runs of line comments after the package header, for a
        # one-shot check, which reads none (see `wit_ls.syntax.skip_comments`).
        self.parse: Callable[[bytes], SyntaxTree] = parse
        if not comments:
            from wit_ls.syntax.skip_comments import parse_skipping_comments

            self.parse = parse_skipping_comments
        # Bytes of source kept (0: no limit but ``max_files`` files, 0: none); past it the
        # cache starts afresh, which bounds the memory of a command-line run over thousands
        # of packages. An editor, which analyses the same files again after every edit, keeps
        # them all: a package of more files than the limit would otherwise be parsed whole
        # again on every keystroke.
        self.budget = budget
        self.max_files = max_files
        self._bytes = 0

    def get(self, path: str, data: bytes) -> SourceFile:
        found = self._files.get(path)
        if found is not None and found.data == data:
            return found
        tree = self.parse(data)
        source = SourceFile(path, data, tree, lower(tree, path, self.docs))
        if (self.max_files and len(self._files) > self.max_files) or (
                self.budget and self._bytes > self.budget):
            self._files.clear()
            self._bytes = 0
        self._files[path] = source
        self._bytes += len(data)
        return source


class SharedFileCache(FileCache):
    """Parsed and lowered files shared by content, for a command-line run over many packages:
    files with the same bytes at different paths (every package of a monorepo that vendors the
    same ``deps/``) are parsed and lowered once. The tree and the items carry no path (a
    tree's diagnostics get theirs when reported; items are handed out with the path asked
    for), so what a package sees is what parsing its own copy would give.

    Bounded in two parts, each dropping its least recently used contents: files of ``deps/``
    folders and contents seen more than once (shared dependencies) within ``budget`` bytes of
    source, and other contents seen once (each package's own files, most never seen again)
    within ``trial`` bytes, so that a stream of packages' own files never pushes the shared
    ones out. A parsed file takes some 30 to 50 times its size in memory.

    The resolution of the same ``deps/`` is shared too (:attr:`resolutions`, see
    :mod:`wit_ls.model.shared_deps`), unless ``share_resolutions`` is False: recording a
    resolution costs a run that checks one package root more than it could ever save."""

    def __init__(self, docs: bool = True, budget: int = 4 << 20, trial: int = 256 << 10,
                 share_resolutions: bool = True, comments: bool = True) -> None:
        super().__init__(docs=docs, budget=budget, max_files=0, comments=comments)
        if share_resolutions:
            from wit_ls.model.shared_deps import SharedResolutions

            self.resolutions = SharedResolutions()
        self.trial = trial
        self._shared: OrderedDict[bytes, SourceFile] = OrderedDict()
        self._once: OrderedDict[bytes, SourceFile] = OrderedDict()
        self._once_bytes = 0

    @property
    def contents(self) -> int:
        """How many distinct contents are kept."""
        return len(self._shared) + len(self._once)

    @property
    def size(self) -> int:
        """Bytes of source kept."""
        return self._bytes + self._once_bytes

    def get(self, path: str, data: bytes) -> SourceFile:
        found = self._shared.get(data)
        if found is not None:
            self._shared.move_to_end(data)
        else:
            found = self._once.pop(data, None)
            if found is not None:
                self._once_bytes -= len(data)
            else:
                tree = self.parse(data)
                found = SourceFile(path, data, tree, lower(tree, path, self.docs))
            if found.path != path or "/deps/" in path:  # seen again, or a dependency
                self._shared[data] = found
                self._bytes += len(data)
                while self._bytes > self.budget and len(self._shared) > 1:
                    dropped, _ = self._shared.popitem(last=False)
                    self._bytes -= len(dropped)
            else:
                self._once[data] = found
                self._once_bytes += len(data)
                while self._once_bytes > self.trial and len(self._once) > 1:
                    dropped, _ = self._once.popitem(last=False)
                    self._once_bytes -= len(dropped)
        if found.path == path:
            return found
        items = found.items
        # (The kept bytes rather than the equal ones just read: keys of shared resolutions
        # hold them, and equal objects compare at once.)
        return SourceFile(path, found.data, found.tree,
                          FileItems(path, items.header, items.header_docs, items.decls,
                                    items.nested, items.error_ranges))


class PackageSource:
    """One unresolved package: its files (or one nested block) and where it came from.

    ``origin``: "main" | "dep" | "manifest"; ``manifest``: for origin "manifest", the manifest
    entry that pointed here."""

    __slots__ = ("binary", "docs", "files", "manifest", "name", "name_path", "nested",
                 "nested_file", "origin", "root")

    def __init__(self, origin: str, root: str, files: list[SourceFile] | None = None,
                 nested: NestedPackage | None = None, nested_file: SourceFile | None = None,
                 name: PackageName | None = None, name_path: str = "", docs: str | None = None,
                 manifest: str = "") -> None:
        self.origin = origin
        self.root = root
        self.files: list[SourceFile] = [] if files is None else files
        self.nested = nested
        self.nested_file = nested_file
        self.name = name
        self.name_path = name_path
        self.docs = docs
        self.manifest = manifest
        # Decoded from a package encoded as a component (`.wasm`/`.wat`): wit-parser adds such
        # packages to its resolve as soon as it reads them, before any WIT text package.
        self.binary = False

    def declarations(self) -> list[tuple[SourceFile, Declarations]]:
        if self.nested is not None and self.nested_file is not None:
            return [(self.nested_file, self.nested.decls)]
        return [(f, f.items.decls) for f in self.files]


class Candidate:
    """A directory named by a manifest (deps.toml path entry / wkg.toml override): the
    ``manifest`` file and the entry's name ``key`` ("cli" or "wasi:cli")."""

    __slots__ = ("directory", "key", "manifest")

    def __init__(self, directory: str, manifest: str, key: str) -> None:
        self.directory = directory
        self.manifest = manifest
        self.key = key


class Load:
    """What one root loaded: its packages (main first, then deps), files and problems."""

    __slots__ = ("binary_deps", "candidates", "diagnostics", "files", "packages", "root")

    def __init__(self, root: str) -> None:
        self.root = root
        self.packages: list[PackageSource] = []
        self.files: dict[str, SourceFile] = {}
        self.diagnostics: list[Diagnostic] = []
        self.candidates: list[Candidate] = []
        self.binary_deps: list[str] = []


class Loader:
    def __init__(self, fs: FileSystem, cache: FileCache) -> None:
        self.fs = fs
        self.cache = cache

    # -- reading --------------------------------------------------------------------------------

    def read(self, load: Load, path: str) -> SourceFile | None:
        try:
            data = self.fs.read_bytes(path)
        except OSError as err:
            load.diagnostics.append(Diagnostic(0, 0, f"failed to read file {path!r}: "
                                               f"{err.strerror or err}", "read-error", path=path))
            return None
        source = self.cache.get(path, data)
        load.files[path] = source
        return source

    def wit_files(self, load: Load, directory: str) -> list[str] | None:
        try:
            names = self.fs.list_dir(directory)
        except OSError as err:
            load.diagnostics.append(Diagnostic(0, 0, f"failed to read directory {directory!r}: "
                                               f"{err.strerror or err}", "read-error",
                                               path=directory))
            return None
        out = []
        for name in sorted(names):
            full = posixpath.join(directory, name)
            # Every `*.wit` name that is not a folder, as wit-parser reads them: a link to
            # nothing (or a FIFO) is then a read error, not skipped.
            if name.endswith(".wit") and not self.fs.is_dir(full):
                out.append(full)
        return out

    # -- packages -------------------------------------------------------------------------------

    def file_package(self, load: Load, path: str, origin: str) -> None:
        source = self.read(load, path)
        if source is None:
            return
        self.add_group(load, [source], path, origin)

    def dir_package(self, load: Load, directory: str, origin: str, manifest: str = "") -> bool:
        files = self.wit_files(load, directory)
        if files is None:
            return False
        if not files and origin == "dep":
            # wit-parser parses every directory of deps/ as a package: one without a `*.wit`
            # file (an empty folder, one of other files) has no header either.
            load.diagnostics.append(Diagnostic(
                0, 0, "no `package` header was found in any WIT file for this package",
                "missing-package-header", path=directory))
        sources = [s for s in (self.read(load, f) for f in files) if s is not None]
        self.add_group(load, sources, directory, origin, manifest)
        return True

    def add_group(self, load: Load, sources: list[SourceFile], root: str, origin: str,
                  manifest: str = "") -> None:
        """The package of ``sources`` (one directory or one file) plus their nested blocks."""
        main = PackageSource(origin, root, files=sources, manifest=manifest)
        docs_seen: SourceFile | None = None
        for source in sources:
            header = source.items.header
            if header is not None:
                if main.name is None:
                    main.name = header
                    main.name_path = source.path
                elif header.key() != main.name.key():
                    load.diagnostics.append(Diagnostic(
                        header.start, header.end,
                        f"package identifier `{header.key()}` does not match previous package "
                        f"name of `{main.name.key()}`", "package-name-mismatch",
                        path=source.path,
                        related=(Related(main.name_path, main.name.start, main.name.end,
                                         "previous package header"),)))
                if source.items.header_docs is not None:
                    if docs_seen is not None:
                        start, end = _header_docs_span(source.data, header.start)
                        load.diagnostics.append(Diagnostic(
                            start, end,
                            "found doc comments on multiple 'package' items",
                            "multiple-package-docs", path=source.path,
                            related=(Related(docs_seen.path, 0, 0, "other documented header"),)))
                    else:
                        docs_seen = source
                        main.docs = source.items.header_docs
        has_content = any(
            s.items.decls.order for s in sources
        )
        # A package whose every file is binary or not UTF-8 already has that error on each
        # file; a missing header on top of it would only repeat the cause less clearly.
        undecodable = bool(sources) and all(
            any(d.code in _UNDECODABLE for d in s.tree.diagnostics) for s in sources)
        if main.name is None and not undecodable:
            where = sources[0].path if sources else root
            # (A file with syntax errors may hold a broken header: wit-parser stops at the
            # syntax error, so that is what is reported.)
            broken = any(s.tree.root.has_error for s in sources)
            if (sources or origin == "main" or has_content) and not broken:
                load.diagnostics.append(Diagnostic(
                    0, 0, "no `package` header was found in any WIT file for this package",
                    "missing-package-header", path=where))
        load.packages.append(main)
        for source in sources:
            for nested in source.items.nested:
                load.packages.append(PackageSource(origin, source.path, nested=nested,
                                                   nested_file=source, name=nested.name,
                                                   name_path=source.path, docs=nested.docs,
                                                   manifest=manifest))

    def deps(self, load: Load, directory: str, units: Collection[str] | None = None) -> None:
        """The packages of ``directory``'s ``deps/`` (only the entries in ``units``, when
        given: see `wit_ls.model.package_groups`)."""
        deps_dir = posixpath.join(directory, "deps")
        if not self.fs.is_dir(deps_dir):
            return
        try:
            names = sorted(self.fs.list_dir(deps_dir))
        except OSError as err:
            load.diagnostics.append(Diagnostic(0, 0, f"failed to read directory {deps_dir!r}: "
                                               f"{err.strerror or err}", "read-error",
                                               path=deps_dir))
            return
        binaries: list[tuple[int, str]] = []
        for name in names:
            full = posixpath.join(deps_dir, name)
            if units is not None and full not in units:
                continue
            if self.fs.is_dir(full):
                self.dir_package(load, full, "dep")
            elif name.endswith(".wit"):
                self.file_package(load, full, "dep")
            elif name.endswith((".wasm", ".wat")):
                binaries.append((len(load.packages), full))
            elif not self.fs.is_file(full):
                self._look_at(load, full)
        # Decoded once every text package is known: a binary package stands in the interfaces it
        # names from other packages only where those packages are missing.
        for shift, (at, full) in enumerate(binaries):
            self.binary_package(load, full, "dep", at + shift)

    def _look_at(self, load: Load, path: str) -> None:
        """An entry of ``deps/`` that is neither a file nor a folder: wit-parser asks what
        every entry is, and fails on one it cannot ask about (a link to nothing, a loop of
        links); anything else (a FIFO, a socket) it passes over, as other names."""
        try:
            self.fs.read_bytes(path)
        except FileNotFoundError as err:
            problem: str | None = err.strerror or str(err)
        except OSError as err:
            problem = err.strerror if err.errno == _ELOOP else None
        else:
            problem = None
        if problem is not None:
            load.diagnostics.append(Diagnostic(0, 0, f"failed to read {path!r}: {problem}",
                                               "read-error", path=path))

    def binary_package(self, load: Load, path: str, origin: str, at: int | None = None) -> None:
        """A package encoded as a component (`.wasm` binary or `.wat` text): decoded into WIT
        text (see :mod:`wit_ls.model.wasm_package`) that is read like a file."""
        from wit_ls.model.component_types import DecodeError
        from wit_ls.model.wasm_package import decode_package

        try:
            data = self.fs.read_bytes(path)
        except OSError as err:
            load.diagnostics.append(Diagnostic(0, 0, f"failed to read file {path!r}: "
                                               f"{err.strerror or err}", "read-error", path=path))
            return
        if not _looks_like_wasm(data):
            # wit-parser reads anything that is neither binary nor text WebAssembly as WIT.
            self.file_package(load, path, origin)
            return
        try:
            decoded = decode_package(data)
        except (DecodeError, RecursionError, ValueError) as err:
            load.binary_deps.append(path)
            load.diagnostics.append(Diagnostic(
                0, 0, f"failed to decode the WIT package encoded in {path}: {err}",
                "invalid-binary-package", path=path))
            return
        known = {p.name.key() for p in load.packages if p.name is not None}
        text = decoded.text + "".join(block for name, block in decoded.foreign
                                      if name not in known)
        source = self.cache.get(path, text.encode("utf-8"))
        load.files[path] = source
        before = len(load.packages)
        self.add_group(load, [source], path, origin)
        added = load.packages[before:]
        for package in added:
            package.binary = True
        if at is not None:
            del load.packages[before:]
            load.packages[at:at] = added

    def manifests(self, load: Load, directory: str) -> list[Candidate]:
        """Path entries of ``deps.toml`` (in the package directory) and ``wkg.toml`` (in the
        package directory or its parent, the project root)."""
        out: list[Candidate] = []
        places = [(directory, "deps.toml", ""), (directory, "wkg.toml", "overrides")]
        parent = posixpath.dirname(directory)
        if parent and parent != directory:
            places.append((parent, "wkg.toml", "overrides"))
        for base, manifest_name, section in places:
            manifest = posixpath.join(base, manifest_name)
            if not self.fs.is_file(manifest):
                continue
            try:
                data = self.fs.read_bytes(manifest).decode("utf-8")
                parsed = manifest_toml.loads(data)
            except (OSError, ValueError, UnicodeDecodeError):
                continue
            table = parsed.get(section, {}) if section else parsed
            if not isinstance(table, dict):
                continue
            for key, value in table.items():
                target: object = value
                if isinstance(value, dict):
                    target = value.get("path")
                if not isinstance(target, str) or "://" in target or not target:
                    continue
                out.append(Candidate(normalize(posixpath.join(base, target)), manifest,
                                     str(key)))
        return out


def _looks_like_wasm(data: bytes) -> bool:
    """A WebAssembly binary, or text whose first token (after comments) is `(`."""
    if data[:4] == b"\x00asm":
        return True
    text = data.lstrip()
    while text.startswith((b";;", b"(;")):
        if text.startswith(b";;"):
            end = text.find(b"\n")
            text = b"" if end < 0 else text[end:].lstrip()
        else:
            end = text.find(b";)")
            text = b"" if end < 0 else text[end + 2:].lstrip()
    return text.startswith(b"(")


def _header_docs_span(data: bytes, name_start: int) -> tuple[int, int]:
    """The run of comments before a package header (where wit-parser reports R2)."""
    keyword = data.rfind(b"package", 0, name_start)
    if keyword < 0:
        keyword = name_start
    first = data.find(b"/", 0, keyword)
    end = len(data[:keyword].rstrip())
    if first < 0 or end <= first:
        return name_start, name_start
    return first, end


def load_root(fs: FileSystem, root: str, cache: FileCache, manifest_deps: bool,
              units: Collection[str] | None = None) -> Load:
    """Read a root (package directory or single file) and, for a directory, its ``deps/``;
    with ``units``, a directory root's package and ``deps/`` entries only where their paths
    are in it (one group of `wit_ls.model.package_groups`)."""
    root = normalize(root)
    load = Load(root)
    loader = Loader(fs, cache)
    if fs.is_dir(root):
        if units is None or root in units:
            loader.dir_package(load, root, "main")
        loader.deps(load, root, units)
        if manifest_deps:
            load.candidates = loader.manifests(load, root)
    elif fs.is_file(root):
        if root.endswith((".wasm", ".wat")):
            loader.binary_package(load, root, "main")
        else:
            loader.file_package(load, root, "main")
    else:
        load.diagnostics.append(Diagnostic(0, 0, f"no such file or directory: {root}",
                                           "read-error", path=root))
    return load


def load_candidate(fs: FileSystem, load: Load, candidate: Candidate, cache: FileCache) -> int:
    """Add the package of a manifest candidate directory; returns how many packages were added.
    The candidate's own manifests become further candidates (WASI monorepo chains)."""
    loader = Loader(fs, cache)
    before = len(load.packages)
    if not fs.is_dir(candidate.directory):
        return 0
    loader.dir_package(load, candidate.directory, "manifest", candidate.manifest)
    known = {c.directory for c in load.candidates}
    for extra in loader.manifests(load, candidate.directory):
        if extra.directory not in known:
            load.candidates.append(extra)
            known.add(extra.directory)
    return len(load.packages) - before


def peek_package(fs: FileSystem, directory: str, cache: FileCache) -> str | None:
    """The package key declared by a directory's files (first header), without recording."""
    loader = Loader(fs, cache)
    scratch = Load(directory)
    files = loader.wit_files(scratch, directory)
    for path in files or []:
        source = loader.read(scratch, path)
        if source is not None and source.items.header is not None:
            return source.items.header.key()
    return None
