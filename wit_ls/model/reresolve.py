"""Diagnostics after an edit that changed the declarations inside one interface or world,
resolving again only that item and the items whose answers depend on it.

The unit of reuse is a top-level interface or world of the edited package. After an edit inside
the body of one of them (``changed``), the package is declared again (names, file scopes, feature
gates of foreign types, top-level ``use``s: cheap, and the source of the package-level errors),
but the bodies of the other items are the last analysis' resolved objects, kept as they are: the
arenas of the last resolution are copied (lists of references, not objects) and the new objects
are added to or put in place in the copies, so the last analysis is never changed.

``changed`` is resolved again (what it uses is the kept objects). Then its *surface* (what
another item can see of it: its types with their whole structure, its functions, its gates, the
interfaces it depends on transitively; never positions) is compared with the last one. When it
differs, the items that name it (a ``use``, ``include``, ``import`` or ``export`` path, directly
or through a top-level ``use``) are resolved again, and so on (items in dependency order; an item
whose surface is unchanged stops the spread).

Diagnostics: those inside items resolved again, and those outside every item of the package
(the declaring step's), are the new run's; those inside the other items are the last analysis'
moved by the edit (their inputs did not change). They are then filtered, ordered and given help
notes as a fresh analysis does (:func:`wit_ls.model.api._analyze_root`).

Anything that could make this differ from a fresh analysis gives None (analyse again): an edit
outside the body of one interface or world (package header, top-level ``use``, several items),
a package another loaded package depends on, a changed list of foreign packages or changed
feature gates of foreign types, errors whose place depends on the order items are met in (cycles
between items, an item's or a foreign item's kind met two ways, duplicate items or packages,
attributes on top-level ``use``), nested packages, a package without header, and a new run
reporting an error inside an item it did not resolve again.
"""

from __future__ import annotations

import gc
import heapq
from bisect import bisect_right
from collections.abc import Sequence

from wit_ls.model.items import (
    Declarations,
    Extern,
    Include,
    Interface,
    TopUse,
    Use,
    UsePath,
    World,
)
from wit_ls.model.loader import FileCache, Load, SourceFile, load_root
from wit_ls.model.lower import remember
from wit_ls.model.options import Options
from wit_ls.model.resolved import (
    Loc,
    Resolve,
    RFunc,
    RInterface,
    RPackage,
    RWorld,
    Ty,
    WItem,
    WKey,
)
from wit_ls.model.resolver import PackageState, Resolver
from wit_ls.model.token_moves import _Map, _same, _zone, top_nodes
from wit_ls.syntax import Diagnostic, Severity, SyntaxTree
from wit_ls.syntax.layout import Shift, moved

TYPE_CHECKING = False  # not typing's: see wit_ls.light_typing
if TYPE_CHECKING:
    from wit_ls.model.api import RootAnalysis
    from wit_ls.model.fs import FileSystem

# Errors whose presence, place or wording depends on the order a whole package is resolved in.
_ORDERED = frozenset({"item-cycle", "wrong-item-kind", "package-cycle", "duplicate-package",
                      "duplicate-item", "attribute-on-use", "nested-package-depth",
                      "internal-error",
                      # (a type definition's is placed by the anonymous types met before it)
                      "gate-needs-version", "unreleased-version"})
_BODIES = ("interface_item", "world_item")


class _Fallback(Exception):
    """Resolve the package whole: reusing the last analysis could answer differently."""


Item = Interface | World


def _path_names(item: Item) -> list[UsePath]:
    """The paths an interface or world names (local or foreign)."""
    paths: list[UsePath] = []
    for member in item.members:
        if isinstance(member, (Use, Include)):
            paths.append(member.path)
        elif isinstance(member, Extern):
            if member.path is not None:
                paths.append(member.path)
            if member.interface is not None:
                paths.extend(m.path for m in member.interface.members if isinstance(m, Use))
    return paths


