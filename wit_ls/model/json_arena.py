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

import heapq
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from wit_ls.model.checks import (
    PRIMITIVES,
    external_id,
    feature_active,
    function_name,
    stability_of,
)
from wit_ls.model.items import (
    Attribute,
    Extern,
    Func,
    Include,
    Interface,
    TopUse,
    TypeDef,
    TypeExpr,
    Use,
    UsePath,
    World,
)
from wit_ls.model.resolved import UNKNOWN, RFunc, RInterface, RWorld, Stability, WItem, WKey
from wit_ls.syntax.semver import VersionError, parse_version

if TYPE_CHECKING:
    from wit_ls.model.resolver import PackageInfo, Resolver

# A reference to a type: a primitive name, an arena index, or None (no payload).
Ref = str | int | None
# A world key: a name, or ("interface", arena index).
Key = str | tuple[str, int]


class TypeDef_:
    """One entry of a types arena (the package's during the first pass, then the output's).

    ``kind``: ``type`` (``refs[0]``), ``record``/``variant`` (``fields``: name, ref, docs),
    ``enum``/``flags`` (``fields`` with ref None), ``resource``, ``handle`` (``handle``,
    ``refs[0]``), ``tuple``, ``list``, ``option``, ``future``, ``stream`` (``refs``),
    ``fixed-length-list`` (``refs[0]``, ``size``), ``result`` (``refs`` = [ok, err]),
    ``map`` ([key, value]), ``placeholder`` (a foreign type; ``target`` the output index)."""

    __slots__ = ("docs", "external_id", "fields", "handle", "kind", "name", "owner", "refs",
                 "size", "stability", "target")

    def __init__(self, name: str | None, kind: str) -> None:
        self.name = name
        self.kind = kind
        self.refs: list[Ref] = []
        self.fields: list[tuple[str, Ref, str | None]] = []
        self.handle = ""
        self.size = 0
        self.owner: tuple[str, int] | None = None
        self.docs: str | None = None
        self.stability = UNKNOWN
        self.external_id: str | None = None
        self.target: int | None = None

    def copy(self) -> TypeDef_:
        t = TypeDef_(self.name, self.kind)
        t.refs = list(self.refs)
        t.fields = list(self.fields)
        t.handle, t.size, t.owner = self.handle, self.size, self.owner
        t.docs, t.stability, t.external_id = self.docs, self.stability, self.external_id
        return t


class Function_:
    __slots__ = ("meta", "name", "params", "resource", "result")

    def __init__(self, name: str, meta: RFunc | None, resource: Ref,
                 params: list[tuple[str, Ref]], result: Ref) -> None:
        self.name = name
        self.meta = meta
        self.resource = resource
        self.params = params
        self.result = result

    def copy(self) -> Function_:
        return Function_(self.name, self.meta, self.resource, list(self.params), self.result)


class Interface_:
    __slots__ = ("clone_of", "docs", "functions", "name", "package", "stability", "types")

    def __init__(self, name: str | None) -> None:
        self.name = name
        self.types: dict[str, int] = {}
        self.functions: dict[str, Function_] = {}
        self.docs: str | None = None
        self.stability = UNKNOWN
        self.package = 0
        self.clone_of: int | None = None


class Item_:
    """A world import or export: ``kind`` interface/type (``id``) or function (``func``)."""

    __slots__ = ("docs", "external_id", "func", "id", "kind", "stability")

    def __init__(self, kind: str, id_: int = -1, func: Function_ | None = None,
                 stability: Stability = UNKNOWN, docs: str | None = None,
                 ext: str | None = None) -> None:
        self.kind = kind
        self.id = id_
        self.func = func
        self.stability = stability
        self.docs = docs
        self.external_id = ext


class World_:
    __slots__ = ("docs", "exports", "imports", "includes", "name", "package", "stability")

    def __init__(self, name: str) -> None:
        self.name = name
        self.imports: dict[Key, Item_] = {}
        self.exports: dict[Key, Item_] = {}
        self.includes: list[tuple[Include, RWorld]] = []
        self.docs: str | None = None
        self.stability = UNKNOWN
        self.package = 0


class Package_:
    __slots__ = ("docs", "interfaces", "name", "worlds")

    def __init__(self, name: str, docs: str | None) -> None:
        self.name = name
        self.docs = docs
        self.interfaces: dict[str, int] = {}
        self.worlds: dict[str, int] = {}


