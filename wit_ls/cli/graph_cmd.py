"""``wit-ls graph PATH [--world NAME] [--format mermaid|dot|json|svg]``: the packages,
interfaces and worlds of a package root and its ``deps/``, and the edges between them; with
``--world``, what that world elaborates to and why. The JSON shape is in docs/graph.md."""

from __future__ import annotations

import argparse
import json
import os
import sys

from wit_ls.cli.check_cmd import _frame, add_feature_arguments, find_roots, project_options
from wit_ls.cli.files import INPUT_ERROR_CODES, NO_SUCH_PATH, error, no_wit_files
from wit_ls.host.disk import DiskFileSystem
from wit_ls.model.api import analyze
from wit_ls.syntax import Severity

FORMATS = ("mermaid", "dot", "json", "svg")

SVG_HELP = ("--format svg needs Graphviz's `dot` program, which is not on PATH: install "
            "Graphviz (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz; "
            "Windows: winget install graphviz), or print --format dot and render it elsewhere")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", metavar="PATH", help="package directory (with deps/) or .wit file")
    parser.add_argument("--world", metavar="NAME",
                        help="only this world and what it elaborates to (`proxy`, "
                             "`wasi:http/proxy` or `wasi:http/proxy@0.2.0`)")
    parser.add_argument("--format", choices=FORMATS, default="mermaid",
                        help="mermaid (default), dot (Graphviz), json, or svg (runs Graphviz)")
    add_feature_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from wit_ls.features import graph as graph_feature
    from wit_ls.features import graph_render

    if not os.path.exists(args.path):
        return error(f"{args.path}: {NO_SUCH_PATH}")
    if os.path.isdir(args.path) and not find_roots([args.path])[0]:
        return error(no_wit_files(args.path))
    dot_program = None
    if args.format == "svg":
        import shutil

        dot_program = shutil.which("dot")
        if dot_program is None:
            return error(SVG_HELP)
    options = project_options(args, [args.path])
    analysis = analyze(DiskFileSystem(), [args.path], options)
    errors = [d for d in analysis.diagnostics if d.severity == Severity.ERROR]
    unreadable = [d for d in errors if d.code in INPUT_ERROR_CODES]
    if unreadable:
        for d in unreadable:
            print("\n".join(_frame(analysis.files.get(d.path), d)), file=sys.stderr)
        return 2
    if errors:
        print(f"wit-ls: {len(errors)} error(s) in {args.path} (`wit-ls check` lists them); "
              "the graph shows what resolved", file=sys.stderr)
    resolvers = analysis.resolvers()
    graph = graph_feature.package_graph(resolvers)
    if args.world is not None:
        found = graph_feature.find_world(graph, args.world)
        if not found:
            known = ", ".join(graph_feature.world_names(graph)) or "none"
            return error(f"no world `{args.world}` in {args.path} (worlds: {known})")
        if len(found) > 1:
            return error(f"`{args.world}` names several worlds ({', '.join(found)}): "
                          "give the package too")
        world_graph = graph_feature.world_graph(resolvers, found[0])
        assert world_graph is not None
        graph = world_graph
    if args.format == "json":
        def locate(path: str, start: int, end: int) -> object:
            tree = analysis.files.get(path)
            if tree is None:
                return {"path": path}
            sl, sc = tree.line_index.position(start, "utf-16")
            el, ec = tree.line_index.position(end, "utf-16")
            return {"path": path, "range": {"start": {"line": sl, "character": sc},
                                            "end": {"line": el, "character": ec}}}

        print(json.dumps(graph_render.to_json(graph, locate), indent=2))
        return 0
    if args.format == "mermaid":
        sys.stdout.write(graph_render.to_mermaid(graph))
        return 0
    dot = graph_render.to_dot(graph)
    if args.format == "dot":
        sys.stdout.write(dot)
        return 0
    import subprocess

    assert dot_program is not None
    done = subprocess.run([dot_program, "-Tsvg"], input=dot.encode("utf-8"),
                          capture_output=True, check=False)
    if done.returncode != 0:
        return error(f"Graphviz `dot` failed: {done.stderr.decode('utf-8', 'replace').strip()}")
    sys.stdout.buffer.write(done.stdout)
    return 0
