"""`wit-ls graph` end to end on a fixture whose expected graphs were written by hand from its WIT
(fixtures/demo/expected-*.json), on the real wasi-http package against wasm-tools' elaboration,
and its DOT output rendered by Graphviz (skipped, with the reason, where `dot` is absent)."""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from support.oracle import corpus_dir, wasm_tools

from wit_ls.cli import main

DEMO = Path(__file__).resolve().parent / "fixtures" / "demo"
NEEDS_DOT = pytest.mark.skipif(shutil.which("dot") is None,
                               reason="Graphviz `dot` is not installed (Debian: apt-get install "
                                      "graphviz); the DOT output is checked by rendering it")
_LOC = re.compile(r"^(?P<path>.+):(?P<l1>\d+):(?P<c1>\d+)-(?P<l2>\d+):(?P<c2>\d+)$")


def _expected(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DEMO / name).read_text(encoding="utf-8"))
    data.pop("//", None)
    for node in data["nodes"]:
        if isinstance(node, dict):
            m = _LOC.match(node["location"])
            assert m is not None
            node["location"] = {
                "path": m["path"],
                "range": {"start": {"line": int(m["l1"]), "character": int(m["c1"])},
                          "end": {"line": int(m["l2"]), "character": int(m["c2"])}}}
    return data