class Arena:
    """The output ``Resolve``."""

    def __init__(self) -> None:
        self.types: list[TypeDef_] = []
        self.interfaces: list[Interface_] = []
        self.worlds: list[World_] = []
        self.packages: list[Package_] = []


# -- topological sorts ------------------------------------------------------------------------


def toposort(deps: dict[str, list[str]]) -> list[str]:
    """wit-parser's sort: of the nodes whose dependencies are all placed, the one first in
    ``deps`` goes next. Unknown dependencies are ignored (the input has no errors)."""
    names = list(deps)
    index = {n: i for i, n in enumerate(names)}
    remaining = [0] * len(names)
    reverse: list[list[int]] = [[] for _ in names]
    for i, name in enumerate(names):
        for dep in deps[name]:
            j = index.get(dep)
            if j is None:
                continue
            remaining[i] += 1
            reverse[j].append(i)
    heap = [i for i in range(len(names)) if remaining[i] == 0]
    heapq.heapify(heap)
    order: list[str] = []
    while heap:
        i = heapq.heappop(heap)
        order.append(names[i])
        for k in reverse[i]:
            remaining[k] -= 1
            if remaining[k] == 0:
                heapq.heappush(heap, k)
    placed = set(order)
    order.extend(n for n in names if n not in placed)
    return order


def _expr_deps(expr: TypeExpr | None, out: list[str]) -> None:
    if expr is None:
        return
    if expr.kind in ("named", "handle") and expr.name is not None:
        out.append(expr.name.text)
    for arg in expr.args:
        _expr_deps(arg, out)


def _typedef_deps(item: TypeDef) -> list[str]:
    out: list[str] = []
    if item.kind in ("type",):
        _expr_deps(item.alias, out)
    elif item.kind in ("record", "variant"):
        for m in item.members:
            _expr_deps(m.type, out)
    return out


def _version_key(version: str | None) -> tuple[object, ...]:
    if version is None:
        return (0,)
    try:
        return (1, parse_version(version).sort_key())
    except VersionError:
        return (1, (), version)


# -- one package: wit-parser's first pass (an "unresolved package") --------------------------


class _Scope:
    """Names of an interface or world: local name -> type id in the resolved model."""

    def __init__(self, names: dict[str, int]) -> None:
        self.names = names


