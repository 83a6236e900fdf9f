"""``analyze()``: the model's one entry point, and :class:`Analysis`, what it answers."""

from __future__ import annotations

import gc
import posixpath
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Mapping, Sequence

from wit_ls.model.fs import FileSystem, normalize
from wit_ls.model.items import FileItems, UsePath
from wit_ls.model.loader import FileCache, Load, load_candidate, load_root, peek_package
from wit_ls.model.lower import error_ranges
from wit_ls.model.options import Options as Options  # re-exported: analyze() takes it
from wit_ls.model.resolved import Loc, Resolve
from wit_ls.model.resolver import PackageState, Reference, Resolver
from wit_ls.syntax import Diagnostic, Related, Severity, SyntaxTree

TYPE_CHECKING = False  # not typing's: see wit_ls.light_typing
if TYPE_CHECKING:
    from typing import NamedTuple

    from wit_ls.model.abi import FuncAbi, TypeAbi

    # Editor-only modules, imported where used (``wit-ls check`` never needs them).
    from wit_ls.model.symbols import Place, Symbol
    from wit_ls.syntax.layout import Shift
else:
    from wit_ls.light_typing import NamedTuple


class Location(NamedTuple):
    path: str
    start: int
    end: int


_DEFAULT_CACHE = FileCache()


def _semantic_noise(ranges: Sequence[tuple[int, int]], diag: Diagnostic) -> bool:
    """A semantic diagnostic inside a syntax error's range is noise."""
    return any(s <= diag.start < max(e, s + 1) for s, e in ranges)


def _resolve_manifest_deps(fs: FileSystem, load: Load, cache: FileCache,
                           options: Options) -> list[Diagnostic]:
    """Add packages missing from deps/ that a deps.toml / wkg.toml path entry provides."""
    notes: list[Diagnostic] = []
    if not load.candidates:
        return notes
    tried: set[str] = set()
    for _round in range(64):
        probe = Resolver(load, options.features, options.all_features)
        known = {s.name.key() for s in load.packages if s.name is not None}
        missing: dict[str, tuple[str, UsePath]] = {}
        for info_source in load.packages:
            from wit_ls.model.resolved import RPackage
            from wit_ls.model.resolver import PackageState

            info = PackageState(RPackage(0, "", "", None), info_source)
            for key, path, use_path in probe._package_deps(info):
                if key not in known:
                    missing.setdefault(key, (path, use_path))
        if not missing:
            break
        progress = False
        for candidate in list(load.candidates):
            if candidate.directory in tried:
                continue
            found_key = peek_package(fs, candidate.directory, cache)
            if found_key is None or found_key not in missing:
                continue
            key = found_key
            tried.add(candidate.directory)
            if load_candidate(fs, load, candidate, cache):
                progress = True
                path, use_path = missing[key]
                start = use_path.namespace.start if use_path.namespace else use_path.start
                where = posixpath.relpath(candidate.directory,
                                          posixpath.dirname(candidate.manifest))
                notes.append(Diagnostic(
                    start, use_path.end,
                    f"package `{key}` is not in deps/; resolved from `{where}` through the "
                    f"path entry `{candidate.key}` of {posixpath.basename(candidate.manifest)}",
                    "manifest-dependency", Severity.INFORMATION, path=path,
                    related=(Related(candidate.manifest, 0, 0, "manifest entry"),)))
        if not progress:
            break
    return notes


