"""The graph of a package root: its packages (with ``deps/``), interfaces and worlds, and the
edges between them (a world imports, exports, includes or uses; an interface uses types of
another), and what one world elaborates to, with the chain of edges that brought each item in.

Plain data over the resolved model; :mod:`wit_ls.features.graph_render` draws it (Mermaid,
DOT) and the front doors turn it into JSON with positions (``wit-ls graph``,
``wit-ls/worldGraph``).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from wit_ls.model.api import Analysis
from wit_ls.model.items import Extern, Include, Use
from wit_ls.model.resolved import Loc, Resolve
from wit_ls.model.resolver import Resolver


@dataclass(frozen=True)
class Node:
    """An interface or a world. ``id`` is its qualified name (``wasi:io/streams@0.2.0``); an
    inline interface (``import x: interface { ... }``) is ``<world id>#<label>``."""

    id: str
    kind: str  # "interface" | "world"
    name: str
    package: str
    path: str
    start: int
    end: int
    inline: bool = False


@dataclass(frozen=True)
class Edge:
    """``source`` imports/exports/includes/uses ``target``; ``label`` is the name of a named
    import or export (``import out: wasi:cli/stdout``)."""

    source: str
    target: str
    kind: str
    label: str | None = None


@dataclass(frozen=True)
class Package:
    id: str
    namespace: str
    name: str
    version: str | None
    main: bool
    interfaces: tuple[str, ...]
    worlds: tuple[str, ...]


@dataclass(frozen=True)
class WorldItem:
    """One import or export of an elaborated world. ``kind``: ``interface``, ``function`` or
    ``type``; ``name``: the world's key for it (the label, or for an interface imported by
    path its id); ``node``: the interface's node id; ``via``: the edges from the world to the
    item (for a function or type: the includes to the world that declares it)."""

    direction: str
    kind: str
    name: str
    node: str | None
    via: tuple[Edge, ...]


@dataclass(frozen=True)
class WorldView:
    world: str
    imports: tuple[WorldItem, ...]
    exports: tuple[WorldItem, ...]


@dataclass
class Graph:
    packages: list[Package] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    world: WorldView | None = None

    def node(self, node_id: str) -> Node | None:
        return next((n for n in self.nodes if n.id == node_id), None)


