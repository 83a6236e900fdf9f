"""unused-use: a name brought in by `use` that nothing refers to."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from wit_ls.lint.context import LintContext, ident
from wit_ls.lint.rule import Applicability, Finding, Fix, Rule
from wit_ls.lint.rules._edits import remove_lines, remove_list_element


def check(ctx: LintContext) -> Iterator[Finding]:
    for use in ctx.nodes("use_item"):
        body = use.parent
        names = use.child_by_field_name("names")
        if body is None or names is None:
            continue
        in_world = body.type == "world_body"
        package = ctx.package_of(use)
        elements = [n for n in names.named_children if n.type == "use_name"]
        unused: list[Node] = []
        for element in elements:
            local_node = element.child_by_field_name("alias") or element.child_by_field_name("name")
            if local_node is None:
                continue
            # Used: some name of the package refers to it, in this interface or world or
            # through another interface's `use` of it (the model's references).
            if not ctx.index.referenced(ctx.path, local_node):
                unused.append(element)
        if not unused:
            continue
        # Every `use` is part of what the interface or world declares (wit-parser lists the
        # name among its types), so removing one is never safe: a world imports less, and
        # inside a versioned package's interface it is also a re-export others may rely on.
        safe = in_world or package is None or package.version is None
        applicability: Applicability = "unsafe"
        all_unused = len(unused) == len(elements)
        for element in unused:
            local_node = element.child_by_field_name("alias") or element.child_by_field_name("name")
            assert local_node is not None
            local = ident(ctx.text(local_node))
            if all_unused:
                edit = remove_lines(ctx.tree, use.start_byte, use.end_byte)
                fix = Fix("Remove the unused `use`", (edit,), applicability)
            else:
                fix = Fix(f"Remove `{local}` from the `use`",
                          (remove_list_element(ctx.tree, element),), applicability)
            yield Finding(
                element.start_byte, element.end_byte,
                f"`{local}` is imported by `use` but never used"
                + ("" if safe else " (it is also re-exported by this interface; other packages "
                   "may use it)"),
                fix, tags=("unnecessary",),
            )


RULE = Rule(
    check=check,
    name="unused-use",
    code="WIT204",
    category="style",
    default_level="warn",
    fix="unsafe",
    tags=("unnecessary",),
    summary="A name imported with `use` that nothing in its interface or world refers to",
    what=(
        "Reports each name of a `use ... .{a, b}` that no type in the same interface or world "
        "refers to, and that no other interface of the package takes from this interface with "
        "its own `use` (the references `wit-ls check` resolves)."
    ),
    why=(
        "Unused imports add dependencies between interfaces (a world importing the interface "
        "also imports what it `use`s) and mislead readers about what an interface needs."
    ),
    bad="package a:b;\n\ninterface types {\n    type instant = u64;\n"
        "    type duration = u64;\n}\n\n"
        "interface clock {\n    use types.{instant, duration};\n    now: func() -> instant;\n}\n",
    good="package a:b;\n\ninterface types {\n    type instant = u64;\n"
         "    type duration = u64;\n}\n\n"
         "interface clock {\n    use types.{instant};\n    now: func() -> instant;\n}\n",
    fix_doc=(
        "Unsafe: removes the name (or the whole `use` when no name is used). Every `use`d name "
        "is part of the interface or world (wit-parser lists it among its types, and another "
        "interface or package may `use` it from there), so the removal changes what the "
        "package declares."
    ),
)
