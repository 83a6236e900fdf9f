"""Dependencies resolved once per process and reused by every package root that vendors the same
ones (a command-line run over a monorepo, where every package has a copy of the WASI ``deps/``).

A root's packages are resolved in dependency order (``Resolver._package_order``): the ``deps/``
packages its own package reaches (the *prefix*), its own packages (the *middle*: the root's
package and the nested packages of its files), then the other ``deps/`` packages (the *tail*).
When the ``deps/`` packages of two roots are the same (the same bytes at the same places below
``deps/``, in the same order, with the same feature options), refer to no package outside
``deps/`` and to none that is missing, and no package takes part in a cycle, resolving them
gives the same objects, references and diagnostics but for the paths (each root has its own
copy) and, in the tail, the arena ids (shifted by what the middle added). So the first such
root records both segments (copies of what they added to the resolver, with paths relative to
``deps/`` and syntax items by position), and every later root replays them as fresh copies with
its own paths, ids and syntax items: the resolver ends in the state resolving them itself
gives, object for object, and what the root reports is unchanged.

The recordings are bounded (:class:`SharedResolutions`: the most recently used few, by count
and by the bytes of source their keys hold), so memory stays flat over thousands of roots.
"""

from __future__ import annotations

import contextlib
import posixpath
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING

from wit_ls.model.items import Declarations, Extern
from wit_ls.model.resolved import (
    Loc,
    RFunc,
    RInterface,
    RMember,
    RParam,
    RType,
    RWorld,
    Ty,
    WItem,
    WKey,
)
from wit_ls.syntax import Diagnostic, Related

if TYPE_CHECKING:
    from wit_ls.model.loader import PackageSource, SourceFile
    from wit_ls.model.resolver import PackageState, Reference, Resolver

# Counts of the three arenas a segment adds to: types, interfaces, worlds.
Counts = tuple[int, int, int]
# Where a syntax item is: (package index in the load, declarations index, item index).
Position = tuple[int, int, int]


class _Unshareable(Exception):
    """A segment refers to something outside the dependencies (never raised for a replay)."""


def _syntax_items(decls: Declarations) -> list[object]:
    """The syntax items the resolver keeps of a file's declarations, in a fixed order."""
    out: list[object] = [*decls.interfaces, *decls.worlds, *decls.uses]
    for world in decls.worlds:
        out.extend(m.interface for m in world.members
                   if isinstance(m, Extern) and m.interface is not None)
    return out


_new = object.__new__
_tuple_new = tuple.__new__