class _Package:
    """The arenas of one package as wit-parser's first pass leaves them."""

    def __init__(self, sim: Simulation, info: PackageInfo) -> None:
        self.sim = sim
        self.info = info
        self.types: list[TypeDef_] = []
        self.anon: dict[tuple[object, ...], int] = {}
        self.placeholders: dict[int, int] = {}
        # Per type of the resolved model (named ones): its index here.
        self.named: dict[int, int] = {}
        # Interfaces: (resolved interface, type names in order, functions)
        self.interfaces: list[tuple[RInterface, list[tuple[str, int]],
                                    list[tuple[RFunc | None, Function_, Stability]]]] = []
        self.worlds: list[tuple[RWorld, World, list[tuple[str, Key, Item_, bool]]]] = []

    # -- types ----------------------------------------------------------------------------------

    def new(self, t: TypeDef_) -> int:
        self.types.append(t)
        return len(self.types) - 1

    def named_ref(self, tid: int | None) -> Ref:
        if tid is None:
            return None
        found = self.named.get(tid)
        if found is not None:
            return found
        # A type of another package (through a `use`): a placeholder.
        holder = self.placeholders.get(tid)
        if holder is None:
            t = TypeDef_(None, "placeholder")
            t.target = self.sim.named_out.get(tid)
            holder = self.new(t)
            self.placeholders[tid] = holder
        return holder

    def find_stability(self, refs: list[Ref], context: Stability) -> Stability:
        if context.kind:
            return context
        for ref in refs:
            if isinstance(ref, int) and self.types[ref].stability.kind:
                return self.types[ref].stability
        return UNKNOWN

    def anon_type(self, kind: str, refs: list[Ref], context: Stability, handle: str = "",
                  size: int = 0) -> Ref:
        key = (kind, handle, size, *refs)
        found = self.anon.get(key)
        if found is not None:
            return found
        t = TypeDef_(None, kind)
        t.refs = refs
        t.handle = handle
        t.size = size
        t.stability = self.find_stability(refs, context)
        index = self.new(t)
        self.anon[key] = index
        return index

    def type_ref(self, expr: TypeExpr | None, scope: _Scope, context: Stability) -> Ref:
        """wit-parser's ``resolve_type``: a primitive, a named type, or an anonymous type."""
        if expr is None:
            return None
        kind = expr.kind
        if kind in PRIMITIVES:
            return kind
        if kind == "named":
            return self.named_ref(scope.names.get(expr.name.text) if expr.name else None)
        if kind == "handle":
            target = self.named_ref(scope.names.get(expr.name.text) if expr.name else None)
            if expr.handle == "own":
                return target
            return self.anon_type("handle", [target], context, handle="borrow")
        kind, refs, size = self._body(expr, scope, context)
        return self.anon_type(kind, refs, context, size=size)

    def _body(self, expr: TypeExpr, scope: _Scope,
              context: Stability) -> tuple[str, list[Ref], int]:
        refs = [self.type_ref(a, scope, context) for a in expr.args]
        kind = expr.kind
        if kind == "list" and expr.size is not None:
            return "fixed-length-list", refs, expr.size
        if kind == "result":
            return "result", ([*refs, None, None])[:2], 0
        if kind in ("future", "stream"):
            return kind, refs[:1] or [None], 0
        if kind == "map":
            return "map", ([*refs, None, None])[:2], 0
        return kind, refs, 0

    def typedef(self, item: TypeDef, tid: int, owner: tuple[str, int], scope: _Scope) -> None:
        resolved = self.sim.r.types[tid]
        stability = resolved.stability
        t = TypeDef_(item.name.text, item.kind)
        if item.kind == "type":
            expr = item.alias
            if expr is None or expr.kind in PRIMITIVES:
                t.refs = [expr.kind if expr is not None else None]
            elif expr.kind == "named":
                t.refs = [self.named_ref(scope.names.get(expr.name.text) if expr.name else None)]
            elif expr.kind == "handle":
                t.kind, t.handle = "handle", expr.handle
                t.refs = [self.named_ref(scope.names.get(expr.name.text) if expr.name else None)]
            else:
                t.kind, t.refs, t.size = self._body(expr, scope, stability)
        elif item.kind in ("record", "variant"):
            for m, rm in zip(item.members, resolved.members, strict=False):
                ref = self.type_ref(m.type, scope, stability) if m.type is not None else None
                t.fields.append((m.name.text, ref, rm.docs))
        elif item.kind in ("enum", "flags"):
            for rm in resolved.members:
                t.fields.append((rm.name, None, rm.docs))
        t.owner = owner
        t.docs = resolved.docs
        t.stability = stability
        t.external_id = external_id(item.attributes)
        self.named[tid] = self.new(t)

    def types_of(self, members: Sequence[object], owner: tuple[str, int],
                 scope: _Scope) -> list[tuple[str, int]]:
        """wit-parser's ``resolve_types``: the names of an interface or world, in order."""
        r = self.sim.r
        names: list[tuple[str, int]] = []
        deps: dict[str, list[str]] = {}
        defs: dict[str, TypeDef] = {}
        for member in members:
            if isinstance(member, Use):
                attrs_ext = external_id(member.attributes)
                for use_name in member.names:
                    local = use_name.local.text
                    tid = scope.names.get(local)
                    if tid is None:
                        continue
                    alias = r.types[tid]
                    t = TypeDef_(local, "type")
                    target = alias.args[0] if alias.args else None
                    t.refs = [self.named_ref(target if isinstance(target, int) else None)]
                    t.owner = owner
                    t.stability = alias.stability
                    t.external_id = attrs_ext
                    self.named[tid] = self.new(t)
                    names.append((local, tid))
        for member in members:
            if isinstance(member, TypeDef):
                defs[member.name.text] = member
                deps[member.name.text] = _typedef_deps(member)
            elif isinstance(member, Use):
                for use_name in member.names:
                    deps[use_name.local.text] = []
        for name in toposort(deps):
            item = defs.get(name)
            tid = scope.names.get(name)
            if item is None or tid is None:
                continue
            self.typedef(item, tid, owner, scope)
            names.append((name, tid))
        return names

    # -- functions ------------------------------------------------------------------------------

    def function(self, item: Func, resource: tuple[str, int] | None, scope: _Scope,
                 meta: RFunc | None) -> Function_:
        params: list[tuple[str, Ref]] = []
        res_ref: Ref = None
        if resource is not None:
            res_ref = self.named_ref(resource[1])
            if item.kind == "method":
                params.append(("self", self.anon_type("handle", [res_ref], UNKNOWN,
                                                      handle="borrow")))
        for p in item.params:
            params.append((p.name.text, self.type_ref(p.type, scope, UNKNOWN)))
        result: Ref = None
        if item.has_result:
            result = self.type_ref(item.result, scope, UNKNOWN)
        elif item.kind == "constructor":
            result = res_ref
        name = function_name(item, resource[0] if resource is not None else None)
        return Function_(name, meta, res_ref, params, result)

    def interface(self, ri: RInterface, members: Sequence[object]) -> None:
        owner = ("interface", len(self.interfaces))
        scope = _Scope(ri.types)
        names = self.types_of(members, owner, scope)
        funcs: list[tuple[RFunc | None, Function_, Stability]] = []
        for member in members:
            if isinstance(member, Func):
                name = function_name(member, None)
                meta = ri.functions.get(name)
                funcs.append((meta, self.function(member, None, scope, meta),
                              meta.stability if meta else UNKNOWN))
            elif isinstance(member, TypeDef) and member.kind == "resource":
                rid = ri.types.get(member.name.text)
                if rid is None:
                    continue
                for method in member.methods:
                    name = function_name(method, member.name.text)
                    meta = ri.functions.get(name)
                    funcs.append((meta, self.function(method, (member.name.text, rid), scope,
                                                      meta),
                                  meta.stability if meta else UNKNOWN))
        self.interfaces.append((ri, names, funcs))

    def world(self, rw: RWorld, world: World) -> None:
        sim = self.sim
        owner = ("world", len(self.worlds))
        scope = _Scope(sim.world_scope(rw.id))
        typed = [m for m in world.members if isinstance(m, (Use, TypeDef))]
        names = self.types_of(typed, owner, scope)
        # (direction, key, item, resolved-or-not); keys of interfaces by path are the resolved
        # model's interface ids until the package is moved.
        items: list[tuple[str, Key, Item_, bool]] = []
        for name, tid in names:
            items.append(("import", name, Item_("type", tid), True))
        for member in world.members:
            if isinstance(member, TypeDef) and member.kind == "resource":
                rid = scope.names.get(member.name.text)
                if rid is None:
                    continue
                for method in member.methods:
                    fname = function_name(method, member.name.text)
                    witem = rw.imports.get(fname)
                    meta = witem.func if witem is not None else None
                    func = self.function(method, (member.name.text, rid), scope, meta)
                    items.append(("import", fname, Item_("function", func=func),
                                  meta is not None))
                continue
            if not isinstance(member, Extern):
                continue
            table = rw.imports if member.direction == "import" else rw.exports
            if member.func is not None and member.name is not None:
                fname = function_name(member.func, None)
                witem = table.get(fname)
                meta = witem.func if witem is not None else None
                func = self.function(member.func, None, scope, meta)
                items.append((member.direction, fname, Item_("function", func=func),
                              meta is not None))
            elif member.interface is not None and member.name is not None:
                ri = sim.inline.get(id(member.interface))
                if ri is None:
                    continue
                index = len(self.interfaces)
                self.interface(ri, list(member.interface.members))
                witem = table.get(member.name.text)
                item = Item_("interface", -1 - index,
                             stability=witem.stability if witem else ri.stability,
                             ext=external_id(member.attributes))
                items.append((member.direction, member.name.text, item,
                              witem is not None and not ri.excluded))
            elif member.path is not None:
                found = _by_loc(table, member.path)
                if found is None:
                    items.append((member.direction, "", Item_("interface"), False))
                    continue
                witem = found[1]
                item = Item_("interface", witem.id, stability=witem.stability, docs=witem.docs,
                             ext=witem.external_id)
                items.append((member.direction, member.name.text if member.name else
                              ("interface", witem.id), item, True))
        self.worlds.append((rw, world, items))


