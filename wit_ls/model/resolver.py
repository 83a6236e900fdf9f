"""Resolve loaded packages into a :class:`~wit_ls.model.resolved.Resolve`, reporting every
problem wit-parser reports (wit-spec.md §2.3-2.5), all at once, each with a range.

Packages are resolved in dependency order. Inside a package, interfaces and worlds are resolved
on demand (a ``use`` of a local interface resolves it first), which is also how cycles between
them are found. Every name occurrence is recorded as a reference to its definition.
"""

from __future__ import annotations

from collections.abc import Sequence

from wit_ls.model.checks import (
    MAP_KEY_MESSAGE,
    MAP_KEYS,
    external_id,
    feature_active,
    function_kind,
    function_name,
    stability_of,
    strong_key,
    uniqueness_keys,
    version_or_none,
)
from wit_ls.model.items import (
    Attribute,
    Declarations,
    Extern,
    Func,
    Ident,
    Include,
    Interface,
    TopUse,
    TypeDef,
    TypeExpr,
    Use,
    UsePath,
    World,
)
from wit_ls.model.loader import Load, PackageSource, SourceFile
from wit_ls.model.resolved import (
    NO_LOC,
    UNKNOWN,
    Loc,
    Resolve,
    RFunc,
    RInterface,
    RMember,
    RPackage,
    RParam,
    RType,
    RWorld,
    Stability,
    Ty,
)
from wit_ls.syntax import Diagnostic, Related
from wit_ls.syntax.vocabulary import PRIMITIVE_TYPES

TYPE_CHECKING = False  # not typing's: see wit_ls.light_typing
if TYPE_CHECKING:
    from typing import Protocol

    from wit_ls.model.shared_deps import SharedResolutions
else:
    from wit_ls.light_typing import Protocol

_FLOAT_HINT = (
    "the `{0}` type has been renamed to `{1}` and is no longer accepted, but the "
    "`WIT_REQUIRE_F32_F64=0` environment variable can be used to temporarily disable this error"
)
_MEMBER_WORD = {"record": "field", "flags": "flag", "variant": "case", "enum": "case"}
# A gate naming a version the package cannot have (none, or a later one).
_VERSION_GATE_CODES = frozenset({"gate-needs-version", "unreleased-version"})


class _Visit(Protocol):
    """A depth-first visit handed itself to recurse (see ``Resolver._check_type_cycles``)."""

    def __call__(self, tid: int, edge: Ident | None, again: _Visit) -> None: ...

class ResolveContext:
    """What is being resolved: for X11 (references to excluded items) and messages.
    ``mode``: "typedef" | "func" | "use"."""

    __slots__ = ("excluded", "loc", "mode", "path")

    def __init__(self, path: str, excluded: bool, loc: Loc, mode: str = "func") -> None:
        self.path = path
        self.excluded = excluded
        self.loc = loc
        self.mode = mode


class Reference:
    """A name occurrence (``path``, byte range) and the definition it resolves to."""

    __slots__ = ("end", "kind", "path", "start", "target")

    def __init__(self, path: str, start: int, end: int, target: Loc, kind: str = "") -> None:
        self.path = path
        self.start = start
        self.end = end
        self.target = target
        self.kind = kind

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Reference):
            return NotImplemented
        return (self.path, self.start, self.end, self.target, self.kind) == (
            other.path, other.start, other.end, other.target, other.kind)

    def __repr__(self) -> str:
        return (f"Reference({self.path!r}, {self.start}, {self.end}, {self.target!r}, "
                f"{self.kind!r})")


def _shadowed_by_later_use(members: Sequence[object], item: TypeDef) -> bool:
    """Whether wit-parser drops the type definition ``item`` without a word: a later ``use`` of
    its interface or world brings the same name, and no earlier member defined it (that is the
    error "defined more than once")."""
    name = item.name.text
    later = False
    for m in members:
        if isinstance(m, TypeDef):
            if m.name.text == name and m.start < item.start:
                return False
        elif isinstance(m, Use) and any(u.local.text == name for u in m.names):
            if m.start < item.start:
                return False
            later = True
    return later


class PackageState:
    """Per-package resolution state: the AST items behind each resolved item."""

    __slots__ = ("anon", "file_scopes", "foreign_kinds", "foreign_type_gates", "gated_off",
                 "items", "package", "source")

    def __init__(self, package: RPackage, source: PackageSource) -> None:
        self.package = package
        self.source = source
        self.items: dict[str, tuple[str, object, SourceFile]] = {}
        self.file_scopes: dict[str, dict[str, tuple[str, object]]] = {}
        self.anon: dict[tuple[object, ...], int] = {}
        self.foreign_kinds: dict[tuple[str, str], str] = {}
        # (package key, interface, type) -> the stability of the first `use` naming that foreign
        # type in this package: wit-parser gives its stand-in for the type that stability.
        self.foreign_type_gates: dict[tuple[str, str, str], Stability] = {}
        # Whether one of those stabilities is switched off (until worked out: maybe).
        self.gated_off = True


def package_span(use_path: UsePath) -> tuple[int, int]:
    """The range of the package part (``ns:pkg``) of a foreign path, where wit-parser reports
    problems with the package itself."""
    if use_path.namespace is None:
        return use_path.start, use_path.end
    end = use_path.package.end if use_path.package is not None else use_path.namespace.end
    return use_path.namespace.start, max(end, use_path.namespace.end)


def _article(kind: str) -> str:
    return "an interface" if kind == "interface" else "a world"