class _Copier:
    """Copies resolved objects with other paths and ids: an id at or past ``start`` of its
    arena moves by ``delta``; one between ``forbid`` and ``start`` belongs to neither segment
    (the middle's) and makes the copy fail. Objects shared in the original (functions, world
    items, members, locations) are shared in the copy. (Objects are made without their
    ``__init__``, every slot set once: copying is most of a replay.)"""

    def __init__(self, paths: dict[str, str], start: Counts, delta: Counts,
                 forbid: Counts, after: _Copier | None = None) -> None:
        self.paths = paths
        self.start = start
        self.delta = delta
        self.forbid = forbid
        # Whether any id changes or is checked (else ids are copied as they are).
        self.moves = delta != (0, 0, 0) or forbid != start
        # After the prefix's copier, the tail's: objects of the prefix the tail's share (a
        # world's items included from a world of the prefix) are the prefix's copies.
        self._funcs: dict[int, RFunc] = {} if after is None else after._funcs
        self._items: dict[int, WItem] = {} if after is None else after._items
        self._members: dict[int, RMember] = {} if after is None else after._members
        self._locs: dict[int, Loc] = {} if after is None else after._locs

    def _id(self, arena: int, value: int) -> int:
        if value >= self.start[arena]:
            return value + self.delta[arena]
        if value >= self.forbid[arena]:
            raise _Unshareable
        return value

    def tid(self, value: int) -> int:
        return self._id(0, value) if self.moves else value

    def iid(self, value: int) -> int:
        return self._id(1, value) if self.moves else value

    def wid(self, value: int) -> int:
        return self._id(2, value) if self.moves else value

    def ty(self, ty: Ty) -> Ty:
        return self._id(0, ty) if self.moves and isinstance(ty, int) else ty

    def tys(self, tys: list[Ty]) -> list[Ty]:
        if not self.moves:
            return tys.copy()
        return [self._id(0, t) if isinstance(t, int) else t for t in tys]

    def path(self, path: str) -> str:
        if not path:
            return path
        found = self.paths.get(path)
        if found is None:
            raise _Unshareable
        return found

    def loc(self, loc: Loc) -> Loc:
        found = self._locs.get(id(loc))
        if found is None:
            path = loc[0]
            # (A path of neither root's dependencies is a KeyError: see `_record`.)
            found = self._locs[id(loc)] = loc if not path else _tuple_new(
                Loc, (self.paths[path], loc[1], loc[2]))
        return found

    def member(self, m: RMember) -> RMember:
        found = self._members.get(id(m))
        if found is None:
            found = self._members[id(m)] = _new(RMember)
            found.name, found.docs = m.name, m.docs
            ty = m.type
            found.type = self._id(0, ty) if self.moves and isinstance(ty, int) else ty
            found.loc = self.loc(m.loc)
        return found

    def rtype(self, t: RType) -> RType:
        n = _new(RType)
        n.name, n.kind = t.name, t.kind
        if self.moves:
            n.id = self._id(0, t.id)
            n.args = self.tys(t.args)
            owner = t.owner
            if owner is not None:
                owner = (owner[0], self._id(1, owner[1]) if owner[0] == "interface"
                         else self._id(2, owner[1]))
            n.owner = owner
        else:
            n.id, n.args, n.owner = t.id, t.args.copy(), t.owner
        n.members = [self.member(m) for m in t.members] if t.members else []
        n.handle, n.size, n.bare = t.handle, t.size, t.bare
        n.docs, n.stability, n.excluded = t.docs, t.stability, t.excluded
        n.loc, n.item_range = self.loc(t.loc), t.item_range
        return n

    def func(self, f: RFunc) -> RFunc:
        found = self._funcs.get(id(f))
        if found is not None:
            return found
        n = self._funcs[id(f)] = _new(RFunc)
        n.name, n.kind, n.label = f.name, f.kind, f.label
        loc = self.loc
        if self.moves:
            ty = self.ty
            n.resource = None if f.resource is None else self._id(0, f.resource)
            n.params = [_tuple_new(RParam, (p[0], ty(p[1]), loc(p[2]))) for p in f.params]
            n.result = ty(f.result)
        else:
            n.resource, n.result = f.resource, f.result
            n.params = [_tuple_new(RParam, (p[0], p[1], loc(p[2]))) for p in f.params]
        n.docs, n.stability, n.excluded = f.docs, f.stability, f.excluded
        n.loc, n.item_range, n.external_id = loc(f.loc), f.item_range, f.external_id
        return n

    def interface(self, i: RInterface) -> RInterface:
        n = _new(RInterface)
        n.id, n.name = self.iid(i.id), i.name
        n.package, n.docs, n.stability = i.package, i.docs, i.stability
        n.loc, n.item_range = self.loc(i.loc), i.item_range
        n.excluded, n.resolved = i.excluded, i.resolved
        n.types = ({k: self.tid(v) for k, v in i.types.items()} if self.moves
                   else i.types.copy())
        func = self.func
        n.functions = {k: func(v) for k, v in i.functions.items()}
        return n

    def _key(self, key: WKey) -> WKey:
        return self.iid(key) if isinstance(key, int) else key

    def item(self, it: WItem) -> WItem:
        found = self._items.get(id(it))
        if found is not None:
            return found
        value = it.id
        if self.moves:
            if it.kind == "interface":
                value = self.iid(value)
            elif it.kind == "type":
                value = self.tid(value)
        n = self._items[id(it)] = _new(WItem)
        n.kind, n.id, n.func = it.kind, value, None if it.func is None else self.func(it.func)
        n.stability, n.loc, n.external_id, n.docs = (it.stability, self.loc(it.loc),
                                                     it.external_id, it.docs)
        return n

    def world(self, w: RWorld) -> RWorld:
        n = _new(RWorld)
        n.id, n.name = self.wid(w.id), w.name
        n.package, n.docs, n.stability = w.package, w.docs, w.stability
        n.loc, n.item_range = self.loc(w.loc), w.item_range
        n.excluded, n.resolved, n.state = w.excluded, w.resolved, w.state
        n.imports = {self._key(k): self.item(v) for k, v in w.imports.items()}
        n.exports = {self._key(k): self.item(v) for k, v in w.exports.items()}
        return n

    def references(self, refs: list[Reference]) -> list[Reference]:
        from wit_ls.model.resolver import Reference

        out: list[Reference] = []
        paths, loc = self.paths, self.loc
        for ref in refs:
            n = _new(Reference)
            n.path, n.start, n.end = paths[ref.path], ref.start, ref.end
            n.target, n.kind = loc(ref.target), ref.kind
            out.append(n)
        return out

    def diagnostic(self, d: Diagnostic) -> Diagnostic:
        related = tuple(Related(self.path(x.path), x.start, x.end, x.message)
                        for x in d.related)
        return Diagnostic(d.start, d.end, d.message, d.code, d.severity, self.path(d.path),
                          related, d.tags, dict(d.data) if d.data else None)

    def anon(self, key: tuple[object, ...]) -> tuple[object, ...]:
        if not self.moves:
            return key
        kind, args, *rest = key
        assert isinstance(args, tuple)
        return (kind, tuple(self.ty(a) for a in args), *rest)


