"""Lower a syntax tree into :mod:`wit_ls.model.items` (no resolution, no diagnostics)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from tree_sitter import Node, Query, QueryCursor

from wit_ls.model.docs import CommentIndex
from wit_ls.model.items import (
    Attribute,
    Declarations,
    Extern,
    FileItems,
    Func,
    Ident,
    Include,
    Interface,
    InterfaceMember,
    Member,
    NestedPackage,
    PackageName,
    Param,
    TopUse,
    TypeDef,
    TypeExpr,
    Use,
    UseName,
    UsePath,
    World,
    WorldMember,
)
from wit_ls.syntax import SyntaxTree, language
from wit_ls.syntax.semver import spanned_version
from wit_ls.syntax.strings import literal_value
from wit_ls.syntax.structure import MAX_TYPE_DEPTH
from wit_ls.syntax.vocabulary import COMMENT_NODES, TYPE_DEFINITION_NODES

TYPE_CHECKING = False  # not typing's: see wit_ls.light_typing
if TYPE_CHECKING:
    from typing import cast

    from wit_ls.model.relower import LastLowering
else:
    from wit_ls.light_typing import cast


@lru_cache(maxsize=1)
def _comment_query() -> Query:
    return cast(Query, Query(language(), "[(line_comment) (block_comment) (doc_comment)] @c"))


def _comment_spans(root: Node) -> list[tuple[int, int]]:
    """The byte ranges of the comments."""
    cursor = QueryCursor(_comment_query())
    return [(n.start_byte, n.end_byte) for nodes in cursor.captures(root).values()
            for n in nodes]


def _errors_query() -> Query:
    return _error_query_cached()


@lru_cache(maxsize=1)
def _error_query_cached() -> Query:
    return cast(Query, Query(language(), "(ERROR) @e"))


# Field ids of the grammar, looked up once (`child_by_field_name` looks the name up among the
# grammar's field names on every call).
_GRAMMAR = language()


def _field(name: str) -> int:
    found = _GRAMMAR.field_id_for_name(name)
    assert found is not None
    return found


_F_ALIAS = _field("alias")
_F_ARGUMENTS = _field("arguments")
_F_ASYNC = _field("async")
_F_BODY = _field("body")
_F_ELEMENT = _field("element")
_F_ERR = _field("err")
_F_KEY = _field("key")
_F_KIND = _field("kind")
_F_NAME = _field("name")
_F_NAMES = _field("names")
_F_NAMESPACE = _field("namespace")
_F_OK = _field("ok")
_F_PACKAGE = _field("package")
_F_PARAMS = _field("params")
_F_PATH = _field("path")
_F_RESOURCE = _field("resource")
_F_RESULT = _field("result")
_F_SIZE = _field("size")
_F_STATIC = _field("static")
_F_TYPE = _field("type")
_F_VALUE = _field("value")
_F_VERSION = _field("version")
_F_WITH = _field("with")

_ATTRIBUTE_OR_COMMENT = COMMENT_NODES | {"attribute"}
# An attribute's text in a tree without errors -> (kind, value, value start and end from the
# attribute's start), or () for one without a name (see `_Lowerer.attributes`).
_ATTRIBUTE_PARTS: dict[bytes, tuple[str, str, int, int] | tuple[()]] = {}
_MAX_ATTRIBUTE_TEXTS = 4096
_STATEMENTS = frozenset([
    "type_alias", "func_item", "use_item", "toplevel_use", "import_item", "export_item",
    "include_item", "record_field", "variant_case", "enum_case", "flag", "method_item",
    "constructor_item",
])


def _enclosing_statement(node: Node) -> Node | None:
    """The statement an ERROR node sits in, unless it sits directly in a body (between
    statements) or in the file."""
    current = node.parent
    depth = 0
    while current is not None and depth < 64:
        kind = current.type
        if kind in _STATEMENTS:
            return current
        if kind.endswith("_body") or kind in ("source_file", "nested_package", "ERROR"):
            return None
        current = current.parent
        depth += 1
    return None


# The last lowering of each path, with and without docs (see `lower`): an edit leaves the
# declarations and members before it unchanged, and those after it moved (see
# `wit_ls.model.relower`).
_PREVIOUS: dict[tuple[str, bool], tuple[bytes, FileItems]] = {}
_Old = dict[tuple[int, int], object]  # (`relower.Old`)


class _Lowerer:
    def __init__(self, tree: SyntaxTree, path: str,
                 previous: tuple[bytes, FileItems] | None = None,
                 with_docs: bool = True) -> None:
        self.tree = tree
        self.with_docs = with_docs
        self.source = tree.source
        self.clean = not tree.root.has_error
        self.path = path
        self.last: LastLowering | None = None
        self.comments: CommentIndex | None = None
        if previous is not None and previous[1].path == path:
            from wit_ls.model.relower import LastLowering

            self.last = LastLowering(previous[0], previous[1], self.source)
            # Docs are found from the tree, item by item (`relower.docs_before`): most items
            # are kept, and an index of every comment would cost more than the few looked up.
            return
        spans: list[tuple[int, int]] = []
        if self.source.find(b"/") != -1 and with_docs:
            spans = _comment_spans(tree.root)
        elif self.source.find(b"/") != -1:
            # Without docs only the package header's are read: the comments before the first
            # item, which are children of the root (no query over every comment).
            for child in tree.root.children:
                if child.type in COMMENT_NODES:
                    spans.append((child.start_byte, child.end_byte))
                elif child.is_named:
                    break
        self.comments = CommentIndex(self.source, spans)

    def kept(self, node: Node, old: _Old) -> tuple[object, int] | None:
        """See `relower.LastLowering.kept`."""
        assert self.last is not None
        return self.last.kept(node, old, self.docs)

    def parts(self, node: Node, old: _Old) -> _Old:
        """See `relower.LastLowering.parts`."""
        assert self.last is not None
        return self.last.parts(node, old)

    # -- helpers ------------------------------------------------------------------------------

    def text(self, node: Node) -> str:
        return self.source[node.start_byte : node.end_byte].decode("utf-8", "replace")

    def ident(self, node: Node | None) -> Ident | None:
        if node is None or node.type != "identifier" or (not self.clean and node.is_missing):
            return None  # (a tree without errors has no missing nodes)
        start = node.start_byte
        end = node.end_byte
        text = self.source[start:end].decode("utf-8", "replace")
        if text[:1] == "%":
            text = text[1:]
        if not text:
            return None
        return Ident(text, start, end)

    def docs(self, node: Node) -> str | None:
        if not self.with_docs:
            return None
        return self.docs_at(node.start_byte)

    def docs_at(self, offset: int) -> str | None:
        if self.comments is None:
            from wit_ls.model.relower import docs_before

            return docs_before(self.tree.root, self.source, offset)
        return self.comments.before(offset)

    def attributes(self, node: Node) -> list[Attribute]:
        out: list[Attribute] = []
        first = node.child(0)
        if first is None or first.type not in _ATTRIBUTE_OR_COMMENT:
            return out  # attributes come first: most items have none
        if self.clean:
            # In a tree without errors an item's attributes are its first children (comments
            # between them), and an attribute's parts follow from its text: each distinct text
            # (`@since(version = 0.2.0)` is on every item of a package) is read once.
            index = 0
            child: Node | None = first
            while child is not None and child.type in _ATTRIBUTE_OR_COMMENT:
                if child.type == "attribute":
                    start, end = child.start_byte, child.end_byte
                    text = self.source[start:end]
                    parts = _ATTRIBUTE_PARTS.get(text)
                    if parts is None:
                        if len(_ATTRIBUTE_PARTS) >= _MAX_ATTRIBUTE_TEXTS:
                            _ATTRIBUTE_PARTS.clear()
                        found = self._attribute(child)
                        parts = _ATTRIBUTE_PARTS[text] = () if found is None else (
                            found.kind, found.value, found.value_start - start,
                            found.value_end - start)
                    if parts:
                        kind, value, value_start, value_end = parts
                        out.append(Attribute(kind, value, start, end, start + value_start,
                                             start + value_end))
                index += 1
                child = node.child(index)
            return out
        for child in node.children:
            if child.type == "attribute":
                attribute = self._attribute(child)
                if attribute is not None:
                    out.append(attribute)
        return out

    def _attribute(self, child: Node) -> Attribute | None:
        name = child.child_by_field_id(_F_NAME)
        if name is None:
            return None
        kind = self.text(name).removeprefix("%")
        value = ""
        vstart = vend = child.end_byte
        args = child.child_by_field_id(_F_ARGUMENTS)
        if args is not None:
            for arg in args.named_children:
                if arg.type != "attribute_argument":
                    continue
                vnode = arg.child_by_field_id(_F_VALUE)
                if vnode is not None:
                    raw = self.text(vnode)
                    value = (literal_value(raw) if vnode.type == "string" else
                             spanned_version(raw) if vnode.type == "version" else
                             raw.removeprefix("%"))
                    vstart, vend = vnode.start_byte, vnode.end_byte
                break
        return Attribute(kind, value, child.start_byte, child.end_byte, vstart, vend)

    # -- types --------------------------------------------------------------------------------

    def type_expr(self, node: Node | None, depth: int = 0) -> TypeExpr | None:
        # Past wit-parser's nesting limit the syntax layer reports "type nesting too deep";
        # going deeper would only exhaust Python's recursion limit.
        if node is None or depth > MAX_TYPE_DEPTH or (
                not self.clean and (node.is_missing or node.is_error)):
            return None
        kind = node.type
        start, end = node.start_byte, node.end_byte
        if kind == "primitive_type":
            return TypeExpr(self.text(node), start, end)
        if kind == "named_type":
            name = self.ident(node.child_by_field_id(_F_NAME))
            if name is None:
                return None
            return TypeExpr("named", start, end, name=name)
        if kind == "handle_type":
            handle = node.child_by_field_id(_F_KIND)
            return TypeExpr("handle", start, end,
                            name=self.ident(node.child_by_field_id(_F_RESOURCE)),
                            handle=self.text(handle) if handle is not None else "own")
        if kind == "tuple_type":
            elements = node.children_by_field_name("element")
            return TypeExpr("tuple", start, end,
                            args=[self.type_expr(e, depth + 1) for e in elements])
        if kind == "list_type":
            size_node = node.child_by_field_id(_F_SIZE)
            size: int | None = None
            if size_node is not None and not size_node.is_missing:
                try:
                    size = int(self.text(size_node))
                except ValueError:
                    size = None
            return TypeExpr("list", start, end,
                            args=[self.type_expr(node.child_by_field_id(_F_ELEMENT), depth + 1)],
                            size=size)
        if kind == "map_type":
            return TypeExpr("map", start, end, args=[
                self.type_expr(node.child_by_field_id(_F_KEY), depth + 1),
                self.type_expr(node.child_by_field_id(_F_VALUE), depth + 1),
            ])
        if kind == "option_type":
            return TypeExpr("option", start, end,
                            args=[self.type_expr(node.child_by_field_id(_F_ELEMENT), depth + 1)])
        if kind == "result_type":
            return TypeExpr("result", start, end, args=[
                self.type_expr(node.child_by_field_id(_F_OK), depth + 1),
                self.type_expr(node.child_by_field_id(_F_ERR), depth + 1),
            ])
        if kind in ("future_type", "stream_type"):
            element = node.child_by_field_id(_F_ELEMENT)
            return TypeExpr(kind[:-5], start, end,
                            args=[self.type_expr(element, depth + 1)] if element is not None
                            else [])
        return None

    # -- functions ----------------------------------------------------------------------------

    def params(self, node: Node | None) -> list[Param]:
        out: list[Param] = []
        if node is None:
            return out
        for child in node.named_children:
            if child.type != "param":
                continue
            name = self.ident(child.child_by_field_id(_F_NAME))
            if name is None:
                continue
            out.append(Param(name, self.type_expr(child.child_by_field_id(_F_TYPE)),
                             child.start_byte, child.end_byte))
        return out

    def signature(self, func: Func, sig: Node | None) -> None:
        if sig is None:
            return
        if sig.type == "accessor":
            kind = sig.child_by_field_id(_F_KIND)
            func.accessor = self.text(kind) if kind is not None else "get"
        else:
            func.is_async = sig.child_by_field_id(_F_ASYNC) is not None
        func.params = self.params(sig.child_by_field_id(_F_PARAMS))
        result = sig.child_by_field_id(_F_RESULT)
        func.has_result = result is not None
        func.result = self.type_expr(result)

    def func(self, node: Node, kind: str = "func") -> Func | None:
        name = self.ident(node.child_by_field_id(_F_NAME))
        if name is None:
            return None
        func = Func(kind, name, [], None, node.start_byte, node.end_byte,
                    docs=self.docs(node), attributes=self.attributes(node))
        self.signature(func, node.child_by_field_id(_F_TYPE))
        return func

    def resource_member(self, node: Node) -> Func | None:
        if node.type == "constructor_item":
            keyword = next((c for c in node.children if c.type == "constructor"), node)
            func = Func("constructor", None, self.params(node.child_by_field_id(_F_PARAMS)), None,
                        node.start_byte, node.end_byte, docs=self.docs(node),
                        attributes=self.attributes(node),
                        keyword=(keyword.start_byte, keyword.end_byte))
            result = node.child_by_field_id(_F_RESULT)
            func.has_result = result is not None
            func.result = self.type_expr(result)
            return func
        if node.type == "method_item":
            static = node.child_by_field_id(_F_STATIC) is not None
            return self.func(node, "static" if static else "method")
        return None

    # -- type definitions ---------------------------------------------------------------------

    def typedef(self, node: Node, old: _Old | None = None) -> TypeDef | None:
        name = self.ident(node.child_by_field_id(_F_NAME))
        if name is None:
            return None
        kind = TYPE_DEFINITION_NODES[node.type]
        item = TypeDef(kind, name, node.start_byte, node.end_byte, docs=self.docs(node),
                       attributes=self.attributes(node))
        if kind == "type":
            item.alias = self.type_expr(node.child_by_field_id(_F_TYPE))
            return item
        body = node.child_by_field_id(_F_BODY)
        if body is None:
            return item
        item.has_body = True
        methods = self.parts(node, old) if old else None
        for child in body.named_children:
            ctype = child.type
            if ctype in ("record_field", "variant_case", "flag", "enum_case"):
                member_name = self.ident(child.child_by_field_id(_F_NAME))
                if member_name is None:
                    continue
                type_node = child.child_by_field_id(_F_TYPE)
                item.members.append(Member(member_name, self.type_expr(type_node),
                                           child.start_byte, child.end_byte, self.docs(child)))
            elif ctype in ("constructor_item", "method_item"):
                func = self.kept_method(child, methods) if methods else None
                if func is None:
                    func = self.resource_member(child)
                if func is not None:
                    item.methods.append(func)
        return item

    def kept_method(self, node: Node, old: _Old) -> Func | None:
        """The last lowering of a resource's method or constructor, moved (see `kept`)."""
        kept = self.kept(node, old)
        if kept is None or not isinstance(kept[0], Func):
            return None
        if not kept[1]:
            return kept[0]
        from wit_ls.model.shift import method  # (never loaded by `wit-ls check`)

        return method(kept[0], kept[1])

    # -- uses ---------------------------------------------------------------------------------

    def use_path(self, node: Node | None) -> UsePath | None:
        if node is None or node.is_missing:
            return None
        name = self.ident(node.child_by_field_id(_F_NAME))
        if name is None:
            return None
        path = UsePath(name, node.start_byte, node.end_byte)
        namespace = node.child_by_field_id(_F_NAMESPACE)
        if namespace is not None:
            path.namespace = self.ident(namespace) or Ident("", namespace.start_byte,
                                                            namespace.end_byte)
            path.package = self.ident(node.child_by_field_id(_F_PACKAGE)) or Ident(
                "", namespace.end_byte, namespace.end_byte)
            version = node.child_by_field_id(_F_VERSION)
            if version is not None and not version.is_missing:
                path.version = spanned_version(self.text(version))
                path.version_range = (version.start_byte, version.end_byte)
        return path

    def use(self, node: Node) -> Use | None:
        path = self.use_path(node.child_by_field_id(_F_PATH))
        if path is None:
            return None
        names: list[UseName] = []
        names_node = node.child_by_field_id(_F_NAMES)
        if names_node is not None:
            for child in names_node.named_children:
                if child.type != "use_name":
                    continue
                name = self.ident(child.child_by_field_id(_F_NAME))
                if name is None:
                    continue
                names.append(UseName(name, self.ident(child.child_by_field_id(_F_ALIAS))))
        return Use(path, names, node.start_byte, node.end_byte, self.docs(node),
                   self.attributes(node))

    # -- interfaces and worlds ----------------------------------------------------------------

    def interface_members(self, body: Node | None) -> list[InterfaceMember]:
        if body is None:
            return []
        return self.interface_members_of(body.named_children)

    def interface_members_of(self, children: Iterable[Node]) -> list[InterfaceMember]:
        """The members lowered from ``children`` of an interface's body."""
        members: list[InterfaceMember] = []
        for child in children:
            ctype = child.type
            member: InterfaceMember | None = None
            if ctype == "use_item":
                member = self.use(child)
            elif ctype in TYPE_DEFINITION_NODES:
                member = self.typedef(child)
            elif ctype == "func_item":
                member = self.func(child)
            if member is not None:
                members.append(member)
        return members

    def kept_members(self, body: Node | None, old: _Old) -> list[InterfaceMember]:
        """:meth:`interface_members` after an edit, keeping what it did not change of the
        last lowering's members ``old`` (see `kept`)."""
        members: list[InterfaceMember] = []
        if body is None:
            return members
        for child in body.named_children:
            kept = self.kept(child, old)
            if kept is not None and isinstance(kept[0], (Use, TypeDef, Func)):
                if kept[1]:
                    from wit_ls.model.shift import interface_member

                    members.append(interface_member(kept[0], kept[1]))
                else:
                    members.append(kept[0])
                continue
            ctype = child.type
            member: InterfaceMember | None = None
            if ctype == "use_item":
                member = self.use(child)
            elif ctype in TYPE_DEFINITION_NODES:
                member = self.typedef(child, old)
            elif ctype == "func_item":
                member = self.func(child)
            if member is not None:
                members.append(member)
        return members

    def interface(self, node: Node, old: _Old | None = None) -> Interface | None:
        name = self.ident(node.child_by_field_id(_F_NAME))
        if name is None:
            return None
        body = node.child_by_field_id(_F_BODY)
        last = self.parts(node, old) if old else None
        return Interface(name, self.kept_members(body, last) if last else
                         self.interface_members(body),
                         node.start_byte, node.end_byte, self.docs(node), self.attributes(node))

    def extern(self, node: Node, direction: str) -> Extern | None:
        name = self.ident(node.child_by_field_id(_F_NAME))
        item = Extern(direction, name, node.start_byte, node.end_byte, docs=self.docs(node),
                      attributes=self.attributes(node))
        sig = node.child_by_field_id(_F_TYPE)
        body = node.child_by_field_id(_F_BODY)
        path_node = node.child_by_field_id(_F_PATH)
        if sig is not None:
            if name is None:
                return None
            func = Func("func", name, [], None, node.start_byte, node.end_byte,
                        docs=item.docs, attributes=item.attributes)
            self.signature(func, sig)
            item.func = func
        elif body is not None:
            if name is None:
                return None
            item.interface = Interface(None, self.interface_members(body), node.start_byte,
                                       node.end_byte)
        else:
            item.path = self.use_path(path_node)
            if item.path is None:
                return None
        return item

    def include(self, node: Node) -> Include | None:
        path = self.use_path(node.child_by_field_id(_F_PATH))
        if path is None:
            return None
        renames: list[tuple[Ident, Ident]] = []
        with_node = node.child_by_field_id(_F_WITH)
        if with_node is not None:
            for child in with_node.named_children:
                if child.type != "include_name":
                    continue
                old = self.ident(child.child_by_field_id(_F_NAME))
                new = self.ident(child.child_by_field_id(_F_ALIAS))
                if old is not None and new is not None:
                    renames.append((old, new))
        return Include(path, renames, node.start_byte, node.end_byte, self.docs(node),
                       self.attributes(node))

    def world(self, node: Node, old: _Old | None = None) -> World | None:
        name = self.ident(node.child_by_field_id(_F_NAME))
        if name is None:
            return None
        members: list[WorldMember] = []
        body = node.child_by_field_id(_F_BODY)
        last = self.parts(node, old) if old else None
        if body is not None:
            for child in body.named_children:
                if last:
                    kept = self.kept(child, last)
                    if kept is not None and isinstance(kept[0], (Extern, Include, Use, TypeDef)):
                        if kept[1]:
                            from wit_ls.model.shift import world_member

                            members.append(world_member(kept[0], kept[1]))
                        else:
                            members.append(kept[0])
                        continue
                member = self.world_member(child)
                if member is not None:
                    members.append(member)
        return World(name, members, node.start_byte, node.end_byte, self.docs(node),
                     self.attributes(node))

    def world_members_of(self, children: Iterable[Node]) -> list[WorldMember]:
        """The members lowered from ``children`` of a world's body."""
        return [m for m in map(self.world_member, children) if m is not None]

    def world_member(self, child: Node) -> WorldMember | None:
        ctype = child.type
        if ctype == "import_item":
            return self.extern(child, "import")
        if ctype == "export_item":
            return self.extern(child, "export")
        if ctype == "include_item":
            return self.include(child)
        if ctype == "use_item":
            return self.use(child)
        if ctype in TYPE_DEFINITION_NODES:
            return self.typedef(child)
        return None

    def top_use(self, node: Node) -> TopUse | None:
        path = self.use_path(node.child_by_field_id(_F_PATH))
        if path is None:
            return None
        keyword = next((c for c in node.children if c.type == "use"), node)
        return TopUse(path, self.ident(node.child_by_field_id(_F_ALIAS)), node.start_byte,
                      node.end_byte, self.docs(node), self.attributes(node),
                      (keyword.start_byte, keyword.end_byte))

    def package_name(self, node: Node | None) -> PackageName | None:
        if node is None or node.is_missing:
            return None
        namespace = self.ident(node.child_by_field_id(_F_NAMESPACE))
        name = self.ident(node.child_by_field_id(_F_NAME))
        if namespace is None or name is None:
            return None
        out = PackageName(namespace, name, node.start_byte, node.end_byte)
        version = node.child_by_field_id(_F_VERSION)
        if version is not None and not version.is_missing:
            out.version = spanned_version(self.text(version))
            out.version_range = (version.start_byte, version.end_byte)
        return out

    def declarations(self, container: Node, nested: list[NestedPackage] | None,
                     old: _Old | None) -> Declarations:
        decls = Declarations()
        for child in container.named_children:
            ctype = child.type
            kept = self.kept(child, old) if old else None
            if kept is not None:  # (never without a last lowering: a `check`'s)
                found, by = kept
                if by and isinstance(found, (Interface, World, TopUse, NestedPackage)):
                    from wit_ls.model.shift import top

                    found = top(found, by)
                if isinstance(found, NestedPackage):
                    if nested is not None:
                        nested.append(found)
                    continue
                if isinstance(found, (Interface, World, TopUse)):
                    moved = found
                    if isinstance(moved, Interface):
                        decls.interfaces.append(moved)
                    elif isinstance(moved, World):
                        decls.worlds.append(moved)
                    else:
                        decls.uses.append(moved)
                    decls.order.append(moved)
                    continue
            if ctype == "interface_item":
                iface = self.interface(child, old)
                if iface is not None:
                    decls.interfaces.append(iface)
                    decls.order.append(iface)
            elif ctype == "world_item":
                world = self.world(child, old)
                if world is not None:
                    decls.worlds.append(world)
                    decls.order.append(world)
            elif ctype == "toplevel_use":
                use = self.top_use(child)
                if use is not None:
                    decls.uses.append(use)
                    decls.order.append(use)
            elif ctype == "nested_package" and nested is not None:
                name = self.package_name(child.child_by_field_id(_F_NAME))
                body = child.child_by_field_id(_F_BODY)
                if name is not None and body is not None:
                    inner = self.parts(child, old) if old else None
                    nested.append(NestedPackage(name, self.declarations(body, None, inner),
                                                child.start_byte, child.end_byte,
                                                self.docs(child)))
        return decls

    def file(self) -> FileItems:
        root = self.tree.root
        header: PackageName | None = None
        header_docs: str | None = None
        first = next((c for c in root.named_children
                      if c.type not in COMMENT_NODES), None)
        if first is not None and first.type == "package_decl":
            header = self.package_name(first.child_by_field_id(_F_NAME))
            # Always collected: wit-parser rejects docs on more than one header (R2).
            header_docs = self.docs_at(first.start_byte)
        nested: list[NestedPackage] = []
        decls = self.declarations(root, nested,
                                  self.last.top if self.last is not None else None)
        return FileItems(self.path, header, header_docs, decls, nested,
                         error_ranges(self.tree))