class _RootResult:
    """One root's resolution, with its symbol and reference indexes built on first use (the
    command line only needs diagnostics; editors need the indexes)."""

    def __init__(self, load: Load, resolver: Resolver,
                 early: list[Diagnostic] | None = None) -> None:
        self.load = load
        self.resolver = resolver
        # The loader's diagnostics and the notes on dependencies found through manifests.
        self.early = [] if early is None else early
        self._indexed = False
        self._symbols: dict[str, list[Symbol]] = {}
        self._by_loc: dict[Loc, Symbol] = {}
        self._refs_by_path: dict[str, list[Reference]] = {}
        self._refs_by_target: dict[Loc, list[Reference]] = {}
        self._refs_indexed = False
        self._defs_by_path: dict[str, list[Loc]] | None = None
        self._places: dict[str, list[Place]] | None = None
        self._types: dict[str, list[Place]] | None = None
        self._starts: dict[str, list[int]] = {}
        # Per path, the definitions' starts and the running maximum of their ends (see
        # `_definition_at`).
        self._def_bounds: dict[str, tuple[list[int], list[int]]] = {}
        self._targets: dict[str, dict[int, Loc]] | None = None
        self._types_by_loc: dict[Loc, int] | None = None
        self._referenced: set[Loc] | None = None

    def referenced(self) -> set[Loc]:
        """Every definition some name of this root refers to."""
        if self._referenced is None:
            self._referenced = {ref.target for ref in self.resolver.references}
        return self._referenced

    def targets_in(self, path: str) -> dict[int, Loc] | None:
        """Name start offset -> definition, for the names written in ``path`` (None when this
        root did not resolve ``path``); built from the references alone (no symbol index)."""
        if self._targets is None:
            targets: dict[str, dict[int, Loc]] = {p: {} for p in self.load.files}
            for ref in self.resolver.references:
                targets.setdefault(ref.path, {}).setdefault(ref.start, ref.target)
            self._targets = targets
        return self._targets.get(path)

    def named_type_at(self, loc: Loc) -> int | None:
        """The id of the named type whose name is written at ``loc``."""
        if self._types_by_loc is None:
            self._types_by_loc = {t.loc: t.id for t in self.resolver.r.types
                                  if t.name is not None}
        return self._types_by_loc.get(loc)

    def _index(self) -> None:
        """The symbols (with their signatures, docs and stability: most of the index's
        cost)."""
        if self._indexed:
            return
        self._indexed = True
        resolver = self.resolver
        from wit_ls.model.symbols import SymbolBuilder

        type_at: dict[Loc, int] = {t.loc: t.id for t in resolver.r.types if t.name is not None}
        builder = SymbolBuilder(resolver.r, type_at)
        for source in self.load.packages:
            for path, syms in builder.package(source).items():
                self._symbols.setdefault(path, []).extend(syms)
        self._by_loc = builder.by_loc

    def _index_references(self) -> None:
        """The references by path and by target (no symbol is made: going to a definition,
        highlights, links and inlay hints need only these and `defs_by_path`)."""
        if self._refs_indexed:
            return
        self._refs_indexed = True
        for ref in self.resolver.references:
            self._refs_by_path.setdefault(ref.path, []).append(ref)
        for refs in self._refs_by_path.values():
            refs.sort(key=lambda x: (x.start, x.end))
        for ref in self.resolver.references:
            self._refs_by_target.setdefault(ref.target, []).append(ref)

    @property
    def symbols(self) -> dict[str, list[Symbol]]:
        self._index()
        return self._symbols

    @property
    def by_loc(self) -> dict[Loc, Symbol]:
        self._index()
        return self._by_loc

    @property
    def refs_by_path(self) -> dict[str, list[Reference]]:
        self._index_references()
        return self._refs_by_path

    @property
    def refs_by_target(self) -> dict[Loc, list[Reference]]:
        self._index_references()
        return self._refs_by_target

    @property
    def defs_by_path(self) -> dict[str, list[Loc]]:
        """The names of the symbols' definitions by path, sorted (the keys of `by_loc`,
        found without making the symbols)."""
        if self._defs_by_path is None:
            by_path: dict[str, set[Loc]] = {}
            for places in self.places().values():
                for loc, _kind in places:
                    by_path.setdefault(loc.path, set()).add(loc)
            self._defs_by_path = {path: sorted(locs) for path, locs in by_path.items()}
        return self._defs_by_path

    def types(self) -> dict[str, list[Place]]:
        """Per file (those of `places`), the places of its interfaces and type definitions
        with their kinds (see :func:`wit_ls.model.symbols.type_places`)."""
        if self._types is None:
            from wit_ls.model.symbols import type_places

            found: dict[str, list[Place]] = {}
            for source in self.load.packages:
                for path, places in type_places(source).items():
                    found.setdefault(path, []).extend(places)
            self._types = found
        return self._types

    def places(self) -> dict[str, list[Place]]:
        """Per file, the places of its symbols' names (see
        :func:`wit_ls.model.symbols.definition_places`): the files are those of `symbols`."""
        if self._places is None:
            from wit_ls.model.symbols import definition_places

            found: dict[str, list[Place]] = {}
            for source in self.load.packages:
                for path, places in definition_places(source).items():
                    found.setdefault(path, []).extend(places)
            self._places = found
        return self._places

    def target_at(self, path: str, offset: int) -> Loc | None:
        refs = self.refs_by_path.get(path, [])
        starts = self._starts.get(path)
        if starts is None:
            starts = self._starts[path] = [r.start for r in refs]
        index = bisect_right(starts, offset) - 1
        while index >= 0 and index < len(refs):
            ref = refs[index]
            if ref.start <= offset <= ref.end:
                return ref.target
            if ref.end < offset:
                break
            index -= 1
        return self._definition_at(path, offset)

    def _definition_at(self, path: str, offset: int) -> Loc | None:
        """The first definition of ``path`` (in sorted order) whose name holds ``offset``.
        A search, not a scan: the usage lenses ask for each name of a file, and a scan of
        every definition of a 20,000-line file each time took seconds."""
        locs = self.defs_by_path.get(path, [])
        bounds = self._def_bounds.get(path)
        if bounds is None:
            most = -1
            ends: list[int] = []
            for loc in locs:
                most = max(most, loc.end)
                ends.append(most)
            bounds = self._def_bounds[path] = ([loc.start for loc in locs], ends)
        starts, ends = bounds
        # Those starting at or before ``offset`` are the first ``count``; the first of them
        # whose end reaches ``offset`` is where the running maximum first does.
        count = bisect_right(starts, offset)
        first = bisect_left(ends, offset, 0, count)
        return locs[first] if first < count else None


