"""The arenas ``resolve --json`` prints (packages, interfaces, worlds, types), shaped as
wit-parser's ``Resolve`` with index references, and their JSON as ``wasm-tools component wit
--json`` writes it. Filled by :mod:`wit_ls.model.json_replay`."""

from __future__ import annotations

from wit_ls.model.items import Include
from wit_ls.model.resolved import UNKNOWN, RFunc, RWorld, Stability

# A reference to a type: a primitive name, an arena index, or None (no payload).
Ref = str | int | None
# A world key: a name, or ("interface", arena index).
Key = str | tuple[str, int]


class TypeDef_:
    """One entry of a types arena (the package's during the first pass, then the output's).

    ``kind``: ``type`` (``refs[0]``), ``record``/``variant`` (``fields``: name, ref, docs),
    ``enum``/``flags`` (``fields`` with ref None), ``resource``, ``handle`` (``handle``,
    ``refs[0]``), ``tuple``, ``list``, ``option``, ``future``, ``stream`` (``refs``),
    ``fixed-length-list`` (``refs[0]``, ``size``), ``result`` (``refs`` = [ok, err]),
    ``map`` ([key, value]), ``placeholder`` (a foreign type; ``target`` the output index)."""

    __slots__ = ("docs", "external_id", "fields", "handle", "kind", "name", "owner", "refs",
                 "size", "stability", "target")

    def __init__(self, name: str | None, kind: str) -> None:
        self.name = name
        self.kind = kind
        self.refs: list[Ref] = []
        self.fields: list[tuple[str, Ref, str | None]] = []
        self.handle = ""
        self.size = 0
        self.owner: tuple[str, int] | None = None
        self.docs: str | None = None
        self.stability = UNKNOWN
        self.external_id: str | None = None
        self.target: int | None = None

    def copy(self) -> TypeDef_:
        t = TypeDef_(self.name, self.kind)
        t.refs = list(self.refs)
        t.fields = list(self.fields)
        t.handle, t.size, t.owner = self.handle, self.size, self.owner
        t.docs, t.stability, t.external_id = self.docs, self.stability, self.external_id
        return t


class Function_:
    __slots__ = ("meta", "name", "params", "resource", "result")

    def __init__(self, name: str, meta: RFunc | None, resource: Ref,
                 params: list[tuple[str, Ref]], result: Ref) -> None:
        self.name = name
        self.meta = meta
        self.resource = resource
        self.params = params
        self.result = result

    def copy(self) -> Function_:
        return Function_(self.name, self.meta, self.resource, list(self.params), self.result)


class Interface_:
    __slots__ = ("clone_of", "docs", "functions", "name", "package", "stability", "types")

    def __init__(self, name: str | None) -> None:
        self.name = name
        self.types: dict[str, int] = {}
        self.functions: dict[str, Function_] = {}
        self.docs: str | None = None
        self.stability = UNKNOWN
        self.package = 0
        self.clone_of: int | None = None


class Item_:
    """A world import or export: ``kind`` interface/type (``id``) or function (``func``)."""

    __slots__ = ("docs", "external_id", "func", "id", "kind", "stability")

    def __init__(self, kind: str, id_: int = -1, func: Function_ | None = None,
                 stability: Stability = UNKNOWN, docs: str | None = None,
                 ext: str | None = None) -> None:
        self.kind = kind
        self.id = id_
        self.func = func
        self.stability = stability
        self.docs = docs
        self.external_id = ext


class World_:
    __slots__ = ("docs", "exports", "imports", "includes", "name", "package", "stability")

    def __init__(self, name: str) -> None:
        self.name = name
        self.imports: dict[Key, Item_] = {}
        self.exports: dict[Key, Item_] = {}
        self.includes: list[tuple[Include, RWorld]] = []
        self.docs: str | None = None
        self.stability = UNKNOWN
        self.package = 0


class Package_:
    __slots__ = ("docs", "interfaces", "name", "worlds")

    def __init__(self, name: str, docs: str | None) -> None:
        self.name = name
        self.docs = docs
        self.interfaces: dict[str, int] = {}
        self.worlds: dict[str, int] = {}


class Arena:
    """The output ``Resolve``."""

    def __init__(self) -> None:
        self.types: list[TypeDef_] = []
        self.interfaces: list[Interface_] = []
        self.worlds: list[World_] = []
        self.packages: list[Package_] = []


# -- JSON -------------------------------------------------------------------------------------


