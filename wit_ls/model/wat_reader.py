"""A small reader of the WebAssembly text format (WAT) for the component-type subset a WIT
package is encoded in: the same constructs as
:func:`wit_ls.model.component_types.read_binary`, written as s-expressions, with ``$names`` for
indices and types written in place (``(param "x" (list u8))``), which become type definitions
just before the declaration that uses them, as the text format defines. Raises
:class:`~wit_ls.model.component_types.DecodeError` with the line of the problem.
"""

from __future__ import annotations

from wit_ls.model.component_types import (
    Alias,
    Component,
    ComponentTypeDef,
    DecodeError,
    Defined,
    Export,
    ExternDesc,
    FuncType,
    Import,
    InstanceTypeDef,
    ResourceType,
    TopExport,
    TypeBound,
    ValType,
)

_PRIMITIVES = {"bool", "s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64", "f32", "f64",
               "float32", "float64", "char", "string", "error-context"}
_SORTS = {"func", "type", "instance", "component", "value", "module"}


class _Str(str):
    """A string literal (as opposed to a keyword or ``$name``)."""


class _Sexpr(list[object]):
    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line


def _unescape(raw: str, line: int) -> str:
    out = bytearray()
    i = 0
    while i < len(raw):
        c = raw[i]
        if c != "\\":
            out += c.encode("utf-8")
            i += 1
            continue
        nxt = raw[i + 1:i + 2]
        simple = {"n": b"\n", "t": b"\t", "r": b"\r", '"': b'"', "'": b"'", "\\": b"\\"}
        if nxt in simple:
            out += simple[nxt]
            i += 2
        elif nxt == "u":
            end = raw.find("}", i)
            try:
                if end < 0 or raw[i + 2:i + 3] != "{":
                    raise ValueError
                out += chr(int(raw[i + 3:end], 16)).encode("utf-8")
            except (ValueError, OverflowError):
                raise DecodeError(f"line {line}: invalid unicode escape") from None
            i = end + 1
        else:
            try:
                out.append(int(raw[i + 1:i + 3], 16))
            except ValueError:
                raise DecodeError(f"line {line}: invalid string escape") from None
            i += 3
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        return out.decode("latin-1")


