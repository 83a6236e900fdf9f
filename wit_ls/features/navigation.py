"""Go to definition / type definition, references, document highlight, rename."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tree_sitter import Node

from wit_ls.features.common import FeatureContext, FileEdit, ancestor, identifier_at
from wit_ls.model.api import Location
from wit_ls.syntax.vocabulary import KEYWORDS


def _locations(values: Iterable[Location]) -> list[Location]:
    return list(dict.fromkeys(values))


def declaration(ctx: FeatureContext, offset: int) -> list[Location]:
    """Where the name at ``offset`` enters scope (a `use` for an imported name)."""
    return _locations(ctx.analysis.definition(ctx.path, offset))


def _use_name_at(ctx: FeatureContext, loc: Location) -> Node | None:
    """The `use_name` node whose imported name is at ``loc`` (not its alias), if any."""
    tree = ctx.tree_of(loc.path)
    if tree is None:
        return None
    node = tree.root.descendant_for_byte_range(loc.start, max(loc.start, loc.end - 1))
    use_name = ancestor(node, "use_name")
    if use_name is None:
        return None
    return use_name


def _local_uses(ctx: FeatureContext, loc: Location, use_name: Node) -> list[Location]:
    """The identifiers of the interface or world around a `use` that refer to the name it
    imports (the model answers these from the use site's local binding)."""
    tree = ctx.tree_of(loc.path)
    holder = ancestor(use_name, "interface_body", "world_body")
    if tree is None or holder is None:
        return []
    name = use_name.child_by_field_name("name")
    if name is None:
        return []
    wanted = tree.node_text(name).lstrip("%")
    out: list[Location] = []
    stack = [holder]
    while stack:
        node = stack.pop()
        for child in node.named_children:
            if child.type == "identifier":
                if tree.node_text(child).lstrip("%") == wanted and child.id != name.id and \
                        child.parent is not None and child.parent.type != "use_name":
                    decl = _locations(ctx.analysis.definition(loc.path, child.start_byte))
                    if decl == [Location(loc.path, name.start_byte, name.end_byte)] or (
                            decl and decl[0].path == loc.path
                            and decl[0].start == name.start_byte):
                        out.append(Location(loc.path, child.start_byte, child.end_byte))
            elif child.child_count:
                stack.append(child)
    return out


def definition(ctx: FeatureContext, offset: int) -> list[Location]:
    """The item itself: through `use` lists (and their `as` renames) to the declaration."""
    targets = declaration(ctx, offset)
    for _ in range(8):
        if len(targets) != 1:
            break
        use_name = _use_name_at(ctx, targets[0])
        name = use_name.child_by_field_name("name") if use_name is not None else None
        if name is None:
            break
        following = _locations(ctx.analysis.definition(targets[0].path, name.start_byte))
        if following == [Location(targets[0].path, name.start_byte, name.end_byte)]:
            break
        if not following or following == targets:
            break
        targets = following
    return targets


def _type_node_of(node: Node | None) -> Node | None:
    """The type expression a declaration (field, param, alias, function result) uses."""
    if node is None:
        return None
    for field in ("type", "result"):
        found = node.child_by_field_name(field)
        if found is not None:
            if found.type in ("func_type", "accessor"):
                return found.child_by_field_name("result")
            return found
    return None


def _named_in(node: Node | None) -> Node | None:
    """The first named type (or handle's resource) inside a type expression."""
    if node is None:
        return None
    stack = [node]
    while stack:
        current = stack.pop(0)
        if current.type == "named_type":
            return current.child_by_field_name("name")
        if current.type == "handle_type":
            return current.child_by_field_name("resource")
        stack.extend(current.named_children)
    return None


def type_definition(ctx: FeatureContext, offset: int) -> list[Location]:
    """Where the type of the thing at ``offset`` is defined, through aliases."""
    ident = identifier_at(ctx.tree, offset)
    decl = ident.parent if ident is not None else None
    if decl is not None and decl.type in ("record_field", "param", "func_item", "method_item",
                                          "variant_case", "type_alias") \
            and decl.child_by_field_name("name") == ident:
        named = _named_in(_type_node_of(decl))
        if named is None:
            return []
        offset = named.start_byte
    targets = definition(ctx, offset)
    # Follow `type a = b;` to b's definition.
    for _ in range(16):
        if len(targets) != 1:
            break
        target = targets[0]
        tree = ctx.tree_of(target.path)
        if tree is None:
            break
        node = tree.root.descendant_for_byte_range(target.start, target.end)
        alias = ancestor(node, "type_alias")
        if alias is None or alias.child_by_field_name("name") is None:
            break
        type_node = alias.child_by_field_name("type")
        if type_node is None or type_node.type != "named_type":
            break
        name = type_node.child_by_field_name("name")
        if name is None:
            break
        sub = ctx.at(target.path, tree)
        following = definition(sub, name.start_byte)
        if not following or following == targets:
            break
        targets = following
    return targets


def references(ctx: FeatureContext, offset: int, include_declaration: bool) -> list[Location]:
    """Every use of the item, including the uses of names that `use` lists import without
    renaming it (they are the same name everywhere)."""
    found = _locations(ctx.analysis.references(ctx.path, offset, include_declaration))
    queue = list(found)
    seen = set(found)
    while queue:
        loc = queue.pop()
        use_name = _use_name_at(ctx, loc)
        if use_name is None or use_name.child_by_field_name("alias") is not None:
            continue
        # The name a `use` brings is the item's name in that interface too: names written for
        # that binding, here or in other interfaces' `use` of it, are the item's as well.
        for more in [*_local_uses(ctx, loc, use_name), *ctx.analysis.references_to(loc)]:
            if more not in seen:
                seen.add(more)
                found.append(more)
                queue.append(more)
    return found


@dataclass(frozen=True, order=True)
class Highlight:
    """An occurrence in this file of the name at the cursor."""

    start: int
    end: int
    declaration: bool = False


def highlights(ctx: FeatureContext, offset: int) -> list[Highlight]:
    """Every occurrence in this file of the name at ``offset`` (its declaration marked)."""
    found = references(ctx, offset, include_declaration=True)
    decls = set(definition(ctx, offset))
    out = {Highlight(loc.start, loc.end, loc in decls) for loc in found if loc.path == ctx.path}
    if not out:
        ident = identifier_at(ctx.tree, offset)
        if ident is not None:
            out.add(Highlight(ident.start_byte, ident.end_byte))
    return sorted(out)


# ---- rename ---------------------------------------------------------------------------------


def _valid_id(name: str) -> bool:
    if not name:
        return False
    segments = name.split("-")
    for i, seg in enumerate(segments):
        if not seg or not seg.isascii() or not seg.isalnum():
            return False
        if i == 0 and not seg[0].isalpha():
            return False
        letters = [c for c in seg if c.isalpha()]
        if letters and not (all(c.islower() for c in letters) or all(c.isupper() for c in letters)):
            return False
    return True


def validate_new_name(new_name: str) -> tuple[str | None, str | None]:
    """(text to insert, None) or (None, why the name is not a WIT identifier)."""
    escaped = new_name.startswith("%")
    bare = new_name[1:] if escaped else new_name
    if not _valid_id(bare):
        return None, (f"`{new_name}` is not a valid WIT identifier: use kebab-case words that "
                      "start with a letter, each all lowercase or all uppercase")
    if bare in KEYWORDS and not escaped:
        return None, f"`{bare}` is a keyword; write `%{bare}` to use it as a name"
    return new_name, None


@dataclass(frozen=True)
class RenameResult:
    edits: list[FileEdit]
    error: str | None = None


def prepare_rename(ctx: FeatureContext, offset: int) -> tuple[int, int, str] | None:
    """The identifier's range and text when the name at ``offset`` can be renamed."""
    ident = identifier_at(ctx.tree, offset)
    if ident is None:
        return None
    parent = ident.parent
    if parent is not None and parent.type in ("attribute", "attribute_argument", "package_name"):
        return None
    # Namespace/package parts of a path name packages; only the interface part is renamable.
    if parent is not None and parent.type == "use_path" and \
            parent.child_by_field_name("name") != ident:
        return None
    if not definition(ctx, ident.start_byte):
        return None
    text = ctx.tree.node_text(ident)
    return ident.start_byte, ident.end_byte, text.lstrip("%")


def _is_use_alias(ctx: FeatureContext, loc: Location) -> bool:
    """Whether ``loc`` is the `as` name of a `use`."""
    tree = ctx.tree_of(loc.path)
    if tree is None:
        return False
    node = tree.root.descendant_for_byte_range(loc.start, max(loc.start, loc.end - 1))
    parent = node.parent if node is not None else None
    if node is None or parent is None or parent.type not in ("use_name", "toplevel_use"):
        return False
    return parent.child_by_field_name("alias") == node


def rename(ctx: FeatureContext, offset: int, new_name: str,
           is_dependency: Callable[[str], bool] | None = None,
           allow_dependency_edits: bool = False) -> RenameResult:
    """Edits renaming the item at ``offset`` everywhere; ``is_dependency(path)`` marks files of
    dependencies, whose edits need confirmation (or make the rename fail when not allowed)."""
    text, error = validate_new_name(new_name)
    if text is None:
        return RenameResult([], error)
    if prepare_rename(ctx, offset) is None:
        return RenameResult([], "there is no renamable name here")
    ident = identifier_at(ctx.tree, offset)
    assert ident is not None
    locs = references(ctx, ident.start_byte, include_declaration=True)
    scope = declaration(ctx, ident.start_byte)
    if not any(_is_use_alias(ctx, loc) for loc in scope):
        # The name is the item's own: rename the item and every use of it, wherever the
        # rename starts (an `as` name is local to its `use` and renamed alone).
        for origin in definition(ctx, ident.start_byte):
            tree = ctx.tree_of(origin.path)
            if tree is None:
                continue
            if origin not in locs:
                locs.append(origin)
            for loc in references(ctx.at(origin.path, tree), origin.start, True):
                if loc not in locs:
                    locs.append(loc)
    edits: list[FileEdit] = []
    for loc in locs:
        needs = is_dependency(loc.path) if is_dependency is not None else False
        if needs and not allow_dependency_edits:
            return RenameResult([], f"renaming would change a dependency ({loc.path}); "
                                    "rename it in its own package instead")
        tree = ctx.tree_of(loc.path)
        start, end = loc.start, loc.end
        if tree is not None:
            node = tree.root.descendant_for_byte_range(start, max(start, end - 1))
            if node is not None and node.type == "identifier":
                start, end = node.start_byte, node.end_byte
        edits.append(FileEdit(loc.path, start, end, text, needs))
    edits.sort(key=lambda e: (e.path, e.start))
    return RenameResult(edits)