class _Graph:
    """Which items of a package name which (by name, through top-level ``use``s too), and a
    dependency order of them (None on a cycle)."""

    def __init__(self, decls: Sequence[tuple[SourceFile, Declarations]]) -> None:
        names: list[str] = []
        uses: dict[str, set[str]] = {}
        for _file, d in decls:
            aliases = {u.local.text: u.path.name.text for u in d.uses if not u.path.is_foreign}
            for item in d.order:
                if isinstance(item, TopUse) or item.name is None:
                    continue
                found: set[str] = set()
                for path in _path_names(item):
                    if not path.is_foreign:
                        found.add(path.name.text)
                        alias = aliases.get(path.name.text)
                        if alias is not None:
                            found.add(alias)
                names.append(item.name.text)
                uses[item.name.text] = found
        self.users: dict[str, list[str]] = {name: [] for name in names}
        for name, found in uses.items():
            for used in found:
                users = self.users.get(used)
                if users is not None and used != name:
                    users.append(name)
        self.rank = self._order(names, uses)

    def _order(self, names: list[str], uses: dict[str, set[str]]) -> dict[str, int] | None:
        rank: dict[str, int] = {}
        state: dict[str, int] = {}
        for root in names:
            if root in state:
                continue
            state[root] = 1
            stack = [(root, iter(sorted(uses[root])))]
            while stack:
                name, rest = stack[-1]
                nxt = next(rest, None)
                if nxt is None:
                    stack.pop()
                    state[name] = 2
                    rank[name] = len(rank)
                elif nxt in uses:
                    seen = state.get(nxt, 0)
                    if seen == 1:
                        return None
                    if seen == 0:
                        state[nxt] = 1
                        stack.append((nxt, iter(sorted(uses[nxt]))))
                elif nxt == name:
                    return None
        return rank


class _Surface:
    """What other items can see of an interface or world, without positions (see the
    module's description)."""

    def __init__(self, r: Resolve) -> None:
        self.r = r
        self.types: dict[int, object] = {}
        self.deps: dict[int, tuple[int, ...]] = {}

    def owner(self, owner: tuple[str, int] | None) -> object:
        if owner is None:
            return None
        kind, index = owner
        if kind == "interface":
            return kind, self.r.interface_qualified(index)
        world = self.r.worlds[index]
        pkg = self.r.packages[world.package].key if world.package is not None else ""
        return kind, pkg, world.name

    def ty(self, ty: Ty) -> object:
        if not isinstance(ty, int):
            return ty
        found = self.types.get(ty)
        if found is not None:
            return found
        t = self.r.types[ty]
        self.types[ty] = ("cycle", t.name, t.kind)
        shown = (t.name, t.kind, self.owner(t.owner), tuple(self.ty(a) for a in t.args),
                 tuple((m.name, self.ty(m.type)) for m in t.members), t.handle, t.size, t.bare,
                 t.excluded, t.stability)
        self.types[ty] = shown
        return shown

    def func(self, f: RFunc | None) -> object:
        if f is None:
            return None
        return (f.name, f.kind, f.label, self.ty(f.resource),
                tuple((p.name, self.ty(p.type)) for p in f.params), self.ty(f.result),
                f.stability, f.excluded, f.external_id)

    def interface_deps(self, iid: int) -> tuple[int, ...]:
        """The interfaces ``iid`` depends on, transitively (depth first), by index (an item
        resolved again keeps its predecessor's)."""
        found = self.deps.get(iid)
        if found is not None:
            return found
        out: list[int] = []
        seen = {iid}
        stack = list(reversed(self.r.interface_direct_deps(iid)))
        while stack:
            dep = stack.pop()
            if dep in seen:
                continue
            seen.add(dep)
            out.append(dep)
            stack.extend(reversed(self.r.interface_direct_deps(dep)))
        self.deps[iid] = found = tuple(out)
        return found

    def interface_ref(self, iid: int) -> object:
        return self.r.interface_qualified(iid), self.interface_deps(iid)

    def witem(self, key: WKey, item: WItem) -> object:
        shown_key = self.r.interface_qualified(key) if isinstance(key, int) else key
        if item.kind == "interface":
            payload = self.interface_ref(item.id)
        elif item.kind == "function":
            payload = self.func(item.func)
        else:
            payload = self.ty(item.id)
        return shown_key, item.kind, payload, item.stability, item.external_id

    def of(self, obj: RInterface | RWorld) -> object:
        if isinstance(obj, RInterface):
            return ("interface", obj.name, obj.excluded, obj.stability,
                    tuple((n, self.ty(t)) for n, t in obj.types.items()),
                    tuple((n, self.func(f)) for n, f in obj.functions.items()),
                    self.interface_deps(obj.id))
        return ("world", obj.name, obj.excluded, obj.stability,
                tuple(self.witem(k, i) for k, i in obj.imports.items()),
                tuple(self.witem(k, i) for k, i in obj.exports.items()))


