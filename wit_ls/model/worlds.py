"""Worlds: their imports and exports, `include` merging and renames, and elaboration (the
implicit imports of transitive `use` dependencies), as wit-parser does (wit-spec.md §1.5)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from wit_ls.model.checks import external_id, strong_key, version_or_none
from wit_ls.model.items import Extern, Ident, Include, TopUse, TypeDef, Use, World
from wit_ls.model.resolved import (
    NO_LOC,
    UNKNOWN,
    Loc,
    Resolve,
    RFunc,
    RInterface,
    RMember,
    RParam,
    RWorld,
    Stability,
    Ty,
    WItem,
    WKey,
)
from wit_ls.syntax import Related

TYPE_CHECKING = False  # not typing's: see wit_ls.light_typing
if TYPE_CHECKING:
    from wit_ls.model.resolver import PackageState, Resolver

_KIND_WORD = {"interface": "interface", "function": "func", "type": "type"}


def resolve_world(res: Resolver, info: PackageState, rw: RWorld, world: World, path: str) -> None:
    from wit_ls.model.resolver import ResolveContext

    pkg = info.package
    owner = ("world", rw.id)
    scope: dict[str, object] = {}
    type_members: list[object] = [m for m in world.members if isinstance(m, (Use, TypeDef))]
    funcs = res.resolve_items(info, rw, owner, type_members, path, scope, rw.excluded)
    for name, entry in scope.items():
        if isinstance(entry, int):
            t = res.r.types[entry]
            if t.owner == owner and name not in rw.imports:
                rw.imports[name] = WItem("type", entry, loc=t.loc)
    locs: dict[tuple[str, WKey], Loc] = {}
    missing: set[tuple[str, str, str]] = set()
    seen: dict[tuple[str, WKey], str] = {}
    for member in world.members:
        if not isinstance(member, Extern):
            continue
        label = member.name
        site = label or (member.path.name if member.path is not None else None)
        stab = res.stability(member.attributes, path, pkg, site)
        excluded = rw.excluded or not res.active(stab)
        table = rw.imports if member.direction == "import" else rw.exports
        ctx = ResolveContext(path, excluded,
                             Loc(path, site.start, site.end) if site else rw.loc, "func")
        key: WKey
        item: WItem
        stand_in = False
        if member.func is not None and label is not None:
            func = res.resolve_function(info, member.func, None, scope, path, excluded)
            key = func.name
            item = WItem("function", func=func, loc=func.loc)
        elif member.interface is not None and label is not None:
            ri = res.r.new_interface(None)
            ri.package = pkg.id
            ri.docs = member.docs
            ri.loc = Loc(path, label.start, label.end)
            ri.item_range = (member.start, member.end)
            ri.excluded = excluded
            ri.stability = stab
            res.ast_interface[ri.id] = (member.interface, path)
            res.state[id(ri)] = 1
            res.resolve_interface_body(info, ri, member.interface, path)
            res.state[id(ri)] = 2
            key = label.text
            item = WItem("interface", ri.id, stability=stab, loc=ri.loc,
                         external_id=external_id(member.attributes))
        elif member.path is not None:
            target = res.lookup(info, path, member.path, "interface", ctx)
            if not isinstance(target, RInterface):
                if label is None or not member.path.is_foreign:
                    _missing_foreign_twice(res, info, member, missing, path)
                    continue
                # (Keyed by its label, it still clashes with a prior item of that name.)
                stand_in = True
            target_id = target.id if isinstance(target, RInterface) else -1
            key = label.text if label is not None else target_id
            item = WItem("interface", target_id, stability=stab,
                         loc=Loc(path, member.path.name.start, member.path.name.end),
                         external_id=external_id(member.attributes))
            item.docs = member.docs
        else:
            continue
        # wit-parser finds duplicates while it reads the package, before feature gates: an
        # item gated off still clashes with one of the same name (or interface).
        prior_kind = seen.get((member.direction, key)) or (
            table[key].kind if key in table else None)
        if prior_kind is not None:
            where = site or member.path.name if member.path is not None else site
            start, end = (where.start, where.end) if where is not None else (member.start,
                                                                             member.end)
            previous = locs.get((member.direction, key))
            related = (Related(previous.path, previous.start, previous.end,
                               "previously defined here"),) if previous else ()
            if isinstance(key, int):
                res.error(path, start, end,
                          f"interface cannot be {member.direction}ed more than once",
                          "duplicate-import", related)
            else:
                res.error(path, start, end,
                          f"{member.direction} `{key}` conflicts with prior "
                          f"{_KIND_WORD[prior_kind]} of same name", "duplicate-import", related)
            continue
        seen[(member.direction, key)] = item.kind
        if site is not None:
            locs[(member.direction, key)] = Loc(path, site.start, site.end)
        if excluded or stand_in:
            continue
        table[key] = item
    for func, _item in funcs:
        if func.excluded or func.name in rw.imports:
            continue
        rw.imports[func.name] = WItem("function", func=func, loc=func.loc)
    _check_case(res, rw, path)
    for member in world.members:
        if isinstance(member, Include):
            _include(res, info, rw, member, path)
    elaborate(res, rw)
    rw.resolved = True


def _missing_foreign_twice(res: Resolver, info: PackageState, member: Extern,
                           seen: set[tuple[str, str, str]], path: str) -> None:
    """wit-parser numbers a world's foreign interfaces by package and name while it reads the
    package, before it looks for the packages themselves: one imported (or exported) twice is
    "imported more than once" even when its package or interface does not exist (that error
    comes later, and is reported where the path is), whether the path names it or a name a
    top-level ``use`` gave it. Feature gates do not matter either."""
    use_path = member.path
    if use_path is None:
        return
    foreign = use_path
    if not use_path.is_foreign:
        entry = info.file_scopes.get(path, {}).get(use_path.name.text)
        if entry is None or entry[0] != "foreign" or not isinstance(entry[1], TopUse):
            return
        foreign = entry[1].path
    key = (member.direction, foreign.package_key(), foreign.name.text)
    if key in seen:
        res.error(path, use_path.name.start, use_path.name.end,
                  f"interface cannot be {member.direction}ed more than once", "duplicate-import")
    seen.add(key)


def _check_case(res: Resolver, rw: RWorld, path: str) -> None:
    for _direction, table in (("import", rw.imports), ("export", rw.exports)):
        seen: dict[str, str] = {}
        for key, item in table.items():
            if not isinstance(key, str):
                continue
            lowered = strong_key(key)
            prior = seen.get(lowered)
            if prior is not None and prior != key:
                res.error(item.loc.path or path, item.loc.start, item.loc.end,
                          f"name `{key}` conflicts with previous name `{prior}`", "name-conflict")
            else:
                seen[lowered] = key


def _include(res: Resolver, info: PackageState, rw: RWorld, member: Include, path: str) -> None:
    from wit_ls.model.resolver import ResolveContext

    stab = res.stability(member.attributes, path, info.package, member.path.name)
    excluded = rw.excluded or not res.active(stab)
    ctx = ResolveContext(path, excluded,
                         Loc(path, member.path.name.start, member.path.name.end), "func")
    target = res.lookup(info, path, member.path, "world", ctx)
    if not isinstance(target, RWorld) or excluded:
        return
    renames = {old.text: new for old, new in member.renames}
    used: set[str] = set()
    foreign = target.package != rw.package
    name = member.path.name
    # wit-parser gives the including world its own copies of the included world's types
    # (renamed ones under their new names), and its functions refer to the copies.
    remap = _TypeCopier(res, info, rw)
    for key, item in target.imports.items():
        if isinstance(key, str) and item.kind == "type":
            renamed = renames.get(key)
            remap.copy(item.id, renamed.text if renamed is not None else key)
    remap.fill()
    for direction, src, dst in (("import", target.imports, rw.imports),
                                ("export", target.exports, rw.exports)):
        for key, item in src.items():
            if isinstance(key, int):
                existing = dst.get(key)
                if foreign and item.stability.kind == "stable":
                    # A `@since` interface included from another package leaves the world's
                    # item without any stability.
                    base = existing or item
                    if base.stability.kind:
                        base = _restabilised(base, UNKNOWN)
                    dst[key] = base
                elif existing is None:
                    dst[key] = item
                else:
                    merged = _merge_stability(res, item.stability, existing.stability, path,
                                              name)
                    if merged is not existing.stability:
                        dst[key] = _restabilised(existing, merged)
                continue
            new_key = key
            renamed = renames.get(key)
            if renamed is not None:
                used.add(key)
                new_key = renamed.text
            elif item.kind == "function" and item.func is not None:
                new_key = _renamed_function(key, renames, used)
            if new_key in dst:
                existing = dst[new_key]
                if existing is item or (existing.kind == item.kind == "interface"
                                        and existing.id == item.id):
                    continue
                res.error(path, name.start, name.end,
                          f"{direction} of `{key}` shadows previously {direction}ed items",
                          "include-conflict")
                continue
            if item.kind == "type" and item.id in remap.copies:
                copied = WItem("type", remap.copies[item.id], stability=item.stability,
                               loc=item.loc, external_id=item.external_id)
                copied.docs = item.docs
                item = copied
            elif item.kind == "function" and item.func is not None and (
                    new_key != key or remap.touches(item.func)):
                func = item.func
                copy = RFunc(new_key, func.kind)
                resource = remap.ty(func.resource)
                copy.resource = resource if isinstance(resource, int) else None
                copy.params = [RParam(p.name, remap.ty(p.type), p.loc) for p in func.params]
                copy.result = remap.ty(func.result)
                copy.docs, copy.stability, copy.loc = func.docs, func.stability, func.loc
                copy.item_range, copy.label = func.item_range, func.label
                copy.external_id = func.external_id
                item = WItem("function", func=copy, stability=item.stability, loc=item.loc)
            dst[new_key] = item
    for old, _new in member.renames:
        if old.text not in used:
            res.error(path, old.start, old.end,
                      f"no import or export kebab-name `{old.text}`. Note that an ID does not "
                      "support renaming", "unknown-include-name")
    for direction, table in (("import", rw.imports), ("export", rw.exports)):
        seen: dict[str, str] = {}
        for key in table:
            if not isinstance(key, str):
                continue
            prior = seen.get(strong_key(key))
            if prior is not None and prior != key:
                res.error(path, name.start, name.end,
                          f"{direction} `{key}` in world `{rw.name}` conflicts with {direction} "
                          f"`{prior}` (names must be strongly unique)", "name-conflict")
            seen.setdefault(strong_key(key), key)


class _TypeCopier:
    """Copies of an included world's types for the including world, and the types of its
    functions rewritten to use them (anonymous types rebuilt around the copies)."""

    def __init__(self, res: Resolver, info: PackageState, rw: RWorld) -> None:
        self.res = res
        self.info = info
        self.rw = rw
        self.copies: dict[int, int] = {}

    def copy(self, tid: int, name: str) -> None:
        types = self.res.r.types
        if tid in self.copies or not 0 <= tid < len(types):
            return
        original = types[tid]
        t = self.res.r.new_type(name, original.kind)
        t.args = list(original.args)
        t.members = list(original.members)
        t.handle, t.size, t.bare = original.handle, original.size, original.bare
        t.docs, t.stability, t.excluded = original.docs, original.stability, original.excluded
        t.owner = ("world", self.rw.id)
        self.copies[tid] = t.id

    def fill(self) -> None:
        """Point the copies' own references (aliases, fields, cases) at the copies."""
        for new in self.copies.values():
            t = self.res.r.types[new]
            t.args = [self.ty(a) for a in t.args]
            t.members = [RMember(m.name, self.ty(m.type), m.docs, m.loc) for m in t.members]

    def ty(self, ty: Ty, depth: int = 0) -> Ty:
        if not isinstance(ty, int) or not self.copies or depth > 100:
            return ty
        found = self.copies.get(ty)
        if found is not None:
            return found
        t = self.res.r.types[ty]
        if t.name is not None:
            return ty
        args = [self.ty(a, depth + 1) for a in t.args]
        if args == t.args:
            return ty
        return self.res.anon(self.info, t.kind, args, handle=t.handle, size=t.size, bare=t.bare)

    def touches(self, func: RFunc) -> bool:
        if not self.copies:
            return False
        return (self.ty(func.resource) != func.resource or self.ty(func.result) != func.result
                or any(self.ty(p.type) != p.type for p in func.params))