def _by_loc(table: dict[WKey, WItem], path: UsePath) -> tuple[WKey, WItem] | None:
    for key, item in table.items():
        if item.kind == "interface" and item.loc.start == path.name.start \
                and item.loc.end == path.name.end:
            return key, item
    return None


# -- the whole resolve ------------------------------------------------------------------------


class Simulation:
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

    def package_order(self) -> list[PackageInfo]:
        infos = [i for i in self.res.infos if not i.package.excluded]
        by_key = {i.package.key: i for i in infos}
        ordered = sorted(infos, key=lambda i: (i.package.namespace, i.package.name,
                                               _version_key(i.package.version)))
        order: list[PackageInfo] = []
        placed: set[int] = set()
        visiting: set[int] = set()

        def visit(info: PackageInfo) -> None:
            if id(info) in placed or id(info) in visiting:
                return
            visiting.add(id(info))
            for key in _foreign_packages(info):
                dep = by_key.get(key)
                if dep is not None:
                    visit(dep)
            visiting.discard(id(info))
            placed.add(id(info))
            order.append(info)

        for info in ordered:
            visit(info)
        return order

    def run(self) -> Arena:
        for info in self.package_order():
            self.push(info)
        return self.out

    # -- one package ----------------------------------------------------------------------------

    def first_pass(self, info: PackageInfo) -> _Package:
        res = self.res
        up = _Package(self, info)
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

    def push(self, info: PackageInfo) -> None:
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
        imports: dict[Key, Item_] = {}

        def add_import(key: Key, iid: int, item: Item_, depth: int = 0) -> None:
            if key in imports or depth > 500:
                return
            for dep in self.interface_deps(iid):
                add_import(("interface", dep), dep,
                           Item_("interface", dep, stability=item.stability), depth + 1)
            imports[key] = item

        for key, item in sorted(w.imports.items(), key=lambda kv: self._class(kv[1])):
            if item.kind == "interface":
                add_import(key, item.id, item)
            elif item.kind == "function":
                imports[key] = item
            else:
                dep = self.type_interface_dep(item.id)
                if dep is not None:
                    add_import(("interface", dep), dep,
                               Item_("interface", dep,
                                     stability=self.out.types[item.id].stability))
                imports[key] = item
        exports: dict[Key, Item_] = {}
        export_ifaces: dict[Key, Item_] = {}
        for key, item in w.exports.items():
            if item.kind == "interface":
                export_ifaces[key] = item
            else:
                exports[key] = item
        required: set[int] = set()

        def add_export(key: Key, item: Item_, as_export: bool, depth: int = 0) -> bool:
            if key in exports:
                return as_export
            if depth > 500:
                return True
            iid = item.id
            if not as_export and iid in required:
                return True
            for dep in self.interface_deps(iid):
                dep_key: Key = ("interface", dep)
                dep_item = Item_("interface", dep, stability=item.stability,
                                 ext=item.external_id)
                if not add_export(dep_key, dep_item, as_export and dep_key in export_ifaces,
                                  depth + 1):
                    return False
            if as_export:
                if iid in required:
                    return False
                exports[key] = item
            else:
                required.add(iid)
                imports.setdefault(key, item)
            return True

        for key, item in export_ifaces.items():
            add_export(key, item, True)
        w.imports = dict(sorted(imports.items(), key=lambda kv: self._class(kv[1])))
        w.exports = exports


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