class _Reuse(Resolver):
    """A resolver that resolves only the package ``target`` of ``load``, keeping the other
    packages, and the items of ``target`` other than ``changed`` and what depends on it, as
    the resolver ``old`` (of the load before the edit) resolved them."""

    def __init__(self, load: Load, options: Options, old: Resolver, target: int,
                 changed: str, graph: _Graph) -> None:
        super().__init__(load, options.features, options.all_features)
        self.old = old
        self.target = target
        self.changed = changed
        self.graph = graph
        self.old_info = old.infos[target]
        r, was = self.r, old.r
        r.packages, r.interfaces = list(was.packages), list(was.interfaces)
        r.worlds, r.types = list(was.worlds), list(was.types)
        self.old_sizes = (len(was.interfaces), len(was.worlds), len(was.types))
        # Names of the items resolved again, and the old objects they replace.
        self.again: dict[str, RInterface | RWorld] = {}
        # How many diagnostics declaring the package gave (before any body was resolved).
        self.declared = 0

    def run(self) -> None:
        infos: list[PackageState] = []
        for index, source in enumerate(self.load.packages):
            if index == self.target:
                assert source.name is not None
                name = source.name
                pkg = RPackage(index, name.namespace.text, name.name.text, name.version)
                pkg.loc = Loc(source.name_path, name.start, name.end)
                pkg.docs = source.docs
                self.r.packages[index] = pkg
            else:
                pkg = self.old.r.packages[index]
            self.by_key[pkg.key] = pkg
            infos.append(PackageState(pkg, source))
        self.infos = infos
        self._named = dict(self.old._named)
        info = infos[self.target]
        named = [key for key, _, _ in self._package_deps(info)]
        if named != self.old._named.get(self.target, []):
            raise _Fallback
        self._named[self.target] = named
        self.resolve_package(info)
        if info.foreign_type_gates != self.old_info.foreign_type_gates:
            raise _Fallback
        old_kinds = self.old_info.foreign_kinds
        if any(old_kinds.get(key, kind) != kind for key, kind in info.foreign_kinds.items()):
            raise _Fallback

    def _kept(self, info: PackageState, name: str) -> RInterface | RWorld | None:
        """The last analysis' object for the item ``name`` of the target, when kept."""
        if info is not self.infos[self.target] or name == self.changed:
            return None
        entry = self.old_info.items.get(name)
        if entry is None or not isinstance(entry[1], (RInterface, RWorld)):
            raise _Fallback
        return entry[1]

    def interface_object(self, info: PackageState, iface: Interface, path: str,
                         at: int | None = None) -> RInterface:
        if at is None and iface.name is not None:
            kept = self._kept(info, iface.name.text)
            if isinstance(kept, RInterface):
                self.state[id(kept)] = 2
                return kept
            old = self.old_info.items.get(iface.name.text)
            if kept is not None or old is None or not isinstance(old[1], RInterface):
                raise _Fallback
            self.again[iface.name.text] = old[1]
            at = old[1].id
        return super().interface_object(info, iface, path, at)

    def world_object(self, info: PackageState, world: World, path: str,
                     at: int | None = None) -> RWorld:
        if at is None:
            kept = self._kept(info, world.name.text)
            if isinstance(kept, RWorld):
                self.state[id(kept)] = 2
                return kept
            old = self.old_info.items.get(world.name.text)
            if kept is not None or old is None or not isinstance(old[1], RWorld):
                raise _Fallback
            self.again[world.name.text] = old[1]
            at = old[1].id
        return super().world_object(info, world, path, at)

    def place_typedef_gates(self, info: PackageState,  # noqa: ARG002 - the resolver's own
                            gates: list[tuple[int, int]]) -> None:  # noqa: ARG002
        raise _Fallback  # (the places depend on the whole package)

    def resolve_items_of(self, info: PackageState, pending: list[tuple[str, object, SourceFile]]
                         ) -> list[tuple[str, object, SourceFile]]:
        if info is not self.infos[self.target]:
            return super().resolve_items_of(info, pending)
        self.declared = len(self.diagnostics)
        rank = self.graph.rank
        assert rank is not None
        queue = [(rank[self.changed], self.changed)]
        queued = {self.changed}
        old_surface = _Surface(self.old.r)
        while queue:
            _, name = heapq.heappop(queue)
            obj = info.items[name][1]
            if isinstance(obj, RInterface):
                self.ensure_interface(info, obj)
            else:
                assert isinstance(obj, RWorld)
                self.ensure_world(info, obj)
            if old_surface.of(self.again[name]) == _Surface(self.r).of(obj):
                continue
            for user in self.graph.users[name]:
                if user not in queued:
                    queued.add(user)
                    self._replace(info, user)
                    heapq.heappush(queue, (rank[user], user))
        return [(kind, info.items[_name(obj)][1], file) for kind, obj, file in pending]

    def _replace(self, info: PackageState, name: str) -> None:
        """Resolve the item ``name`` again: a new object in place of the kept one."""
        kind, obj, file = info.items[name]
        assert isinstance(obj, (RInterface, RWorld))
        new: RInterface | RWorld
        if isinstance(obj, RInterface):
            iface, path = self.ast_interface[obj.id]
            new = self.interface_object(info, iface, path, obj.id)
        else:
            world, path = self.ast_world[obj.id]
            new = self.world_object(info, world, path, obj.id)
        self.again[name] = obj
        info.items[name] = (kind, new, file)
        for scope in info.file_scopes.values():
            for key, entry in scope.items():
                if entry[1] is obj:
                    scope[key] = (entry[0], new)

    def stale_owners(self) -> set[tuple[str, int]]:
        """The owners of the last analysis' types that items resolved again replaced."""
        out: set[tuple[str, int]] = set()
        for old in self.again.values():
            if isinstance(old, RInterface):
                out.add(("interface", old.id))
            else:
                out.add(("world", old.id))
                for item in [*old.imports.values(), *old.exports.values()]:
                    if item.kind == "interface" and 0 <= item.id < len(self.old.r.interfaces) \
                            and self.old.r.interfaces[item.id].name is None:
                        out.add(("interface", item.id))
        return out