class AbiFacts(NamedTuple):
    """What :meth:`Analysis.abi_at` found: a type's figures (with a list's element size) or a
    function's flattened signature."""

    type: TypeAbi | None = None
    element_size: int | None = None
    function: FuncAbi | None = None


class Analysis:
    """Everything the model knows about a set of roots."""

    def __init__(self, diagnostics: list[Diagnostic], files: dict[str, SyntaxTree],
                 items: dict[str, FileItems], roots: list[_RootResult]) -> None:
        self.diagnostics = diagnostics
        self.files = files
        self._items = items
        self._roots = roots
        # ABI figures asked for, by (path, larger_than): an editor's lint passes ask again
        # after each keystroke, mostly of an analysis already asked (see MovedAnalysis).
        self._type_abis: dict[tuple[str, int], dict[Loc, TypeAbi]] = {}
        self._signature_abis: dict[tuple[str, int], list[tuple[Loc, str, TypeAbi]]] = {}

    def diagnostics_for(self, path: str) -> list[Diagnostic]:
        key = normalize(path)
        return [d for d in self.diagnostics if d.path == key]

    def items(self, path: str) -> FileItems | None:
        return self._items.get(normalize(path))

    def _target(self, path: str, offset: int) -> tuple[_RootResult, Loc] | None:
        key = normalize(path)
        for root in self._roots:
            target = root.target_at(key, offset)
            if target is not None:
                return root, target
        return None

    def definition(self, path: str, offset: int) -> list[Location]:
        found = self._target(path, offset)
        if found is None:
            return []
        _, loc = found
        return [Location(loc.path, loc.start, loc.end)]

    def reference_targets(self, path: str) -> Mapping[int, Loc]:
        """Where each name written in ``path`` points, by the name's start offset: the location
        of the definition's name (a type, interface, world or package; a name brought by
        ``use`` points at the ``use``, see :meth:`alias_target`)."""
        key = normalize(path)
        for root in self._roots:
            found = root.targets_in(key)
            if found is not None:
                return found
        return {}

    def is_referenced(self, loc: Loc) -> bool:
        """Whether any name (in the analysed packages and their dependencies) refers to the
        definition whose name is written at ``loc``."""
        return any(loc in root.referenced() for root in self._roots)

    def alias_target(self, loc: Loc) -> Loc | None:
        """For a type alias or a name brought by ``use`` whose name is written at ``loc``: where
        the named type it stands for is defined (None when that is not a named type, did not
        resolve, or ``loc`` is no such alias)."""
        for root in self._roots:
            found = root.named_type_at(loc)
            if found is None:
                continue
            r = root.resolver.r
            t = r.types[found]
            if t.kind != "type" or not t.args or not isinstance(t.args[0], int):
                return None
            target = r.types[t.args[0]]
            return target.loc if target.name is not None else None
        return None

    def references(self, path: str, offset: int,
                   include_declaration: bool = True) -> list[Location]:
        found = self._target(path, offset)
        if found is None:
            return []
        _, loc = found
        out: set[Location] = set()
        if include_declaration:
            out.add(Location(loc.path, loc.start, loc.end))
        for root in self._roots:
            for ref in root.refs_by_target.get(loc, []):
                out.add(Location(ref.path, ref.start, ref.end))
        return sorted(out, key=lambda x: (x.path, x.start))

    def references_to(self, loc: Location) -> list[Location]:
        """The names that point at exactly ``loc`` (see :meth:`reference_targets`): for the
        name a ``use`` brings, the names written for that binding (not for the item it
        imports, as :meth:`references` at that offset gives)."""
        key = Loc(normalize(loc.path), loc.start, loc.end)
        out = {Location(ref.path, ref.start, ref.end)
               for root in self._roots for ref in root.refs_by_target.get(key, [])}
        return sorted(out, key=lambda x: (x.path, x.start))

    def symbol_at(self, path: str, offset: int) -> Symbol | None:
        found = self._target(path, offset)
        if found is None:
            return None
        root, loc = found
        for r in [root, *self._roots]:
            sym = r.by_loc.get(loc)
            if sym is not None:
                return sym
        return None

    def document_symbols(self, path: str) -> list[Symbol]:
        key = normalize(path)
        for root in self._roots:
            syms = root.symbols.get(key)
            if syms is not None:
                return sorted(syms, key=lambda s: s.range)
        return []

    def declared_types(self, path: str) -> list[Place]:
        """The names of the interfaces and type definitions among the symbols
        :meth:`document_symbols` gives for ``path`` (nested ones too) with their kind, in no
        order; found without making the symbols."""
        key = normalize(path)
        for root in self._roots:
            places = root.types().get(key)
            if places is not None:
                return [(loc, kind) for loc, kind in places if loc.path == key]
        return []

    def all_symbols(self) -> list[Symbol]:
        seen: set[Loc] = set()
        out: list[Symbol] = []
        for root in self._roots:
            for loc, sym in root.by_loc.items():
                if loc not in seen and sym.kind != "param":
                    seen.add(loc)
                    out.append(sym)
        return out

    def elaborated_world(self, path: str, offset: int) -> str | None:
        key = normalize(path)
        for root in self._roots:
            r = root.resolver.r
            best = None
            for w in r.worlds:
                if w.loc.path == key and w.item_range[0] <= offset <= w.item_range[1]:
                    best = w
            if best is not None:
                from wit_ls.model.wit_text import world_text

                return world_text(r, best)
        return None

    def resolvers(self) -> list[Resolver]:
        """Each root's resolver (its ``load``, its resolved arenas ``r``, the declarations it
        resolved and the references it recorded), for features that walk the whole model."""
        return [root.resolver for root in self._roots]
    def resolved_at(self, path: str, offset: int) -> tuple[Resolve, Loc] | None:
        """The resolved model of the root that knows ``offset``, and the location of the
        definition written or referred to there (for features that describe it)."""
        found = self._target(path, offset)
        if found is None:
            return None
        root, loc = found
        return root.resolver.r, loc

    def type_abis(self, path: str, larger_than: int = -1) -> Mapping[Loc, TypeAbi]:
        """Canonical ABI figures of every named type defined in ``path`` (by the location of
        its name; types the model could not resolve are left out), or only of those larger
        than ``larger_than`` bytes. Worked out once per analysis: not to be changed."""
        known = self._type_abis.get((path, larger_than))
        if known is not None:
            return known
        key = normalize(path)
        from wit_ls.model.abi import AbiCalculator

        out: dict[Loc, TypeAbi] = {}
        for root in self._roots:
            r = root.resolver.r
            calc = AbiCalculator(r)
            for t in r.types:
                if t.name is not None and t.loc.path == key and t.loc not in out:
                    abi = calc.type_abi(t.id)
                    if abi is not None and abi.size > larger_than:
                        out[t.loc] = abi
        self._type_abis[(path, larger_than)] = out
        return out

    def signature_abis(self, path: str,
                       larger_than: int = -1) -> Sequence[tuple[Loc, str, TypeAbi]]:
        """Canonical ABI figures of the types written inline in the signatures of the
        functions defined in ``path``: (where, what: ``parameter `x` `` or ``result of `f` ``,
        figures). A parameter or result of a named type is left out (:meth:`type_abis` has
        it at its definition). Only those larger than ``larger_than`` bytes, when given.
        Worked out once per analysis: not to be changed."""
        known = self._signature_abis.get((path, larger_than))
        if known is not None:
            return known
        key = normalize(path)
        from wit_ls.model.abi import AbiCalculator

        out: list[tuple[Loc, str, TypeAbi]] = []
        seen: set[Loc] = set()
        for root in self._roots:
            r = root.resolver.r
            calc = AbiCalculator(r)
            funcs = [f for i in r.interfaces for f in i.functions.values()]
            funcs += [item.func for w in r.worlds
                      for item in [*w.imports.values(), *w.exports.values()] if item.func]
            for f in funcs:
                if f.loc.path != key or f.loc in seen:
                    continue
                seen.add(f.loc)
                typed = [(p.loc, f"parameter `{p.name}`", p.type) for p in f.params
                         if p.name != "self"]
                if f.kind != "constructor":
                    typed.append((f.loc, f"result of `{f.label}`", f.result))
                for loc, what, ty in typed:
                    if isinstance(ty, int) and r.types[ty].name is None:
                        abi = calc.type_abi(ty)
                        if abi is not None and abi.size > larger_than:
                            out.append((loc, what, abi))
        self._signature_abis[(path, larger_than)] = out
        return out

    def abi_at(self, path: str, offset: int) -> AbiFacts | None:
        """Canonical ABI facts of the type or function defined (or referred to) at ``offset``:
        None for other items, and for types the model could not resolve."""
        found = self._target(path, offset)
        if found is None:
            return None
        root, loc = found
        r = root.resolver.r
        from wit_ls.model.abi import AbiCalculator

        calc = AbiCalculator(r)
        for t in r.types:
            if t.name is not None and t.loc == loc:
                abi = calc.type_abi(t.id)
                if abi is None:
                    return None
                elem = None
                target = r.dealias(t.id)
                if isinstance(target, int) and r.types[target].kind in ("list",
                                                                        "fixed-length-list"):
                    args = r.types[target].args
                    elem_abi = calc.type_abi(args[0] if args else None)
                    elem = elem_abi.size if elem_abi is not None else None
                return AbiFacts(type=abi, element_size=elem)
        funcs = [f for i in r.interfaces for f in i.functions.values()]
        funcs += [w.func for world in r.worlds for w in world.imports.values() if w.func]
        funcs += [w.func for world in r.worlds for w in world.exports.values() if w.func]
        for func in funcs:
            if func.loc == loc:
                fabi = calc.func_abi(func)
                return AbiFacts(function=fabi) if fabi is not None else None
        return None

    def resolve_json(self) -> dict[str, object]:
        from wit_ls.model.json_replay import export

        if len(self._roots) == 1:
            return export(self._roots[0].resolver)
        merged: dict[str, list[object]] = {"worlds": [], "interfaces": [], "types": [],
                                           "packages": []}
        for root in self._roots:
            part = export(root.resolver)
            for k in merged:
                value = part[k]
                assert isinstance(value, list)
                merged[k].extend(value)
        return dict(merged)


