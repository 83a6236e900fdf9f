"""WIT text of resolved types, functions and elaborated worlds (for hover and symbols)."""

from __future__ import annotations

from wit_ls.model.resolved import Resolve, RFunc, RWorld, Ty, WItem
from wit_ls.syntax.vocabulary import KEYWORDS


def ident(name: str) -> str:
    return f"%{name}" if name in KEYWORDS else name


def type_text(r: Resolve, ty: Ty, depth: int = 0) -> str:
    if ty is None:
        return "_"
    if isinstance(ty, str):
        return ty
    if depth > 50:
        return "..."
    t = r.types[ty]
    if t.name is not None:
        return ident(t.name)
    a = t.args
    k = t.kind
    if k == "handle":
        target = r.types[a[0]].name if a and isinstance(a[0], int) else "_"
        return (
            f"{t.handle}<{ident(target or '_')}>" if t.handle == "borrow" else ident(target or "_")
        )
    if k == "list":
        return f"list<{type_text(r, a[0], depth + 1)}>"
    if k == "fixed-length-list":
        return f"list<{type_text(r, a[0], depth + 1)}, {t.size}>"
    if k == "option":
        return f"option<{type_text(r, a[0], depth + 1)}>"
    if k == "tuple":
        return "tuple<" + ", ".join(type_text(r, x, depth + 1) for x in a) + ">"
    if k in ("future", "stream"):
        return k if t.bare or a[0] is None else f"{k}<{type_text(r, a[0], depth + 1)}>"
    if k == "map":
        return f"map<{type_text(r, a[0], depth + 1)}, {type_text(r, a[1], depth + 1)}>"
    if k == "result":
        ok, err = a[0], a[1]
        if ok is None and err is None:
            return "result"
        if err is None:
            return f"result<{type_text(r, ok, depth + 1)}>"
        return (
            f"result<{type_text(r, ok, depth + 1) if ok is not None else '_'}, "
            f"{type_text(r, err, depth + 1)}>"
        )
    if k == "type":
        return type_text(r, a[0] if a else None, depth + 1)
    return k


def resolved_text(r: Resolve, ty: Ty) -> str:
    """The type an alias finally stands for, structurally."""
    seen = 0
    while isinstance(ty, int) and r.types[ty].kind == "type" and seen < 100:
        ty = r.types[ty].args[0] if r.types[ty].args else None
        seen += 1
    if isinstance(ty, int) and r.types[ty].name is not None:
        t = r.types[ty]
        return f"{t.kind} {ident(t.name or '')}" if t.kind != "type" else ident(t.name or "")
    return type_text(r, ty)


def function_text(r: Resolve, f: RFunc) -> str:
    params = [
        p
        for p in f.params
        if not (p.name == "self" and f.kind.endswith(("method", "method-getter", "method-setter")))
    ]
    rendered = ", ".join(f"{ident(p.name)}: {type_text(r, p.type)}" for p in params)
    result = ""
    if f.result is not None and f.kind != "constructor":
        result = f" -> {type_text(r, f.result)}"
    elif f.kind == "constructor" and f.result is not None:
        t = r.types[f.result] if isinstance(f.result, int) else None
        if t is not None and t.kind == "result":
            result = f" -> {type_text(r, f.result)}"
    if f.kind == "constructor":
        return f"constructor({rendered}){result}"
    word = "async func" if f.kind.startswith("async") else "func"
    if f.kind.endswith("getter"):
        word = "get"
    elif f.kind.endswith("setter"):
        word = "set"
    static = "static " if f.kind.startswith(("static", "async-static")) else ""
    return f"{ident(f.label)}: {static}{word}({rendered}){result}"


def _item_text(r: Resolve, direction: str, key: object, item: WItem) -> str:
    if item.kind == "interface":
        if isinstance(key, str):
            return f"  {direction} {ident(key)}: {r.interface_qualified(item.id)};"
        return f"  {direction} {r.interface_qualified(item.id)};"
    if item.kind == "function" and item.func is not None:
        text = function_text(r, item.func)
        if item.func.name != item.func.label and "[" in item.func.name:
            return f"  // {direction} {item.func.name}"
        return f"  {direction} {text};"
    t = r.types[item.id]
    if t.kind == "resource":
        return f"  resource {ident(t.name or '')};"
    if t.kind == "type":
        return f"  type {ident(t.name or '')} = {type_text(r, t.args[0] if t.args else None)};"
    return f"  {t.kind} {ident(t.name or '')} {{ ... }}"


def world_text(r: Resolve, w: RWorld) -> str:
    lines = [f"world {ident(w.name)} {{"]
    for key, item in w.imports.items():
        lines.append(_item_text(r, "import", key, item))
    for key, item in w.exports.items():
        lines.append(_item_text(r, "export", key, item))
    lines.append("}")
    return "\n".join(lines)


# Members shown in a definition before the rest is summed up as a count.
MAX_MEMBERS = 12
_SHOWN_WHEN_SHORTENED = 10


def resource_functions(r: Resolve, tid: int) -> list[RFunc]:
    """The constructor, methods and statics of the resource ``tid``, in source order."""
    t = r.types[tid]
    funcs: list[RFunc] = []
    if t.owner is not None and t.owner[0] == "interface":
        funcs = list(r.interfaces[t.owner[1]].functions.values())
    elif t.owner is not None and t.owner[0] == "world":
        world = r.worlds[t.owner[1]]
        funcs = [i.func for i in [*world.imports.values(), *world.exports.values()]
                 if i.func is not None]
    return [f for f in funcs if f.resource == tid]


def _body(head: str, lines: list[str], word: str) -> str:
    """``head { lines }``, shortened to a count past :data:`MAX_MEMBERS` lines."""
    if len(lines) > MAX_MEMBERS:
        rest = len(lines) - _SHOWN_WHEN_SHORTENED
        lines = [*lines[:_SHOWN_WHEN_SHORTENED], f"// ... {rest} more {word}"]
    return head + " {\n" + "".join(f"  {line}\n" for line in lines) + "}"


def definition_text(r: Resolve, tid: int) -> str:
    """The whole definition of the named type ``tid`` as WIT: a record's fields, a variant's or
    enum's cases, flags, a resource's constructor, methods and statics, an alias's target."""
    t = r.types[tid]
    head = f"{t.kind} {ident(t.name or '')}"
    if t.kind == "record":
        return _body(head, [f"{ident(m.name)}: {type_text(r, m.type)}," for m in t.members],
                     "fields")
    if t.kind == "variant":
        return _body(head, [ident(m.name) + (f"({type_text(r, m.type)})" if m.type is not None
                                             else "") + "," for m in t.members], "cases")
    if t.kind in ("enum", "flags"):
        return _body(head, [f"{ident(m.name)}," for m in t.members],
                     "cases" if t.kind == "enum" else "flags")
    if t.kind == "resource":
        funcs = resource_functions(r, tid)
        if not funcs:
            return f"{head};"
        return _body(head, [f"{function_text(r, f)};" for f in funcs], "functions")
    if t.kind == "type":
        return f"{head} = {type_text(r, t.args[0] if t.args else None)};"
    return f"{head} = {type_text(r, tid)};"