def _name(obj: object) -> str:
    name = getattr(obj, "name", None)
    assert isinstance(name, str)
    return name


class _Places:
    """The top-level interfaces and worlds of a package's files, to tell which holds a
    position."""

    def __init__(self, decls: Sequence[tuple[SourceFile, Declarations]]) -> None:
        self.by_path: dict[str, tuple[list[int], list[tuple[int, str]]]] = {}
        for file, d in decls:
            items = sorted((item.start, item.end, item.name.text) for item in d.order
                           if isinstance(item, (Interface, World)) and item.name is not None)
            self.by_path[file.path] = ([s for s, _, _ in items], [(e, n) for _, e, n in items])

    def owns(self, path: str) -> bool:
        return path in self.by_path

    def item_at(self, path: str, at: int) -> str | None:
        starts, rest = self.by_path[path]
        index = bisect_right(starts, at) - 1
        if index < 0:
            return None
        end, name = rest[index]
        return name if at < end else None


def reresolved_diagnostics(fs: FileSystem, root: str, options: Options, cache: FileCache,
                           previous: RootAnalysis, edited: str, tree: SyntaxTree,
                           shift: Shift) -> list[Diagnostic] | None:
    """Every diagnostic (with help notes) of ``root`` that analysing it again would give now
    that ``edited`` is ``tree``, after ``shift`` (the one edit since ``previous``, its last
    analysis, see :func:`wit_ls.model.token_moves.edit_between`), reusing ``previous``'s
    resolution where the edit cannot change it; None when that is not known to equal a fresh
    analysis (see the module's description)."""
    paused = gc.isenabled()
    if paused:
        gc.disable()  # (as `analyze_root` does: a collection would walk the kept analysis)
    try:
        return _diagnostics(fs, root, options, cache, previous, edited, tree, shift)
    except _Fallback:
        return None
    finally:
        if paused:
            gc.enable()


