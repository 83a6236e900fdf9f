"""What a rule sees: one file's syntax tree, the package it belongs to, and the model's
:class:`~wit_ls.model.Analysis` of that package.

Most rules work on tree-sitter nodes through the helpers here. Names are never resolved here:
:meth:`LintContext.resolve_ident` and :meth:`LintContext.resolve` read where the model's
references point (in this package, another file or ``deps/``) and return the definition's
node, so lint and ``wit-ls check`` agree on what every name means. A name the model could not
resolve is ``None``, and rules skip it instead of guessing.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from tree_sitter import Node

from wit_ls.model.checks import version_or_none
from wit_ls.model.docs import CommentIndex
from wit_ls.model.fs import normalize
from wit_ls.model.resolved import Loc
from wit_ls.syntax import SyntaxTree
from wit_ls.syntax.semver import Version

if TYPE_CHECKING:
    from wit_ls.lint.incremental import Recorder
    from wit_ls.model.moved import AnalysisView

# Whitespace as wit-parser skips it between tokens, and byte order marks.
_BLANK = re.compile(rb"(?:[ \t\n\r\x0b\x0c]|\xef\xbb\xbf)*")
COMMENT_TYPES = frozenset({"line_comment", "block_comment", "doc_comment"})
TYPE_DEFINITIONS = frozenset(
    {"type_alias", "record_item", "flags_item", "variant_item", "enum_item", "resource_item"}
)
# Constructs wit-parser attaches the comments before them to, as documentation.
DOC_TARGETS = frozenset(
    {
        "package_decl", "nested_package", "interface_item", "world_item", "func_item",
        "import_item", "export_item", "record_field", "flag", "variant_case", "enum_case",
        "constructor_item", "method_item",
    }
) | TYPE_DEFINITIONS
# Items a gate (`@since`/`@unstable`) can sit on.
GATEABLE = frozenset(
    {
        "interface_item", "world_item", "func_item", "import_item", "export_item", "include_item",
        "use_item", "constructor_item", "method_item",
    }
) | TYPE_DEFINITIONS


def ident(text: str) -> str:
    """An identifier's name without its ``%`` escape."""
    return text[1:] if text.startswith("%") else text


def version_key(text: str | None) -> Version | None:
    """The model's parsed version (semver ordering: ``1.0.0-rc.10 > 1.0.0-rc.9``), or None."""
    return version_or_none(text)


def version_track(text: str) -> str | None:
    """The canonical track: ``1.2.3 -> 1``, ``0.2.6 -> 0.2``, ``0.0.1 -> 0.0.1``; prereleases
    are their own track."""
    v = version_or_none(text)
    if v is None:
        return None
    return text if v.pre else v.track()


@dataclass(frozen=True)
class PackageHeader:
    """A ``package ns:name@version`` header as written (not the model's resolved package)."""

    namespace: str
    name: str
    version: str | None
    node: Node | None = None

    @property
    def qualified(self) -> str:
        return f"{self.namespace}:{self.name}" + (f"@{self.version}" if self.version else "")


@dataclass(frozen=True)
class Resolved:
    """A type definition found by resolution, with the tree it lives in."""

    path: str
    tree: SyntaxTree
    node: Node

    def text(self, node: Node) -> str:
        return self.tree.node_text(node)


@dataclass(frozen=True)
class Attribute:
    name: str
    key: str
    value: str
    node: Node


def walk(root: Node) -> dict[str, list[Node]]:
    """Every node under ``root`` grouped by type, in document order."""
    out: dict[str, list[Node]] = {}
    cursor = root.walk()
    while True:
        node = cursor.node
        if node is not None:
            out.setdefault(node.type, []).append(node)
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return out


def attributes_of(tree: SyntaxTree, item: Node) -> list[Attribute]:
    """The ``@name(key = value)`` attributes (gates) of an item."""
    out: list[Attribute] = []
    # `children`, not `named_children`: the library's named children of a node cost more the
    # larger the file (10 us each in a file of 8,000 items), its children do not.
    for child in item.children:
        if child.type != "attribute":
            continue
        name = child.child_by_field_name("name")
        args = child.child_by_field_name("arguments")
        key = value = ""
        if args is not None:
            for arg in args.named_children:
                if arg.type != "attribute_argument":
                    continue
                k = arg.child_by_field_name("key")
                v = arg.child_by_field_name("value")
                key = tree.node_text(k) if k is not None else ""
                value = tree.node_text(v) if v is not None else ""
                break
        out.append(Attribute(tree.node_text(name) if name is not None else "", key, value,
                             child))
    return out