_DEFAULT_OPTIONS = Options()


class RootAnalysis:
    """One root's share of an analysis: its diagnostics (with help notes), the trees
    and items of the files it read, and its resolution. Editors keep one per root and combine
    them (:func:`combine`), so that an edit re-analyses only the roots that read the edited
    file."""

    __slots__ = ("diagnostics", "files", "items", "result", "root", "unhelped")

    def __init__(self, root: str, diagnostics: list[Diagnostic], files: dict[str, SyntaxTree],
                 items: dict[str, FileItems], result: _RootResult | None,
                 unhelped: list[Diagnostic] | None = None) -> None:
        self.root = root
        self.diagnostics = diagnostics
        self.files = files
        self.items = items
        self.result = result
        # The diagnostics before help notes were added (see `help_notes`).
        self.unhelped = diagnostics if unhelped is None else unhelped

    def help_notes(self, diagnostics: list[Diagnostic],
                   trees: Mapping[str, SyntaxTree]) -> list[Diagnostic]:
        """``diagnostics`` (some of :attr:`unhelped`, in their order, possibly moved by edits
        that changed no token) with the help notes they get from the text of ``trees``, as
        the analysis adds them."""
        return _with_help(diagnostics, trees, self.result)

    def diagnostics_after(self, path: str, edited: str, tree: SyntaxTree,
                          shift: Shift) -> list[Diagnostic] | None:
        """The diagnostics of ``path`` (with help notes) that analysing this root again would
        give after the file ``edited`` became ``tree`` by ``shift``, an edit that left its
        lowering as it was at moved positions (see :mod:`wit_ls.model.token_moves`): the
        resolver's diagnostics moved, the syntax ones and the ranges of syntax errors of the
        new tree. None when a diagnostic meets the edit (where it goes is not known)."""
        from wit_ls.model.error_order import order_key, package_order
        from wit_ls.syntax.layout import moved

        result = self.result
        if result is None or edited not in result.load.files:
            return None
        load, resolver = result.load, result.resolver
        if any(d.code == "nested-package-depth" for d in tree.diagnostics):
            return None  # (ordered among the nested package's own errors: not worked out)
        before = load.files[edited].tree
        if any(package.name is None for package in load.packages) and (
                before.root.has_error != tree.root.has_error
                or _undecodable(before) != _undecodable(tree)):
            # A missing header is reported only while no file is broken, nor every file
            # binary or not UTF-8.
            return None

        def edits(where: str) -> tuple[Shift, ...]:
            return (shift,) if where == edited else ()

        new_syntax = [d.with_path(edited) for d in tree.diagnostics]
        syntax = {(p, d.start, d.end, d.message) for p, source in load.files.items()
                  for d in source.tree.diagnostics}
        ranges = error_ranges(tree)
        # (diagnostic as found, as shown now) of each diagnostic before the edit that is still
        # one; sorted by where the analysis before placed them (the move keeps their order).
        kept: list[tuple[Diagnostic, Diagnostic]] = []
        for d in result.early:
            now = moved([d], d.path, edits)
            if now is None:
                return None
            kept.append((d, now[0]))
        for p, source in load.files.items():
            if p != edited:
                kept.extend((d, d) for d in (x.with_path(p) for x in source.tree.diagnostics))
        for d in resolver.diagnostics:
            now = moved([d], d.path, edits)
            if now is None:
                return None
            after = now[0]
            if d.path == edited:
                if (d.path, d.start, d.end, d.message) in syntax or (
                        after.path, after.start, after.end, after.message) in {
                        (x.path, x.start, x.end, x.message) for x in new_syntax}:
                    return None
                if ranges and _semantic_noise(ranges, after):
                    continue
            else:
                origin = load.files.get(d.path)
                if origin is not None and origin.items.error_ranges and _semantic_noise(
                        origin.items.error_ranges, d):
                    continue
            kept.append((_shown(load, d), _shown(load, after)))
        if len(kept) + len(new_syntax) > 1:
            added = [info.source for info in package_order(resolver.infos)]
            key = order_key(load, syntax, added)
            keyed = [(key(was), now) for was, now in kept]
            # The edited file's syntax diagnostics are keyed at their own (new) places: they
            # are only ever ordered against each other by position.
            syntax.update((x.path, x.start, x.end, x.message) for x in new_syntax)
            keyed += [(key(d), d) for d in new_syntax]
            keyed.sort(key=lambda pair: pair[0])
            found = [now for _key, now in keyed]
        else:
            found = [now for _was, now in kept] + new_syntax
        trees = dict(self.files)
        trees[edited] = tree
        return [d for d in _with_help(found, trees, result) if d.path == path]