class _Package:
    """What a segment did to one package's bookkeeping (tables, scopes, syntax items)."""

    __slots__ = ("all_interfaces", "all_worlds", "anon", "foreign_kinds", "foreign_type_gates",
                 "index", "interfaces", "items", "resolved", "scopes", "worlds")

    def __init__(self, index: int) -> None:
        self.index = index
        self.interfaces: dict[str, int] = {}
        self.worlds: dict[str, int] = {}
        self.all_interfaces: dict[str, int] = {}
        self.all_worlds: dict[str, int] = {}
        self.resolved = False
        # name -> (kind, ("interface"|"world", id), declarations index)
        self.items: dict[str, tuple[str, tuple[str, int], int]] = {}
        # path -> name -> (kind, ("interface"|"world", id) or a syntax item's position)
        self.scopes: dict[str, dict[str, tuple[str, tuple[str, int] | Position]]] = {}
        self.anon: dict[tuple[object, ...], int] = {}
        self.foreign_kinds: dict[tuple[str, str], str] = {}
        self.foreign_type_gates: dict[tuple[str, str, str], object] = {}


class _Segment:
    """Copies of what resolving some packages added to a resolver (paths relative to
    ``deps/``, ids as in the recorded root)."""

    __slots__ = ("ast_interface", "ast_world", "broken", "cyclic", "diagnostics", "interfaces",
                 "packages", "references", "start", "states", "types", "worlds")

    def __init__(self, start: Counts) -> None:
        self.start = start
        self.types: list[RType] = []
        self.interfaces: list[RInterface] = []
        self.worlds: list[RWorld] = []
        self.references: list[Reference] = []
        self.diagnostics: list[Diagnostic] = []
        self.packages: list[_Package] = []
        self.ast_interface: dict[int, tuple[Position, str]] = {}
        self.ast_world: dict[int, tuple[Position, str]] = {}
        self.states: dict[tuple[str, int], int] = {}
        self.cyclic: set[int] = set()
        self.broken: set[int] = set()


def _counts(res: Resolver) -> Counts:
    r = res.r
    return len(r.types), len(r.interfaces), len(r.worlds)


class _Plan:
    """A root whose dependencies can be shared: the key of their resolution and the three
    runs of its package order."""

    __slots__ = ("deps_dir", "key", "middle", "prefix", "size", "tail")

    def __init__(self, key: Hashable, deps_dir: str, prefix: list[PackageState],
                 middle: list[PackageState], tail: list[PackageState], size: int) -> None:
        self.key = key
        self.deps_dir = deps_dir
        self.prefix = prefix
        self.middle = middle
        self.tail = tail
        self.size = size