def _docs(out: dict[str, object], docs: str | None) -> None:
    if docs is not None:
        out["docs"] = {"contents": docs}


def _stab(out: dict[str, object], stability: Stability) -> None:
    value = stability.to_json()
    if value is not None:
        out["stability"] = value


def _kind_json(t: TypeDef_) -> object:
    k = t.kind
    if k == "resource":
        return "resource"
    if k == "type":
        return {"type": t.refs[0]}
    if k == "record":
        fields = []
        for name, ref, docs in t.fields:
            f: dict[str, object] = {"name": name}
            _docs(f, docs)
            f["type"] = ref
            fields.append(f)
        return {"record": {"fields": fields}}
    if k == "variant":
        cases = []
        for name, ref, docs in t.fields:
            c: dict[str, object] = {"name": name}
            _docs(c, docs)
            c["type"] = ref
            cases.append(c)
        return {"variant": {"cases": cases}}
    if k in ("enum", "flags"):
        items = []
        for name, _ref, docs in t.fields:
            c = {"name": name}
            _docs(c, docs)
            items.append(c)
        return {k: {"cases" if k == "enum" else "flags": items}}
    if k == "handle":
        return {"handle": {t.handle: t.refs[0]}}
    if k == "tuple":
        return {"tuple": {"types": list(t.refs)}}
    if k in ("list", "option", "future", "stream"):
        return {k: t.refs[0] if t.refs else None}
    if k == "fixed-length-list":
        return {k: [t.refs[0], t.size]}
    if k == "result":
        return {"result": {"ok": t.refs[0], "err": t.refs[1]}}
    if k == "map":
        return {"map": [t.refs[0], t.refs[1]]}
    return k


def _function_json(f: Function_) -> dict[str, object]:
    meta = f.meta
    out: dict[str, object] = {"name": f.name}
    base = meta.kind if meta is not None else "freestanding"
    out["kind"] = base if f.resource is None else {base: f.resource}
    if meta is not None:
        _docs(out, meta.docs)
        _stab(out, meta.stability)
    out["params"] = [{"name": n, "type": t} for n, t in f.params]
    if f.result is not None:
        out["result"] = f.result
    if meta is not None and meta.external_id is not None:
        out["external_id"] = meta.external_id
    return out


def _key_json(key: Key) -> str:
    return key if isinstance(key, str) else f"interface-{key[1]}"


def _item_json(item: Item_) -> dict[str, object]:
    if item.kind == "interface":
        body: dict[str, object] = {"id": item.id}
        _docs(body, item.docs)
        _stab(body, item.stability)
        if item.external_id is not None:
            body["external_id"] = item.external_id
        return {"interface": body}
    if item.kind == "function" and item.func is not None:
        return {"function": _function_json(item.func)}
    return {"type": item.id}


def to_json(arena: Arena) -> dict[str, object]:
    worlds = []
    for w in arena.worlds:
        wout: dict[str, object] = {"name": w.name}
        wout["imports"] = {_key_json(k): _item_json(v) for k, v in w.imports.items()}
        wout["exports"] = {_key_json(k): _item_json(v) for k, v in w.exports.items()}
        wout["package"] = w.package
        _docs(wout, w.docs)
        _stab(wout, w.stability)
        worlds.append(wout)
    interfaces = []
    for i in arena.interfaces:
        iout: dict[str, object] = {"name": i.name, "types": dict(i.types),
                                   "functions": {n: _function_json(f)
                                                 for n, f in i.functions.items()}}
        _docs(iout, i.docs)
        _stab(iout, i.stability)
        iout["package"] = i.package
        if i.clone_of is not None:
            iout["clone_of"] = i.clone_of
        interfaces.append(iout)
    types = []
    for t in arena.types:
        tout: dict[str, object] = {"name": t.name, "kind": _kind_json(t)}
        tout["owner"] = None if t.owner is None else {t.owner[0]: t.owner[1]}
        _docs(tout, t.docs)
        _stab(tout, t.stability)
        if t.external_id is not None:
            tout["external_id"] = t.external_id
        types.append(tout)
    packages = []
    for p in arena.packages:
        pout: dict[str, object] = {"name": p.name}
        _docs(pout, p.docs)
        pout["interfaces"] = dict(p.interfaces)
        pout["worlds"] = dict(p.worlds)
        packages.append(pout)
    return {"worlds": worlds, "interfaces": interfaces, "types": types, "packages": packages}