class _Builder:
    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.r: Resolve = resolver.r
        self.refs: dict[tuple[str, int], Loc] = {
            (ref.path, ref.start): ref.target for ref in resolver.references}
        # A top-level `use a:b/c as d;`: references to `d` land on `d`; go on from `c`.
        for source in resolver.load.files.values():
            blocks = [source.items.decls, *(n.decls for n in source.items.nested)]
            for decls in blocks:
                for top in decls.uses:
                    local = top.local
                    target = self.refs.get((source.path, top.path.name.start))
                    if target is not None and (source.path, local.start) not in self.refs:
                        self.refs[(source.path, local.start)] = target
        self.iface_at: dict[Loc, int] = {}
        self.world_at: dict[Loc, int] = {}
        self.iface_ids: dict[int, str] = {}
        self.world_ids: dict[int, str] = {}
        self.live_packages = {p.id for p in self.r.packages if not p.excluded}
        for ri in self.r.interfaces:
            if ri.name is not None and ri.package in self.live_packages and not ri.excluded:
                self.iface_at[ri.loc] = ri.id
                self.iface_ids[ri.id] = self.r.interface_qualified(ri.id)
        for rw in self.r.worlds:
            if rw.package in self.live_packages and not rw.excluded:
                self.world_at[rw.loc] = rw.id
                self.world_ids[rw.id] = self._qualified(rw.package, rw.name)
        # Inline interfaces: owned by the world whose declaration holds them.
        for ri in self.r.interfaces:
            if ri.name is None and ri.package in self.live_packages and not ri.excluded:
                owner = self._world_holding(ri.loc)
                if owner is not None:
                    self.iface_ids[ri.id] = f"{self.world_ids[owner]}#{self._label(ri.loc)}"

    def _qualified(self, package: int | None, name: str) -> str:
        if package is None:
            return name
        pkg = self.r.packages[package]
        base = f"{pkg.namespace}:{pkg.name}/{name}"
        return f"{base}@{pkg.version}" if pkg.version else base

    def _label(self, loc: Loc) -> str:
        source = self.resolver.load.files.get(loc.path)
        if source is None:
            return "?"
        return source.data[loc.start:loc.end].decode("utf-8", "replace")

    def _world_holding(self, loc: Loc) -> int | None:
        for wid in self.world_ids:
            rw = self.r.worlds[wid]
            if rw.loc.path == loc.path and rw.item_range[0] <= loc.start < rw.item_range[1]:
                return wid
        return None

    def _target(self, path: str, start: int) -> Loc | None:
        """Where the name at ``path:start`` points, through top-level `use` aliases."""
        loc = self.refs.get((path, start))
        for _ in range(8):
            if loc is None or loc in self.iface_at or loc in self.world_at:
                return loc
            loc = self.refs.get((loc.path, loc.start))
        return loc

    # -- the whole graph -----------------------------------------------------------------------

    def build(self) -> Graph:
        graph = Graph()
        main = {i for i, source in enumerate(self.resolver.load.packages)
                if source.origin == "main"}
        for pkg in self.r.packages:
            if pkg.id not in self.live_packages:
                continue
            ifaces = tuple(self.iface_ids[i] for i in pkg.interfaces.values()
                           if i in self.iface_ids)
            worlds = tuple(self.world_ids[w] for w in pkg.worlds.values() if w in self.world_ids)
            graph.packages.append(Package(pkg.key, pkg.namespace, pkg.name, pkg.version,
                                          pkg.id in main, ifaces, worlds))
        order = {p.id: i for i, p in enumerate(self.r.packages)}
        nodes: list[tuple[tuple[int, int, int], Node]] = []
        for iid, node_id in self.iface_ids.items():
            ri = self.r.interfaces[iid]
            assert ri.package is not None
            inline = ri.name is None
            nodes.append(((order[ri.package], 1 if inline else 0, iid), Node(
                node_id, "interface", self._label(ri.loc) if inline else (ri.name or ""),
                self.r.packages[ri.package].key, ri.loc.path, ri.loc.start, ri.loc.end,
                inline)))
        for wid, node_id in self.world_ids.items():
            rw = self.r.worlds[wid]
            assert rw.package is not None
            nodes.append(((order[rw.package], 2, wid), Node(
                node_id, "world", rw.name, self.r.packages[rw.package].key, rw.loc.path,
                rw.loc.start, rw.loc.end)))
        graph.nodes = [node for _key, node in sorted(nodes, key=lambda pair: pair[0])]
        for wid in self.world_ids:
            graph.edges.extend(self.world_edges(wid))
        for iid in self.iface_ids:
            graph.edges.extend(self.use_edges(iid))
        return graph

    def world_edges(self, wid: int) -> list[Edge]:
        """A world's own edges, in source order (not those of the worlds it includes)."""
        found = self.resolver.ast_world.get(wid)
        if found is None:
            return []
        world, path = found
        source = self.world_ids[wid]
        out: list[Edge] = []
        for member in world.members:
            if isinstance(member, Include):
                loc = self._target(path, member.path.name.start)
                target = self.world_at.get(loc) if loc is not None else None
                if target is not None and target in self.world_ids:
                    out.append(Edge(source, self.world_ids[target], "include"))
            elif isinstance(member, Use):
                loc = self._target(path, member.path.name.start)
                target = self.iface_at.get(loc) if loc is not None else None
                if target is not None:
                    out.append(Edge(source, self.iface_ids[target], "use"))
            elif isinstance(member, Extern):
                label = member.name.text if member.name is not None else None
                if member.path is not None:
                    loc = self._target(path, member.path.name.start)
                    target = self.iface_at.get(loc) if loc is not None else None
                elif member.interface is not None and member.name is not None:
                    inline = Loc(path, member.name.start, member.name.end)
                    target = next((i for i in self.iface_ids
                                   if self.r.interfaces[i].name is None
                                   and self.r.interfaces[i].loc == inline), None)
                    label = None
                else:
                    continue
                if target is not None and target in self.iface_ids:
                    out.append(Edge(source, self.iface_ids[target], member.direction, label))
        unique: list[Edge] = []
        for edge in out:
            if edge not in unique:
                unique.append(edge)
        return unique

    def use_edges(self, iid: int) -> list[Edge]:
        return [Edge(self.iface_ids[iid], self.iface_ids[dep], "use")
                for dep in self.r.interface_direct_deps(iid) if dep in self.iface_ids]

    # -- one world -------------------------------------------------------------------------------

    def world_view(self, wid: int) -> tuple[WorldView, set[str]]:
        """What ``wid`` elaborates to, each item with the shortest chain of edges that brought
        it in; and the worlds on those chains."""
        rw = self.r.worlds[wid]
        exported = {item.id for item in rw.exports.values() if item.kind == "interface"}
        start = ("world", wid, "")
        parent: dict[tuple[str, int, str], tuple[tuple[str, int, str], Edge] | None] = {
            start: None}
        queue = deque([start])
        world_of = {v: k for k, v in self.world_ids.items()}
        iface_of = {v: k for k, v in self.iface_ids.items()}
        while queue:
            state = queue.popleft()
            kind, ident, mode = state
            steps: list[tuple[tuple[str, int, str], Edge]] = []
            if kind == "world":
                for edge in self.world_edges(ident):
                    if edge.kind == "include":
                        steps.append((("world", world_of[edge.target], ""), edge))
                    else:
                        direction = "export" if edge.kind == "export" else "import"
                        steps.append((("interface", iface_of[edge.target], direction), edge))
            else:
                for edge in self.use_edges(ident):
                    dep = iface_of[edge.target]
                    direction = "export" if mode == "export" and dep in exported else "import"
                    steps.append((("interface", dep, direction), edge))
            for nxt, edge in steps:
                if nxt not in parent:
                    parent[nxt] = (state, edge)
                    queue.append(nxt)

        def chain(state: tuple[str, int, str]) -> tuple[Edge, ...]:
            out: list[Edge] = []
            step = parent.get(state)
            while step is not None:
                state, edge = step
                out.append(edge)
                step = parent.get(state)
            return tuple(reversed(out))

        def declaring_world(loc: Loc) -> int:
            best = wid
            for candidate in self.world_ids:
                if ("world", candidate, "") not in parent:
                    continue
                w = self.r.worlds[candidate]
                if w.loc.path == loc.path and w.item_range[0] <= loc.start < w.item_range[1]:
                    best = candidate
            return best

        worlds: set[str] = {self.world_ids[wid]}
        views: dict[str, list[WorldItem]] = {"import": [], "export": []}
        for direction, table in (("import", rw.imports), ("export", rw.exports)):
            for key, item in table.items():
                if item.kind == "interface":
                    node = self.iface_ids.get(item.id)
                    if node is None:
                        continue
                    via = chain(("interface", item.id, direction))
                    name = key if isinstance(key, str) else node
                    views[direction].append(WorldItem(direction, "interface", name, node, via))
                else:
                    loc = item.func.loc if item.func is not None else item.loc
                    if item.kind == "type" and 0 <= item.id < len(self.r.types):
                        loc = self.r.types[item.id].loc
                    via = chain(("world", declaring_world(loc), ""))
                    views[direction].append(WorldItem(direction, item.kind, str(key), None, via))
                for edge in via:
                    for end in (edge.source, edge.target):
                        if end in world_of:
                            worlds.add(end)
        rank = {"interface": 0, "type": 1, "function": 2}
        for items in views.values():
            items.sort(key=lambda item: rank.get(item.kind, 3))
        view = WorldView(self.world_ids[wid], tuple(views["import"]), tuple(views["export"]))
        return view, worlds