def _shareable(source: PackageSource, deps_dir: str) -> bool:
    if source.origin != "dep":
        return False
    files = [source.nested_file] if source.nested_file is not None else source.files
    return all(f is not None and f.path.startswith(deps_dir) for f in files)


def _identity(source: PackageSource, deps_dir: str, excluded: bool) -> tuple[object, ...]:
    cut = len(deps_dir)
    nested: tuple[object, ...] | None = None
    if source.nested is not None and source.nested_file is not None:
        f = source.nested_file
        at = next(i for i, n in enumerate(f.items.nested) if n is source.nested)
        nested = (f.path[cut:], f.data, at)
    files = tuple((f.path[cut:], f.data) for f in source.files)
    return (source.root[cut:], source.binary, source.manifest, files, nested, excluded)


def _plan(res: Resolver, order: Sequence[PackageState]) -> _Plan | None:
    load = res.load
    deps_dir = posixpath.join(load.root, "deps") + "/"
    shared = {info.package.id for info in res.infos if _shareable(info.source, deps_dir)}
    if not shared or any(d.code == "package-cycle" for d in res.diagnostics):
        return None
    own = [i for i, info in enumerate(order) if info.package.id not in shared]
    if not own or own[-1] - own[0] + 1 != len(own):
        return None
    for info in res.infos:
        if info.package.id in shared:
            for key in res.foreign_keys(info):
                target = res.by_key.get(key)
                if target is None or target.id not in shared:
                    return None
    layout: list[tuple[object, ...] | None] = []
    size = 0
    for info in res.infos:
        if info.package.id in shared:
            layout.append(_identity(info.source, deps_dir, info.package.excluded))
            size += sum(len(f.data) for f in info.source.files)
        else:
            layout.append(None)
    prefix, middle, tail = list(order[:own[0]]), list(order[own[0]:own[-1] + 1]), list(
        order[own[-1] + 1:])
    identity = (res.features, res.all_features, tuple(layout),
                tuple(i.package.id for i in prefix), tuple(i.package.id for i in tail))
    return _Plan(identity, deps_dir, prefix, middle, tail, size)


def _dep_paths(plan: _Plan) -> list[str]:
    paths: list[str] = []
    for info in [*plan.prefix, *plan.tail]:
        source = info.source
        paths.extend(f.path for f in source.files)
        if source.nested_file is not None:
            paths.append(source.nested_file.path)
    return paths