def _graph(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
           *args: str) -> tuple[int, str, str]:
    monkeypatch.chdir(DEMO)
    code = main(["graph", "wit", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _edge_set(edges: list[dict[str, str]]) -> set[tuple[str, str, str, str]]:
    return {(e["from"], e["to"], e["kind"], e.get("label", "")) for e in edges}


def test_whole_graph_json(capsys: pytest.CaptureFixture[str],
                          monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = _graph(capsys, monkeypatch, "--format", "json")
    assert code == 0, err
    got = json.loads(out)
    want = _expected("expected-graph.json")
    assert got["packages"] == want["packages"]
    assert got["nodes"] == want["nodes"]
    assert _edge_set(got["edges"]) == _edge_set(want["edges"])
    assert len(got["edges"]) == len(want["edges"])
    assert "world" not in got


@pytest.mark.parametrize("name", ["app", "app:demo/app", "app:demo/app@1.0.0"])
def test_world_json_with_reasons(name: str, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = _graph(capsys, monkeypatch, "--world", name, "--format", "json")
    assert code == 0, err
    got = json.loads(out)
    want = _expected("expected-world-app.json")
    assert got["packages"] == want["packages"]
    assert [n["id"] for n in got["nodes"]] == want["nodes"]
    assert _edge_set(got["edges"]) == _edge_set(want["edges"])
    assert got["world"] == want["world"]


def test_mermaid_draws_every_node_in_its_package_and_every_edge(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = _graph(capsys, monkeypatch)  # mermaid is the default
    assert code == 0, err
    want = _expected("expected-graph.json")
    ids = {node["id"]: f"n{i}" for i, node in enumerate(want["nodes"])}
    lines = out.splitlines()
    assert lines[0] == "flowchart TB"
    # Each package is a subgraph holding exactly its nodes.
    for index, pkg in enumerate(want["packages"]):
        start = lines.index(f'  subgraph p{index}["{pkg["id"]}"]')
        end = lines.index("  end", start)
        inside = {line.strip().split("[")[0] for line in lines[start + 1:end]}
        assert inside == {ids[n["id"]] for n in want["nodes"] if n["package"] == pkg["id"]}
    arrows = {"import": "-->", "export": "==>", "include": "-.->", "use": "-.->"}
    for edge in want["edges"]:
        text = " ".join(filter(None, [edge["kind"], edge.get("label")]))
        line = f"  {ids[edge['from']]} {arrows[edge['kind']]}|{text}| {ids[edge['to']]}"
        assert line in lines
    assert '    n4[["world app"]]' in lines
    assert '    n2["config"]' in lines


def test_unknown_world_and_missing_path(capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    code, _out, err = _graph(capsys, monkeypatch, "--world", "nope")
    assert code == 2
    assert err.startswith("wit-ls: error: no world `nope` in wit (worlds: app:demo/base@1.0.0")
    code = main(["graph", "no-such-dir"])
    assert code == 2
    assert "no-such-dir: no such file or directory" in capsys.readouterr().err


def test_svg_without_graphviz_says_how_to_get_it(tmp_path: Path) -> None:
    env = dict(os.environ, PATH=str(tmp_path))  # no `dot` here
    done = subprocess.run([sys.executable, "-m", "wit_ls", "graph", str(DEMO / "wit"), "--format",
                           "svg"], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("wit-ls: error: --format svg needs Graphviz's `dot`")
    assert "apt-get install graphviz" in done.stderr


def test_graph_loads_no_language_server_modules() -> None:
    probe = ("import sys\nfrom wit_ls.cli import main\nmain(['graph', sys.argv[1], '--format', "
             "'json'])\nprint(' '.join(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", probe, str(DEMO / "wit")], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    loaded = set(done.stdout.splitlines()[-1].split())
    assert "wit_ls.features.graph" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("pygls", "lsprotocol")}


def _svg_texts(svg: str, group: str) -> list[str]:
    """The text of each ``<g class=group>`` of a Graphviz SVG."""
    ns = "{http://www.w3.org/2000/svg}"
    root = ET.fromstring(svg)
    out = []
    for g in root.iter(f"{ns}g"):
        if g.get("class") == group:
            out.append(" ".join(t.text or "" for t in g.iter(f"{ns}text")))
    return out


@NEEDS_DOT
@pytest.mark.parametrize("world", [None, "app"])
def test_dot_renders_with_graphviz(world: str | None, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    extra = ["--world", world] if world else []
    code, dot, err = _graph(capsys, monkeypatch, *extra, "--format", "dot")
    assert code == 0, err
    done = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no syntax warnings either
    want = _expected("expected-world-app.json" if world else "expected-graph.json")
    labels = {n["id"]: (n["name"] if n["kind"] == "interface" else "world " + n["name"])
              for n in _expected("expected-graph.json")["nodes"]}
    node_ids = [n if isinstance(n, str) else n["id"] for n in want["nodes"]]
    assert sorted(_svg_texts(done.stdout, "node")) == sorted(labels[n] for n in node_ids)
    assert sorted(_svg_texts(done.stdout, "cluster")) == sorted(p["id"] for p in want["packages"])
    assert sorted(_svg_texts(done.stdout, "edge")) == sorted(
        " ".join(filter(None, [e["kind"], e.get("label")])) for e in want["edges"])


@NEEDS_DOT
def test_svg_format_runs_graphviz(capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = _graph(capsys, monkeypatch, "--world", "app", "--format", "svg")
    assert code == 0, err
    assert "world app" in _svg_texts(out, "node")


# -- the real wasi-http package, against wasm-tools' elaboration ----------------------------------

WASI_HTTP = corpus_dir("real")


def _wasm_tools_world(root: Path, world: str) -> tuple[set[str], set[str]]:
    """The interfaces `wasm-tools component wit` prints in ``world`` (the oracle)."""
    exe = wasm_tools()
    assert exe is not None
    done = subprocess.run([exe, "component", "wit", str(root)], capture_output=True, text=True,
                          timeout=120, check=True)
    text = done.stdout
    body = text[text.index(f"world {world} {{"):]
    body = body[:body.index("\n}")]
    imports = set(re.findall(r"^\s*import ([a-z0-9:/@.-]+);", body, re.M))
    exports = set(re.findall(r"^\s*export ([a-z0-9:/@.-]+);", body, re.M))
    return imports, exports


@pytest.mark.skipif(WASI_HTTP is None or wasm_tools() is None,
                    reason="needs ../shared/corpus/real and wasm-tools")
@pytest.mark.parametrize("world", ["proxy", "imports"])
def test_wasi_http_world_matches_wasm_tools(world: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert WASI_HTTP is not None
    root = WASI_HTTP / "WebAssembly__wasi-http" / "wit"
    code = main(["graph", str(root), "--world", world, "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    got = json.loads(out)["world"]
    want_imports, want_exports = _wasm_tools_world(root, world)
    assert len(want_imports) > 5

    def short(name: str) -> str:
        # wasm-tools prints the package's own interfaces by bare name
        return name.split("/")[1].split("@")[0] if name.startswith("wasi:http/") else name

    assert {short(i["interface"]) for i in got["imports"] if i["kind"] == "interface"} == \
        want_imports
    assert {short(i["interface"]) for i in got["exports"] if i["kind"] == "interface"} == \
        want_exports
    # Every reason is a chain of edges from the world to the item.
    for item in got["imports"] + got["exports"]:
        via = item["via"]
        assert via[0]["from"] == got["id"]
        assert via[-1]["to"] == item["interface"]
        assert all(a["to"] == b["from"] for a, b in itertools.pairwise(via))