@dataclass
class FileFacts:
    """Per-file derived data, computed once and shared by every rule."""

    tree: SyntaxTree
    by_type: Mapping[str, list[Node]]
    comments: list[Node]
    comment_starts: list[int]
    doc_targets: dict[int, Node] | None = None
    doc_comments: CommentIndex | None = None
    # next_token_offset's answers, by the offset asked for.
    next_tokens: dict[int, int] = field(default_factory=dict)
    # Items' attributes, by the item's range.
    attributes: dict[tuple[int, int], list[Attribute]] = field(default_factory=dict)
    # Finds the docs target at an offset without a table of every target (facts kept per
    # unit, see wit_ls.lint.kept_nodes); None: from ``by_type``.
    doc_target_at: Callable[[int], Node | None] | None = None
    # The nodes of a type, at least those holding a node of another (kept facts leave out
    # the others without making them); None: all nodes of the type (see
    # LintContext.nodes_holding).
    nodes_holding: Callable[[str, str], list[Node]] | None = None


def file_facts(tree: SyntaxTree, check: Callable[[], None] | None = None) -> FileFacts:
    """``tree``'s facts; ``check`` is called every few top-level items (to stop a lint pass
    early by raising)."""
    if check is None:
        by_type = walk(tree.root)
    else:
        root = tree.root
        by_type = {root.type: [root]}
        for count, child in enumerate(root.children):
            if count % 32 == 0:
                check()
            for kind, found in walk(child).items():
                by_type.setdefault(kind, []).extend(found)
    comments = sorted(
        (n for t in COMMENT_TYPES for n in by_type.get(t, [])), key=lambda n: n.start_byte
    )
    return FileFacts(tree, by_type, comments, [c.start_byte for c in comments])


T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class MemoKey(Generic[T]):
    """A typed slot in :meth:`PackageIndex.memo`: each rule that caches package-wide facts
    declares one module-level key, so the cached value keeps its type."""

    name: str


# What a reference can point at: a type definition, an interface or world, or a name brought by
# `use` (followed to the type it names).
_DEFINITIONS = TYPE_DEFINITIONS | {"interface_item", "world_item", "use_item"}