def _record(res: Resolver, plan: _Plan, infos: list[PackageState], start: Counts,
            forbid: Counts, first_diagnostic: int, first_reference: int,
            after: _Copier | None = None) -> tuple[_Segment, _Copier]:
    """Copies of what resolving ``infos`` (already done) added to ``res`` since ``start``."""
    cut = len(plan.deps_dir)
    copier = _Copier({p: p[cut:] for p in _dep_paths(plan)}, start, (0, 0, 0), forbid, after)
    r = res.r
    seg = _Segment(start)
    seg.types = [copier.rtype(t) for t in r.types[start[0]:]]
    seg.interfaces = [copier.interface(i) for i in r.interfaces[start[1]:]]
    seg.worlds = [copier.world(w) for w in r.worlds[start[2]:]]
    seg.references = copier.references(res.references[first_reference:])
    seg.diagnostics = [copier.diagnostic(d) for d in res.diagnostics[first_diagnostic:]]
    positions: dict[int, Position] = {}
    files: dict[int, int] = {}
    for info in infos:
        for j, (file, decls) in enumerate(info.source.declarations()):
            files.setdefault(id(file), j)
            for n, item in enumerate(_syntax_items(decls)):
                positions[id(item)] = (info.package.id, j, n)

    def ref(obj: object) -> tuple[str, int]:
        if isinstance(obj, RInterface):
            return "interface", copier.iid(obj.id)
        if isinstance(obj, RWorld):
            return "world", copier.wid(obj.id)
        raise _Unshareable

    def position(obj: object) -> Position:
        found = positions.get(id(obj))
        if found is None:
            raise _Unshareable
        return found

    for i in range(start[1], len(r.interfaces)):
        ast_interface = res.ast_interface.get(i)
        if ast_interface is not None:
            seg.ast_interface[i] = (position(ast_interface[0]), copier.path(ast_interface[1]))
        seg.states["interface", i] = res.state.get(id(r.interfaces[i]), 0)
    for i in range(start[2], len(r.worlds)):
        ast_world = res.ast_world.get(i)
        if ast_world is not None:
            seg.ast_world[i] = (position(ast_world[0]), copier.path(ast_world[1]))
        seg.states["world", i] = res.state.get(id(r.worlds[i]), 0)
    seg.cyclic = {t for t in res.cyclic_types if t >= start[0]}
    seg.broken = {t for t in res.broken_uses if t >= start[0]}
    for info in infos:
        pkg = info.package
        out = _Package(pkg.id)
        out.interfaces = {k: copier.iid(v) for k, v in pkg.interfaces.items()}
        out.worlds = {k: copier.wid(v) for k, v in pkg.worlds.items()}
        out.all_interfaces = {k: copier.iid(v) for k, v in pkg.all_interfaces.items()}
        out.all_worlds = {k: copier.wid(v) for k, v in pkg.all_worlds.items()}
        out.resolved = pkg.resolved
        for name, (kind, obj, file) in info.items.items():
            if id(file) not in files:
                raise _Unshareable
            out.items[name] = (kind, ref(obj), files[id(file)])
        for path, scope in info.file_scopes.items():
            out.scopes[copier.path(path)] = {
                name: (kind, ref(obj) if kind in ("interface", "world") else position(obj))
                for name, (kind, obj) in scope.items()}
        out.anon = {copier.anon(k): copier.tid(v) for k, v in info.anon.items()}
        out.foreign_kinds = dict(info.foreign_kinds)
        out.foreign_type_gates = dict(info.foreign_type_gates)
        seg.packages.append(out)
    return seg, copier


def _replay(res: Resolver, plan: _Plan, seg: _Segment, forbid: Counts,
            after: _Copier | None = None) -> _Copier:
    """Add copies of ``seg`` to ``res`` as if it had resolved the segment's packages."""
    now = _counts(res)
    delta = (now[0] - seg.start[0], now[1] - seg.start[1], now[2] - seg.start[2])
    deps_dir = plan.deps_dir
    paths = {rel: deps_dir + rel for rel in (p[len(deps_dir):] for p in _dep_paths(plan))}
    copier = _Copier(paths, seg.start, delta, forbid, after)
    r = res.r
    rtype, interface, world = copier.rtype, copier.interface, copier.world
    r.types += [rtype(t) for t in seg.types]
    r.interfaces += [interface(i) for i in seg.interfaces]
    r.worlds += [world(w) for w in seg.worlds]
    res.references.extend(copier.references(seg.references))
    res.diagnostics.extend(copier.diagnostic(d) for d in seg.diagnostics)
    decls: dict[tuple[int, int], tuple[SourceFile, list[object]]] = {}

    def declarations(index: int, j: int) -> tuple[SourceFile, list[object]]:
        found = decls.get((index, j))
        if found is None:
            for k, (file, d) in enumerate(res.infos[index].source.declarations()):
                decls[index, k] = (file, _syntax_items(d))
            found = decls[index, j]
        return found

    def syntax(at: Position) -> object:
        return declarations(at[0], at[1])[1][at[2]]

    def obj(ref: tuple[str, int]) -> RInterface | RWorld:
        kind, value = ref
        return r.interfaces[copier.iid(value)] if kind == "interface" else r.worlds[
            copier.wid(value)]

    for i, (at, path) in seg.ast_interface.items():
        ast = syntax(at)
        assert not isinstance(ast, RInterface)
        res.ast_interface[copier.iid(i)] = (ast, copier.path(path))  # type: ignore[assignment]
    for i, (at, path) in seg.ast_world.items():
        res.ast_world[copier.wid(i)] = (syntax(at), copier.path(path))  # type: ignore[assignment]
    for (kind, i), state in seg.states.items():
        res.state[id(r.interfaces[copier.iid(i)] if kind == "interface"
                      else r.worlds[copier.wid(i)])] = state
    res.cyclic_types.update(copier.tid(t) for t in seg.cyclic)
    res.broken_uses.update(copier.tid(t) for t in seg.broken)
    for out in seg.packages:
        info = res.infos[out.index]
        pkg = info.package
        pkg.interfaces = {k: copier.iid(v) for k, v in out.interfaces.items()}
        pkg.worlds = {k: copier.wid(v) for k, v in out.worlds.items()}
        pkg.all_interfaces = {k: copier.iid(v) for k, v in out.all_interfaces.items()}
        pkg.all_worlds = {k: copier.wid(v) for k, v in out.all_worlds.items()}
        pkg.resolved = out.resolved
        info.items = {name: (kind, obj(ref), declarations(out.index, j)[0])
                      for name, (kind, ref, j) in out.items.items()}
        info.file_scopes = {
            copier.path(path): {
                name: (kind, obj(where) if kind in ("interface", "world")  # type: ignore[arg-type]
                       else syntax(where))  # type: ignore[arg-type]
                for name, (kind, where) in scope.items()}
            for path, scope in out.scopes.items()}
        info.anon = {copier.anon(k): copier.tid(v) for k, v in out.anon.items()}
        info.foreign_kinds = dict(out.foreign_kinds)
        info.foreign_type_gates = dict(out.foreign_type_gates)  # type: ignore[arg-type]
    return copier