def _restabilised(item: WItem, stability: Stability) -> WItem:
    """A copy of an interface item with another stability (items are shared between worlds)."""
    copy = WItem(item.kind, item.id, item.func, stability, item.loc, item.external_id)
    copy.docs = item.docs
    return copy


def _stability_debug(stab: Stability) -> str:
    """Rust's ``{:?}`` of wit-parser's ``Stability``."""

    def version(text: str) -> str:
        v = version_or_none(text)
        if v is None:
            return text
        extra = ""
        if v.pre:
            extra += f', pre: Prerelease("{".".join(v.pre)}")'
        if v.build:
            extra += f', build: BuildMetadata("{".".join(v.build)}")'
        return f"Version {{ major: {v.major}, minor: {v.minor}, patch: {v.patch}{extra} }}"

    deprecated = f"Some({version(stab.deprecated)})" if stab.deprecated else "None"
    if stab.kind == "stable":
        return f"Stable {{ since: {version(stab.since)}, deprecated: {deprecated} }}"
    if stab.kind == "unstable":
        return f'Unstable {{ feature: "{stab.feature}", deprecated: {deprecated} }}'
    return "Unknown"


def _merge_stability(res: Resolver, new: Stability, existing: Stability, path: str,
                     where: Ident) -> Stability:
    """wit-parser's merge of an included interface's stability into the one already in the
    world: unknown yields to known, different known ones are X15."""
    if new == existing or not new.kind:
        return existing
    if not existing.kind:
        return new
    res.error(path, where.start, where.end,
              f"mismatch in stability from '{_stability_debug(new)}' to "
              f"'{_stability_debug(existing)}'", "stability-mismatch")
    return existing


