"""Export a :class:`~wit_ls.model.resolved.Resolve` in the JSON shape of
``wasm-tools component wit --json`` (same keys and nesting, index references)."""

from __future__ import annotations

from wit_ls.model.resolved import Resolve, RFunc, RType, Stability, Ty, WItem


def _ty(ty: Ty) -> object:
    return ty


def _docs(out: dict[str, object], docs: str | None) -> None:
    if docs is not None:
        out["docs"] = {"contents": docs}


def _stability(out: dict[str, object], stability: Stability) -> None:
    value = stability.to_json()
    if value is not None:
        out["stability"] = value


def _type_kind(t: RType) -> object:
    kind = t.kind
    a = t.args
    if kind == "resource":
        return "resource"
    if kind == "type":
        return {"type": _ty(a[0] if a else None)}
    if kind == "record":
        fields = []
        for m in t.members:
            f: dict[str, object] = {"name": m.name}
            _docs(f, m.docs)
            f["type"] = _ty(m.type)
            fields.append(f)
        return {"record": {"fields": fields}}
    if kind in ("enum", "flags"):
        items = []
        for m in t.members:
            c: dict[str, object] = {"name": m.name}
            _docs(c, m.docs)
            items.append(c)
        return {kind: {"cases" if kind == "enum" else "flags": items}}
    if kind == "variant":
        cases = []
        for m in t.members:
            c = {"name": m.name}
            _docs(c, m.docs)
            c["type"] = _ty(m.type)
            cases.append(c)
        return {"variant": {"cases": cases}}
    if kind == "handle":
        return {"handle": {t.handle: a[0] if a else None}}
    if kind == "tuple":
        return {"tuple": {"types": [_ty(x) for x in a]}}
    if kind in ("list", "option"):
        return {kind: _ty(a[0] if a else None)}
    if kind in ("future", "stream"):
        return {kind: None if t.bare else _ty(a[0] if a else None)}
    if kind == "fixed-length-list":
        return {"fixed-length-list": [_ty(a[0] if a else None), t.size]}
    if kind == "result":
        return {"result": {"ok": _ty(a[0]), "err": _ty(a[1])}}
    if kind == "map":
        return {"map": [_ty(a[0]), _ty(a[1])]}
    return kind


def function_json(f: RFunc) -> dict[str, object]:
    out: dict[str, object] = {"name": f.name}
    base = f.kind
    out["kind"] = base if f.resource is None else {base: f.resource}
    _docs(out, f.docs)
    _stability(out, f.stability)
    out["params"] = [{"name": p.name, "type": _ty(p.type)} for p in f.params]
    if f.result is not None:
        out["result"] = _ty(f.result)
    if f.external_id is not None:
        out["external_id"] = f.external_id
    return out


def _world_item(item: WItem) -> dict[str, object]:
    if item.kind == "interface":
        body: dict[str, object] = {"id": item.id}
        _docs(body, item.docs)
        _stability(body, item.stability)
        if item.external_id is not None:
            body["external_id"] = item.external_id
        return {"interface": body}
    if item.kind == "function" and item.func is not None:
        return {"function": function_json(item.func)}
    return {"type": item.id}


