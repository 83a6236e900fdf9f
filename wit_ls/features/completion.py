"""Context-aware completion: types at type positions, interface/package paths after
`use`/`import`/`export`/`include`, members after `use path.{`, keywords valid at the cursor,
attributes and versions, and item snippets. At type positions, the types of other interfaces
of the package and of `deps/` come too, each with the `use` that brings it in
(:mod:`wit_ls.features.auto_import`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from wit_ls.features.auto_import import AutoImport, importable
from wit_ls.features.common import (
    FeatureContext,
    ancestor,
    flatten_symbols,
    package_header,
    package_root_of,
)
from wit_ls.model.api import Location
from wit_ls.model.symbols import Symbol
from wit_ls.syntax import SyntaxTree
from wit_ls.syntax.vocabulary import (
    COMMENT_NODES,
    PRIMITIVE_TYPES,
    TYPE_CONSTRUCTORS,
    TYPE_DEFINITION_NODES,
)


@dataclass
class CompletionItem:
    label: str
    kind: str
    detail: str = ""
    insert_text: str | None = None
    snippet: str | None = None  # used when the client supports snippets
    sort_text: str | None = None
    # Where the item is declared (its documentation is looked up there on resolve).
    target: Location | None = None
    # The `use` that brings the item in (`auto_import.import_edits` turns it into an edit).
    auto_import: AutoImport | None = None


@dataclass
class CompletionResult:
    items: list[CompletionItem]
    # The byte range the chosen item replaces (the word typed so far).
    replace_start: int
    replace_end: int


_WORD = re.compile(r"[%A-Za-z0-9_-]*$")

SNIPPETS: dict[str, tuple[str, str]] = {
    "record": ("record ${1:name} {\n\t${2:field}: ${3:u32},\n}", "record name { field: type }"),
    "variant": ("variant ${1:name} {\n\t${2:case}(${3:u32}),\n}", "variant name { case(type) }"),
    "enum": ("enum ${1:name} {\n\t${2:case},\n}", "enum name { case }"),
    "flags": ("flags ${1:name} {\n\t${2:flag},\n}", "flags name { flag }"),
    "resource": ("resource ${1:name} {\n\tconstructor(${2});\n}", "resource name { ... }"),
    "interface": ("interface ${1:name} {\n\t$0\n}", "interface name { ... }"),
    "world": ("world ${1:name} {\n\t$0\n}", "world name { ... }"),
    "func": ("${1:name}: func(${2}) -> ${3:u32};", "name: func(...) -> type;"),
    "type": ("type ${1:name} = ${2:u32};", "type name = type;"),
}

_TOP = ["package", "interface", "world", "use"]
_INTERFACE = ["use", "type", "record", "variant", "enum", "flags", "resource"]
_WORLD = ["import", "export", "include", "use", "type", "record", "variant", "enum", "flags",
          "resource"]
_ATTRIBUTES = {
    "since": ("since(version = ${1:VERSION})", "@since(version = x.y.z)"),
    "unstable": ("unstable(feature = ${1:name})", "@unstable(feature = name)"),
    "deprecated": ("deprecated(version = ${1:VERSION})", "@deprecated(version = x.y.z)"),
    "external-id": ('external-id("${1:id}")', '@external-id("...")'),
}


@dataclass(frozen=True)
class _Position:
    """Where the cursor is, read from the tokens of the syntax tree (comments are whole tokens,
    so braces and semicolons inside them do not count; tokens that error recovery inserts are
    skipped): the words before each unclosed `{` around it, and the text of the statement
    being typed with its comments blanked."""

    containers: list[str]
    prefix: str


def _tokens_before(tree: SyntaxTree, offset: int) -> Iterator[Node]:
    """The leaf tokens starting before ``offset``, in document order."""
    cursor = tree.root.walk()
    visited = False
    while True:
        node = cursor.node
        assert node is not None
        if not visited:
            if node.start_byte >= offset:
                return
            if node.child_count == 0 or node.type in COMMENT_NODES:
                if not node.is_missing and node.end_byte > node.start_byte:
                    yield node
                visited = True
                continue
            if cursor.goto_first_child():
                continue
            visited = True
        elif cursor.goto_next_sibling():
            visited = False
        elif not cursor.goto_parent():
            return


def _position(tree: SyntaxTree, offset: int) -> _Position:
    source = tree.source
    containers: list[str] = []
    words: list[str] = []
    cut = 0
    comments: list[tuple[int, int]] = []
    previous = ""
    for token in _tokens_before(tree, offset):
        kind = token.type
        if kind in COMMENT_NODES:
            comments.append((token.start_byte, min(token.end_byte, offset)))
            continue
        if kind == "{":
            containers.append(" ".join(words[-4:]))
            # `use a.{` keeps its statement going (the names are typed inside it).
            if previous != ".":
                cut, words = token.end_byte, []
        elif kind == "}":
            if containers:
                containers.pop()
            cut, words = token.end_byte, []
        elif kind == ";":
            cut, words = token.end_byte, []
        else:
            words.append(tree.node_text(token))
        previous = kind
    text = bytearray(source[cut:offset])
    for start, end in comments:
        if end > cut:
            s = max(start, cut) - cut
            text[s:end - cut] = b" " * (end - max(start, cut))
    return _Position(containers, text.decode("utf-8", "replace"))


def _kind_of(opener: str) -> str:
    words = opener.split()
    if not words:
        return "other"
    for word in reversed(words):
        if word in ("interface", "world", "resource", "record", "variant", "enum", "flags",
                    "package", "with"):
            return word
    return "other"


def _symbols(ctx: FeatureContext) -> list[Symbol]:
    return flatten_symbols(ctx.analysis.all_symbols())


def _local_types(ctx: FeatureContext, offset: int) -> list[CompletionItem]:
    """Types declared or `use`d in the interface/world around ``offset`` (from the syntax)."""
    node = ancestor(ctx.tree.root.descendant_for_byte_range(offset, offset), "interface_body",
                    "world_body", root=ctx.tree.root)
    items: list[CompletionItem] = []
    if node is None:
        return items
    kinds = TYPE_DEFINITION_NODES
    for child in node.named_children:
        if child.type in kinds:
            name = child.child_by_field_name("name")
            if name is not None:
                items.append(CompletionItem(
                    ctx.tree.node_text(name).lstrip("%"), kinds[child.type],
                    detail=kinds[child.type],
                    target=Location(ctx.path, name.start_byte, name.end_byte)))
        elif child.type == "use_item":
            names = child.child_by_field_name("names")
            path = child.child_by_field_name("path")
            for use_name in names.named_children if names is not None else ():
                if use_name.type != "use_name":
                    continue
                ident = use_name.child_by_field_name("alias") or use_name.child_by_field_name(
                    "name")
                if ident is not None:
                    items.append(CompletionItem(
                        ctx.tree.node_text(ident).lstrip("%"), "type",
                        detail=f"from {ctx.tree.node_text(path)}" if path else "",
                        target=Location(ctx.path, ident.start_byte, ident.end_byte)))
    return items


def _package_version(ctx: FeatureContext) -> str | None:
    header = package_header(ctx.tree)
    if header is None:
        return None
    name = header.child_by_field_name("name")
    version = name.child_by_field_name("version") if name is not None else None
    return ctx.tree.node_text(version) if version is not None else None


def _enclosing_interface(ctx: FeatureContext, offset: int) -> str | None:
    """The name of the interface around ``offset`` (it cannot `use` itself)."""
    node = ctx.tree.root.descendant_for_byte_range(max(0, offset - 1), offset)
    holder = ancestor(node, "interface_item", root=ctx.tree.root)
    name = holder.child_by_field_name("name") if holder is not None else None
    return ctx.tree.node_text(name).lstrip("%") if name is not None else None


def _interface_paths(ctx: FeatureContext, kinds: tuple[str, ...],
                     exclude: str | None = None) -> list[CompletionItem]:
    root = package_root_of(ctx.path)
    items: dict[str, CompletionItem] = {}
    for sym in _symbols(ctx):
        if sym.kind not in kinds:
            continue
        local = package_root_of(sym.path) == root and "/deps/" not in sym.path[len(root):]
        label = sym.name if local or not sym.qualified else sym.qualified
        if not label or label in items or (local and sym.name == exclude):
            continue
        items[label] = CompletionItem(label, sym.kind, detail=sym.qualified or sym.kind,
                                      sort_text=("0" if local else "1") + label,
                                      target=Location(sym.path, *sym.selection))
    return list(items.values())


def _members_of(ctx: FeatureContext, iface_path: str) -> list[CompletionItem]:
    iface_path = iface_path.strip()
    want = iface_path.split("@")[0]
    items: dict[str, CompletionItem] = {}
    for sym in _symbols(ctx):
        if sym.kind != "interface":
            continue
        if want not in (sym.name, sym.qualified.split("@")[0]) and iface_path != sym.qualified:
            continue
        for child in sym.children:
            if child.kind in ("type", "record", "variant", "enum", "flags", "resource"):
                items[child.name] = CompletionItem(
                    child.name, child.kind, detail=child.signature or child.kind,
                    target=Location(child.path, *child.selection))
    return list(items.values())


def _importable(ctx: FeatureContext, offset: int, resources_only: bool = False
                ) -> list[CompletionItem]:
    items: list[CompletionItem] = []
    for found in importable(ctx, offset, resources_only):
        sym, wanted = found.symbol, found.auto_import
        alias = f" as {wanted.alias}" if wanted.alias else ""
        items.append(CompletionItem(
            found.label, sym.kind, detail=f"use {wanted.interface}.{{{wanted.name}{alias}}}",
            sort_text="3" + found.label, target=Location(sym.path, *sym.selection),
            auto_import=wanted))
    return items


def complete(ctx: FeatureContext, offset: int, snippets: bool = True) -> CompletionResult:
    source = ctx.tree.source
    line_start = source.rfind(b"\n", 0, offset) + 1
    before = source[line_start:offset].decode("utf-8", "replace")
    word = _WORD.search(before)
    typed = word.group(0) if word else ""
    replace_start = offset - len(typed.encode("utf-8"))
    result = CompletionResult([], replace_start, offset)
    items = result.items
    position = _position(ctx.tree, offset)
    prefix = position.prefix
    containers = position.containers
    container = _kind_of(containers[-1]) if containers else "top"

    # Inside a comment: nothing.
    node = ctx.tree.root.descendant_for_byte_range(max(0, offset - 1), max(0, offset - 1))
    if node is not None and node.type in COMMENT_NODES \
            and node.start_byte < offset <= node.end_byte:
        return result

    # Attribute arguments: `@since(version = |`.
    m = re.search(r"@(since|deprecated)\s*\(\s*version\s*=\s*[0-9A-Za-z.+-]*$", prefix)
    if m:
        version = _package_version(ctx)
        if version:
            items.append(CompletionItem(version, "value", detail="the package's version"))
        word_v = re.search(r"[0-9A-Za-z.+-]*$", prefix)
        result.replace_start = offset - len((word_v.group(0) if word_v else "").encode())
        return result
    m = re.search(r"@(since|deprecated|unstable)\s*\(\s*[a-z]*$", prefix)
    if m:
        key = "feature" if m.group(1) == "unstable" else "version"
        items.append(CompletionItem(key, "attribute", insert_text=f"{key} = "))
        return result
    # Attribute names after `@`.
    if re.search(r"@[A-Za-z-]*$", before):
        version = _package_version(ctx) or "0.1.0"
        for name, (snippet, detail) in _ATTRIBUTES.items():
            items.append(CompletionItem(
                name, "attribute", detail=detail,
                insert_text=snippet.split("(")[0] if not snippets else None,
                snippet=snippet.replace("${1:VERSION}", "${1:" + version + "}")))
        return result
    # Members after `use path.{`.
    m = re.search(r"\buse\s+([%\w:/@.+-]+?)\s*\.\s*\{[^}]*$", prefix)
    if m:
        already = set(re.findall(r"[%\w-]+", prefix[m.end(1):].split("{", 1)[1]))
        items.extend(i for i in _members_of(ctx, m.group(1)) if i.label not in already)
        result.replace_start = offset - len(typed.encode())
        return result
    # Paths after `use`, `import`, `export`, `include`.
    m = re.search(r"(?:^|\s)(use|import|export|include)\s+(?:[%\w-]+\s*:\s*(?![\w-]+/))?"
                  r"([%\w:/@.+-]*)$", prefix)
    if (m and not re.search(r"\b(import|export)\s+[%\w-]+\s*:\s*$", prefix)) or (
            m and m.group(1) not in ("import", "export")):
        kinds: tuple[str, ...] = ("world",) if m.group(1) == "include" else ("interface",)
        if m.group(1) == "use" and container in ("top", "package"):
            kinds = ("interface", "world")
        items.extend(_interface_paths(ctx, kinds, _enclosing_interface(ctx, offset)))
        path_typed = m.group(2)
        result.replace_start = offset - len(path_typed.encode())
        return result
    # `name: |` in an interface, world or resource: function kinds (and interfaces in worlds).
    m = re.search(r"^\s*(?:@[^\n]*?\)\s*)*(import\s+|export\s+)?[%\w-]+\s*:\s*([%\w-]*)$", prefix)
    if m and container in ("interface", "world", "resource"):
        for kw in ("func", "async func"):
            items.append(CompletionItem(kw, "keyword", insert_text=kw,
                                        snippet=kw + "(${1}) -> ${2:u32};" if kw else None))
        if container == "resource":
            items.append(CompletionItem("static", "keyword"))
        items.append(CompletionItem("get", "keyword", snippet="get() -> ${1:u32};"))
        items.append(CompletionItem("set", "keyword", snippet="set(${1:value}: ${2:u32});"))
        if m.group(1):
            items.append(CompletionItem("interface", "keyword",
                                        snippet="interface {\n\t$0\n}"))
            items.extend(_interface_paths(ctx, ("interface",)))
        return result
    # Type positions.
    unclosed_angle = prefix.count("<") - prefix.replace("->", "").count(">")
    type_position = bool(re.search(r"(:|<|->|=)\s*[%\w-]*$", prefix)) or (
        unclosed_angle > 0 and re.search(r",\s*[%\w-]*$", prefix) is not None) or (
        container == "variant" and re.search(r"\(\s*[%\w-]*$", prefix) is not None)
    if type_position and container in ("interface", "world", "resource", "record", "variant",
                                       "other"):
        in_handle = re.search(r"\b(own|borrow)\s*<\s*[%\w-]*$", prefix) is not None
        local = _local_types(ctx, offset)
        if in_handle:
            items.extend(i for i in local if i.kind in ("resource", "type"))
            items.extend(_importable(ctx, offset, resources_only=True))
            return result
        items.extend(local)
        for prim in sorted(PRIMITIVE_TYPES):
            items.append(CompletionItem(prim, "primitive", detail="primitive type",
                                        sort_text="1" + prim))
        for kw in TYPE_CONSTRUCTORS:
            snippet = {"result": "result<${1:T}, ${2:E}>", "map": "map<${1:K}, ${2:V}>",
                       "tuple": "tuple<${1:T}>"}.get(kw, kw + "<${1:T}>")
            items.append(CompletionItem(kw, "keyword", snippet=snippet, sort_text="2" + kw))
        items.extend(_importable(ctx, offset))
        return result
    # Keywords valid at the start of a statement, and snippets.
    if re.search(r"^\s*(?:@[\w-]+(?:\s*\([^)]*\))?\s*)*[%\w-]*$", prefix):
        if container in ("top", "package"):
            keywords = list(_TOP)
            if container == "package" or package_header(ctx.tree) is not None:
                keywords.remove("package")
        elif container == "interface":
            keywords = list(_INTERFACE)
        elif container == "world":
            keywords = list(_WORLD)
        elif container == "resource":
            keywords = ["constructor"]
        else:
            keywords = []
        for kw in keywords:
            items.append(CompletionItem(kw, "keyword", sort_text="1" + kw))
            if kw in SNIPPETS and snippets:
                body, detail = SNIPPETS[kw]
                items.append(CompletionItem(kw, "snippet", detail=detail, snippet=body,
                                            sort_text="2" + kw))
        if container in ("interface", "resource") and snippets:
            body, detail = SNIPPETS["func"]
            items.append(CompletionItem("func", "snippet", detail=detail, snippet=body,
                                        sort_text="2func"))
        if container == "resource" and snippets:
            items.append(CompletionItem(
                "constructor", "snippet", detail="constructor(...);",
                snippet="constructor(${1});", sort_text="2constructor"))
    return result


def resolve_documentation(ctx: FeatureContext, target: Location) -> str | None:
    """Documentation for an item declared at ``target``."""
    from wit_ls.features.hover import render_symbol

    sym = ctx.analysis.symbol_at(target.path, target.start)
    if sym is None:
        return None
    return render_symbol(sym)