def _renamed_function(key: str, renames: Mapping[str, object], used: set[str]) -> str:
    for prefix in ("[constructor]", "[method]", "[static]"):
        if key.startswith(prefix):
            rest = key[len(prefix):]
            resource, dot, label = rest.partition(".")
            accessor = ""
            if resource.startswith(("[get]", "[set]")):
                accessor, resource = resource[:5], resource[5:]
            new = renames.get(resource)
            if new is not None:
                used.add(resource)
                text = getattr(new, "text", resource)
                return f"{prefix}{accessor}{text}{dot}{label}"
    return key


def elaborate(res: Resolver, rw: RWorld) -> None:
    """Add the implicit imports and order exports after their dependencies (X12)."""
    r = res.r
    el = _Elaboration(r, rw, res.direct_deps)
    # Interfaces first, then types, then functions (a stable sort, as wit-parser's): an
    # interface another import needs comes in as that import's dependency, with its
    # stability and without docs, even if the world imports it itself further down.
    for key, item in sorted(rw.imports.items(), key=lambda kv: _import_class(r, kv[1])):
        if item.kind == "type":
            t = r.types[item.id]
            if t.kind == "type" and t.args and isinstance(t.args[0], int):
                owner = r.types[t.args[0]].owner
                if owner is not None and owner[0] == "interface":
                    # The interface a `use` names, with the stability of the `use`, unless
                    # an interface import brought it in already.
                    el.add_import(owner[1], WItem("interface", owner[1], stability=t.stability))
        el.add_import(key, item)

    for key, item in rw.exports.items():
        if item.kind == "interface":
            el.exported.setdefault(item.id, key)
    for key, item in rw.exports.items():
        if item.kind != "interface":
            continue
        if not el.add_export(item.id, key, item, True):
            label = key if isinstance(key, str) else r.interface_qualified(item.id)
            res.error(rw.loc.path, rw.loc.start, rw.loc.end,
                      f"interface `{label}` transitively depends on an interface in "
                      "incompatible ways", "incompatible-export")
    for key, item in rw.exports.items():
        if item.kind != "interface":
            el.exports[key] = item
    rw.imports = dict(sorted(el.imports.items(), key=lambda kv: _import_class(r, kv[1])))
    rw.exports = el.exports


