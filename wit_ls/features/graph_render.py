"""Drawing a :class:`~wit_ls.features.graph.Graph`: Mermaid flowchart text, Graphviz DOT, and
the JSON shape of docs/graph.md (positions are the front door's business: it passes
``locate``).

Both drawings give each node a short identifier (``n0``, ``n1``, ...; packages ``p0``, ...) in
the order of ``graph.nodes``; :func:`mermaid_ids` returns the mapping, so that a viewer can
tell which drawn node is which interface or world.
"""

from __future__ import annotations

from collections.abc import Callable

from wit_ls.features.graph import Edge, Graph, Node, WorldItem

Locate = Callable[[str, int, int], object]

# How each kind of edge is drawn (Mermaid arrow; DOT attributes).
_MERMAID_ARROW = {"import": "-->", "export": "==>", "include": "-.->", "use": "-.->"}
_DOT_STYLE = {
    "import": 'color="#1f6feb"',
    "export": 'color="#c2410c", penwidth=2',
    "include": 'style=dashed, color="#6e7781"',
    "use": 'style=dotted, color="#6e7781"',
}


def mermaid_ids(graph: Graph) -> dict[str, str]:
    """Node id -> the identifier used in the drawings."""
    return {node.id: f"n{i}" for i, node in enumerate(graph.nodes)}


def _roles(graph: Graph) -> dict[str, str]:
    """For a world's graph: interface node -> ``import``, ``export`` or ``both``."""
    roles: dict[str, str] = {}
    if graph.world is None:
        return roles
    for item in (*graph.world.imports, *graph.world.exports):
        if item.node is None:
            continue
        prior = roles.get(item.node)
        roles[item.node] = item.direction if prior in (None, item.direction) else "both"
    return roles


def _label(node: Node) -> str:
    return f"world {node.name}" if node.kind == "world" else node.name


def _mermaid_text(text: str) -> str:
    return text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(
        ">", "#gt;")


def to_mermaid(graph: Graph) -> str:
    """A Mermaid flowchart: one subgraph per package (titled with its name and version), a node
    per interface and world, an edge per import (->), export (=>), include and use (dotted)."""
    ids = mermaid_ids(graph)
    roles = _roles(graph)
    lines = ["flowchart TB"]
    for index, pkg in enumerate(graph.packages):
        members = [n for n in graph.nodes if n.package == pkg.id]
        if not members:
            continue
        lines.append(f'  subgraph p{index}["{_mermaid_text(pkg.id)}"]')
        for node in members:
            label = _mermaid_text(_label(node))
            shape = f'[["{label}"]]' if node.kind == "world" else f'["{label}"]'
            lines.append(f"    {ids[node.id]}{shape}")
        lines.append("  end")
    for edge in graph.edges:
        text = edge.kind if edge.label is None else f"{edge.kind} {edge.label}"
        lines.append(f"  {ids[edge.source]} {_MERMAID_ARROW[edge.kind]}|{_mermaid_text(text)}| "
                     f"{ids[edge.target]}")
    lines.append("  classDef world fill:#ede9fe,stroke:#6d28d9,color:#1e1b4b")
    lines.append("  classDef interface fill:#e0f2fe,stroke:#0369a1,color:#0c4a6e")
    lines.append("  classDef imported fill:#dbeafe,stroke:#1d4ed8,color:#172554")
    lines.append("  classDef exported fill:#ffedd5,stroke:#c2410c,color:#431407")
    groups: dict[str, list[str]] = {}
    for node in graph.nodes:
        role = roles.get(node.id)
        cls = node.kind if role is None else ("exported" if role in ("export", "both")
                                               else "imported")
        groups.setdefault(cls, []).append(ids[node.id])
    for cls, members_ids in groups.items():
        lines.append(f"  class {','.join(members_ids)} {cls}")
    return "\n".join(lines) + "\n"


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def to_dot(graph: Graph) -> str:
    """A Graphviz digraph: one cluster per package, the same nodes and edges as Mermaid."""
    ids = mermaid_ids(graph)
    roles = _roles(graph)
    title = "world " + graph.world.world if graph.world is not None else "WIT packages"
    lines = [
        "digraph wit {",
        f'  label="{_dot_text(title)}";',
        "  labelloc=t;",
        "  rankdir=LR;",
        '  fontname="Helvetica";',
        '  node [fontname="Helvetica", shape=box, style="rounded,filled", fillcolor="#e0f2fe"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    for index, pkg in enumerate(graph.packages):
        members = [n for n in graph.nodes if n.package == pkg.id]
        if not members:
            continue
        lines.append(f"  subgraph cluster_p{index} {{")
        lines.append(f'    label="{_dot_text(pkg.id)}";')
        lines.append('    style="rounded"; color="#94a3b8";')
        for node in members:
            attrs = [f'label="{_dot_text(_label(node))}"', f'tooltip="{_dot_text(node.id)}"']
            if node.kind == "world":
                attrs.append('shape=box3d, fillcolor="#ede9fe"')
            else:
                role = roles.get(node.id)
                if role in ("export", "both"):
                    attrs.append('fillcolor="#ffedd5"')
                elif role == "import":
                    attrs.append('fillcolor="#dbeafe"')
            lines.append(f"    {ids[node.id]} [{', '.join(attrs)}];")
        lines.append("  }")
    for edge in graph.edges:
        text = edge.kind if edge.label is None else f"{edge.kind} {edge.label}"
        lines.append(f'  {ids[edge.source]} -> {ids[edge.target]} [label="{_dot_text(text)}", '
                     f"{_DOT_STYLE[edge.kind]}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _edge_json(edge: Edge) -> dict[str, object]:
    out: dict[str, object] = {"from": edge.source, "to": edge.target, "kind": edge.kind}
    if edge.label is not None:
        out["label"] = edge.label
    return out


def _item_json(item: WorldItem) -> dict[str, object]:
    out: dict[str, object] = {"kind": item.kind, "name": item.name}
    if item.node is not None:
        out["interface"] = item.node
    out["via"] = [_edge_json(e) for e in item.via]
    return out


def to_json(graph: Graph, locate: Locate, draw_ids: bool = False) -> dict[str, object]:
    """The documented JSON shape (docs/graph.md); ``locate(path, start, end)`` gives each node's
    ``location``; ``draw_ids`` adds each node's identifier in the drawings (``drawId``)."""
    ids = mermaid_ids(graph)
    out: dict[str, object] = {
        "packages": [{"id": p.id, "namespace": p.namespace, "name": p.name,
                      "version": p.version, "main": p.main,
                      "interfaces": list(p.interfaces), "worlds": list(p.worlds)}
                     for p in graph.packages],
        "nodes": [{"id": n.id, "kind": n.kind, "name": n.name, "package": n.package,
                   **({"inline": True} if n.inline else {}),
                   **({"drawId": ids[n.id]} if draw_ids else {}),
                   "location": locate(n.path, n.start, n.end)} for n in graph.nodes],
        "edges": [_edge_json(e) for e in graph.edges],
    }
    if graph.world is not None:
        out["world"] = {"id": graph.world.world,
                        "imports": [_item_json(i) for i in graph.world.imports],
                        "exports": [_item_json(i) for i in graph.world.exports]}
    return out