def export(resolve: Resolve) -> dict[str, object]:
    """Every package of the resolve (excluded items left out, ids renumbered)."""
    iface_ids = {i.id: n for n, i in enumerate(
        x for x in resolve.interfaces if not x.excluded and x.package is not None
        and not resolve.packages[x.package].excluded)}
    world_ids = {w.id: n for n, w in enumerate(
        x for x in resolve.worlds if not x.excluded and x.package is not None
        and not resolve.packages[x.package].excluded)}
    pkg_ids = {p.id: n for n, p in enumerate(x for x in resolve.packages if not x.excluded)}
    kept_types = [t for t in resolve.types if _type_kept(resolve, t, iface_ids, world_ids)]
    type_ids = {t.id: n for n, t in enumerate(kept_types)}

    def remap_type_refs(obj: object, key: str = "") -> object:
        """Renumber every type reference inside an exported type kind / function."""
        if isinstance(obj, dict):
            out: dict[str, object] = {}
            for k, v in obj.items():
                if k in ("name", "docs", "stability", "external_id"):
                    out[k] = v
                elif k in ("method", "static", "constructor", "method-getter", "method-setter",
                           "static-getter", "static-setter", "async-method", "async-static"):
                    out[k] = type_ids.get(v, v) if isinstance(v, int) else v
                else:
                    out[k] = remap_type_refs(v, k)
            return out
        if isinstance(obj, list):
            if key == "fixed-length-list":
                return [remap_type_refs(obj[0]), obj[1]]
            return [remap_type_refs(v) for v in obj]
        if isinstance(obj, int) and not isinstance(obj, bool):
            return type_ids.get(obj, obj)
        return obj

    worlds = []
    for w in resolve.worlds:
        if w.id not in world_ids:
            continue
        out: dict[str, object] = {"name": w.name}
        imports: dict[str, object] = {}
        exports: dict[str, object] = {}
        for src, dst in ((w.imports, imports), (w.exports, exports)):
            for key, item in src.items():
                if isinstance(key, int):
                    if key not in iface_ids:
                        continue
                    dst[f"interface-{iface_ids[key]}"] = _remap_item(item, iface_ids,
                                                                     remap_type_refs, type_ids)
                else:
                    dst[key] = _remap_item(item, iface_ids, remap_type_refs, type_ids)
        out["imports"] = imports
        out["exports"] = exports
        out["package"] = pkg_ids.get(w.package or 0, 0)
        _docs(out, w.docs)
        _stability(out, w.stability)
        worlds.append(out)
    interfaces = []
    for i in resolve.interfaces:
        if i.id not in iface_ids:
            continue
        iout: dict[str, object] = {"name": i.name}
        iout["types"] = {n: type_ids[t] for n, t in i.types.items() if t in type_ids}
        iout["functions"] = {n: remap_type_refs(function_json(f)) for n, f in i.functions.items()
                             if not f.excluded}
        _docs(iout, i.docs)
        _stability(iout, i.stability)
        iout["package"] = pkg_ids.get(i.package or 0, 0)
        interfaces.append(iout)
    types = []
    for t in kept_types:
        tout: dict[str, object] = {"name": t.name, "kind": remap_type_refs(_type_kind(t))}
        if t.owner is None:
            tout["owner"] = None
        elif t.owner[0] == "interface":
            tout["owner"] = {"interface": iface_ids.get(t.owner[1], t.owner[1])}
        else:
            tout["owner"] = {"world": world_ids.get(t.owner[1], t.owner[1])}
        _docs(tout, t.docs)
        _stability(tout, t.stability)
        types.append(tout)
    packages = []
    for p in resolve.packages:
        if p.id not in pkg_ids:
            continue
        pout: dict[str, object] = {"name": p.key}
        _docs(pout, p.docs)
        pout["interfaces"] = {n: iface_ids[i] for n, i in p.interfaces.items() if i in iface_ids}
        pout["worlds"] = {n: world_ids[w] for n, w in p.worlds.items() if w in world_ids}
        packages.append(pout)
    return {"worlds": worlds, "interfaces": interfaces, "types": types, "packages": packages}


def _remap_item(item: WItem, iface_ids: dict[int, int], remap: object,
                type_ids: dict[int, int]) -> dict[str, object]:
    body = _world_item(item)
    if item.kind == "interface":
        inner = body["interface"]
        assert isinstance(inner, dict)
        inner["id"] = iface_ids.get(item.id, item.id)
    elif item.kind == "type":
        body["type"] = type_ids.get(item.id, item.id)
    else:
        assert callable(remap)
        body = {"function": remap(body["function"])}
    return body


def _type_kept(resolve: Resolve, t: RType, iface_ids: dict[int, int],
               world_ids: dict[int, int]) -> bool:
    if t.excluded:
        return False
    if t.owner is None:
        return True
    if t.owner[0] == "interface":
        return t.owner[1] in iface_ids
    return t.owner[1] in world_ids
