"""wit-parser's first pass over one package (its "unresolved package"): the order in which
it creates the package's interfaces, worlds and types, anonymous types included, replayed over
the lowered items with the names the resolver settled. Used by
:mod:`wit_ls.model.json_replay`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from wit_ls.model.checks import external_id, function_name
from wit_ls.model.items import Extern, Func, TypeDef, TypeExpr, Use, UsePath, World, referred_names
from wit_ls.model.json_arena import Function_, Item_, Key, Ref, TypeDef_
from wit_ls.model.resolved import UNKNOWN, RFunc, RInterface, RWorld, Stability, WItem, WKey
from wit_ls.model.toposort import toposort
from wit_ls.syntax.vocabulary import PRIMITIVE_TYPES

if TYPE_CHECKING:
    from wit_ls.model.json_replay import Simulation
    from wit_ls.model.resolver import PackageState

# -- topological sorts ------------------------------------------------------------------------




def _typedef_deps(item: TypeDef) -> list[str]:
    out: list[str] = []
    if item.kind in ("type",):
        referred_names(item.alias, out)
    elif item.kind in ("record", "variant"):
        for m in item.members:
            referred_names(m.type, out)
    return out


class _Scope:
    """Names of an interface or world: local name -> type id in the resolved model."""

    def __init__(self, names: dict[str, int]) -> None:
        self.names = names


class PackagePass:
    """The arenas of one package as wit-parser's first pass leaves them."""

    def __init__(self, sim: Simulation, info: PackageState) -> None:
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
        if kind in PRIMITIVE_TYPES:
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
            if expr is None or expr.kind in PRIMITIVE_TYPES:
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
                    # (A definition before a `use` of its name is dropped.)
                    defs.pop(use_name.local.text, None)
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