def _resolver_for(resolvers: list[Resolver], path: str | None) -> Resolver | None:
    if path is not None:
        for resolver in resolvers:
            if path in resolver.load.files:
                return resolver
    return resolvers[0] if resolvers else None


def package_graph(resolvers: list[Resolver], path: str | None = None) -> Graph:
    """The whole graph of the root that holds ``path`` (the first root when None)."""
    resolver = _resolver_for(resolvers, path)
    if resolver is None:
        return Graph()
    return _Builder(resolver).build()


def world_names(graph: Graph) -> list[str]:
    return [n.id for n in graph.nodes if n.kind == "world"]


def find_world(graph: Graph, name: str) -> list[str]:
    """World ids matching ``name``: a full id, an id without its version, or the plain name
    (a world of a main package first)."""
    worlds = [n for n in graph.nodes if n.kind == "world"]
    exact = [n.id for n in worlds if n.id == name]
    if exact:
        return exact
    unversioned = [n.id for n in worlds if n.id.split("@")[0] == name]
    if unversioned:
        return unversioned
    main = {p.id for p in graph.packages if p.main}
    plain = [n for n in worlds if n.name == name]
    in_main = [n.id for n in plain if n.package in main]
    return in_main or [n.id for n in plain]


def world_graph(resolvers: list[Resolver], world: str, path: str | None = None) -> Graph | None:
    """The graph of one world (``world`` is a world id): the world, the worlds it includes
    and every interface it ends up importing or exporting, with the edges among them, and
    the elaborated view with reasons. None when there is no such world."""
    resolver = _resolver_for(resolvers, path)
    if resolver is None:
        return None
    builder = _Builder(resolver)
    full = builder.build()
    wid = next((w for w, i in builder.world_ids.items() if i == world), None)
    if wid is None:
        return None
    view, worlds = builder.world_view(wid)
    keep = set(worlds)
    for item in (*view.imports, *view.exports):
        if item.node is not None:
            keep.add(item.node)
    nodes = [n for n in full.nodes if n.id in keep]
    edges = [e for e in full.edges if e.source in keep and e.target in keep]
    packages = []
    for pkg in full.packages:
        ifaces = tuple(i for i in pkg.interfaces if i in keep)
        worlds_kept = tuple(w for w in pkg.worlds if w in keep)
        inline = any(n.package == pkg.id and n.inline for n in nodes)
        if ifaces or worlds_kept or inline:
            packages.append(Package(pkg.id, pkg.namespace, pkg.name, pkg.version, pkg.main,
                                    ifaces, worlds_kept))
    return Graph(packages, nodes, edges, view)