def error_ranges(tree: SyntaxTree) -> list[tuple[int, int]]:
    """Byte ranges of a file's syntax errors (ERROR nodes, the statements around them, the
    syntax diagnostics): semantic errors inside them are noise."""
    errors: list[tuple[int, int]] = []
    root = tree.root
    if root.has_error:
        cursor = QueryCursor(_errors_query())
        if root.type == "source_file":
            # Errors are inside the top-level nodes parsed with one: look only there.
            broken = [c for c in root.children if c.has_error or c.is_missing]
            if broken:
                cursor.set_byte_range(broken[0].start_byte, broken[-1].end_byte + 1)
        for nodes in cursor.captures(root).values():
            for n in nodes:
                errors.append((n.start_byte, n.end_byte))
                # The rest of a broken statement is noise too (`type t = u8 # c;`
                # lowers to an alias of `c`): its whole range.
                item = _enclosing_statement(n)
                if item is not None:
                    errors.append((item.start_byte, item.end_byte))
        errors.extend((d.start, d.end) for d in tree.diagnostics if d.code == "syntax-error")
    return errors


def remember(path: str, docs: bool, source: bytes, items: FileItems) -> None:
    """Make ``items``, lowered from ``source``, the last lowering of ``path`` (see
    :func:`lower`): the next lowering of ``path`` keeps what it can of it."""
    if len(_PREVIOUS) >= 256 and (path, docs) not in _PREVIOUS:
        _PREVIOUS.clear()
    _PREVIOUS[(path, docs)] = (source, items)


def lower(tree: SyntaxTree, path: str = "", docs: bool = True) -> FileItems:
    """Lower one parsed file. Never raises on broken trees (broken parts are dropped).

    Top-level declarations that lie wholly before the first byte that differs from the
    previous lowering of the same path are taken over from it. With ``docs=False`` items
    carry no documentation (only the package header's, which a check needs): a one-shot
    `wit-ls check` has no use for it and saves the time of cleaning every comment."""
    key = (path, docs)
    previous = _PREVIOUS.get(key) if path else None
    items = _Lowerer(tree, path, previous, docs).file()
    if path:
        if len(_PREVIOUS) >= 256 and key not in _PREVIOUS:
            _PREVIOUS.clear()
        _PREVIOUS[key] = (tree.source, items)
    return items