def _foreign_packages(info: PackageInfo) -> list[str]:
    """The packages a package's paths name, in wit-parser's order of visiting paths."""
    keys: list[str] = []

    def add(path: UsePath) -> None:
        if path.is_foreign:
            key = path.package_key()
            if key not in keys:
                keys.append(key)

    for _file, d in info.source.declarations():
        for item in d.order:
            if isinstance(item, World):
                later: list[Extern] = []
                for m in item.members:
                    if isinstance(m, (Use, Include)):
                        add(m.path)
                    elif isinstance(m, Extern) and m.direction == "import":
                        later.append(m)
                later.extend(m for m in item.members
                             if isinstance(m, Extern) and m.direction == "export")
                for m in later:
                    if m.interface is not None:
                        for u in m.interface.members:
                            if isinstance(u, Use):
                                add(u.path)
                    elif m.path is not None:
                        add(m.path)
            elif isinstance(item, Interface):
                for u in item.members:
                    if isinstance(u, Use):
                        add(u.path)
            elif isinstance(item, TopUse):
                add(item.path)
    return keys


# -- JSON -------------------------------------------------------------------------------------


def _docs(out: dict[str, object], docs: str | None) -> None:
    if docs is not None:
        out["docs"] = {"contents": docs}


def _stab(out: dict[str, object], stability: Stability) -> None:
    value = stability.to_json()
    if value is not None:
        out["stability"] = value