def analyze(fs: FileSystem, roots: Sequence[str], options: Options = _DEFAULT_OPTIONS,
            cache: FileCache | None = None) -> Analysis:
    """Load, resolve and check ``roots`` (package directories or single files). Never raises."""
    return combine([analyze_root(fs, root, options, cache) for root in roots])


def analyze_root(fs: FileSystem, root: str, options: Options = _DEFAULT_OPTIONS,
                 cache: FileCache | None = None,
                 units: Collection[str] | None = None) -> RootAnalysis:
    """One root's share of an analysis (see :class:`RootAnalysis`). Never raises. With
    ``units``, only those of the root's packages (one group of
    `wit_ls.model.package_groups.independent_groups`).

    The cyclic garbage collector is paused meanwhile: analysis allocates many small objects
    and next to a big cache of trees each collection would walk all of them (it halves the
    time of re-analysing a 20,000-line package). An analysis holds no reference cycle and
    leaves none behind: the language server freezes large ones out of the collector's reach
    for good and frees them by reference counting (see `wit_ls.lsp.workspace`;
    tests/lsp/test_collector_free.py)."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    diagnostics: list[Diagnostic] = []
    files: dict[str, SyntaxTree] = {}
    items: dict[str, FileItems] = {}
    result: _RootResult | None = None
    try:
        result = _analyze_root(fs, root, options, _DEFAULT_CACHE if cache is None else cache,
                               diagnostics, files, items, units)
    except Exception as err:
        diagnostics.append(Diagnostic(0, 0, f"internal error in wit-ls: {err!r}",
                                      "internal-error", path=normalize(root)))
    finally:
        if paused:
            gc.enable()
    return RootAnalysis(root, _with_help(diagnostics, files, result), files, items, result,
                        diagnostics)


def combine(parts: Sequence[RootAnalysis]) -> Analysis:
    """The analysis of several roots from their shares: diagnostics deduplicated and ordered
    as wit-parser meets them (each share has its help notes already)."""
    diagnostics: list[Diagnostic] = []
    files: dict[str, SyntaxTree] = {}
    items: dict[str, FileItems] = {}
    results: list[_RootResult] = []
    for part in parts:
        diagnostics.extend(part.diagnostics)
        files.update(part.files)
        items.update(part.items)
        if part.result is not None:
            results.append(part.result)
    return Analysis(_unique(diagnostics), files, items, results)


def _unique(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Deduplicated, in the order given (each root's in wit-parser's order, roots in turn)."""
    seen: set[tuple[object, ...]] = set()
    unique: list[Diagnostic] = []
    for d in diagnostics:
        key = (d.path, d.start, d.end, d.message, d.code)
        if key not in seen:
            seen.add(key)
            unique.append(d)
    return unique