class _Elaboration:
    """The imports and exports `elaborate` gathers for one world. Methods, not nested
    functions: a nested function that calls itself is a reference cycle (through its
    closure), which would keep the resolution alive until the collector runs."""

    def __init__(self, r: Resolve, rw: RWorld, deps: Callable[[int], list[int]]) -> None:
        self.r = r
        self.rw = rw
        self.deps = deps
        self.imports: dict[WKey, WItem] = {}
        self.exported: dict[int, WKey] = {}
        self.exports: dict[WKey, WItem] = {}
        self.required: set[int] = set()

    def add_import(self, key: WKey, item: WItem, depth: int = 0) -> None:
        if key in self.imports or depth > 200:
            return
        if item.kind == "interface":
            for dep in self.deps(item.id):
                self.add_import(dep, WItem("interface", dep, stability=item.stability),
                                depth + 1)
        self.imports[key] = item

    def add_export(self, iid: int, key: WKey, item: WItem, as_export: bool,
                   depth: int = 0) -> bool:
        if depth > 200:
            return True
        if key in self.exports:
            return as_export
        if not as_export and iid in self.required:
            return True
        for dep in self.deps(iid):
            dep_export = as_export and dep in self.exported
            dep_key: WKey = self.exported[dep] if dep_export else dep
            # A dependency comes in with the stability and external id of the interface that
            # needs it and without docs, even when the world exports it itself: that export
            # is then already there when its own statement comes (wit-parser).
            dep_item = WItem("interface", dep, stability=item.stability,
                             loc=self.rw.exports[dep_key].loc if dep_export else NO_LOC,
                             external_id=item.external_id)
            if not self.add_export(dep, dep_key, dep_item, dep_export, depth + 1):
                return False
        if as_export:
            if iid in self.required:
                return False
            self.exports[key] = item
        else:
            self.required.add(iid)
            self.add_import(iid, item if isinstance(key, int)
                            else WItem("interface", iid, stability=item.stability))
        return True


def _import_class(r: Resolve, item: WItem) -> int:
    """wit-parser's order of a world's imports: interfaces, types `use`d from elsewhere,
    other types, freestanding functions, resource functions."""
    if item.kind == "interface":
        return 0
    if item.kind == "type":
        t = r.types[item.id]
        if t.kind == "type" and t.args and isinstance(t.args[0], int) \
                and r.types[t.args[0]].owner != t.owner:
            return 1
        return 2
    return 3 if item.func is None or item.func.resource is None else 4