def _changed_item(previous: RootAnalysis, edited: str, tree: SyntaxTree,
                  shift: Shift) -> tuple[int, list[tuple[int, int]]]:
    """The start of the top-level interface or world of ``edited`` that holds the edit,
    before and after it the same node (its body only changed), and the starts (before the
    edit) and ends of the other top-level nodes with an error (their lowering is compared: their
    inside may have been parsed differently)."""
    old = previous.files[edited]
    before, after = top_nodes(old), top_nodes(tree)
    zone = _zone(before, after, shift)
    if zone is None:
        raise _Fallback
    first, last_old, last_new = zone
    if last_old != first + 1 or last_new != first + 1:
        raise _Fallback
    was, now = before[first], after[first]
    if was[0] not in _BODIES or now[0] != was[0] or now[1] != was[1]:
        raise _Fallback
    if any(n[0] == "nested_package" for n in before) \
            or any(n[0] == "nested_package" for n in after):
        raise _Fallback
    broken = [(n[1], n[2]) for i, n in enumerate(before) if n[3] and i != first]
    body = old.root.child(first)
    body_node = body.child_by_field_name("body") if body is not None else None
    if body_node is None or body_node.start_byte >= shift.start:
        raise _Fallback  # (the head changed)
    return was[1], broken


def _diagnostics(fs: FileSystem, root: str, options: Options, cache: FileCache,
                 previous: RootAnalysis, edited: str, tree: SyntaxTree,
                 shift: Shift) -> list[Diagnostic]:
    from wit_ls.model.api import _resolve_manifest_deps, root_diagnostics

    result = previous.result
    if result is None or edited not in result.load.files:
        raise _Fallback
    old_load, old = result.load, result.resolver
    if any(d.code in _ORDERED for d in old.diagnostics) or any(
            d.code in _ORDERED for d in tree.diagnostics) or any(
            d.code == "duplicate-name" and d.message.endswith("in this file")
            for d in old.diagnostics):
        raise _Fallback
    start, broken = _changed_item(previous, edited, tree, shift)
    # The edited file is lowered again from its lowering in ``previous`` (not from the last
    # one made, which may be of a text edited elsewhere since): only the edit is lowered.
    remember(edited, cache.docs, previous.files[edited].source, previous.items[edited])
    load = load_root(fs, root, cache, options.manifest_deps)
    notes = _resolve_manifest_deps(fs, load, cache, options) if options.manifest_deps else []
    target = _target(old_load, load, edited)
    source, old_source = load.packages[target], old_load.packages[target]
    decls, old_decls = source.declarations(), old_source.declarations()
    changed = _same_items(decls, old_decls, edited, start, broken, shift)
    graph = _Graph(decls)
    if graph.rank is None:
        raise _Fallback
    # Another package depending on this one would see its items.
    key = old.infos[target].package.key
    if any(key in keys for index, keys in old._named.items() if index != target):
        raise _Fallback
    res = _Reuse(load, options, old, target, changed, graph)
    res.run()
    # The diagnostics: see the module's description.
    places, old_places = _Places(decls), _Places(old_decls)
    again = set(res.again)

    def edits(where: str) -> tuple[Shift, ...]:
        return (shift,) if where == edited else ()

    raw: list[Diagnostic] = []
    outside_old: set[tuple[object, ...]] = set()
    for d in old.diagnostics:
        if not old_places.owns(d.path):
            raw.append(d)
            continue
        name = old_places.item_at(d.path, d.start)
        if name in again:
            continue
        now = moved([d], d.path, edits)
        if now is None:
            raise _Fallback
        if name is None:
            outside_old.add(_key(now[0]))
        else:
            raw.append(now[0])
    outside_new: set[tuple[object, ...]] = set()
    for index, d in enumerate(res.diagnostics):
        name = places.item_at(d.path, d.start) if places.owns(d.path) else None
        if name is None:
            outside_new.add(_key(d))
        elif name not in again:
            if index >= res.declared:
                raise _Fallback  # (a body resolved again reported inside a kept item)
            continue
        for rel in d.related:
            if rel.path == edited and rel.start >= shift.start and (
                    places.item_at(rel.path, rel.start) not in again):
                raise _Fallback  # (a position of a kept object the edit may have moved)
        raw.append(d)
    if not outside_old <= outside_new:
        raise _Fallback
    found = root_diagnostics(load, [*load.diagnostics, *notes], raw, res.infos)
    return _helped(found, load, res)