def _with_help(diagnostics: list[Diagnostic], files: Mapping[str, SyntaxTree],
               result: _RootResult | None) -> list[Diagnostic]:
    """Help notes on the errors of one root (names defined in the root's packages)."""
    if not any(d.severity == Severity.ERROR for d in diagnostics):
        return diagnostics
    from wit_ls.model.teach import with_help

    def defined(path: str) -> list[str]:
        if result is None or path not in result.load.files:
            return []
        r = result.resolver.r
        return sorted({t.name for t in r.types if t.name} | {i.name for i in r.interfaces
                                                               if i.name})

    return with_help(_unique(diagnostics), files, defined)


def _analyze_root(fs: FileSystem, root: str, options: Options, cache: FileCache,
                  diagnostics: list[Diagnostic], files: dict[str, SyntaxTree],
                  items: dict[str, FileItems],
                  units: Collection[str] | None = None) -> _RootResult:
    load = load_root(fs, root, cache, options.manifest_deps, units)
    notes = _resolve_manifest_deps(fs, load, cache, options) if options.manifest_deps else []
    resolver = Resolver(load, options.features, options.all_features, cache.resolutions)
    resolver.run()
    early = [*load.diagnostics, *notes]
    for path, source in load.files.items():
        files[path] = source.tree
        items[path] = source.items
    diagnostics.extend(root_diagnostics(load, early, resolver.diagnostics, resolver.infos))
    return _RootResult(load, resolver, early)