class _Entry:
    __slots__ = ("prefix", "prefix_end", "size", "tail")

    def __init__(self, prefix: _Segment, prefix_end: Counts, tail: _Segment, size: int) -> None:
        self.prefix = prefix
        self.prefix_end = prefix_end
        self.tail = tail
        self.size = size


class SharedResolutions:
    """Recorded resolutions of dependencies, the ``limit`` most recently used whose keys hold
    at most ``budget`` bytes of source (beyond that the oldest are dropped)."""

    def __init__(self, limit: int = 8, budget: int = 8 << 20) -> None:
        self.limit = limit
        self.budget = budget
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._bytes = 0
        self.replayed = 0  # how many roots reused a recording (for tests and benchmarks)

    def __len__(self) -> int:
        return len(self._entries)

    def resolve(self, res: Resolver, order: Sequence[PackageState]) -> bool:
        """Resolve the packages of ``res`` in ``order``, sharing its dependencies' resolution
        with other roots when it can; False (nothing done) when it cannot."""
        plan = _plan(res, order)
        if plan is None:
            return False
        entry = self._entries.get(plan.key)
        if entry is not None:
            self._entries.move_to_end(plan.key)
            self.replayed += 1
            copier = _replay(res, plan, entry.prefix, (0, 0, 0))
            for info in plan.middle:
                res.resolve_package(info)
            _replay(res, plan, entry.tail, entry.prefix_end, copier)
            return True
        start_d, start_r = len(res.diagnostics), len(res.references)
        for info in plan.prefix:
            res.resolve_package(info)
        prefix_end = _counts(res)
        recorded: tuple[_Segment, _Copier] | None = None
        with contextlib.suppress(_Unshareable, KeyError):
            recorded = _record(res, plan, plan.prefix, (0, 0, 0), (0, 0, 0), start_d, start_r)
        for info in plan.middle:
            res.resolve_package(info)
        base, start_d, start_r = _counts(res), len(res.diagnostics), len(res.references)
        for info in plan.tail:
            res.resolve_package(info)
        if recorded is None:
            return True
        try:
            tail, _ = _record(res, plan, plan.tail, base, prefix_end, start_d, start_r,
                              recorded[1])
        except (_Unshareable, KeyError):
            return True
        self._entries[plan.key] = _Entry(recorded[0], prefix_end, tail, plan.size)
        self._bytes += plan.size
        while len(self._entries) > 1 and (len(self._entries) > self.limit
                                          or self._bytes > self.budget):
            _, dropped = self._entries.popitem(last=False)
            self._bytes -= dropped.size
        return True