class PackageIndex:
    """The files of one package being linted, the model's :class:`Analysis` that resolved
    their names (lint has no name resolution of its own), and typed memos of package-wide
    facts."""

    def __init__(self, trees: Mapping[str, SyntaxTree], facts: Mapping[str, FileFacts],
                 analysis: AnalysisView, model_paths: Mapping[str, str] | None = None,
                 foreign_contexts: dict[str, LintContext] | None = None) -> None:
        self.trees = dict(trees)
        self.facts: dict[str, FileFacts] = dict(facts)
        self.analysis = analysis
        # The linter's paths as the model spells them, and back.
        self._model_paths = {path: (model_paths or {}).get(path, normalize(path))
                             for path in self.trees}
        self._paths = {model: path for path, model in self._model_paths.items()}
        self._targets: dict[str, Mapping[int, Loc]] = {}
        # Each definition found, with what finding it read (see `definition`).
        self._definitions: dict[
            Loc, tuple[Resolved | None, dict[Hashable, Hashable] | None]] = {}
        self.has_interfaces = any(child.type == "interface_item" for tree in self.trees.values()
                                  for child in tree.root.named_children)
        # Files of other packages the model led to, shared by every index of one lint run.
        self.foreign_contexts = foreign_contexts if foreign_contexts is not None else {}
        self.contexts: dict[str, LintContext] = {}
        self._memo: dict[MemoKey[Any], object] = {}
        # While one unit of a file is linted for the item cache: what the model was asked
        # (see wit_ls.lint.incremental).
        self.recorder: Recorder | None = None

    def drop_contexts(self) -> None:
        """Forget the contexts made for the other files (see `LintContext.for_tree`): each
        holds this index, a reference cycle that would keep the analysis it reads alive
        until the collector runs (the server frees a replaced analysis by reference counting
        alone: see `wit_ls.lsp.workspace`)."""
        self.contexts.clear()
        self.foreign_contexts.clear()

    def memo(self, key: MemoKey[T], compute: Callable[[], T]) -> T:
        """The value cached under ``key`` for this package, computed once."""
        if key not in self._memo:
            self._memo[key] = compute()
        return cast(T, self._memo[key])

    def model_path(self, path: str) -> str:
        """``path`` as the model spells it."""
        return self._model_paths.get(path, path)

    def linter_path(self, model_path: str) -> str:
        """The inverse of :meth:`model_path` (files outside the package keep the model's)."""
        return self._paths.get(model_path, model_path)

    def target(self, path: str, offset: int) -> Loc | None:
        """Where the model says the name written at ``offset`` of ``path`` is defined."""
        targets = self._targets.get(path)
        if targets is None:
            targets = self._targets[path] = self.analysis.reference_targets(
                self._model_paths.get(path, path))
        found = targets.get(offset)
        if self.recorder is not None:
            recorder = self.recorder
            recorder.asked[("target", recorder.file(path),
                            recorder.table.relative(path, offset))] = recorder.loc(found)
        return found

    def referenced(self, path: str, name: Node) -> bool:
        """Whether the model recorded any reference to the definition named by ``name`` (an
        identifier node of ``path``)."""
        found = self.referenced_at(path, name.start_byte, name.end_byte)
        if self.recorder is not None:
            recorder = self.recorder
            recorder.asked[("referenced", recorder.file(path),
                            recorder.table.relative(path, name.start_byte),
                            name.end_byte - name.start_byte)] = found
        return found

    def referenced_at(self, path: str, start: int, end: int) -> bool:
        return self.analysis.is_referenced(Loc(self._model_paths.get(path, path), start, end))

    def definition(self, loc: Loc | None) -> Resolved | None:
        """The type definition, interface or world whose name is written at ``loc``; a name
        brought by `use` is followed (through the model) to the type it names."""
        if loc is None:
            return None
        known = self._definitions.get(loc)
        if known is None:
            asked: dict[Hashable, Hashable] | None = {} if self.recorder is not None else None
            known = self._definitions[loc] = (self._definition(loc, asked), asked)
        found, asked = known
        if self.recorder is not None:
            if asked is None:  # first asked while no unit was being recorded
                asked = {}
                self._definition(loc, asked)
                self._definitions[loc] = (found, asked)
            # What the walk read: the same for every unit asking (see wit_ls.lint.incremental).
            self.recorder.asked.update(asked)
        return found

    def _definition(self, loc: Loc | None,
                    asked: dict[Hashable, Hashable] | None) -> Resolved | None:
        """See :meth:`definition`; ``asked``, when given, receives the units read and the
        model's answers (as a unit's recorder writes them)."""
        recorder = self.recorder
        for _hop in range(32):
            if loc is None:
                return None
            path = self._paths.get(loc.path)
            tree = self.trees[path] if path is not None else self.analysis.files.get(loc.path)
            if tree is None:
                return None
            where = path or loc.path
            if asked is not None and recorder is not None:
                asked[("text", recorder.file(where), recorder.table.relative(where, loc.start))] \
                    = True
            node: Node | None = tree.root.descendant_for_byte_range(
                loc.start, max(loc.start, loc.end - 1))
            while node is not None and node.type not in _DEFINITIONS:
                node = node.parent
            if node is None:
                return None
            if node.type != "use_item":
                return Resolved(where, tree, node)
            target = self.analysis.alias_target(loc)
            if asked is not None and recorder is not None:
                asked[("alias", recorder.file(where), recorder.table.relative(where, loc.start),
                       loc.end - loc.start)] = recorder.loc(target)
            loc = target
        return None


