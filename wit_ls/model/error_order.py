"""The order in which wit-parser meets the problems of one package root, as a sort key.

wasm-tools stops at the first error it meets, so the first error wit-ls lists should be that one.
wit-ls finds every error; this module only orders them by wit-parser's phases (its public source:
``resolve/fs.rs``, ``ast.rs``, ``ast/resolve.rs``, ``resolve/mod.rs``):

1. *Per package group*, the root directory first, then each ``deps/`` entry by name; each group is
   read, parsed file by file (files sorted by path; a file is searched for forbidden characters
   before it is parsed; a nested ``package`` block is resolved when its file is parsed), then
   resolved on its own ("unresolved package"): the missing header, duplicate items, names in the
   files' namespaces, interfaces' ``use`` paths and worlds' ``include``s, the sort of
   interfaces and worlds (a missing name that a top-level ``use`` brings and an interface's
   ``use`` or a world's ``include`` names, then cycles), top-level ``use``, the ``use`` paths
   of interfaces and worlds (a missing name, a name of the other kind), then the bodies of
   interfaces and then of worlds, each in dependency order
   (types before functions; among the types: the ``use``s, a type defined twice, the names the
   definitions refer to, then the definitions' bodies in dependency order; in a world, its
   ``include``s after its types).
2. *Linking*: a package defined twice, a cycle between packages.
3. *Per package*, in the order packages are added (by name, each after the packages it uses):
   the foreign interfaces, then worlds, it names (an unknown package is reported where the
   package is first named, for the first of its items in that order), the foreign types, then
   feature gates and the rest of the types, interfaces and worlds, and last the worlds'
   ``include``s and elaboration.

Within a step, errors follow the file order and their position. Anything this module does not
place (warnings, notes) sorts after every error of the same step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from wit_ls.model.items import (
    Declarations,
    Extern,
    Func,
    Include,
    Interface,
    TopUse,
    TypeDef,
    Use,
    UsePath,
    World,
    referred_names,
)
from wit_ls.model.loader import Load, PackageSource
from wit_ls.model.path_order import foreign_mentions
from wit_ls.model.toposort import toposort
from wit_ls.syntax import Diagnostic
from wit_ls.syntax.semver import VersionError, parse_version

TYPE_CHECKING = False  # not typing's: see wit_ls.light_typing
if TYPE_CHECKING:
    from wit_ls.model.resolver import PackageState

Key = tuple[int, ...]

# Stages.
_GROUP, _LINK, _REMAP, _LAST = 0, 1, 2, 3

# Steps of a group (after its files are read and parsed).
_READ, _PARSE, _HEADER, _DUP_ITEM, _FILE_NAMES, _ITEM_CYCLE, _TOP_USE, _USE_PATHS, _BODIES = \
    range(9)

# Steps of a package being added.
_FOREIGN, _FOREIGN_TYPE, _FOREIGN_RESOURCE, _TYPES, _FUNCS, _WORLD_ITEMS, _INCLUDES = range(7)

# Errors met while linking packages together.
_LINK_CODES = {"duplicate-package": 0, "package-cycle": 1}

# Errors met only when a package is added to the resolve (wit-parser's `Remap`).
_REMAP_CODES = frozenset({
    "excluded-reference", "stability-mismatch", "gate-needs-version", "unreleased-version",
    "borrow-in-result", "include-conflict", "unknown-include-name", "incompatible-export",
})
_WORLD_CODES = frozenset({"include-conflict", "unknown-include-name", "incompatible-export"})
# Characters wit-parser refuses anywhere in a file, before tokenizing it.
_FORBIDDEN_CHARACTER_CODES = frozenset({"control-code", "bidi-codepoint",
                                        "discouraged-codepoint"})


def _package_start(use_path: UsePath) -> int:
    return use_path.namespace.start if use_path.namespace is not None else use_path.start


class _Package:
    """What the order needs to know of one package: its foreign items in wit-parser's
    allocation order and the rank of its interfaces and worlds."""

    def __init__(self, source: PackageSource) -> None:
        self.source = source
        decls = [(f.path, d) for f, d in source.declarations()]
        # Foreign items: (package, name) -> (kind of first mention, order of allocation).
        items: dict[tuple[str, str], tuple[str, int]] = {}
        counts = {"interface": 0, "world": 0}
        first_of_package: dict[str, tuple[str, int]] = {}
        first_of_item: dict[tuple[str, str], tuple[str, int]] = {}
        self.package_at: dict[tuple[str, int], str] = {}
        self.item_at: dict[tuple[str, int], tuple[str, str]] = {}
        self.visit: dict[tuple[str, int], int] = {}
        for n, mention in enumerate(foreign_mentions(decls)):
            up = mention.use_path
            if not up.is_foreign:
                continue
            pkg, name = up.package_key(), up.name.text
            start = _package_start(up)
            self.package_at[(mention.path, start)] = pkg
            self.item_at[(mention.path, up.name.start)] = (pkg, name)
            self.visit.setdefault((mention.path, start), n)
            self.visit.setdefault((mention.path, up.name.start), n)
            first_of_package.setdefault(pkg, (mention.path, start))
            first_of_item.setdefault((pkg, name), (mention.path, up.name.start))
            if (pkg, name) not in items:
                items[(pkg, name)] = (mention.kind, counts[mention.kind])
                counts[mention.kind] += 1
        # wit-parser connects every foreign interface, then every foreign world.
        self.item_rank = {k: (0 if kind == "interface" else 1) * (1 << 20) + i
                          for k, (kind, i) in items.items()}
        self.package_rank: dict[str, int] = {}
        for (pkg, _name), rank in self.item_rank.items():
            self.package_rank[pkg] = min(rank, self.package_rank.get(pkg, rank))
        self.first_of_package = first_of_package
        self.first_of_item = first_of_item
        # Interfaces, then worlds, each in wit-parser's topological order.
        deps: dict[str, list[str]] = {}
        kinds: dict[str, str] = {}
        self.items: list[tuple[str, Interface | World]] = []
        for path, d in decls:
            for item in d.order:
                if isinstance(item, Interface) and item.name is not None:
                    kinds.setdefault(item.name.text, "interface")
                    deps.setdefault(item.name.text, [
                        m.path.name.text for m in item.members
                        if isinstance(m, Use) and not m.path.is_foreign])
                elif isinstance(item, World):
                    kinds.setdefault(item.name.text, "world")
                    deps.setdefault(item.name.text, [
                        m.path.name.text for m in item.members
                        if isinstance(m, Include) and not m.path.is_foreign])
                if isinstance(item, (Interface, World)):
                    self.items.append((path, item))
        order = toposort(deps)
        self.rank = {name: (0 if kinds[name] == "interface" else 1) * (1 << 20) + i
                     for i, name in enumerate(order)}
        self.missing_edge = _missing_edges(decls)
        self.use_visit: dict[tuple[str, int], int] = {}
        self.use_attributes: list[tuple[str, int, int, int]] = []
        for path, use in _uses_in_visit_order(decls):
            visit = self.use_visit.setdefault((path, use.path.name.start), len(self.use_visit))
            if use.attributes:
                self.use_attributes.append((path, use.attributes[0].start, use.path.start, visit))

    def use_attribute_visit(self, path: str, start: int) -> int | None:
        """The place of the `use` whose attributes hold ``start`` (see ``use_visit``)."""
        for use_path, lo, hi, visit in self.use_attributes:
            if use_path == path and lo <= start < hi:
                return visit
        return None

    def container(self, path: str, start: int) -> tuple[Interface | World | None, int]:
        """The top-level interface or world around ``start`` and its rank."""
        for item_path, item in self.items:
            if item_path == path and item.start <= start < item.end:
                name = item.name.text if item.name is not None else ""
                return item, self.rank.get(name, 1 << 21)
        return None, 1 << 22


def _missing_edges(decls: list[tuple[str, Declarations]]) -> dict[tuple[str, int], int]:
    """Where wit-parser's sort of interfaces and worlds meets a top-level ``use`` of a name the
    package does not define: an interface's ``use`` or a world's ``include`` naming the
    ``use``'s local name (in the same file) makes an edge to that missing name, and the sort
    checks every edge (nodes in declaration order, each one's edges as written) before it
    looks for cycles, so it fails there, before any top-level ``use`` is looked at.
    (path, start of the missing name) -> the place of the first such edge."""
    out: dict[tuple[str, int], int] = {}
    edge = 0
    for path, d in decls:
        scope = {item.local.text: item for item in d.order
                 if isinstance(item, TopUse) and not item.path.is_foreign}
        for item in d.order:
            if isinstance(item, Interface) and item.name is not None:
                paths = [m.path for m in item.members if isinstance(m, Use)]
            elif isinstance(item, World):
                paths = [m.path for m in item.members if isinstance(m, Include)]
            else:
                continue
            for use_path in paths:
                edge += 1
                top = None if use_path.is_foreign else scope.get(use_path.name.text)
                if top is not None:
                    out.setdefault((path, top.path.name.start), edge)
    return out


def _uses_in_visit_order(decls: list[tuple[str, Declarations]]) -> Iterator[tuple[str, Use]]:
    """The ``use``s (with names) of interfaces and worlds, in the order wit-parser looks them up
    (``populate_foreign_types``, its ``for_each_path`` order), before any body: their attributes
    are read, then the path looked up (a missing name or one of the other kind is met there)."""
    for path, d in decls:
        for item in d.order:
            uses: list[Use] = []
            if isinstance(item, Interface):
                uses = [m for m in item.members if isinstance(m, Use)]
            elif isinstance(item, World):
                uses = [m for m in item.members if isinstance(m, Use)]
                for direction in ("import", "export"):
                    for m in item.members:
                        if isinstance(m, Extern) and m.direction == direction \
                                and m.interface is not None:
                            uses.extend(u for u in m.interface.members if isinstance(u, Use))
            for use in uses:
                yield path, use


def _member_step(container: Interface | World | None, start: int) -> int:
    """Which step of resolving a body meets an error at ``start``: types (``use`` included)
    come before functions; in a world, items come after types; resource methods are
    functions."""
    if container is None:
        return _TYPES
    for m in container.members:
        if not m.start <= start < m.end:
            continue
        if isinstance(m, TypeDef):
            if any(f.start <= start < f.end for f in m.methods):
                return _FUNCS if isinstance(container, Interface) else _WORLD_ITEMS
            return _TYPES
        if isinstance(m, Use):
            return _TYPES
        if isinstance(m, Func):
            return _FUNCS
        if isinstance(m, Include):
            return _INCLUDES
        if isinstance(m, Extern) and m.interface is not None:
            # An inline interface's types are remapped with the other types.
            for inner in m.interface.members:
                if isinstance(inner, (Use, TypeDef)) and inner.start <= start < inner.end \
                        and not (isinstance(inner, TypeDef)
                                 and any(f.start <= start < f.end for f in inner.methods)):
                    return _TYPES
        return _WORLD_ITEMS
    return _TYPES


def _members_around(container: Interface | World | None, start: int) -> Sequence[object]:
    """The members of the interface or world whose types are resolved together with the one at
    ``start``: ``container``'s, or those of the inline interface of a world around it."""
    if container is None:
        return ()
    if isinstance(container, World):
        for m in container.members:
            if isinstance(m, Extern) and m.interface is not None and m.start <= start < m.end:
                return m.interface.members
    return container.members




def _type_ranks(members: Sequence[object]) -> dict[str, int]:
    """The order wit-parser resolves the bodies of these type definitions in: a topological
    order of the names they refer to (a name a ``use`` brings keeps the first place of that
    name; it has no dependencies)."""
    deps: dict[str, list[str]] = {}
    for m in members:
        if isinstance(m, TypeDef):
            names: list[str] = []
            referred_names(m.alias, names)
            for field in m.members:
                referred_names(field.type, names)
            deps[m.name.text] = names
        elif isinstance(m, Use):
            for use_name in m.names:
                deps[use_name.local.text] = []
    return {name: i for i, name in enumerate(toposort(deps))}


class _TypePhases:
    """Where an error among an interface's or world's types falls in wit-parser's
    ``resolve_types``: the ``use``s first; then a type defined a second time (after a
    definition or a ``use`` of the name); then the names the definitions refer to (a missing
    one, then a cycle); then the definitions' bodies, in dependency order."""

    def __init__(self) -> None:
        self._ranks: dict[int, dict[str, int]] = {}

    def __call__(self, container: Interface | World | None, d: Diagnostic) -> tuple[int, int]:
        members = _members_around(container, d.start)
        for m in members:
            if not isinstance(m, (Use, TypeDef)) or not m.start <= d.start < m.end:
                continue
            if isinstance(m, Use):
                return 0, 0
            if d.code == "duplicate-name" and d.start == m.name.start:
                return 1, 0
            if d.code == "unknown-name":
                return 2, 0
            if d.code == "type-cycle":
                return 2, 1
            ranks = self._ranks.get(id(members))
            if ranks is None:
                ranks = self._ranks[id(members)] = _type_ranks(members)
            return 3, ranks.get(m.name.text, 1 << 20)
        return 3, 1 << 20


def _gated_world_member(container: World, start: int) -> bool:
    """Whether ``start`` is in a world's own ``@unstable`` type or ``use``: wit-parser drops it
    from the world's items, which reports the gate once the world is remapped."""
    return any(isinstance(m, (Use, TypeDef)) and m.start <= start < m.end
               and any(a.kind == "unstable" for a in m.attributes) for m in container.members)


def order_key(load: Load, syntax: set[tuple[str, int, int, str]],
              package_order: list[PackageSource]) -> Callable[[Diagnostic], Key]:
    """A sort key placing the diagnostics of one root in the order wit-parser meets them.
    ``syntax``: (path, start, end, message) of the parser's diagnostics; ``package_order``: the
    packages in the order wit-parser adds them to its resolve."""
    group_of: dict[str, int] = {}
    file_pos: dict[str, int] = {}  # a file's place in its group (files are parsed in order)
    group = -1
    previous_root = None
    for source in load.packages:
        if source.nested is None and source.root != previous_root:
            group += 1
            previous_root = source.root
        for n, f in enumerate(source.files):
            group_of.setdefault(f.path, group)
            file_pos.setdefault(f.path, n)
        if source.nested is None:
            group_of.setdefault(source.root, group)
    packages = [_Package(s) for s in load.packages]
    nested: dict[str, list[tuple[int, int, _Package]]] = {}
    main_of: dict[str, _Package] = {}
    for p in packages:
        if p.source.nested is not None and p.source.nested_file is not None:
            nested.setdefault(p.source.nested_file.path, []).append(
                (p.source.nested.start, p.source.nested.end, p))
        else:
            for f in p.source.files:
                main_of.setdefault(f.path, p)
    added = {id(s): i for i, s in enumerate(package_order)}
    type_phases = _TypePhases()

    def package_of(path: str, start: int) -> _Package | None:
        for lo, hi, p in nested.get(path, ()):
            if lo <= start < hi:
                return p
        return main_of.get(path)

    def key(d: Diagnostic) -> Key:
        p = package_of(d.path, d.start)
        g = group_of.get(d.path, 1 << 20)
        file_index = file_pos.get(d.path, 0)
        if d.code == "read-error":
            return (_GROUP, g, _READ, file_index, d.start, d.end)
        is_nested = p is not None and p.source.nested is not None
        if (d.path, d.start, d.end, d.message) in syntax:
            # A file is searched for forbidden characters before it is parsed; a package nested
            # in a nested package is refused once the file is parsed.
            after = (-1 if d.code in _FORBIDDEN_CHARACTER_CODES else
                     1 if d.code == "nested-package-depth" else 0)
            return (_GROUP, g, _PARSE, file_index, after, d.start, d.end)
        if d.code in ("package-name-mismatch", "multiple-package-docs"):
            return (_GROUP, g, _PARSE, file_index, 2, d.start, d.end)
        if d.code in _LINK_CODES:
            return (_LINK, _LINK_CODES[d.code], g, file_index, d.start, d.end)
        if p is None:
            return (_LAST, g, file_index, d.start, d.end)
        if d.code == "missing-package-header":
            return (_GROUP, g, _HEADER, file_index, d.start, d.end)
        remap = _remap_step(d, p)
        if remap is not None:
            step, place = remap
            return (_REMAP, added.get(id(p.source), len(added)), step, place, file_index,
                    d.start, d.end)
        if d.severity.label != "error":
            return (_LAST, g, file_index, d.start, d.end)
        step, ranks = _group_step(d, p, type_phases, file_index)
        inner = (step, *ranks, file_index, d.start, d.end)
        if is_nested:
            # Resolved as soon as its file is parsed.
            return (_GROUP, g, _PARSE, file_index, 1, *inner)
        return (_GROUP, g, *inner)

    return key


def _remap_step(d: Diagnostic, p: _Package) -> tuple[int, int] | None:
    at = (d.path, d.start)
    if d.code == "unknown-package":
        pkg = p.package_at.get(at)
        if pkg is None:
            return _FOREIGN, 1 << 22
        first = 0 if p.first_of_package.get(pkg) == at else 1
        return _FOREIGN, (p.package_rank.get(pkg, 1 << 21) * 2 + first) * (1 << 16) \
            + p.visit.get(at, 0)
    if d.code in ("unknown-interface", "unknown-world"):
        item = p.item_at.get(at)
        if item is None:
            return _FOREIGN, 1 << 22
        first = 0 if p.first_of_item.get(item) == at else 1
        return _FOREIGN, (p.item_rank.get(item, 1 << 21) * 2 + first) * (1 << 16) \
            + p.visit.get(at, 0)
    if d.code == "unknown-name" and d.message.endswith("not defined in interface"):
        return _FOREIGN_TYPE, 0
    if d.code == "handle-not-resource" and not d.message.startswith("type `"):
        return _FOREIGN_RESOURCE, 0
    if d.code == "name-conflict" and "in world" in d.message:
        return _INCLUDES, 0
    if d.code not in _REMAP_CODES:
        return None
    if d.code in _WORLD_CODES:
        return _INCLUDES, 0
    container, _rank = p.container(d.path, d.start)
    step = _member_step(container, d.start)
    if isinstance(container, World) and step in (_TYPES, _FUNCS):
        # World-owned types come with the other types; the rest with the world.
        step = _TYPES if step == _TYPES and not _gated_world_member(container, d.start) \
            else _WORLD_ITEMS
    return step, 0


def _group_step(d: Diagnostic, p: _Package, type_phases: _TypePhases,
                file_index: int) -> tuple[int, tuple[int, ...]]:
    container, rank = p.container(d.path, d.start)
    if d.code == "duplicate-item":
        return _DUP_ITEM, ()
    # File by file, a name defined twice in the file's namespace, then the paths it names.
    if d.code == "duplicate-name" and d.message.endswith("in this file"):
        return _FILE_NAMES, (file_index, 0)
    if d.code == "unknown-name" and d.message.startswith("interface or world"):
        if container is None:
            edge = p.missing_edge.get((d.path, d.start))
            if edge is not None:
                return _ITEM_CYCLE, (0, edge)
            return _TOP_USE, ()
        if isinstance(container, Interface) or any(
                isinstance(m, Include) and m.start <= d.start < m.end for m in container.members):
            # (A world's `include`s are looked up with the interfaces' `use` paths.)
            return _FILE_NAMES, (file_index, 1)
    if d.code == "item-cycle":
        return _ITEM_CYCLE, (1, 0)
    if d.code == "attribute-on-use":
        return _TOP_USE, ()
    visit = p.use_visit.get((d.path, d.start))
    if visit is not None and (d.code == "wrong-item-kind" or (
            d.code == "unknown-name" and d.message.startswith("interface or world"))):
        return _USE_PATHS, (visit, 1)
    if d.code == "attribute-conflict":
        visit = p.use_attribute_visit(d.path, d.start)
        if visit is not None:
            return _USE_PATHS, (visit, 0)
    step = _member_step(container, d.start)
    if step == _INCLUDES and isinstance(container, World):
        # A world's `include`s are resolved after its types, before its imports and exports.
        return _BODIES, (rank, _TYPES, 1 << 20)
    if step == _TYPES:
        return _BODIES, (rank, step, *type_phases(container, d))
    return _BODIES, (rank, step)


# -- the order packages are added in ------------------------------------------------------------


def _version_key(version: str | None) -> tuple[object, ...]:
    if version is None:
        return (0,)
    try:
        return (1, parse_version(version).sort_key())
    except VersionError:
        return (1, (), version)


def package_order(infos: list[PackageState]) -> list[PackageState]:
    """The packages in the order wit-parser adds them: sorted by name, each after the packages
    it names (depth first, in the order it names them)."""
    infos = [i for i in infos if not i.package.excluded]
    by_key = {i.package.key: i for i in infos}
    ordered = sorted(infos, key=lambda i: (i.package.namespace, i.package.name,
                                           _version_key(i.package.version)))
    # Packages decoded from components are in the resolve before the others, in the order
    # they were read (each after the packages it stands in for).
    order: list[PackageState] = []
    for info in infos:
        if info.source.binary and info.source.nested is not None:
            order.append(info)
    for info in infos:
        if info.source.binary and info.source.nested is None:
            order.append(info)
    placed: set[int] = {id(i) for i in order}
    visiting: set[int] = set()
    for info in ordered:
        _visit(info, by_key, placed, visiting, order)
    return order


def _visit(info: PackageState, by_key: dict[str, PackageState], placed: set[int],
           visiting: set[int], order: list[PackageState]) -> None:
    """`package_order`'s depth-first walk (a function of its own: a nested function calling
    itself is a reference cycle, see `wit_ls.model.worlds`)."""
    if id(info) in placed or id(info) in visiting:
        return
    visiting.add(id(info))
    for key in _foreign_packages(info):
        dep = by_key.get(key)
        if dep is not None:
            _visit(dep, by_key, placed, visiting, order)
    visiting.discard(id(info))
    placed.add(id(info))
    order.append(info)


def _foreign_packages(info: PackageState) -> list[str]:
    """The packages a package's paths name, in wit-parser's order of visiting paths."""
    keys: list[str] = []
    decls = [(f.path, d) for f, d in info.source.declarations()]
    for mention in foreign_mentions(decls):
        if mention.use_path.is_foreign:
            key = mention.use_path.package_key()
            if key not in keys:
                keys.append(key)
    return keys