def root_diagnostics(load: Load, early: Sequence[Diagnostic], resolved: Sequence[Diagnostic],
                     infos: list[PackageState]) -> list[Diagnostic]:
    """A package root's diagnostics: ``early`` (the loader's and the manifest's), each file's
    syntax diagnostics, and the resolver's (``resolved``, less those a syntax error makes
    noise), listed in the order wit-parser meets them, so that the first error is the one
    wasm-tools reports (``infos``: the resolver's packages). A whole analysis and one that
    resolved only the items an edit changed (`wit_ls.model.reresolve`) both list them so."""
    found: list[Diagnostic] = list(early)
    for path, source in load.files.items():
        found.extend(d.with_path(path) for d in source.tree.diagnostics)
    for d in resolved:
        origin = load.files.get(d.path)
        if origin is not None and origin.items.error_ranges and _semantic_noise(
                origin.items.error_ranges, d):
            continue
        found.append(_shown(load, d))
    # (Most packages of a monorepo have nothing to order: their keys are not worked out.)
    if len(found) > 1:
        from wit_ls.model.error_order import order_key, package_order

        syntax = {(path, d.start, d.end, d.message) for path, source in load.files.items()
                  for d in source.tree.diagnostics}
        added = [info.source for info in package_order(infos)]
        found.sort(key=order_key(load, syntax, added))
    return found


def _undecodable(tree: SyntaxTree) -> bool:
    """Whether the loader takes the file for binary or not UTF-8 (see `loader.dir_package`)."""
    return any(d.code in ("binary-file", "invalid-utf8") for d in tree.diagnostics)


def _shown(load: Load, d: Diagnostic) -> Diagnostic:
    """A resolver diagnostic as a root's analysis lists it."""
    if d.code == "unknown-package" and load.binary_deps:
        return Diagnostic(d.start, d.end, d.message + " (it may be in one of the binary "
                          "packages in deps/ that could not be decoded)", d.code,
                          Severity.WARNING, d.path, d.related)
    return d