def _key(d: Diagnostic) -> tuple[object, ...]:
    return (d.path, d.start, d.end, d.message, d.code, d.related)


def _target(old_load: Load, load: Load, edited: str) -> int:
    """The index of the package holding ``edited``, when the loads hold the same packages and
    files, and only ``edited`` changed."""
    if len(load.packages) != len(old_load.packages) or load.files.keys() != old_load.files.keys():
        raise _Fallback
    target = -1
    for index, (new, was) in enumerate(zip(load.packages, old_load.packages, strict=True)):
        if new.name is None or was.name is None or new.name.key() != was.name.key() or (
                [f.path for f in new.files] != [f.path for f in was.files]) or (
                new.nested is not None) != (was.nested is not None):
            raise _Fallback
        if any(f.path == edited for f in new.files):
            if target >= 0 or new.nested is not None:
                raise _Fallback
            target = index
    for path, src in load.files.items():
        if path != edited and src.tree is not old_load.files[path].tree:
            raise _Fallback
    if target < 0:
        raise _Fallback
    return target


def _same_items(decls: Sequence[tuple[SourceFile, Declarations]],
                old_decls: Sequence[tuple[SourceFile, Declarations]], edited: str, start: int,
                broken: list[tuple[int, int]], shift: Shift) -> str:
    """The name of the edited item (at ``start`` in ``edited``), when the package declares the
    same items (kinds and names, in order) as before, the edited one's head is the same, and
    the items of ``edited`` in ``broken`` (old ranges) are the same moved by ``shift``."""
    changed: str | None = None
    where = _Map(shift)
    for (file, d), (_old_file, was) in zip(decls, old_decls, strict=True):
        if len(d.order) != len(was.order):
            raise _Fallback
        for item, before in zip(d.order, was.order, strict=True):
            if type(item) is not type(before):
                raise _Fallback
            if file.path == edited and any(a <= before.start < b for a, b in broken) \
                    and not _same(before, item, where):
                raise _Fallback
            if isinstance(item, TopUse):
                assert isinstance(before, TopUse)
                if item.local.text != before.local.text:
                    raise _Fallback
                continue
            assert isinstance(before, (Interface, World))
            name, was_name = item.name, before.name
            if name is None or was_name is None or name.text != was_name.text:
                raise _Fallback
            if file.path == edited and item.start == start:
                if before.start != start or not _same(before.attributes, item.attributes,
                                                      where):
                    raise _Fallback
                changed = name.text
    if changed is None:
        raise _Fallback
    return changed


def _helped(found: list[Diagnostic], load: Load, res: _Reuse) -> list[Diagnostic]:
    """``found`` with help notes (as :func:`wit_ls.model.api._with_help` gives them), the names
    defined being those of a fresh resolution (not the replaced objects')."""
    if not any(d.severity == Severity.ERROR for d in found):
        return found
    from wit_ls.model.api import _unique
    from wit_ls.model.teach import with_help

    known: list[str] = []

    def defined(path: str) -> list[str]:
        if path not in load.files:
            return []
        if not known:
            stale = res.stale_owners()
            old_types = res.old_sizes[2]
            names = {t.name for t in res.r.types if t.name and not (
                t.id < old_types and t.owner in stale)}
            names |= {i.name for i in res.r.interfaces if i.name}
            known.extend(sorted(names))
        return known

    trees = {path: src.tree for path, src in load.files.items()}
    return with_help(_unique(found), trees, defined)

