"""Compare ``wit-ls resolve --json`` with ``wasm-tools component wit --json``.

Two measures: *identical* (``json.loads`` equal, arena indices included) and *equal after
normalising arena order* (every index reference replaced by the name of what it points to, so
two documents that only number their packages, interfaces, worlds and types differently
compare equal). Used by ``tests/model/conformance.py`` and by anyone's own comparison.
"""

from __future__ import annotations

import json
from typing import NamedTuple


class JsonComparison(NamedTuple):
    identical: bool
    normalised: bool
    # The first difference ("" when identical): of the raw documents, then after normalising.
    diff: str


def compare(theirs: object, ours: object) -> JsonComparison:
    """``theirs``/``ours``: the parsed documents (wasm-tools' first)."""
    if theirs == ours:
        return JsonComparison(True, True, "")
    raw = first_difference(theirs, ours)
    try:
        normal = diff(Canon(theirs).canonical(), Canon(ours).canonical())  # type: ignore[arg-type]
    except Exception as err:  # a malformed document
        normal = f"exception {err!r}"
    return JsonComparison(False, not normal, normal or raw)


def first_difference(a: object, b: object, path: str = "") -> str:
    """The first place where two documents differ, lists compared index by index."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in list(a) + [k for k in b if k not in a]:
            if k not in a:
                return f"{path}/{k}: only in wit-ls"
            if k not in b:
                return f"{path}/{k}: only in wasm-tools"
            d = first_difference(a[k], b[k], f"{path}/{k}")
            if d:
                return d
        return ""
    if isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, f"{path}[{i}]")
            if d:
                return d
        if len(a) != len(b):
            return f"{path}: wasm-tools has {len(a)} entries, wit-ls {len(b)}"
        return ""
    if a != b:
        return f"{path}: wasm-tools {json.dumps(a)[:300]} != wit-ls {json.dumps(b)[:300]}"
    return ""


# -- normalising: index references replaced by names ----------------------------------------


class Canon:
    def __init__(self, doc: dict[str, object]) -> None:
        self.doc = doc
        self.types: list[dict[str, object]] = doc["types"]  # type: ignore[assignment]
        self.ifaces: list[dict[str, object]] = doc["interfaces"]  # type: ignore[assignment]
        self.worlds: list[dict[str, object]] = doc["worlds"]  # type: ignore[assignment]
        self.pkgs: list[dict[str, object]] = doc["packages"]  # type: ignore[assignment]
        self.anon_names: dict[int, str] = {}
        for w in self.worlds:
            for direction in ("imports", "exports"):
                for key, item in w[direction].items():  # type: ignore[attr-defined]
                    if "interface" in item:
                        iid = item["interface"]["id"]
                        if self.ifaces[iid]["name"] is None:
                            self.anon_names[iid] = f"{self.world_name(w)}/{direction}/{key}"

    def pkg_name(self, index: object) -> str:
        return str(self.pkgs[index]["name"]) if isinstance(index, int) else "?"  # type: ignore

    def world_name(self, w: dict[str, object]) -> str:
        return f"{self.pkg_name(w['package'])}/{w['name']}"

    def iface_name(self, iid: int) -> str:
        iface = self.ifaces[iid]
        if iface["name"] is None:
            return "anon:" + self.anon_names.get(iid, str(iid))
        return f"{self.pkg_name(iface['package'])}/{iface['name']}"

    def owner(self, owner: object) -> str:
        if not isinstance(owner, dict):
            return ""
        if "interface" in owner:
            return self.iface_name(owner["interface"])
        return self.world_name(self.worlds[owner["world"]])

    def ty(self, ref: object, depth: int = 0) -> object:
        if not isinstance(ref, int) or isinstance(ref, bool):
            return ref
        t = self.types[ref]
        if t["name"] is not None:
            return f"{self.owner(t['owner'])}#{t['name']}"
        if depth > 50:
            return "..."
        return self.kind(t["kind"], depth + 1)

    def kind(self, kind: object, depth: int = 0) -> object:
        if isinstance(kind, str):
            return kind
        assert isinstance(kind, dict)
        (name, body), = kind.items()
        if name in ("type", "list", "option", "future", "stream"):
            return {name: self.ty(body, depth)}
        if name == "handle":
            (h, tid), = body.items()
            return {"handle": {h: self.ty(tid, depth)}}
        if name == "tuple":
            return {"tuple": [self.ty(x, depth) for x in body["types"]]}
        if name == "result":
            return {"result": [self.ty(body["ok"], depth), self.ty(body["err"], depth)]}
        if name == "map":
            return {"map": [self.ty(x, depth) for x in body]}
        if name == "fixed-length-list":
            return {name: [self.ty(body[0], depth), body[1]]}
        if name == "record":
            return {"record": [(f["name"], self.ty(f["type"], depth), f.get("docs"))
                               for f in body["fields"]]}
        if name == "variant":
            return {"variant": [(c["name"], self.ty(c.get("type"), depth), c.get("docs"))
                                for c in body["cases"]]}
        if name in ("enum", "flags"):
            inner = body["cases" if name == "enum" else "flags"]
            return {name: [(c["name"], c.get("docs")) for c in inner]}
        return {name: body}

    def func(self, f: dict[str, object]) -> object:
        kind = f["kind"]
        if isinstance(kind, dict):
            (k, tid), = kind.items()
            kind = {k: self.ty(tid)}
        return {
            "name": f["name"], "kind": kind, "docs": f.get("docs"),
            "stability": f.get("stability"), "external_id": f.get("external_id"),
            "params": [(p["name"], self.ty(p["type"])) for p in f["params"]],  # type: ignore
            "result": self.ty(f.get("result")),
        }

    def item(self, item: dict[str, object]) -> object:
        if "interface" in item:
            body = dict(item["interface"])  # type: ignore[arg-type]
            body["id"] = self.iface_name(body["id"])
            return {"interface": body}
        if "function" in item:
            return {"function": self.func(item["function"])}  # type: ignore[arg-type]
        return {"type": self.ty(item["type"])}

    def key(self, key: str) -> str:
        if key.startswith("interface-"):
            return "iface:" + self.iface_name(int(key[len("interface-"):]))
        return key

    def canonical(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for p in self.pkgs:
            out["package " + str(p["name"])] = {"docs": p.get("docs"),
                                                "interfaces": sorted(p["interfaces"]),  # type: ignore
                                                "worlds": sorted(p["worlds"])}  # type: ignore
        for iid, iface in enumerate(self.ifaces):
            out["interface " + self.iface_name(iid)] = {
                "docs": iface.get("docs"), "stability": iface.get("stability"),
                "types": {n: {"kind": self.kind(self.types[t]["kind"]),
                              "docs": self.types[t].get("docs"),
                              "stability": self.types[t].get("stability"),
                              "external_id": self.types[t].get("external_id")}
                          for n, t in iface["types"].items()},  # type: ignore[attr-defined]
                "functions": {n: self.func(f) for n, f in iface["functions"].items()},  # type: ignore
            }
        for w in self.worlds:
            out["world " + self.world_name(w)] = {
                "docs": w.get("docs"), "stability": w.get("stability"),
                "imports": {self.key(k): self.item(v) for k, v in w["imports"].items()},  # type: ignore
                "exports": {self.key(k): self.item(v) for k, v in w["exports"].items()},  # type: ignore
            }
        for t in self.types:
            if t["name"] is not None and isinstance(t["owner"], dict) and "world" in t["owner"]:
                out[f"type {self.owner(t['owner'])}#{t['name']}"] = {
                    "kind": self.kind(t["kind"]), "docs": t.get("docs"),
                    "stability": t.get("stability"), "external_id": t.get("external_id")}
        return out


def diff(a: object, b: object, path: str = "") -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b), key=str):
            if k not in a:
                return f"{path}/{k}: only in wit-ls"
            if k not in b:
                return f"{path}/{k}: only in wasm-tools"
            d = diff(a[k], b[k], f"{path}/{k}")
            if d:
                return d
        return ""
    if a != b:
        return f"{path}: wasm-tools {json.dumps(a)[:300]} != wit-ls {json.dumps(b)[:300]}"
    return ""