def parse_sexprs(text: str) -> list[object]:
    """The s-expressions of ``text`` (lists, keywords, ``_Str`` literals)."""
    stack: list[_Sexpr] = [_Sexpr(1)]
    i, line, n = 0, 1, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif c.isspace():
            i += 1
        elif text.startswith(";;", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif text.startswith("(;", i):
            depth = 0
            while i < n:
                if text.startswith("(;", i):
                    depth += 1
                    i += 2
                elif text.startswith(";)", i):
                    depth -= 1
                    i += 2
                    if depth == 0:
                        break
                else:
                    line += text[i] == "\n"
                    i += 1
            if depth:
                raise DecodeError(f"line {line}: unterminated block comment")
        elif c == "(":
            stack.append(_Sexpr(line))
            i += 1
        elif c == ")":
            if len(stack) == 1:
                raise DecodeError(f"line {line}: unbalanced `)`")
            done = stack.pop()
            stack[-1].append(done)
            i += 1
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                raise DecodeError(f"line {line}: unterminated string")
            stack[-1].append(_Str(_unescape(text[i + 1:j], line)))
            i = j + 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in '()";':
                j += 1
            if j == i:
                raise DecodeError(f"line {line}: unexpected `{c}`")
            stack[-1].append(text[i:j])
            i = j
    if len(stack) != 1:
        raise DecodeError(f"line {stack[-1].line}: unclosed `(`")
    return list(stack[0])


def _line(x: object) -> int:
    return x.line if isinstance(x, _Sexpr) else 0


def _head(x: object) -> str:
    if isinstance(x, _Sexpr) and x and isinstance(x[0], str) and not isinstance(x[0], _Str):
        return x[0]
    return ""


class _Space:
    """The index spaces of one component or instance type, with their ``$names``."""

    def __init__(self) -> None:
        self.counts = {s: 0 for s in _SORTS}
        self.names: dict[tuple[str, str], int] = {}

    def add(self, sort: str, name: str | None, line: int) -> int:
        index = self.counts[sort]
        self.counts[sort] += 1
        if name is not None:
            if (sort, name) in self.names:
                raise DecodeError(f"line {line}: duplicate {sort} identifier {name}")
            self.names[(sort, name)] = index
        return index

    def index(self, sort: str, ref: object, line: int) -> int:
        if isinstance(ref, str) and not isinstance(ref, _Str):
            if ref.startswith("$"):
                found = self.names.get((sort, ref))
                if found is None:
                    raise DecodeError(f"line {line}: unknown {sort} {ref}")
                return found
            try:
                return int(ref.replace("_", ""), 0)
            except ValueError:
                pass
        raise DecodeError(f"line {line}: expected a {sort} index")


class _Scope:
    """A component or instance type being read: its declarations and index spaces."""

    def __init__(self, parent: _Scope | None) -> None:
        self.parent = parent
        self.space = _Space()
        self.decls: list[object] = []

    def define(self, deftype: object, name: str | None, line: int) -> int:
        self.decls.append(deftype)
        return self.space.add("type", name, line)


class _Reader:
    def valtype(self, x: object, scope: _Scope) -> ValType:
        if isinstance(x, str) and not isinstance(x, _Str) and x in _PRIMITIVES:
            return {"float32": "f32", "float64": "f64"}.get(x, x)
        if isinstance(x, _Sexpr):
            # A type written in place: defined just before the declaration using it.
            return scope.define(self.deftype(x, scope), None, _line(x))
        return scope.space.index("type", x, _line(x) or 0)

    def deftype(self, x: object, scope: _Scope) -> object:
        line = _line(x)
        head = _head(x)
        assert isinstance(x, _Sexpr) or head == ""
        if isinstance(x, str) and not isinstance(x, _Str) and x in _PRIMITIVES:
            return Defined("primitive", args=(self.valtype(x, scope),))
        if not isinstance(x, _Sexpr):
            raise DecodeError(f"line {line}: expected a type definition")
        rest = x[1:]
        if head == "record":
            return Defined("record", members=tuple(
                (self.string(f, 1), self.valtype(f[2], scope)) for f in self.forms(rest, "field")))
        if head == "variant":
            cases = []
            for c in self.forms(rest, "case"):
                ty = c[2] if len(c) > 2 and _head(c[2]) != "refines" else None
                cases.append((self.string(c, 1), None if ty is None else self.valtype(ty, scope)))
            return Defined("variant", members=tuple(cases))
        if head == "list":
            if len(rest) == 2:
                return Defined("fixed-length-list", args=(self.valtype(rest[0], scope),),
                               size=self.number(rest[1], line))
            return Defined("list", args=(self.valtype(self.one(rest, line), scope),))
        if head == "map":
            return Defined("map", args=(self.valtype(rest[0], scope),
                                        self.valtype(rest[1], scope)))
        if head == "tuple":
            return Defined("tuple", args=tuple(self.valtype(t, scope) for t in rest))
        if head in ("flags", "enum"):
            return Defined(head, names=tuple(self.literal(n, line) for n in rest))
        if head == "option":
            return Defined("option", args=(self.valtype(self.one(rest, line), scope),))
        if head == "result":
            ok: ValType | None = None
            err: ValType | None = None
            for part in rest:
                if _head(part) == "error":
                    assert isinstance(part, _Sexpr)
                    err = self.valtype(self.one(part[1:], line), scope)
                else:
                    ok = self.valtype(part, scope)
            return Defined("result", args=(ok, err))
        if head in ("own", "borrow"):
            return Defined(head, args=(scope.space.index("type", self.one(rest, line), line),))
        if head in ("future", "stream"):
            return Defined(head, args=(self.valtype(rest[0], scope) if rest else None,))
        if head == "func":
            return self.functype(x, scope, 1)
        if head == "component":
            return ComponentTypeDef(tuple(self.decls(rest, scope, component=True)))
        if head == "instance":
            return InstanceTypeDef(tuple(self.decls(rest, scope, component=False)))
        if head == "resource":
            return ResourceType()
        raise DecodeError(f"line {line}: unsupported type `{head or x}`")

    def functype(self, x: _Sexpr, scope: _Scope, start: int) -> FuncType:
        params: list[tuple[str, ValType]] = []
        result: ValType | None = None
        is_async = False
        for part in x[start:]:
            h = _head(part)
            if part == "async":
                is_async = True
            elif h == "param":
                assert isinstance(part, _Sexpr)
                params.append((self.string(part, 1), self.valtype(part[2], scope)))
            elif h == "result":
                assert isinstance(part, _Sexpr)
                result = self.valtype(self.one(part[1:], _line(part)), scope)
            else:
                raise DecodeError(f"line {_line(x)}: unexpected `{h or part}` in a function type")
        return FuncType(tuple(params), result, is_async)

    def decls(self, forms: list[object], parent: _Scope, component: bool) -> list[object]:
        scope = _Scope(parent)
        for form in forms:
            h = _head(form)
            line = _line(form)
            if not isinstance(form, _Sexpr):
                raise DecodeError(f"line {line}: unexpected `{form}`")
            if h == "type":
                name, body = self.named(form, 1)
                if len(body) != 1:
                    raise DecodeError(f"line {line}: expected one type definition")
                deftype = self.deftype(body[0], scope)
                scope.define(deftype, name, line)
            elif h == "alias":
                scope.decls.append(self.alias(form, scope))
            elif h in ("import", "export"):
                if h == "import" and not component:
                    raise DecodeError(f"line {line}: an instance type cannot import")
                name = self.string(form, 1)
                desc = self.extern_desc(form[2] if len(form) > 2 else None, scope, line)
                scope.decls.append(Import(name, desc) if h == "import" else Export(name, desc))
            elif h.startswith("@"):
                continue
            else:
                raise DecodeError(f"line {line}: unsupported declaration `{h}`")
        return scope.decls

    def alias(self, form: _Sexpr, scope: _Scope) -> Alias:
        line = _line(form)
        if len(form) < 3:
            raise DecodeError(f"line {line}: incomplete alias")
        kind = form[1]
        target = form[-1]
        sort = _head(target)
        if sort not in _SORTS:
            raise DecodeError(f"line {line}: unsupported alias")
        assert isinstance(target, _Sexpr)
        own_name = target[1] if len(target) > 1 and isinstance(target[1], str) and \
            target[1].startswith("$") else None
        if kind == "outer":
            count_ref, index_ref = form[2], form[3]
            if isinstance(count_ref, str) and count_ref.startswith("$"):
                raise DecodeError(f"line {line}: named outer scopes are not supported")
            count = self.number(count_ref, line)
            outer = scope
            for _ in range(count):
                if outer.parent is None:
                    raise DecodeError(f"line {line}: outer alias out of bounds")
                outer = outer.parent
            alias = Alias(sort, depth=count, item=outer.space.index(sort, index_ref, line))
        elif kind == "export":
            instance = scope.space.index("instance", form[2], line)
            alias = Alias(sort, instance=instance, name=self.string(form, 3))
        else:
            raise DecodeError(f"line {line}: unsupported alias `{kind}`")
        scope.space.add(sort, own_name, line)
        return alias

    def extern_desc(self, x: object, scope: _Scope, line: int) -> ExternDesc:
        sort = _head(x)
        if sort not in ("func", "type", "instance", "component"):
            raise DecodeError(f"line {line}: unsupported import or export")
        assert isinstance(x, _Sexpr)
        name, body = self.named(x, 1)
        if sort == "type":
            bound = self.one(body, line)
            if _head(bound) == "eq":
                assert isinstance(bound, _Sexpr)
                target = scope.space.index("type", self.one(bound[1:], line), line)
                scope.space.add("type", name, line)
                return ExternDesc("type", bound=TypeBound(target))
            if _head(bound) == "sub" and isinstance(bound, _Sexpr) and bound[1:] == ["resource"]:
                scope.space.add("type", name, line)
                return ExternDesc("type", bound=TypeBound(None))
            raise DecodeError(f"line {line}: expected `(eq i)` or `(sub resource)`")
        if body and _head(body[0]) == "type" and len(body) == 1:
            first = body[0]
            assert isinstance(first, _Sexpr)
            index = scope.space.index("type", self.one(first[1:], line), line)
        else:
            # A type written in place: `(instance (export ...))`, `(func (param ...))`.
            wrapper = _Sexpr(line)
            wrapper.extend([sort, *body])
            deftype = self.deftype(wrapper, scope) if sort != "func" else \
                self.functype(wrapper, scope, 1)
            index = scope.define(deftype, None, line)
        scope.space.add(sort, name, line)
        return ExternDesc(sort, type_index=index)

    # -- small helpers --------------------------------------------------------------------------

    def named(self, form: _Sexpr, at: int) -> tuple[str | None, list[object]]:
        rest = list(form[at:])
        first = rest[0] if rest else None
        if isinstance(first, str) and not isinstance(first, _Str) and first.startswith("$"):
            return first, rest[1:]
        return None, rest

    def forms(self, rest: list[object], head: str) -> list[_Sexpr]:
        out = []
        for f in rest:
            if _head(f) != head or not isinstance(f, _Sexpr) or len(f) < 2:
                raise DecodeError(f"line {_line(f)}: expected `({head} ...)`")
            out.append(f)
        return out

    def string(self, form: _Sexpr, at: int) -> str:
        if len(form) <= at or not isinstance(form[at], _Str):
            raise DecodeError(f"line {_line(form)}: expected a string")
        return str(form[at])

    def literal(self, x: object, line: int) -> str:
        if not isinstance(x, _Str):
            raise DecodeError(f"line {line}: expected a string")
        return str(x)

    def number(self, x: object, line: int) -> int:
        try:
            return int(str(x).replace("_", ""), 0)
        except ValueError:
            raise DecodeError(f"line {line}: expected a number") from None

    def one(self, rest: list[object], line: int) -> object:
        if len(rest) != 1:
            raise DecodeError(f"line {line}: expected exactly one item")
        return rest[0]


def read_wat(text: str) -> Component:
    """The outer component of a WAT text. Raises DecodeError."""
    forms = parse_sexprs(text)
    if len(forms) != 1 or _head(forms[0]) != "component":
        raise DecodeError("expected one `(component ...)`")
    top = forms[0]
    assert isinstance(top, _Sexpr)
    reader = _Reader()
    scope = _Scope(None)
    items: list[object] = []
    custom: list[tuple[str, bytes]] = []
    rest = top[1:]
    if rest and isinstance(rest[0], str) and rest[0].startswith("$"):
        rest = rest[1:]
    for form in rest:
        h = _head(form)
        line = _line(form)
        if not isinstance(form, _Sexpr):
            raise DecodeError(f"line {line}: unexpected `{form}`")
        if h == "type":
            name, body = reader.named(form, 1)
            if len(body) != 1:
                raise DecodeError(f"line {line}: expected one type definition")
            start = len(scope.decls)
            deftype = reader.deftype(body[0], scope)
            items.extend(scope.decls[start:])
            del scope.decls[start:]
            items.append(deftype)
            scope.define(deftype, name, line)
            scope.decls.pop()
        elif h == "export":
            own_name, parts = reader.named(form, 1)
            export_name = reader.literal(parts[0] if parts else None, line)
            target = parts[1] if len(parts) > 1 else None
            sort = _head(target)
            if sort not in _SORTS or not isinstance(target, _Sexpr):
                raise DecodeError(f"line {line}: unsupported export")
            index = scope.space.index(sort, reader.one(target[1:], line), line)
            scope.space.add(sort, own_name, line)
            items.append(TopExport(export_name, sort, index))
        elif h == "@custom":
            custom.append((reader.string(form, 1),
                           "".join(str(s) for s in form[2:]).encode("utf-8")))
        elif h.startswith("@"):
            continue
        else:
            raise DecodeError(f"line {line}: found an actual component instead of an encoded "
                              f"WIT package (`{h}`)")
    return Component(tuple(items), tuple(custom))