class Resolver:
    def __init__(self, load: Load, features: frozenset[str], all_features: bool,
                 shared: SharedResolutions | None = None) -> None:
        self.load = load
        # Dependencies' resolutions recorded from other roots (see `wit_ls.model.shared_deps`).
        self.shared = shared
        self.features = features
        self.all_features = all_features
        self.r = Resolve()
        self.diagnostics: list[Diagnostic] = []
        self.references: list[Reference] = []
        self.by_key: dict[str, RPackage] = {}
        self.infos: list[PackageState] = []
        # Items of the AST behind resolved objects, for editor features.
        self.ast_interface: dict[int, tuple[Interface, str]] = {}
        self.ast_world: dict[int, tuple[World, str]] = {}
        self.state: dict[int, int] = {}
        self.item_stack: list[RInterface | RWorld] = []
        # Types on a cycle of type definitions.
        self.cyclic_types: set[int] = set()
        # Types brought by `use`s whose interface could not be resolved.
        self.broken_uses: set[int] = set()
        self.missing_packages: dict[str, list[tuple[str, UsePath]]] = {}
        # Package id -> the foreign package keys it names (set by `_package_order`).
        self._named: dict[int, list[str]] = {}
        # The stability of a lone `@since(version = V)` by V; whether a `@since` version is
        # later than the package's, by both.
        self._since: dict[str, Stability] = {}
        self._later: dict[tuple[str, str], bool] = {}
        # Type id -> whether it holds a `borrow<T>`, and how deep (see `_borrow`).
        self._borrows: dict[int, tuple[bool, int]] = {}
        # Interface id -> (the resolved interface, the interfaces its types use), for worlds.
        self._direct: dict[int, tuple[RInterface, list[int]]] = {}
        # Version gate errors of type definitions: (package id, type id, diagnostic index), placed
        # once their package is resolved (see `wit_ls.model.gate_places`).
        self._typedef_gates: list[tuple[int, int, int]] = []

    # -- reporting ------------------------------------------------------------------------------

    def error(self, path: str, start: int, end: int, message: str, code: str,
              related: tuple[Related, ...] = ()) -> None:
        self.diagnostics.append(Diagnostic(start, end, message, code, path=path, related=related))

    def ref(self, path: str, ident: Ident | None, target: Loc, kind: str = "") -> None:
        if ident is not None and target.path:
            self.references.append(Reference(path, ident.start, ident.end, target, kind))

    def active(self, stability: Stability) -> bool:
        return feature_active(stability, self.features, self.all_features)

    def stability(self, attributes: list[Attribute], path: str, pkg: RPackage,
                  name: Ident | None) -> Stability:
        if not attributes:
            return UNKNOWN
        if len(attributes) == 1 and attributes[0].kind == "since":
            # The usual gate, one `@since` (nothing to conflict with): its stability made once.
            value = attributes[0].value
            stab = self._since.get(value) or self._since.setdefault(
                value, stability_of(attributes)[0])
            if pkg.version is not None and self._later.get((value, pkg.version)) is False:
                return stab  # (a version known not to be later than the package's)
        else:
            stab, problems = stability_of(attributes)
            for attr, message in problems:
                # wit-parser points at the attribute's name (after `@`).
                start = attr.start + 1
                self.error(path, start, min(attr.end, start + len(attr.kind)), message,
                           "attribute-conflict")
        for attr in attributes:
            if attr.kind not in ("since", "deprecated"):
                continue
            target = name or Ident("", attr.start, attr.end)
            if pkg.version is None:
                self.error(path, target.start, target.end,
                           f"package [{pkg.key}] contains a feature gate with a version "
                           "specifier, so it must have a version", "gate-needs-version")
            elif attr.kind == "since" and self._unreleased(attr.value, pkg.version):
                self.error(path, target.start, target.end,
                           f"feature gate cannot reference unreleased version {attr.value} "
                           f"of package [{pkg.key}] (current version {pkg.version})",
                           "unreleased-version")
        return stab

    def _unreleased(self, since: str, version: str) -> bool:
        """``since`` is a later version than the package's ``version`` (both valid)."""
        key = (since, version)
        later = self._later.get(key)
        if later is None:
            wanted, current = version_or_none(since), version_or_none(version)
            later = self._later[key] = (wanted is not None and current is not None
                                        and wanted > current)
        return later

    # -- entry point ----------------------------------------------------------------------------

    def run(self) -> None:
        sources = self.load.packages
        keyed: list[tuple[PackageSource, RPackage]] = []
        for source in sources:
            name = source.name
            if name is None:
                pkg = RPackage(len(self.r.packages), "<unnamed>", "package", None)
                pkg.excluded = True
            else:
                pkg = RPackage(len(self.r.packages), name.namespace.text, name.name.text,
                               name.version)
                pkg.loc = Loc(source.name_path, name.start, name.end)
            pkg.docs = source.docs
            self.r.packages.append(pkg)
            if name is not None:
                previous = self.by_key.get(pkg.key)
                if previous is not None:
                    self.error(source.name_path, name.start, name.end,
                               f"package `{pkg.key}` is defined in two different locations",
                               "duplicate-package",
                               (Related(previous.loc.path, previous.loc.start, previous.loc.end,
                                        "first defined here"),))
                    pkg.excluded = True
                else:
                    self.by_key[pkg.key] = pkg
            keyed.append((source, pkg))
        self.infos = [PackageState(pkg, source) for source, pkg in keyed]
        order = self._package_order()
        if self.shared is None or not self.shared.resolve(self, order):
            for info in order:
                self.resolve_package(info)

    def foreign_keys(self, info: PackageState) -> list[str]:
        """The keys of the foreign packages ``info`` names (once `run` has ordered them)."""
        return self._named.get(info.package.id, [])

    def _package_deps(self, info: PackageState) -> list[tuple[str, str, UsePath]]:
        out: list[tuple[str, str, UsePath]] = []
        for file, decls in info.source.declarations():
            paths: list[UsePath] = [u.path for u in decls.uses]
            for iface in decls.interfaces:
                paths.extend(m.path for m in iface.members if isinstance(m, Use))
            for world in decls.worlds:
                for member in world.members:
                    if isinstance(member, (Use, Include)):
                        paths.append(member.path)
                    elif isinstance(member, Extern):
                        if member.path is not None:
                            paths.append(member.path)
                        if member.interface is not None:
                            paths.extend(m.path for m in member.interface.members
                                         if isinstance(m, Use))
            out.extend((p.package_key(), file.path, p) for p in paths if p.is_foreign)
        return out

    def _package_order(self) -> list[PackageState]:
        """Dependencies first; a cycle is X7 (its packages are still resolved)."""
        index = {id(i.package): i for i in self.infos}
        deps: dict[int, list[tuple[PackageState, str, UsePath]]] = {}
        for info in self.infos:
            found: list[tuple[PackageState, str, UsePath]] = []
            named = self._package_deps(info)
            self._named[info.package.id] = [key for key, _, _ in named]
            for key, path, use_path in named:
                target = self.by_key.get(key)
                if target is None:
                    self.missing_packages.setdefault(key, []).append((path, use_path))
                    continue
                dep = index[id(target)]
                if dep is info:
                    start, end = package_span(use_path)
                    self.error(path, start, end,
                               f"package `{info.package.key}` creates a dependency cycle",
                               "package-cycle")
                    continue
                if all(dep is not f[0] for f in found):
                    found.append((dep, path, use_path))
            deps[id(info)] = found
        order: list[PackageState] = []
        state: dict[int, int] = {}
        for root in self.infos:
            if state.get(id(root)):
                continue
            # (package, next edge index, the edge that entered it)
            stack: list[tuple[PackageState, int, tuple[str, UsePath] | None]] = [(root, 0, None)]
            state[id(root)] = 1
            while stack:
                info, position, entered = stack[-1]
                children = deps[id(info)]
                if position < len(children):
                    stack[-1] = (info, position + 1, entered)
                    child, path, use_path = children[position]
                    st = state.get(id(child), 0)
                    if st == 0:
                        state[id(child)] = 1
                        stack.append((child, 0, (path, use_path)))
                    elif st == 1:
                        at = next(i for i, e in enumerate(stack) if e[0] is child)
                        if at + 1 < len(stack):
                            culprit, _, edge = stack[at + 1]
                        else:
                            culprit, edge = child, (path, use_path)
                        assert edge is not None
                        where = edge[1]
                        start, end = package_span(where)
                        self.error(edge[0], start, end,
                                   f"package `{culprit.package.key}` creates a dependency cycle",
                                   "package-cycle")
                else:
                    state[id(info)] = 2
                    order.append(info)
                    stack.pop()
        return order

    # -- packages -------------------------------------------------------------------------------

    def resolve_package(self, info: PackageState) -> None:
        pkg = info.package
        decls = info.source.declarations()
        seen: dict[str, Loc] = {}
        pending: list[tuple[str, object, SourceFile]] = []
        # Where each item's name is written (the object's `loc` may be an older one's, see
        # `wit_ls.model.reresolve`).
        named_at: dict[int, int] = {}
        for file, d in decls:
            for iface in d.interfaces:
                assert iface.name is not None
                ri = self.interface_object(info, iface, file.path)
                self.ast_interface[ri.id] = (iface, file.path)
                named_at[id(ri)] = iface.name.start
                self._declare(info, seen, iface.name, file.path, ("interface", ri, file))
                pending.append(("interface", ri, file))
            for world in d.worlds:
                rw = self.world_object(info, world, file.path)
                self.ast_world[rw.id] = (world, file.path)
                named_at[id(rw)] = world.name.start
                self._declare(info, seen, world.name, file.path, ("world", rw, file))
                pending.append(("world", rw, file))
        # File scopes: the file's own interfaces and worlds, then its top-level uses.
        for file, d in decls:
            scope: dict[str, tuple[str, object]] = {}
            for item in d.order:
                if isinstance(item, TopUse):
                    self._top_use(info, file, scope, item)
                    continue
                assert item.name is not None
                entry = info.items.get(item.name.text)
                if entry is None or entry[2] is not file:
                    continue
                at = named_at.get(id(entry[1]))
                if at is not None and at != item.name.start:
                    continue  # a duplicate item, already reported as such
                if item.name.text in scope:
                    self.error(file.path, item.name.start, item.name.end,
                               f"duplicate name `{item.name.text}` in this file",
                               "duplicate-name")
                    continue
                scope[item.name.text] = (entry[0], entry[1])
            info.file_scopes[file.path] = scope
        for _kind, obj, _file in pending:
            if isinstance(obj, RInterface) and obj.name is not None:
                pkg.all_interfaces.setdefault(obj.name, obj.id)
            elif isinstance(obj, RWorld):
                pkg.all_worlds.setdefault(obj.name, obj.id)
        self._gate_foreign_types(info, decls)
        self._first_foreign_kinds(info, decls)
        for file, d in decls:
            for use in d.uses:
                if use.path.is_foreign and not use.attributes:
                    site = Loc(file.path, use.path.name.start, use.path.name.end)
                    ctx = ResolveContext(file.path, False, site, "use")
                    # A top-level `use` takes the item as it was first named.
                    want = info.foreign_kinds.get(
                        (use.path.package_key(), use.path.name.text), "interface")
                    self.lookup(info, file.path, use.path, want, ctx)
        pending = self.resolve_items_of(info, pending)
        for kind, obj, _file in pending:
            if kind == "interface":
                assert isinstance(obj, RInterface)
                if not obj.excluded and obj.name is not None:
                    pkg.interfaces.setdefault(obj.name, obj.id)
            else:
                assert isinstance(obj, RWorld)
                if not obj.excluded:
                    pkg.worlds.setdefault(obj.name, obj.id)
        if self._typedef_gates:
            gates = [(tid, index) for pid, tid, index in self._typedef_gates if pid == pkg.id]
            if gates:
                self._typedef_gates = [g for g in self._typedef_gates if g[0] != pkg.id]
                self.place_typedef_gates(info, gates)
        pkg.resolved = True

    def place_typedef_gates(self, info: PackageState, gates: list[tuple[int, int]]) -> None:
        """Move the version gate errors of type definitions of ``info`` ((type id, diagnostic
        index)) to where wit-parser reports them: they depend on the whole package."""
        from wit_ls.model.gate_places import place_typedef_gates
        place_typedef_gates(self, info, gates)

    def interface_object(self, info: PackageState, iface: Interface, path: str,
                         at: int | None = None) -> RInterface:
        """The resolved interface of the declaration ``iface`` (of the package ``info``),
        declared: a new one (at index ``at`` of the arena, replacing what is there, when
        given)."""
        pkg = info.package
        assert iface.name is not None
        if at is None:
            ri = self.r.new_interface(iface.name.text)
        else:
            ri = self.r.interfaces[at] = RInterface(at, iface.name.text)
        ri.package = pkg.id
        ri.docs = iface.docs
        ri.loc = Loc(path, iface.name.start, iface.name.end)
        ri.item_range = (iface.start, iface.end)
        ri.stability = self.stability(iface.attributes, path, pkg, iface.name)
        ri.excluded = not self.active(ri.stability) or pkg.excluded
        return ri

    def world_object(self, info: PackageState, world: World, path: str,
                     at: int | None = None) -> RWorld:
        """As :meth:`interface_object`, for a world."""
        pkg = info.package
        if at is None:
            rw = self.r.new_world(world.name.text)
        else:
            rw = self.r.worlds[at] = RWorld(at, world.name.text)
        rw.package = pkg.id
        rw.docs = world.docs
        rw.loc = Loc(path, world.name.start, world.name.end)
        rw.item_range = (world.start, world.end)
        rw.stability = self.stability(world.attributes, path, pkg, world.name)
        rw.excluded = not self.active(rw.stability) or pkg.excluded
        return rw

    def resolve_items_of(self, info: PackageState, pending: list[tuple[str, object, SourceFile]]
                         ) -> list[tuple[str, object, SourceFile]]:
        """Resolve the bodies of a package's declared interfaces and worlds (in order; each
        resolves what it uses first); gives them back (the objects that now stand for them)."""
        for kind, obj, _file in pending:
            if kind == "interface":
                assert isinstance(obj, RInterface)
                self.ensure_interface(info, obj)
            else:
                assert isinstance(obj, RWorld)
                self.ensure_world(info, obj)
        return pending

    def _foreign_interface_key(self, info: PackageState, path: str,
                               use_path: UsePath) -> tuple[str, str] | None:
        """The foreign interface a `use` path names, directly or through a top-level `use`."""
        if use_path.is_foreign:
            return use_path.package_key(), use_path.name.text
        entry = info.file_scopes.get(path, {}).get(use_path.name.text)
        if entry is not None and entry[0] == "foreign":
            top = entry[1]
            assert isinstance(top, TopUse)
            if top.path.is_foreign:
                return top.path.package_key(), top.path.name.text
        return None

    @staticmethod
    def _first_foreign_kinds(info: PackageState,
                             decls: Sequence[tuple[SourceFile, Declarations]]) -> None:
        """wit-parser makes one stand-in per foreign interface or world a package names, of the
        kind of the first path naming it (in its visiting order: an `include` names a world,
        any other path, a top-level `use` too, an interface), before it looks any package up;
        a path of the other kind is then refused, whether the package exists or not."""
        from wit_ls.model.path_order import foreign_mentions

        kinds = info.foreign_kinds
        for mention in foreign_mentions([(f.path, d) for f, d in decls]):
            if mention.use_path.is_foreign:
                kinds.setdefault((mention.use_path.package_key(), mention.use_path.name.text),
                                 mention.kind)

    def _wrong_foreign_kind(self, info: PackageState, path: str, name: Ident,
                            target: UsePath, want: str) -> bool:
        """Report ``name`` (a foreign path's name, or a local name a top-level `use` of
        ``target`` brings) when the foreign item ``target`` stands for is of the other kind."""
        first = info.foreign_kinds.get((target.package_key(), target.name.text), want)
        if first == want:
            return False
        self.error(path, name.start, name.end,
                   f"name `{name.text}` is defined as {_article(first)}, not {_article(want)}",
                   "wrong-item-kind")
        return True

    def _gate_foreign_types(self, info: PackageState,
                            decls: Sequence[tuple[SourceFile, Declarations]]) -> None:
        """wit-parser makes one stand-in per foreign type a package names, carrying the
        stability of the first `use` naming it (files in order; in a world its own `use`s, then
        those of inline imported, then exported, interfaces). When that stability is switched
        off, every other `use` of the type refers to an excluded type."""
        gates = info.foreign_type_gates
        for file, d in decls:
            uses: list[Use] = []
            for item in d.order:
                if isinstance(item, Interface):
                    uses.extend(m for m in item.members if isinstance(m, Use))
                elif isinstance(item, World):
                    uses.extend(m for m in item.members if isinstance(m, Use))
                    for direction in ("import", "export"):
                        for m in item.members:
                            if isinstance(m, Extern) and m.direction == direction \
                                    and m.interface is not None:
                                uses.extend(u for u in m.interface.members
                                            if isinstance(u, Use))
            for use in uses:
                key = self._foreign_interface_key(info, file.path, use.path)
                if key is None:
                    continue
                stab = stability_of(use.attributes)[0]
                for use_name in use.names:
                    gates.setdefault((key[0], key[1], use_name.name.text), stab)
        info.gated_off = not all(self.active(gate) for gate in gates.values())

    def _declare(self, info: PackageState, seen: dict[str, Loc], name: Ident, path: str,
                 entry: tuple[str, object, SourceFile]) -> None:
        previous = seen.get(name.text)
        if previous is not None:
            self.error(path, name.start, name.end, f"duplicate item named `{name.text}`",
                       "duplicate-item",
                       (Related(previous.path, previous.start, previous.end,
                                "previously defined here"),))
            return
        seen[name.text] = Loc(path, name.start, name.end)
        info.items[name.text] = entry

    def _top_use(self, info: PackageState, file: SourceFile, scope: dict[str, tuple[str, object]],
                 use: TopUse) -> None:
        path = file.path
        if use.attributes:
            # wit-parser points at `use`, not at the attribute.
            start, end = use.keyword if use.keyword != (0, 0) else (use.attributes[0].start,
                                                                    use.attributes[0].end)
            self.error(path, start, end, "attributes not allowed on top-level use",
                       "attribute-on-use")
        local = use.local
        if local.text in scope:
            self.error(path, local.start, local.end,
                       f"duplicate name `{local.text}` in this file", "duplicate-name")
            return
        if use.path.is_foreign:
            scope[local.text] = ("foreign", use)
        else:
            entry = info.items.get(use.path.name.text)
            if entry is None:
                self.error(path, use.path.name.start, use.path.name.end,
                           f"interface or world `{use.path.name.text}` does not exist",
                           "unknown-name")
                scope[local.text] = ("error", use)
                return
            scope[local.text] = (entry[0], entry[1])
            target = entry[1]
            assert isinstance(target, (RInterface, RWorld))
            self.ref(path, use.path.name, target.loc)

    # -- looking up interfaces and worlds -------------------------------------------------------

    def _foreign_package(self, path: str, use_path: UsePath) -> RPackage | None:
        key = use_path.package_key()
        pkg = self.by_key.get(key)
        if pkg is None:
            known = sorted(p.key for p in self.by_key.values())
            message = f"package '{key}' not found"
            if known:
                message += ". known packages:" + "".join(f"\n    {k}" for k in known[:20])
            start, end = package_span(use_path)
            self.error(path, start, end, message, "unknown-package")
            return None
        if use_path.namespace is not None and use_path.package is not None:
            self.ref(path, use_path.package, pkg.loc)
        return pkg

    def lookup(self, info: PackageState, path: str, use_path: UsePath, want: str,
               ctx: ResolveContext) -> RInterface | RWorld | None:
        """Resolve a path to an interface (``want="interface"``) or a world."""
        name = use_path.name
        if use_path.is_foreign and self._wrong_foreign_kind(info, path, name, use_path, want):
            return None
        if use_path.is_foreign and ctx.excluded:
            # Excluded items are dropped before foreign names are resolved: no errors, except
            # for a missing package (wit-parser orders packages by every foreign reference).
            pkg = self._foreign_package(path, use_path)
            if pkg is None or not pkg.resolved:
                return None
            table = pkg.all_interfaces if want == "interface" else pkg.all_worlds
            index = table.get(name.text)
            if index is None:
                return None
            return self.r.interfaces[index] if want == "interface" else self.r.worlds[index]
        if use_path.is_foreign:
            pkg = self._foreign_package(path, use_path)
            if pkg is None or not pkg.resolved:
                return None
            table = pkg.interfaces if want == "interface" else pkg.worlds
            index = table.get(name.text)
            if index is None and ctx.excluded:
                index = (pkg.all_interfaces if want == "interface" else pkg.all_worlds).get(
                    name.text)
            if index is None:
                self.error(path, name.start, name.end,
                           f"{want} '{name.text}' not found in package '{pkg.key}'",
                           "unknown-" + want)
                return None
            found: RInterface | RWorld = (self.r.interfaces[index] if want == "interface"
                                          else self.r.worlds[index])
            self.ref(path, name, found.loc)
            return found
        scope = info.file_scopes.get(path, {})
        entry = scope.get(name.text)
        if entry is None:
            item = info.items.get(name.text)
            entry = (item[0], item[1]) if item is not None else None
        if entry is None:
            self.error(path, name.start, name.end,
                       f"interface or world `{name.text}` does not exist", "unknown-name")
            return None
        kind, obj = entry
        if kind == "error":
            return None
        if kind == "foreign":
            assert isinstance(obj, TopUse)
            if self._wrong_foreign_kind(info, path, name, obj.path, want):
                return None
            target = self.lookup(info, path, obj.path, want, ctx)
            if target is not None:
                self.ref(path, name, Loc(path, obj.local.start, obj.local.end))
            return target
        if kind != want:
            article = "an interface" if kind == "interface" else "a world"
            self.error(path, name.start, name.end,
                       f"name `{name.text}` is defined as {article}, not "
                       f"{'an interface' if want == 'interface' else 'a world'}",
                       "wrong-item-kind")
            return None
        assert isinstance(obj, (RInterface, RWorld))
        self.ref(path, name, obj.loc)
        if isinstance(obj, RInterface):
            if not self.ensure_interface(info, obj, (path, name)):
                return None
        elif not self.ensure_world(info, obj, (path, name)):
            return None
        if obj.excluded and not ctx.excluded:
            self.error(ctx.path, name.start, name.end,
                       f"found a reference to a {want} which is excluded due to its feature not "
                       "being activated", "excluded-reference")
        return obj

    def ensure_interface(self, info: PackageState, ri: RInterface,
                         site: tuple[str, Ident] | None = None) -> bool:
        state = self.state.get(id(ri), 0)
        if state == 2:
            return True
        if state == 1:
            self._item_cycle(ri)
            return False
        self.state[id(ri)] = 1
        self.item_stack.append(ri)
        iface, path = self.ast_interface[ri.id]
        self.resolve_interface_body(info, ri, iface, path)
        self.item_stack.pop()
        self.state[id(ri)] = 2
        return True

    def direct_deps(self, iid: int) -> list[int]:
        """`Resolve.interface_direct_deps`, worked out once per resolved interface (every world
        that imports an interface, or includes a world that does, asks again); not to be
        changed."""
        ri = self.r.interfaces[iid]
        known = self._direct.get(iid)
        if known is not None and known[0] is ri:
            return known[1]
        deps = self.r.interface_direct_deps(iid)
        if ri.resolved:
            self._direct[iid] = (ri, deps)
        return deps

    def _item_cycle(self, obj: RInterface | RWorld) -> None:
        """wit-parser names the item entered from ``obj`` on the path that closes the cycle,
        at its declaration."""
        stack = self.item_stack
        index = next((i for i, o in enumerate(stack) if o is obj), len(stack) - 1)
        culprit = stack[index + 1] if index + 1 < len(stack) else obj
        loc = culprit.loc
        self.error(loc.path, loc.start, loc.end,
                   f"interface or world `{culprit.name}` depends on itself", "item-cycle")

    def ensure_world(self, info: PackageState, rw: RWorld,
                     site: tuple[str, Ident] | None = None) -> bool:
        state = self.state.get(id(rw), 0)
        if state == 2:
            return True
        if state == 1:
            self._item_cycle(rw)
            return False
        self.state[id(rw)] = 1
        self.item_stack.append(rw)
        world, path = self.ast_world[rw.id]
        from wit_ls.model.worlds import resolve_world

        resolve_world(self, info, rw, world, path)
        self.item_stack.pop()
        self.state[id(rw)] = 2
        return True

    # -- types ----------------------------------------------------------------------------------

    def anon(self, info: PackageState, kind: str, args: list[Ty], handle: str = "",
             size: int = 0, bare: bool = False) -> int:
        key = (kind, tuple(args), handle, size, bare)
        found = info.anon.get(key)
        if found is not None:
            return found
        t = self.r.new_type(None, kind)
        t.args = list(args)
        t.handle = handle
        t.size = size
        t.bare = bare
        info.anon[key] = t.id
        return t.id

    def lookup_type(self, scope: dict[str, object], name: Ident, ctx: ResolveContext) -> Ty:
        entry = scope.get(name.text)
        if entry is None or isinstance(entry, RFunc):
            if isinstance(entry, RFunc) and ctx.mode == "func":
                message = f"cannot use function `{name.text}` as a type"
                code = "function-as-type"
            else:
                word = "type" if ctx.mode == "typedef" else "name"
                message = f"{word} `{name.text}` does not exist"
                if name.text in ("float32", "float64"):
                    message += "\n" + _FLOAT_HINT.format(name.text, "f" + name.text[5:])
                code = "unknown-name"
            self.error(ctx.path, name.start, name.end, message, code)
            return None
        assert isinstance(entry, int)
        t = self.r.types[entry]
        self.ref(ctx.path, name, t.loc, "type")
        self.check_excluded_type(t, ctx)
        return entry

    def check_excluded_type(self, t: RType, ctx: ResolveContext) -> None:
        if ctx.excluded or not t.excluded:
            return
        self.error(ctx.loc.path, ctx.loc.start, ctx.loc.end,
                   "found a reference to a type which is excluded due to its feature not being "
                   "activated", "excluded-reference")

    def resolve_type(self, info: PackageState, expr: TypeExpr | None, scope: dict[str, object],
                     ctx: ResolveContext, alias: bool = False) -> Ty:
        if expr is None:
            return None
        kind = expr.kind
        if kind in PRIMITIVE_TYPES:
            return kind
        if kind == "named":
            # (The usual case written out: a name of a type in scope.)
            name = expr.name
            assert name is not None
            found = scope.get(name.text)
            if not isinstance(found, int):
                return self.lookup_type(scope, name, ctx)  # (the error)
            t = self.r.types[found]
            if t.loc.path:
                self.references.append(Reference(ctx.path, name.start, name.end, t.loc, "type"))
            if t.excluded and not ctx.excluded:
                self.check_excluded_type(t, ctx)
            tkind = t.kind
            if alias or (tkind != "resource" and (tkind != "type" or not self.is_resource(found))):
                return found
            # A bare resource name in a type position means `own<R>`.
            own = info.anon.get(("handle", (found,), "own", 0, False))
            return own if own is not None else self.anon(info, "handle", [found], handle="own")
        if kind == "handle":
            if expr.name is None:
                return None
            target = self.lookup_type(scope, expr.name, ctx)
            if target is None or self.r.dealias(target) is None:
                # (A `use` that did not resolve has its own error.)
                return None
            if not self.is_resource(target):
                foreign = self._crosses_package(target, info.package.id)
                message = ("type used in a handle must be a resource" if foreign else
                           f"type `{expr.name.text}` used in a handle must be a resource")
                self.error(ctx.path, expr.name.start, expr.name.end, message, "handle-not-resource")
                return None
            return self.anon(info, "handle", [target], handle=expr.handle)
        args = [self.resolve_type(info, a, scope, ctx) for a in expr.args]
        if kind == "list":
            if expr.size is not None:
                return self.anon(info, "fixed-length-list", args, size=expr.size)
            return self.anon(info, "list", args)
        if kind == "tuple":
            if not args:
                self.error(ctx.path, expr.start, expr.start + 5, "empty tuple", "empty-type")
            return self.anon(info, "tuple", args)
        if kind in ("option",):
            return self.anon(info, kind, args)
        if kind == "result":
            return self.anon(info, "result", ([*args, None, None])[:2])
        if kind in ("future", "stream"):
            if not args:
                return self.anon(info, kind, [None], bare=True)
            return self.anon(info, kind, args)
        if kind == "map":
            key_expr = expr.args[0] if expr.args else None
            if key_expr is not None and key_expr.kind not in MAP_KEYS:
                self.error(ctx.path, expr.start, expr.start + 3, MAP_KEY_MESSAGE, "invalid-map-key")
            return self.anon(info, "map", ([*args, None, None])[:2])
        return None

    def _crosses_package(self, ty: Ty, package: int) -> bool:
        seen = 0
        while isinstance(ty, int) and seen < 1000:
            t = self.r.types[ty]
            owner = t.owner
            if owner is not None:
                owner_pkg = (self.r.interfaces[owner[1]].package if owner[0] == "interface"
                             else self.r.worlds[owner[1]].package)
                if owner_pkg is not None and owner_pkg != package:
                    return True
            if t.kind != "type" or not t.args:
                return False
            ty = t.args[0]
            seen += 1
        return False

    def is_resource(self, ty: Ty) -> bool:
        ty = self.r.dealias(ty)
        return isinstance(ty, int) and self.r.types[ty].kind == "resource"

    def _borrow(self, tid: int, depth: int) -> tuple[bool, int]:
        """Whether the type ``tid``, met at ``depth``, holds a ``borrow<T>`` (looked at to a
        depth of 200), and how deep below it the answer was found. Answers are kept by type
        (types are not changed once resolved) and reused where that depth fits within the limit
        (an answer cut short by the limit never is), so they equal a fresh walk's."""
        if depth > 200:
            return False, 201  # (cut short: never reused)
        known = self._borrows.get(tid)
        if known is not None and depth + known[1] <= 200:
            return known
        t = self.r.types[tid]
        kind = t.kind
        found = False
        height = 0
        if kind == "handle":
            found = t.handle == "borrow"
        elif kind != "resource":
            below = [m.type for m in t.members] if kind in ("record", "variant") else t.args
            for a in below:
                if isinstance(a, int):
                    found, deeper = self._borrow(a, depth + 1)
                    height = max(height, deeper + 1)
                    if found:
                        break
        answer = (found, height)
        self._borrows[tid] = answer
        return answer

    # -- interfaces -----------------------------------------------------------------------------

    def resolve_interface_body(self, info: PackageState, ri: RInterface, iface: Interface,
                               path: str) -> None:
        owner = ("interface", ri.id)
        scope: dict[str, object] = {}
        self.resolve_items(info, ri, owner, iface.members, path, scope, ri.excluded)
        ri.resolved = True

    def resolve_items(self, info: PackageState, container: RInterface | RWorld,
                      owner: tuple[str, int], members: Sequence[object], path: str,
                      scope: dict[str, object], excluded: bool) -> list[tuple[RFunc, Func]]:
        """Uses, type definitions and functions of an interface (or the types and uses of a
        world). Returns the resolved functions (world resources' methods, for worlds)."""
        pkg = info.package
        names: list[tuple[str, Loc, str]] = []  # (name, loc, "type"|"func") in insertion order
        types_table = container.types if isinstance(container, RInterface) else {}
        # 1. uses.
        typedef_items: list[TypeDef] = []
        for member in members:
            if isinstance(member, Use):
                self.resolve_use(info, member, owner, path, scope, names, types_table, excluded)
            elif isinstance(member, TypeDef):
                typedef_items.append(member)
        # 2. type definitions.
        typedefs: list[tuple[TypeDef, RType]] = []
        new_type = self.r.new_type
        for member in typedef_items:
            member_name = member.name
            text = member_name.text
            shadow = scope.get(text)
            if shadow is not None and shadow not in self.broken_uses \
                    and _shadowed_by_later_use(members, member):
                continue
            t = new_type(text, member.kind)
            t.owner = owner
            t.docs = member.docs
            t.loc = Loc(path, member_name.start, member_name.end)
            t.item_range = (member.start, member.end)
            if member.attributes:
                before = len(self.diagnostics)
                t.stability = self.stability(member.attributes, path, pkg, member_name)
                for index in range(before, len(self.diagnostics)):
                    if self.diagnostics[index].code in _VERSION_GATE_CODES:
                        self._typedef_gates.append((pkg.id, t.id, index))
                t.excluded = excluded or not self.active(t.stability)
            else:
                t.excluded = excluded
            if excluded or t.stability.kind == "unstable":
                self._check_gated_type(owner, excluded, t.stability, pkg, path, member_name,
                                       member_name)
            previous = scope.get(text)
            if previous is not None and previous not in self.broken_uses:
                self.error(path, member_name.start, member_name.end,
                           f"name `{text}` is defined more than once", "duplicate-name")
            else:
                # (A name brought by a `use` of an interface that could not be resolved
                # yields to the definition: the `use` is already an error.)
                scope[text] = t.id
                types_table[text] = t.id
                names.append((text, t.loc, "type"))
            typedefs.append((member, t))
        self._check_type_cycles(typedefs, scope, path)
        for member, t in typedefs:
            self.fill_typedef(info, member, t, scope, path, excluded)
        # 3. functions (for worlds: only the methods of world resources).
        out: list[tuple[RFunc, Func]] = []
        for member in members:
            if isinstance(member, Func):
                func = self.resolve_function(info, member, None, scope, path, excluded)
                out.append((func, member))
                self._define_function(scope, func, names, container, path)
            elif isinstance(member, TypeDef) and member.kind == "resource":
                rid = scope.get(member.name.text)
                if not isinstance(rid, int) or self.r.types[rid].kind != "resource":
                    continue
                for method in member.methods:
                    func = self.resolve_function(info, method, (member, rid), scope, path,
                                                 excluded)
                    out.append((func, method))
                    self._define_function(scope, func, names, container, path)
        self._check_unique(names, path)
        self._check_setters(out, path)
        return out

    def _define_function(self, scope: dict[str, object], func: RFunc,
                         names: list[tuple[str, Loc, str]], container: RInterface | RWorld,
                         path: str) -> None:
        names.append((func.name, func.loc, "func"))
        if func.name in scope:
            return
        if func.kind in ("freestanding", "async-freestanding"):
            scope[func.name] = func
        if isinstance(container, RInterface):
            container.functions.setdefault(func.name, func)

    def _check_unique(self, names: list[tuple[str, Loc, str]], path: str) -> None:
        exact: dict[str, tuple[Loc, str]] = {}
        keyed: dict[str, tuple[str, Loc]] = {}
        for name, loc, kind in names:
            previous = exact.get(name)
            if previous is not None:
                if kind == "func" or previous[1] == "func":
                    self.error(loc.path, loc.start, loc.end, f"duplicate name `{name}`",
                               "duplicate-name",
                               (Related(previous[0].path, previous[0].start, previous[0].end,
                                        "previously defined here"),))
                continue
            exact[name] = (loc, kind)
            for key in uniqueness_keys(name):
                prior = keyed.get(key)
                if prior is not None and prior[0] != name:
                    self.error(loc.path, loc.start, loc.end,
                               f"name `{name}` conflicts with previous name `{prior[0]}`",
                               "name-conflict",
                               (Related(prior[1].path, prior[1].start, prior[1].end,
                                        "previously defined here"),))
                    break
                keyed.setdefault(key, (name, loc))

    def _check_setters(self, funcs: list[tuple[RFunc, Func]], path: str) -> None:
        setters = [(func, item) for func, item in funcs if item.accessor == "set"]
        if not setters:
            return
        names = {f.name for f, _ in funcs}
        for func, _item in setters:
            getter = func.name.replace("[set]", "[get]", 1)
            if getter not in names:
                self.error(path, func.loc.start, func.loc.end,
                           f"setter `{func.name}` has no corresponding getter `{getter}`",
                           "setter-without-getter")

    def _check_gated_type(self, owner: tuple[str, int], excluded: bool, stability: Stability,
                          pkg: RPackage, path: str, name: Ident, local: Ident) -> None:
        """The feature gate of a named type (a definition, or a name a `use` brings in) against
        its container's. An ungated type in an interface or world that is gated off is an error
        (at the type's name: the original name of a `use ... as`). In a world, every type is
        also an item of the world, and wit-parser looks a world's items up before it filters
        them by their gates: a type gated off in a world that is not is an error too (at the
        name the world knows it by)."""
        if pkg.excluded:
            return
        if excluded and self.active(stability):
            what = "interface" if owner[0] == "interface" else "world"
            self.error(path, name.start, name.end,
                       f"found a reference to a {what} which is excluded due to its feature "
                       f"not being activated; this type is not gated by a feature but its "
                       f"{what} is", "excluded-reference")
        elif owner[0] == "world" and not excluded and not self.active(stability):
            self.error(path, local.start, local.end,
                       "found a reference to a type which is excluded due to its feature not "
                       "being activated", "excluded-reference")

    def resolve_use(self, info: PackageState, use: Use, owner: tuple[str, int], path: str,
                    scope: dict[str, object], names: list[tuple[str, Loc, str]],
                    types_table: dict[str, int], excluded: bool) -> None:
        pkg = info.package
        # wit-parser checks a `use`'s gate on the types it brings, each at its name as written
        # in the other interface: the first name's errors come first; with no names, none.
        stab = (self.stability(use.attributes, path, pkg, use.names[0].name) if use.names
                else stability_of(use.attributes)[0])
        use_excluded = excluded or not self.active(stab)
        ctx = ResolveContext(path, use_excluded,
                             Loc(path, use.path.name.start, use.path.name.end), "use")
        target = self.lookup(info, path, use.path, "interface", ctx)
        assert target is None or isinstance(target, RInterface)
        # Foreign: named by its package, or through a top-level `use` of a foreign path.
        foreign = use.path.is_foreign or (target is not None and target.package != pkg.id)
        for use_name in use.names:
            local = use_name.local
            orig: int | None = None
            if target is not None:
                orig = target.types.get(use_name.name.text)
            if target is not None and not use_excluded and info.gated_off and \
                    not self._stand_in_active(info, path, use, use_name.name.text):
                if orig is not None:
                    self.ref(path, use_name.name, self.r.types[orig].loc, "type")
                self.error(path, use_name.name.start, use_name.name.end,
                           "found a reference to a type which is excluded due to its "
                           "feature not being activated", "excluded-reference")
            elif target is not None:
                if orig is not None and foreign and self.r.types[orig].excluded \
                        and not use_excluded:
                    orig = None
                if orig is None and use_excluded and foreign:
                    pass
                elif orig is None:
                    if use_name.name.text in target.functions:
                        self.error(path, use_name.name.start, use_name.name.end,
                                   f"cannot import function `{use_name.name.text}`",
                                   "use-of-function")
                    elif foreign:
                        self.error(path, use_name.name.start, use_name.name.end,
                                   f"type `{use_name.name.text}` not defined in interface",
                                   "unknown-name")
                    else:
                        self.error(path, use_name.name.start, use_name.name.end,
                                   f"name `{use_name.name.text}` does not exist", "unknown-name")
                else:
                    orig_type = self.r.types[orig]
                    self.ref(path, use_name.name, orig_type.loc, "type")
                    if not use_excluded and orig_type.excluded:
                        self.error(path, local.start, local.end,
                                   "found a reference to a type which is excluded due to its "
                                   "feature not being activated", "excluded-reference")
            if excluded or stab.kind == "unstable":
                self._check_gated_type(owner, excluded, stab, pkg, path, use_name.name, local)
            t = self.r.new_type(local.text, "type")
            t.args = [orig]
            t.owner = owner
            t.loc = Loc(path, local.start, local.end)
            t.item_range = (use.start, use.end)
            t.stability = stab
            t.excluded = use_excluded
            if target is None and not use.path.is_foreign:
                # (A foreign name stays: wit-parser finds a clash with it while it reads the
                # package, before it looks for the other package.)
                self.broken_uses.add(t.id)
            if local.text in scope:
                self.error(path, local.start, local.end,
                           f"name `{local.text}` is defined more than once", "duplicate-name")
                continue
            scope[local.text] = t.id
            types_table[local.text] = t.id
            names.append((local.text, t.loc, "type"))

    def _stand_in_active(self, info: PackageState, path: str, use: Use, name: str) -> bool:
        key = self._foreign_interface_key(info, path, use.path)
        if key is None:
            return True
        gate = info.foreign_type_gates.get((key[0], key[1], name))
        return gate is None or self.active(gate)

    def _check_type_cycles(self, typedefs: list[tuple[TypeDef, RType]],
                           scope: dict[str, object], path: str) -> None:
        # Each type definition's edges to the local definitions its type expressions name,
        # and whether any edge leads to itself or to a later definition: when none does, the
        # declaration order is a topological order and there is no cycle to look for (the
        # usual case: a type names those defined before it, or `use`d ones).
        position = {t.id: index for index, (_item, t) in enumerate(typedefs)}
        deps: dict[int, list[tuple[int, Ident]]] = {}
        forward = False
        for index, (item, t) in enumerate(typedefs):
            found: list[tuple[int, Ident]] = []
            pending: list[TypeExpr | None] = [item.alias]
            pending.extend(m.type for m in item.members)
            while pending:
                expr = pending.pop()
                if expr is None:
                    continue
                name = expr.name
                if name is not None and expr.kind in ("named", "handle"):
                    target = scope.get(name.text)
                    if isinstance(target, int):
                        at = position.get(target)
                        if at is not None:
                            found.append((target, name))
                            forward = forward or at >= index
                if expr.args:
                    pending.extend(expr.args)
            if found:
                deps[t.id] = found
        if forward:
            self._type_cycle_search(typedefs, deps, path)

    def _type_cycle_search(self, typedefs: list[tuple[TypeDef, RType]],
                           deps: dict[int, list[tuple[int, Ident]]], path: str) -> None:
        """Depth first from each definition in order, reporting each edge that closes a cycle
        as wit-parser does (see `_check_type_cycles`)."""
        state: dict[int, int] = {}
        stack: list[tuple[int, Ident | None]] = []

        # (`visit` is handed itself rather than calling itself by name: a function that names
        # itself is a reference cycle through its closure, which keeps this resolver, and the
        # whole analysis with it, alive until the cyclic garbage collector runs.)
        def visit(tid: int, edge: Ident | None, again: _Visit) -> None:
            state[tid] = 1
            stack.append((tid, edge))
            for dep, ident in deps.get(tid, []):
                st = state.get(dep, 0)
                if st == 0:
                    again(dep, ident, again)
                elif st == 1:
                    # Report the edge leaving `dep` on the current path, as wit-parser does.
                    index = next(i for i, (t, _) in enumerate(stack) if t == dep)
                    if index + 1 < len(stack):
                        culprit, where = stack[index + 1]
                    else:
                        culprit, where = dep, ident
                    assert where is not None
                    name = self.r.types[culprit].name
                    self.error(path, where.start, where.end, f"type `{name}` depends on itself",
                               "type-cycle")
                    self.cyclic_types.update(t for t, _ in stack[index:])
            stack.pop()
            state[tid] = 2

        first = len(self.diagnostics)
        for _item, t in typedefs:
            if state.get(t.id, 0) == 0:
                visit(t.id, None, visit)
        self._first_type_cycle(typedefs, deps, path, first)

    def _first_type_cycle(self, typedefs: list[tuple[TypeDef, RType]],
                          deps: dict[int, list[tuple[int, Ident]]], path: str,
                          first: int) -> None:
        """The one cycle error wit-parser reports: it places the definitions in dependency
        order while it can, then reports at the first edge, of the first definition left, to
        another one left. A definition that only depends on a cycle is left too, so this may be
        an edge into the cycle rather than one of the cycle's own edges (those found above)."""
        remaining = {tid: len(edges) for tid, edges in deps.items()}
        users: dict[int, list[int]] = {}
        for tid, edges in deps.items():
            for dep, _ident in edges:
                users.setdefault(dep, []).append(tid)
        ready = [t.id for _item, t in typedefs if not remaining.get(t.id)]
        placed: set[int] = set()
        while ready:
            tid = ready.pop()
            placed.add(tid)
            for user in users.get(tid, ()):
                remaining[user] -= 1
                if remaining[user] == 0:
                    ready.append(user)
        for _item, t in typedefs:
            if t.id in placed:
                continue
            for dep, ident in sorted(deps.get(t.id, ()), key=lambda edge: edge[1].start):
                if dep in placed:
                    continue
                if not any(d.start == ident.start and d.path == path and d.code == "type-cycle"
                           for d in self.diagnostics[first:]):
                    self.error(path, ident.start, ident.end,
                               f"type `{self.r.types[dep].name}` depends on itself",
                               "type-cycle")
                return
            return

    def fill_typedef(self, info: PackageState, item: TypeDef, t: RType, scope: dict[str, object],
                     path: str, excluded: bool) -> None:
        ctx = ResolveContext(path, t.excluded, t.loc, "typedef")
        kind = item.kind
        name = item.name
        if kind == "type":
            if t.id in self.cyclic_types:
                t.args = [None]
                return
            ty = self.resolve_type(info, item.alias, scope, ctx, alias=True)
            if isinstance(ty, int) and self.r.types[ty].name is None:
                # `type x = list<u8>` is the list itself, named.
                anon = self.r.types[ty]
                t.kind, t.args, t.handle = anon.kind, list(anon.args), anon.handle
                t.size, t.bare = anon.size, anon.bare
                return
            t.args = [ty]
            return
        if kind == "resource":
            return
        members = item.members
        if not members:
            empty = {"record": "empty record", "flags": "empty flags", "variant": "empty variant",
                     "enum": "empty enum"}[kind]
            self.error(path, name.start, name.end, empty, "empty-type")
        if kind == "flags" and len(members) > 32:
            extra = members[32].name
            self.error(path, extra.start, extra.end, "cannot have more than 32 flags",
                       "too-many-flags")
        word = _MEMBER_WORD[kind]
        seen: dict[str, Ident] = {}
        cyclic = t.id in self.cyclic_types
        # One context for the members, pointed at each in turn (a type's errors are placed at
        # the member naming it).
        member_ctx = ResolveContext(path, t.excluded, t.loc, "typedef")
        out = t.members
        for member in members:
            member_name = member.name
            text = member_name.text
            lowered = strong_key(text)
            prior = seen.get(lowered)
            if prior is not None:
                if prior.text == text:
                    message = f"duplicate {word} `{text}`"
                else:
                    message = f"{word} `{text}` conflicts with previous {word} `{prior.text}`"
                self.error(path, member_name.start, member_name.end, message, "duplicate-member",
                           (Related(path, prior.start, prior.end, "previously defined here"),))
            else:
                seen[lowered] = member_name
            member_loc = Loc(path, member_name.start, member_name.end)
            member_ty: Ty = None
            if not cyclic and member.type is not None:
                member_ctx.loc = member_loc
                member_ty = self.resolve_type(info, member.type, scope, member_ctx)
            out.append(RMember(text, member_ty, member.docs, member_loc))

    # -- functions ------------------------------------------------------------------------------

    def resolve_function(self, info: PackageState, item: Func,
                         resource: tuple[TypeDef, int] | None, scope: dict[str, object],
                         path: str, excluded: bool) -> RFunc:
        pkg = info.package
        resource_name = resource[0].name.text if resource is not None else None
        func = RFunc(function_name(item, resource_name), function_kind(item))
        func.resource = resource[1] if resource is not None else None
        func.docs = item.docs
        attributes = item.attributes
        if attributes:
            func.external_id = external_id(attributes)
        name_ident = item.name
        if name_ident is not None:
            func.loc = loc = Loc(path, name_ident.start, name_ident.end)
            func.label = name_ident.text
        else:
            func.loc = loc = Loc(path, item.keyword[0], item.keyword[1])
            func.label = "constructor"
        func.item_range = (item.start, item.end)
        if attributes:
            func.stability = self.stability(attributes, path, pkg, name_ident)
            func.excluded = excluded or not self.active(func.stability)
        else:
            func.excluded = excluded
        ctx = ResolveContext(path, func.excluded, loc, "func")
        params: list[RParam] = []
        seen: set[str] = set()
        if resource is not None:
            rid = resource[1]
            if self.r.types[rid].excluded and not func.excluded:
                self.check_excluded_type(self.r.types[rid], ctx)
            if item.kind == "method":
                params.append(RParam("self", self.anon(info, "handle", [rid], handle="borrow"),
                                     NO_LOC))
                seen.add("self")
        for param in item.params:
            param_name = param.name
            text = param_name.text
            lowered = strong_key(text)
            if lowered in seen:
                self.error(path, param_name.start, param_name.end,
                           f"param `{text}` is defined more than once", "duplicate-param")
            seen.add(lowered)
            params.append(RParam(text, self.resolve_type(info, param.type, scope, ctx),
                                 Loc(path, param_name.start, param_name.end)))
        func.params = params
        result: Ty = None
        if item.has_result:
            result = self.resolve_type(info, item.result, scope, ctx)
        if item.kind == "constructor" and resource is not None:
            rid = resource[1]
            if item.has_result and item.result is not None:
                self._check_constructor_result(item.result, result, rid, path)
            elif not item.has_result:
                result = self.anon(info, "handle", [rid], handle="own")
        func.result = result
        if not item.accessor:
            pass
        elif item.accessor == "get":
            declared = len(item.params)
            if declared:
                first = item.params[0].name
                self.error(path, first.start, first.end, "getters cannot have parameters",
                           "invalid-accessor")
            if not item.has_result:
                self.error(path, func.loc.start, func.loc.end, "getters must return a value",
                           "invalid-accessor")
        elif item.accessor == "set":
            if len(item.params) != 1:
                self.error(path, func.loc.start, func.loc.end,
                           "setters must have exactly one parameter", "invalid-accessor")
            if item.has_result and item.result is not None:
                res = item.result
                if res.kind != "result" or (res.args and res.args[0] is not None):
                    self.error(path, res.start, res.end,
                               "if a setter return type is declared it must be a `result` with "
                               "no `ok` type", "invalid-accessor")
        if isinstance(result, int) and self._borrow(result, 0)[0]:  # (a borrow in the result)
            self.error(path, func.loc.start, func.loc.end,
                       f"function `{func.name}` returns a type which contains a `borrow<T>` which "
                       "is not supported", "borrow-in-result")
        return func

    def _check_constructor_result(self, expr: TypeExpr, result: Ty, rid: int, path: str) -> None:
        if expr.kind != "result":
            self.error(path, expr.start, expr.end,
                       "if a constructor return type is declared it must be a `result`",
                       "invalid-constructor-result")
            return
        if not isinstance(result, int):
            return
        ok = self.r.types[result].args[0] if self.r.types[result].args else None
        ok_expr = expr.args[0] if expr.args else None
        target: Ty = ok
        if isinstance(target, int):
            plain = self.r.dealias(target)
            t = self.r.types[plain if isinstance(plain, int) else target]
            if t.kind == "handle" and t.handle == "own" and t.args:
                target = t.args[0]
        if self.r.dealias(target) != rid:
            where = ok_expr if ok_expr is not None else expr
            self.error(path, where.start, where.end,
                       "the `ok` type must be the resource being constructed",
                       "invalid-constructor-result")