def world_at(resolvers: list[Resolver], path: str, offset: int) -> str | None:
    """The id of the world declared around ``offset`` in ``path``."""
    resolver = _resolver_for(resolvers, path)
    if resolver is None:
        return None
    builder = _Builder(resolver)
    best: str | None = None
    for wid, node_id in builder.world_ids.items():
        rw = resolver.r.worlds[wid]
        if rw.loc.path == path and rw.item_range[0] <= offset <= rw.item_range[1]:
            best = node_id
    return best


@dataclass(frozen=True)
class EditorGraph:
    """What the editor's graph view shows: ``graph`` (of ``world`` when set, else of the whole
    package root) and the ids of every world of the root (to switch between them)."""

    graph: Graph
    worlds: tuple[str, ...]
    world: str | None


def graph_for_editor(analysis: Analysis, path: str, offset: int | None,
                     world: str | None) -> EditorGraph:
    """The graph view for a document: the world named ``world`` (an id or a name), else the
    world around ``offset``, else the first world declared in the document, else the whole
    package root (also when ``world`` is ``*``)."""
    found = analysis.resolvers()
    full = package_graph(found, path)
    worlds = tuple(world_names(full))
    chosen: str | None = None
    if world == "*":
        return EditorGraph(full, worlds, None)
    if world:
        matches = find_world(full, world)
        chosen = matches[0] if matches else None
    if chosen is None and offset is not None:
        chosen = world_at(found, path, offset)
    if chosen is None and not world:
        chosen = next((n.id for n in full.nodes if n.kind == "world" and n.path == path), None)
    if chosen is not None:
        graph = world_graph(found, chosen, path)
        if graph is not None:
            return EditorGraph(graph, worlds, chosen)
    return EditorGraph(full, worlds, None)