def _kind_json(t: TypeDef_) -> object:
    k = t.kind
    if k == "resource":
        return "resource"
    if k == "type":
        return {"type": t.refs[0]}
    if k == "record":
        fields = []
        for name, ref, docs in t.fields:
            f: dict[str, object] = {"name": name}
            _docs(f, docs)
            f["type"] = ref
            fields.append(f)
        return {"record": {"fields": fields}}
    if k == "variant":
        cases = []
        for name, ref, docs in t.fields:
            c: dict[str, object] = {"name": name}
            _docs(c, docs)
            c["type"] = ref
            cases.append(c)
        return {"variant": {"cases": cases}}
    if k in ("enum", "flags"):
        items = []
        for name, _ref, docs in t.fields:
            c = {"name": name}
            _docs(c, docs)
            items.append(c)
        return {k: {"cases" if k == "enum" else "flags": items}}
    if k == "handle":
        return {"handle": {t.handle: t.refs[0]}}
    if k == "tuple":
        return {"tuple": {"types": list(t.refs)}}
    if k in ("list", "option", "future", "stream"):
        return {k: t.refs[0] if t.refs else None}
    if k == "fixed-length-list":
        return {k: [t.refs[0], t.size]}
    if k == "result":
        return {"result": {"ok": t.refs[0], "err": t.refs[1]}}
    if k == "map":
        return {"map": [t.refs[0], t.refs[1]]}
    return k


def _function_json(f: Function_) -> dict[str, object]:
    meta = f.meta
    out: dict[str, object] = {"name": f.name}
    base = meta.kind if meta is not None else "freestanding"
    out["kind"] = base if f.resource is None else {base: f.resource}
    if meta is not None:
        _docs(out, meta.docs)
        _stab(out, meta.stability)
    out["params"] = [{"name": n, "type": t} for n, t in f.params]
    if f.result is not None:
        out["result"] = f.result
    if meta is not None and meta.external_id is not None:
        out["external_id"] = meta.external_id
    return out


def _key_json(key: Key) -> str:
    return key if isinstance(key, str) else f"interface-{key[1]}"


def _item_json(item: Item_) -> dict[str, object]:
    if item.kind == "interface":
        body: dict[str, object] = {"id": item.id}
        _docs(body, item.docs)
        _stab(body, item.stability)
        if item.external_id is not None:
            body["external_id"] = item.external_id
        return {"interface": body}
    if item.kind == "function" and item.func is not None:
        return {"function": _function_json(item.func)}
    return {"type": item.id}


def to_json(arena: Arena) -> dict[str, object]:
    worlds = []
    for w in arena.worlds:
        wout: dict[str, object] = {"name": w.name}
        wout["imports"] = {_key_json(k): _item_json(v) for k, v in w.imports.items()}
        wout["exports"] = {_key_json(k): _item_json(v) for k, v in w.exports.items()}
        wout["package"] = w.package
        _docs(wout, w.docs)
        _stab(wout, w.stability)
        worlds.append(wout)
    interfaces = []
    for i in arena.interfaces:
        iout: dict[str, object] = {"name": i.name, "types": dict(i.types),
                                   "functions": {n: _function_json(f)
                                                 for n, f in i.functions.items()}}
        _docs(iout, i.docs)
        _stab(iout, i.stability)
        iout["package"] = i.package
        if i.clone_of is not None:
            iout["clone_of"] = i.clone_of
        interfaces.append(iout)
    types = []
    for t in arena.types:
        tout: dict[str, object] = {"name": t.name, "kind": _kind_json(t)}
        tout["owner"] = None if t.owner is None else {t.owner[0]: t.owner[1]}
        _docs(tout, t.docs)
        _stab(tout, t.stability)
        if t.external_id is not None:
            tout["external_id"] = t.external_id
        types.append(tout)
    packages = []
    for p in arena.packages:
        pout: dict[str, object] = {"name": p.name}
        _docs(pout, p.docs)
        pout["interfaces"] = dict(p.interfaces)
        pout["worlds"] = dict(p.worlds)
        packages.append(pout)
    return {"worlds": worlds, "interfaces": interfaces, "types": types, "packages": packages}


def export(res: Resolver) -> dict[str, object]:
    """The resolve of one root in the JSON of ``wasm-tools component wit --json``."""
    return to_json(Simulation(res).run())