class LintContext:
    """One file being linted, with its package and the model's analysis of it."""

    def __init__(
        self,
        path: str,
        tree: SyntaxTree,
        analysis: AnalysisView,
        *,
        facts: FileFacts | None = None,
        index: PackageIndex | None = None,
        options: Mapping[str, Mapping[str, object]] | None = None,
        features: frozenset[str] = frozenset(),
    ) -> None:
        self.path = path
        self.tree = tree
        self.source = tree.source
        self.facts = facts or file_facts(tree)
        self.index = index or PackageIndex({path: tree}, {path: self.facts}, analysis)
        self.analysis = self.index.analysis
        self._options = options or {}
        self.features = features
        self._package: PackageHeader | bool | None = False

    # ---- nodes -----------------------------------------------------------------------------

    def nodes(self, *types: str) -> list[Node]:
        if len(types) == 1:
            return self.facts.by_type.get(types[0], [])
        out = [n for t in types for n in self.facts.by_type.get(t, [])]
        out.sort(key=lambda n: n.start_byte)
        return out

    def nodes_holding(self, kind: str, inner: str) -> list[Node]:
        """The nodes of type ``kind``, at least those with a node of type ``inner`` under
        them (maybe others: the caller still checks), in document order."""
        finder = self.facts.nodes_holding
        return self.nodes(kind) if finder is None else finder(kind, inner)

    def text(self, node: Node) -> str:
        return self.tree.node_text(node)

    def name_of(self, node: Node) -> str | None:
        name = node.child_by_field_name("name")
        return ident(self.text(name)) if name is not None else None

    def option(self, rule: str, key: str, default: T) -> T:
        """Option ``key`` of ``rule`` (validated by the configuration loader), or ``default``
        when it is not set or not of the default's type."""
        value = self._options.get(rule, {}).get(key, default)
        return value if isinstance(value, type(default)) else default

    # ---- package ---------------------------------------------------------------------------

    @property
    def package(self) -> PackageHeader | None:
        """The file's package: its own header, else a sibling file's (a folder is a package)."""
        if self._package is False:
            self._package = None
            for path in [self.path, *sorted(p for p in self.index.trees if p != self.path)]:
                tree = self.index.trees[path]
                for child in tree.root.named_children:
                    if child.type == "package_decl":
                        self._package = self._package_info(tree, child)
                        break
                if self._package is not None:
                    break
        return self._package  # type: ignore[return-value]

    def package_of(self, node: Node) -> PackageHeader | None:
        """The package ``node`` belongs to (a nested ``package a:b { }`` or the file's)."""
        parent = node.parent
        while parent is not None:
            if parent.type == "nested_package":
                return self._package_info(self.tree, parent)
            parent = parent.parent
        return self.package

    @staticmethod
    def _package_info(tree: SyntaxTree, decl: Node) -> PackageHeader | None:
        name = decl.child_by_field_name("name")
        if name is None:
            return None
        ns = name.child_by_field_name("namespace")
        pkg = name.child_by_field_name("name")
        ver = name.child_by_field_name("version")
        if ns is None or pkg is None:
            return None
        return PackageHeader(
            ident(tree.node_text(ns)), ident(tree.node_text(pkg)),
            tree.node_text(ver) if ver is not None else None, decl,
        )

    # ---- attributes, docs and comments -----------------------------------------------------

    def attributes(self, item: Node) -> list[Attribute]:
        key = (item.start_byte, item.end_byte)
        found = self.facts.attributes.get(key)
        if found is None:
            found = self.facts.attributes[key] = attributes_of(self.tree, item)
        return found

    def gate(self, item: Node, name: str) -> Attribute | None:
        for attr in self.attributes(item):
            if attr.name == name:
                return attr
        return None

    def has_docs(self, node: Node) -> bool:
        return bool(self.docs(node).strip())

    def docs(self, node: Node) -> str:
        """``node``'s documentation, collected and cleaned by the model's collector (as
        wit-parser does): the run of comments directly before it."""
        index = self.facts.doc_comments
        if index is None:
            index = self.facts.doc_comments = CommentIndex(
                self.source, [(c.start_byte, c.end_byte) for c in self.facts.comments])
        return index.before(node.start_byte) or ""

    def next_token_offset(self, offset: int) -> int:
        """Offset of the first byte after ``offset`` that is neither whitespace (nor a byte
        order mark) nor inside a comment (``len(source)`` at the end)."""
        known = self.facts.next_tokens
        answer = known.get(offset)
        if answer is not None:
            return answer
        source = self.source
        starts = self.facts.comment_starts
        comments = self.facts.comments
        size = len(source)
        asked = [offset]
        while True:
            found = _BLANK.match(source, offset)
            offset = found.end() if found is not None else offset
            if offset >= size:
                answer = size
                break
            index = bisect_left(starts, offset)
            if index < len(starts) and starts[index] == offset:
                offset = comments[index].end_byte
                answer = known.get(offset)
                if answer is not None:
                    break
                asked.append(offset)
                continue
            answer = offset
            break
        for start in asked:  # every comment end passed has the same answer
            known[start] = answer
        return answer

    def docs_target_at(self, offset: int) -> Node | None:
        """The construct that starts exactly at ``offset`` and collects docs, if any."""
        if self.facts.doc_target_at is not None:
            return self.facts.doc_target_at(offset)
        starts = self.facts.doc_targets
        if starts is None:
            starts = {}
            for kind in DOC_TARGETS:
                for node in self.facts.by_type.get(kind, []):
                    known = starts.get(node.start_byte)
                    if known is None or node.end_byte > known.end_byte:
                        starts[node.start_byte] = node
            self.facts.doc_targets = starts
        return starts.get(offset)

    def in_error(self, offset: int) -> bool:
        """Whether ``offset`` lies inside a part of the tree that did not parse."""
        if not self.tree.root.has_error:
            return False
        node: Node | None = self.tree.root.descendant_for_byte_range(offset, offset)
        while node is not None:
            if node.is_error or node.is_missing:
                return True
            node = node.parent
        return False

    def comment_becomes_docs_of(self, comment: Node) -> Node | None:
        """The item whose docs wit-parser would fold ``comment`` into, or None when the
        comment is dropped (before ``}``, at the end of the file, after gates, in a header)."""
        return self.docs_target_at(self.next_token_offset(comment.end_byte))

    # ---- resolution ------------------------------------------------------------------------

    @staticmethod
    def enclosing(node: Node, *types: str) -> Node | None:
        parent = node.parent
        while parent is not None:
            if parent.type in types:
                return parent
            parent = parent.parent
        return None

    def resolve_ident(self, name: Node) -> Resolved | None:
        """The definition the name ``name`` (an identifier node) refers to, as the model
        resolved it: `use`s followed, aliases not."""
        return self.index.definition(self.index.target(self.path, name.start_byte))

    def resolve(self, type_node: Node) -> Resolved | None:
        """The definition a ``named_type`` (or ``handle_type``) refers to, aliases followed."""
        field_name = "resource" if type_node.type == "handle_type" else "name"
        name = type_node.child_by_field_name(field_name)
        if name is None:
            return None
        return self.follow_aliases(self.resolve_ident(name))

    def follow_aliases(self, found: Resolved | None) -> Resolved | None:
        seen = 0
        while found is not None and found.node.type == "type_alias" and seen < 32:
            target = found.node.child_by_field_name("type")
            if target is None or target.type != "named_type":
                return found
            name = target.child_by_field_name("name")
            if name is None:
                return found
            found = self.index.definition(self.index.target(found.path, name.start_byte))
            seen += 1
        return found

    def for_tree(self, path: str, tree: SyntaxTree) -> LintContext:
        if path == self.path:
            return self
        if path not in self.index.trees:  # a file of another package (from the model)
            known = self.index.foreign_contexts.get(path)
            if known is None or known.tree is not tree:
                foreign = file_facts(tree)
                known = LintContext(path, tree, self.index.analysis, facts=foreign,
                                    index=PackageIndex({path: tree}, {path: foreign},
                                                       self.index.analysis,
                                                       foreign_contexts=self.index.foreign_contexts),
                                    options=self._options, features=self.features)
                self.index.foreign_contexts[path] = known
            return known
        known = self.index.contexts.get(path)
        if known is not None and known.tree is tree:
            return known
        cached = self.index.facts.get(path)
        facts = cached if cached is not None and cached.tree is tree else file_facts(tree)
        self.index.facts[path] = facts
        known = LintContext(path, tree, self.index.analysis, facts=facts, index=self.index,
                            options=self._options, features=self.features)
        self.index.contexts[path] = known
        return known

    # ---- iteration helpers -----------------------------------------------------------------

    def functions(self) -> Iterator[Node]:
        """Every function-like item with a parameter list: interface and world functions,
        methods, statics and constructors."""
        yield from self.nodes("func_item", "method_item", "constructor_item", "import_item",
                              "export_item")

    @staticmethod
    def signature(item: Node) -> tuple[Node | None, Node | None, Node | None]:
        """(func_type/accessor or None for constructors, param_list, result type)."""
        if item.type == "constructor_item":
            return None, item.child_by_field_name("params"), item.child_by_field_name("result")
        sig = item.child_by_field_name("type")
        if sig is None or sig.type not in ("func_type", "accessor"):
            return None, None, None
        return sig, sig.child_by_field_name("params"), sig.child_by_field_name("result")

    @staticmethod
    def params(param_list: Node | None) -> list[Node]:
        if param_list is None:
            return []
        return [p for p in param_list.named_children if p.type == "param"]

    def type_children(self, node: Node) -> Iterable[Node]:
        return (c for c in node.named_children if c.type.endswith("_type"))
