"""A read-only view of resolved WIT in the JSON shape of ``wasm-tools component wit --json``
(``worlds``, ``interfaces``, ``types``, ``packages`` with index references), which is what
``wit_ls.model.Analysis.resolve_json()`` produces. Types are rendered two ways: structurally
(for link compatibility: aliases followed, resources by identity) and as written (for messages)."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]
TypeRef = str | int | None


def strip_version(name: str) -> str:
    return name.split("@", 1)[0]


def version_of(name: str) -> str:
    return name.split("@", 1)[1] if "@" in name else ""


class Resolved:
    def __init__(self, doc: Json) -> None:
        self.types: list[Json] = list(doc.get("types", []))
        self.interfaces: list[Json] = list(doc.get("interfaces", []))
        self.worlds: list[Json] = list(doc.get("worlds", []))
        self.packages: list[Json] = list(doc.get("packages", []))
        # structure() of type definitions: (index, nested, shallow) -> text.
        self._structures: dict[tuple[int, bool, bool], str] = {}
        # The types some function mentions (computed by the comparison, kept for the next).
        self.used_everywhere: set[int] | None = None

    # ---- packages and names -------------------------------------------------------------

    def package(self, name: str) -> Json | None:
        """The package with this name (versions ignored)."""
        wanted = strip_version(name)
        for package in self.packages:
            if strip_version(str(package.get("name", ""))) == wanted:
                return package
        return None

    def interface_name(self, index: int) -> str:
        """``ns:pkg/iface`` (no version) of an interface, or ``<inline>`` for a world's
        inline interface."""
        if not 0 <= index < len(self.interfaces):
            return "<unknown>"
        iface = self.interfaces[index]
        name = iface.get("name")
        package = iface.get("package")
        if name is None or package is None or not 0 <= package < len(self.packages):
            return f"<inline {name or index}>"
        return f"{strip_version(str(self.packages[package].get('name', '')))}/{name}"

    def world_key(self, key: str, item: Json) -> str:
        """A world import/export key made comparable across two resolves: interface ids
        become qualified interface names."""
        iface = item.get("interface")
        if isinstance(iface, dict) and key.startswith("interface-"):
            return "interface " + self.interface_name(int(iface.get("id", -1)))
        return key

    # ---- types ------------------------------------------------------------------------

    def typedef(self, ref: TypeRef) -> Json | None:
        if isinstance(ref, int) and 0 <= ref < len(self.types):
            return self.types[ref]
        return None

    def owner_name(self, typedef: Json) -> str:
        owner = typedef.get("owner") or {}
        if isinstance(owner, dict) and "interface" in owner:
            return self.interface_name(int(owner["interface"]))
        if isinstance(owner, dict) and "world" in owner:
            return f"world {owner['world']}"
        return ""

    def structure(self, ref: TypeRef, depth: int = 0, shallow: bool = False) -> str:
        """The structural identity of a type: equal strings mean link-compatible types.

        With ``shallow``, named types nested anywhere inside are identified by name and owner
        instead of being expanded."""
        if ref is None:
            return "_"
        if isinstance(ref, str):
            return ref
        # The text depends on the depth only through "nested at all" (and the guard).
        key = (ref, depth > 0, shallow)
        known = self._structures.get(key)
        if known is None:
            known = self._structures[key] = self._structure(ref, depth, shallow)
        return known

    def _structure(self, ref: int, depth: int, shallow: bool) -> str:
        typedef = self.typedef(ref)
        if typedef is None or depth > 200:
            return "?"
        if shallow and depth > 0 and typedef.get("name") and typedef.get("owner"):
            return f"named({self.owner_name(typedef)}#{typedef['name']})"
        kind = typedef.get("kind")
        d = depth + 1
        if kind == "resource":
            return f"resource({self.owner_name(typedef)}#{typedef.get('name')})"
        if not isinstance(kind, dict) or not kind:
            return str(kind)
        ((tag, body),) = list(kind.items())[:1]
        if tag == "type":
            return self.structure(body, d, shallow)
        if tag == "record":
            fields = ",".join(
                f"{f['name']}:{self.structure(f.get('type'), d, shallow)}" for f in body["fields"]
            )
            return f"record{{{fields}}}"
        if tag == "variant":
            cases = ",".join(
                f"{c['name']}({self.structure(c.get('type'), d, shallow)})" for c in body["cases"]
            )
            return f"variant{{{cases}}}"
        if tag == "enum":
            return "enum{" + ",".join(c["name"] for c in body["cases"]) + "}"
        if tag == "flags":
            return "flags{" + ",".join(f["name"] for f in body["flags"]) + "}"
        if tag == "tuple":
            return "tuple<" + ",".join(self.structure(t, d, shallow) for t in body["types"]) + ">"
        if tag in ("list", "option", "future", "stream"):
            return f"{tag}<{self.structure(body, d, shallow)}>"
        if tag == "fixed-length-list":
            return f"list<{self.structure(body[0], d, shallow)},{body[1]}>"
        if tag == "map":
            return (
                f"map<{self.structure(body[0], d, shallow)},{self.structure(body[1], d, shallow)}>"
            )
        if tag == "result":
            ok = self.structure(body.get("ok"), d, shallow)
            return f"result<{ok},{self.structure(body.get('err'), d, shallow)}>"
        if tag == "handle":
            ((how, target),) = list(body.items())[:1]
            return f"{how}<{self.structure(target, d, shallow)}>"
        return f"{tag}:{body}"

    def shallow(self, ref: TypeRef) -> str:
        """Like :meth:`structure`, but a named type is its name and owner: a change inside a
        named type is reported on that type, not again on every signature that mentions it."""
        return self.structure(ref, 1 if self._named(ref) else 0, shallow=True)

    def _named(self, ref: TypeRef) -> bool:
        typedef = self.typedef(ref)
        return typedef is not None and bool(typedef.get("name")) and bool(typedef.get("owner"))

    def referenced_types(self, refs: list[TypeRef]) -> set[int]:
        """Every type definition reachable from ``refs`` (through aliases and contents)."""
        seen: set[int] = set()
        stack = [r for r in refs if isinstance(r, int)]
        while stack:
            index = stack.pop()
            if index in seen:
                continue
            typedef = self.typedef(index)
            if typedef is None:
                continue
            seen.add(index)
            stack.extend(_refs_in(typedef.get("kind")))
        return seen

    def show(self, ref: TypeRef) -> str:
        """The type as WIT text, with named types by name."""
        if ref is None:
            return "_"
        if isinstance(ref, str):
            return ref
        typedef = self.typedef(ref)
        if typedef is None:
            return "?"
        if typedef.get("name"):
            return str(typedef["name"])
        kind = typedef.get("kind")
        if not isinstance(kind, dict) or not kind:
            return str(kind)
        ((tag, body),) = list(kind.items())[:1]
        if tag == "type":
            return self.show(body)
        if tag == "tuple":
            return "tuple<" + ", ".join(self.show(t) for t in body["types"]) + ">"
        if tag in ("list", "option"):
            return f"{tag}<{self.show(body)}>"
        if tag in ("future", "stream"):
            return tag if body is None else f"{tag}<{self.show(body)}>"
        if tag == "fixed-length-list":
            return f"list<{self.show(body[0])}, {body[1]}>"
        if tag == "map":
            return f"map<{self.show(body[0])}, {self.show(body[1])}>"
        if tag == "result":
            ok, err = body.get("ok"), body.get("err")
            if ok is None and err is None:
                return "result"
            if err is None:
                return f"result<{self.show(ok)}>"
            return f"result<{self.show(ok) if ok is not None else '_'}, {self.show(err)}>"
        if tag == "handle":
            ((how, target),) = list(body.items())[:1]
            return f"{how}<{self.show(target)}>" if how == "borrow" else self.show(target)
        return str(tag)

    @staticmethod
    def kind_tag(typedef: Json) -> str:
        kind = typedef.get("kind")
        if isinstance(kind, dict) and kind:
            return str(next(iter(kind)))
        return str(kind)


def _refs_in(value: object) -> list[int]:
    """Type indices mentioned anywhere in a JSON type kind."""
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [value]
    if isinstance(value, list):
        return [i for item in value for i in _refs_in(item)]
    if isinstance(value, dict):
        out: list[int] = []
        for key, item in value.items():
            if key == "fixed-length-list" and isinstance(item, list) and item:
                out.extend(_refs_in(item[0]))  # the second element is the length
            elif key != "name":
                out.extend(_refs_in(item))
        return out
    return []
