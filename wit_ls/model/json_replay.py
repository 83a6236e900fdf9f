"""``wit-ls resolve --json``: the arenas of wit-parser's ``Resolve`` rebuilt in wit-parser's own
order, so that the JSON is the one ``wasm-tools component wit --json`` prints, index for index.

The resolver (:mod:`wit_ls.model.resolver`) builds its arenas in the order it meets things,
which suits the editor. wit-parser's order comes from how it builds a ``Resolve``, replayed here
over the lowered items and the resolved model (which settles every name):

* packages: sorted by name, each after the packages it uses (depth first);
* in a package: interfaces and worlds in a topological order of their ``use``/``include``
  edges (ties by source order); per interface, ``use``d names first, then type definitions in
  a topological order, each after the anonymous types its body creates (``list<u8>``,
  ``option<t>``, ``borrow<r>``, ...; one per shape and package; ``own<r>`` is ``r``); then the
  functions (a method's ``borrow<r>`` first); then the worlds, their inline interfaces
  allocated after the named ones;
* moving a package into the ``Resolve``: its types, then interfaces, then world functions, in
  that order, items gated off dropped; a reference to a resource in a type or a function
  becomes an ``own<r>`` created on first use;
* worlds, in order: ``include`` copies the included world's types, functions' anonymous types
  and inline interfaces (which record ``clone_of``), then elaboration orders the imports
  (interfaces their dependencies first, then ``use``d types, type definitions, functions,
  resource functions) and the exports (functions, then interfaces after their dependencies).

Run only for ``resolve --json`` on packages without errors: never on the ``check`` path.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from wit_ls.model.checks import feature_active, stability_of
from wit_ls.model.error_order import package_order
from wit_ls.model.items import Attribute, Include, Interface, TopUse, Use, UsePath
from wit_ls.model.json_arena import (
    Arena,
    Function_,
    Interface_,
    Item_,
    Key,
    Package_,
    Ref,
    TypeDef_,
    World_,
    to_json,
)
from wit_ls.model.json_first_pass import PackagePass
from wit_ls.model.resolved import RInterface, RWorld, Stability, WKey
from wit_ls.model.toposort import toposort

if TYPE_CHECKING:
    from wit_ls.model.resolver import PackageState, Resolver


class Simulation:
    """One replay: the resolver's packages moved, in wit-parser's order, into a fresh
    :class:`Arena`; ``named_out``/``iface_out``/``world_out`` map the resolved model's named
    types, interfaces and worlds to their output indices as they are placed."""

    def __init__(self, res: Resolver) -> None:
        self.res = res
        self.r = res.r
        self.out = Arena()
        # Named types / interfaces / worlds of the resolved model -> output index.
        self.named_out: dict[int, int] = {}
        self.iface_out: dict[int, int] = {}
        self.world_out: dict[int, int] = {}
        self.inline: dict[int, RInterface] = {}
        for iid, (ast, _path) in res.ast_interface.items():
            if ast.name is None:
                self.inline[id(ast)] = self.r.interfaces[iid]
        self._world_scopes: dict[int, dict[str, int]] | None = None

    def active(self, stability: Stability) -> bool:
        return feature_active(stability, self.res.features, self.res.all_features)

    def world_scope(self, wid: int) -> dict[str, int]:
        if self._world_scopes is None:
            scopes: dict[int, dict[str, int]] = {}
            for t in self.r.types:
                if t.name is not None and t.owner is not None and t.owner[0] == "world":
                    scopes.setdefault(t.owner[1], {}).setdefault(t.name, t.id)
            self._world_scopes = scopes
        return self._world_scopes.get(wid, {})

    # -- package order --------------------------------------------------------------------------

    def package_order(self) -> list[PackageState]:
        return package_order(self.res.infos)

    def run(self) -> Arena:
        for info in self.package_order():
            self.push(info)
        return self.out

    # -- one package ----------------------------------------------------------------------------

    def first_pass(self, info: PackageState, up: PackagePass | None = None) -> PackagePass:
        """wit-parser's first pass over the package ``info``, into ``up`` (a new pass when
        not given)."""
        res = self.res
        if up is None:
            up = PackagePass(self, info)
        decls = info.source.declarations()
        deps: dict[str, list[str]] = {}
        kinds: dict[str, object] = {}
        for file, d in decls:
            scope = info.file_scopes.get(file.path, {})
            for item in d.order:
                if isinstance(item, TopUse) or item.name is None:
                    continue
                name = item.name.text
                if name in deps:
                    continue
                entry = info.items.get(name)
                if entry is None:
                    continue
                kinds[name] = entry[1]
                found: list[str] = []
                paths: list[UsePath] = []
                if isinstance(item, Interface):
                    paths = [m.path for m in item.members if isinstance(m, Use)]
                else:
                    paths = [m.path for m in item.members if isinstance(m, Include)]
                for path in paths:
                    if path.is_foreign:
                        continue
                    local = scope.get(path.name.text)
                    if local is not None:
                        if local[0] in ("interface", "world"):
                            target = local[1]
                            assert isinstance(target, (RInterface, RWorld))
                            if target.package == info.package.id and target.name is not None:
                                found.append(target.name)
                        continue
                    found.append(path.name.text)
                deps[name] = found
        order = toposort(deps)
        for name in order:
            obj = kinds[name]
            if isinstance(obj, RInterface):
                ast, _path = res.ast_interface[obj.id]
                up.interface(obj, list(ast.members))
        for name in order:
            obj = kinds[name]
            if isinstance(obj, RWorld):
                world, _path = res.ast_world[obj.id]
                up.world(obj, world)
        return up

    def push(self, info: PackageState) -> None:
        up = self.first_pass(info)
        out = self.out
        pkg = info.package
        pid = len(out.packages)
        out.packages.append(Package_(pkg.key, pkg.docs))
        tmap: list[int | None] = []
        own: dict[int, int] = {}

        def ref(r: Ref) -> Ref:
            if isinstance(r, int):
                return tmap[r]
            return r

        def owned(r: Ref) -> Ref:
            """A reference where a resource means `own<resource>` (created on first use)."""
            m = ref(r)
            if not isinstance(m, int):
                return m
            cur = m
            for _ in range(1000):
                t = out.types[cur]
                if t.kind == "type" and isinstance(t.refs[0], int):
                    cur = t.refs[0]
                    continue
                break
            if out.types[cur].kind != "resource":
                return m
            found = own.get(m)
            if found is None:
                h = TypeDef_(None, "handle")
                h.handle = "own"
                h.refs = [m]
                out.types.append(h)
                found = own[m] = len(out.types) - 1
            return found

        # Types.
        for t in up.types:
            if t.kind == "placeholder":
                tmap.append(t.target if self.active(t.stability) else None)
                continue
            if not self.active(t.stability):
                tmap.append(None)
                continue
            new = t.copy()
            if t.kind in ("type", "handle"):
                new.refs = [ref(x) for x in t.refs]
            else:
                new.refs = [owned(x) for x in t.refs]
                new.fields = [(n, owned(x), d) for n, x, d in t.fields]
            out.types.append(new)
            tmap.append(len(out.types) - 1)
        for tid, index in up.named.items():
            mapped = tmap[index]
            if mapped is not None:
                self.named_out[tid] = mapped

        def function(f: Function_) -> Function_:
            return Function_(f.name, f.meta, ref(f.resource),
                             [(n, owned(x)) for n, x in f.params], owned(f.result))

        # Interfaces.
        imap: list[int | None] = []
        for ri, names, funcs in up.interfaces:
            if not self.active(ri.stability):
                imap.append(None)
                continue
            iface = Interface_(ri.name)
            iface.docs = ri.docs
            iface.stability = ri.stability
            iface.package = pid
            for name, tid in names:
                mapped = self.named_out.get(tid)
                if mapped is not None and tmap[up.named[tid]] is not None:
                    iface.types[name] = mapped
            for meta, f, stab in funcs:
                if meta is None or not self.active(stab):
                    continue
                iface.functions[f.name] = function(f)
            out.interfaces.append(iface)
            imap.append(len(out.interfaces) - 1)
            self.iface_out[ri.id] = len(out.interfaces) - 1
        # Owners of types: interfaces / worlds of this package.
        owner_fix: list[tuple[int, tuple[str, int]]] = []
        for index, t in enumerate(up.types):
            mapped = tmap[index]
            if mapped is None or t.kind == "placeholder" or t.owner is None:
                continue
            owner_fix.append((mapped, t.owner))
        for mapped, owner in owner_fix:
            if owner[0] == "interface":
                target = imap[owner[1]]
                out.types[mapped].owner = ("interface", target if target is not None else -1)
        # Worlds.
        wmap: list[int | None] = []
        for rw, world, items in up.worlds:
            if not self.active(rw.stability):
                wmap.append(None)
                continue
            w = World_(rw.name)
            w.docs, w.stability, w.package = rw.docs, rw.stability, pid
            for direction in ("import", "export"):
                for d, key, item, keep in items:
                    if d != direction or not keep:
                        continue
                    table = w.imports if direction == "import" else w.exports
                    if item.kind == "type":
                        mapped = self.named_out.get(item.id)
                        if mapped is None:
                            continue
                        table[key] = Item_("type", mapped,
                                           stability=out.types[mapped].stability)
                    elif item.kind == "function":
                        assert item.func is not None
                        meta = item.func.meta
                        if meta is None or not self.active(meta.stability):
                            continue
                        table[key] = Item_("function", func=function(item.func))
                    else:
                        target = (imap[-1 - item.id] if item.id < 0
                                  else self.iface_out.get(item.id))
                        if target is None:
                            continue
                        if isinstance(key, tuple):
                            key = ("interface", target)
                        table[key] = Item_("interface", target, stability=item.stability,
                                           docs=item.docs, ext=item.external_id)
            w.includes = [(m, rw) for m in world.members if isinstance(m, Include)]
            out.worlds.append(w)
            wmap.append(len(out.worlds) - 1)
            self.world_out[rw.id] = len(out.worlds) - 1
        for mapped, owner in owner_fix:
            if owner[0] == "world":
                target = wmap[owner[1]]
                out.types[mapped].owner = ("world", target if target is not None else -1)
        # Includes and elaboration, world by world.
        for index, (rw, _world, _items) in enumerate(up.worlds):
            wid = wmap[index]
            if wid is None:
                continue
            self.includes(wid, rw, pid)
            self.elaborate(wid)
            self.settle_interface_items(wid, rw)
        # The package's names.
        for index, (ri, _names, _funcs) in enumerate(up.interfaces):
            mapped = imap[index]
            if mapped is not None and ri.name is not None:
                out.packages[pid].interfaces[ri.name] = mapped
        for index, (rw, _world, _items) in enumerate(up.worlds):
            mapped = wmap[index]
            if mapped is not None:
                out.packages[pid].worlds[rw.name] = mapped

    def settle_interface_items(self, wid: int, rw: RWorld) -> None:
        """The stability, docs and external id of interface items as the resolved model has
        them (it applies wit-parser's rules for merging included items' stabilities)."""
        back = {o: i for i, o in self.iface_out.items()}
        w = self.out.worlds[wid]
        for table, ours in ((w.imports, rw.imports), (w.exports, rw.exports)):
            for key, item in table.items():
                if item.kind != "interface":
                    continue
                our_key: WKey = back.get(key[1], -1) if isinstance(key, tuple) else key
                found = ours.get(our_key)
                if found is None or found.kind != "interface":
                    continue
                table[key] = Item_("interface", item.id, stability=found.stability,
                                   docs=found.docs, ext=found.external_id)

    # -- include --------------------------------------------------------------------------------

    def includes(self, wid: int, rw: RWorld, pid: int) -> None:
        res = self.res
        w = self.out.worlds[wid]
        for member, _rw in w.includes:
            stab = _stability(member.attributes)
            if not self.active(stab):
                continue
            target = _included_world(res, rw, member)
            if target is None:
                continue
            source = self.world_out.get(target.id)
            if source is None:
                continue
            renames = [(old.text, new.text) for old, new in member.renames]
            self.include(wid, source, renames, pid)
        w.includes = []

    def include(self, wid: int, source: int, renames: list[tuple[str, str]], pid: int) -> None:
        out = self.out
        src = out.worlds[source]
        w = out.worlds[wid]
        cloner = _Cloner(self, ("world", source), ("world", wid), {}, pid)
        for src_table, dst in ((src.imports, w.imports), (src.exports, w.exports)):
            for key, item in list(src_table.items()):
                if isinstance(key, str):
                    name = next((n for n in (_rename(key, old, new) for old, new in renames)
                                 if n is not None), key)
                    new_item = Item_(item.kind, item.id, item.func, item.stability, item.docs,
                                     item.external_id)
                    if item.kind == "type":
                        new_item.id = cloner.type_id(item.id)
                        out.types[new_item.id].name = name
                    elif item.kind == "function" and item.func is not None:
                        func = cloner.function(item.func)
                        func.name = name
                        new_item.func = func
                    elif item.kind == "interface" and out.interfaces[item.id].name is None:
                        new_item.id = cloner.interface(item.id)
                    dst.setdefault(name, new_item)
                elif key not in dst:
                    dst[key] = item

    # -- elaboration ----------------------------------------------------------------------------

    def type_interface_dep(self, tid: int) -> int | None:
        t = self.out.types[tid]
        if t.kind != "type" or not isinstance(t.refs[0], int):
            return None
        other = self.out.types[t.refs[0]]
        if other.owner == t.owner or other.owner is None or other.owner[0] != "interface":
            return None
        return other.owner[1]

    def interface_deps(self, iid: int) -> Iterator[int]:
        for tid in self.out.interfaces[iid].types.values():
            dep = self.type_interface_dep(tid)
            if dep is not None:
                yield dep

    def _class(self, item: Item_) -> int:
        if item.kind == "interface":
            return 0
        if item.kind == "type":
            t = self.out.types[item.id]
            if t.kind == "type" and isinstance(t.refs[0], int) \
                    and self.out.types[t.refs[0]].owner != t.owner:
                return 1
            return 2
        assert item.func is not None
        return 3 if item.func.resource is None else 4

    def elaborate(self, wid: int) -> None:
        w = self.out.worlds[wid]
        el = _Elaboration(self)
        for key, item in sorted(w.imports.items(), key=lambda kv: self._class(kv[1])):
            if item.kind == "interface":
                el.add_import(key, item.id, item)
            elif item.kind == "function":
                el.imports[key] = item
            else:
                dep = self.type_interface_dep(item.id)
                if dep is not None:
                    el.add_import(("interface", dep), dep,
                                  Item_("interface", dep,
                                        stability=self.out.types[item.id].stability))
                el.imports[key] = item
        for key, item in w.exports.items():
            if item.kind == "interface":
                el.export_ifaces[key] = item
            else:
                el.exports[key] = item
        for key, item in el.export_ifaces.items():
            el.add_export(key, item, True)
        w.imports = dict(sorted(el.imports.items(), key=lambda kv: self._class(kv[1])))
        w.exports = el.exports


class _Elaboration:
    """The imports and exports `Simulation.elaborate` gathers for one world (methods: a
    nested function calling itself is a reference cycle, see `wit_ls.model.worlds`)."""

    def __init__(self, sim: Simulation) -> None:
        self.sim = sim
        self.imports: dict[Key, Item_] = {}
        self.exports: dict[Key, Item_] = {}
        self.export_ifaces: dict[Key, Item_] = {}
        self.required: set[int] = set()

    def add_import(self, key: Key, iid: int, item: Item_, depth: int = 0) -> None:
        if key in self.imports or depth > 500:
            return
        for dep in self.sim.interface_deps(iid):
            self.add_import(("interface", dep), dep,
                            Item_("interface", dep, stability=item.stability), depth + 1)
        self.imports[key] = item

    def add_export(self, key: Key, item: Item_, as_export: bool, depth: int = 0) -> bool:
        if key in self.exports:
            return as_export
        if depth > 500:
            return True
        iid = item.id
        if not as_export and iid in self.required:
            return True
        for dep in self.sim.interface_deps(iid):
            dep_key: Key = ("interface", dep)
            dep_item = Item_("interface", dep, stability=item.stability,
                             ext=item.external_id)
            if not self.add_export(dep_key, dep_item,
                                   as_export and dep_key in self.export_ifaces, depth + 1):
                return False
        if as_export:
            if iid in self.required:
                return False
            self.exports[key] = item
        else:
            self.required.add(iid)
            self.imports.setdefault(key, item)
        return True


def _stability(attributes: list[Attribute]) -> Stability:
    return stability_of(attributes)[0]


def _included_world(res: Resolver, rw: RWorld, member: Include) -> RWorld | None:
    """The world an ``include`` names (the resolved model records it as a reference)."""
    r = res.r
    path = member.path
    info = next((i for i in res.infos if i.package.id == rw.package), None)
    if info is None:
        return None
    if path.is_foreign:
        pkg = res.by_key.get(path.package_key())
        if pkg is None:
            return None
        wid = pkg.all_worlds.get(path.name.text)
        return r.worlds[wid] if wid is not None else None
    _ast, file_path = res.ast_world[rw.id]
    scope = info.file_scopes.get(file_path, {})
    local = scope.get(path.name.text)
    if local is not None:
        if local[0] == "world" and isinstance(local[1], RWorld):
            return local[1]
        if local[0] == "foreign":
            use = local[1]
            assert isinstance(use, TopUse)
            pkg = res.by_key.get(use.path.package_key())
            if pkg is None:
                return None
            wid = pkg.all_worlds.get(use.path.name.text)
            return r.worlds[wid] if wid is not None else None
        return None
    entry = info.items.get(path.name.text)
    if entry is not None and isinstance(entry[1], RWorld):
        return entry[1]
    return None


def _rename(name: str, old: str, new: str) -> str | None:
    if name == old:
        return new
    kind, sep, rest = name.partition("]")
    if not sep:
        return None
    resource, dot, tail = rest.partition(".")
    if dot and resource == old:
        return f"{kind}]{new}.{tail}"
    if rest == old:
        return f"{kind}]{new}"
    return None


class _Cloner:
    """wit-parser's deep copy of a world's (or an inline interface's) types for ``include``."""

    def __init__(self, sim: Simulation, prev: tuple[str, int], new: tuple[str, int],
                 maps: dict[int, int], pid: int) -> None:
        self.sim = sim
        self.prev = prev
        self.new = new
        self.maps = maps
        self.pid = pid

    def type_id(self, tid: int) -> int:
        found = self.maps.get(tid)
        if found is not None:
            return found
        types = self.sim.out.types
        t = types[tid].copy()
        if t.owner is not None:
            t.owner = self.new
        if t.kind == "type":
            target = t.refs[0]
            if isinstance(target, int):
                if types[target].owner == self.prev:
                    t.refs = [self.type_id(target)]
                elif target in self.maps:
                    t.refs = [self.maps[target]]
        elif t.kind == "handle":
            t.refs = [self.type_id(x) if isinstance(x, int) else x for x in t.refs]
        else:
            t.refs = [self.ty(x) for x in t.refs]
            t.fields = [(n, self.ty(x), d) for n, x, d in t.fields]
        types.append(t)
        self.maps[tid] = len(types) - 1
        return len(types) - 1

    def ty(self, ref: Ref) -> Ref:
        return self.type_id(ref) if isinstance(ref, int) else ref

    def function(self, f: Function_) -> Function_:
        resource = self.type_id(f.resource) if isinstance(f.resource, int) else f.resource
        params = [(n, self.ty(x)) for n, x in f.params]
        return Function_(f.name, f.meta, resource, params, self.ty(f.result))

    def interface(self, iid: int) -> int:
        out = self.sim.out
        old = out.interfaces[iid]
        next_id = len(out.interfaces)
        sub = _Cloner(self.sim, ("interface", iid), ("interface", next_id), self.maps, self.pid)
        new = Interface_(old.name)
        new.types = {n: sub.type_id(t) for n, t in old.types.items()}
        new.functions = {n: sub.function(f) for n, f in old.functions.items()}
        new.docs, new.stability = old.docs, old.stability
        new.package = self.pid
        new.clone_of = iid
        out.interfaces.append(new)
        return next_id


def export(res: Resolver) -> dict[str, object]:
    """The resolve of one root in the JSON of ``wasm-tools component wit --json``."""
    return to_json(Simulation(res).run())
