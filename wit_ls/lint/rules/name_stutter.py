"""name-stutter: a member whose name repeats its container's name."""

from __future__ import annotations

from collections.abc import Iterator

from wit_ls.lint.context import LintContext, ident
from wit_ls.lint.rule import Finding, Rule
from wit_ls.syntax.describe import KEYWORDS

_PREPOSITIONS = {"with", "by", "to", "from", "for", "of", "at", "in", "on", "as", "into"}
_MEMBERS = {
    "resource_body": ("method_item",),
    "interface_body": ("func_item", "type_alias", "record_item", "flags_item", "variant_item",
                       "enum_item", "resource_item"),
    "record_body": ("record_field",),
    "variant_body": ("variant_case",),
    "enum_body": ("enum_case",),
    "flags_body": ("flag",),
}


def check(ctx: LintContext) -> Iterator[Finding]:
    interface_members = bool(ctx.option("name-stutter", "interface-members", False))
    for body_type, member_types in _MEMBERS.items():
        if body_type == "interface_body" and not interface_members:
            continue  # other interfaces `use` these names unqualified
        for body in ctx.nodes(body_type):
            container = body.parent
            if container is None:
                continue
            cname = ctx.name_of(container)
            if not cname:
                continue
            prefix = cname.lower() + "-"
            siblings = {ident(ctx.text(n)) for m in body.named_children
                        if (n := m.child_by_field_name("name")) is not None}
            for member in body.named_children:
                if member.type not in member_types:
                    continue
                name = member.child_by_field_name("name")
                if name is None:
                    continue
                text = ident(ctx.text(name))
                rest = text[len(prefix):].lower()
                if rest.split("-")[0] in _PREPOSITIONS:
                    continue  # `exit-with-code` reads as a phrase, not a stutter
                if not text.lower().startswith(prefix) or len(text) <= len(prefix):
                    continue
                shorter = text[len(prefix):]
                if shorter in siblings or shorter.lower() in KEYWORDS:
                    continue  # the long name is needed: the short one is taken or a keyword
                yield Finding(
                    name.start_byte, name.end_byte,
                    f"`{text}` repeats the name of its container `{cname}`; consider "
                    f"`{shorter}`",
                )


RULE = Rule(
    check=check,
    name="name-stutter",
    code="WIT203",
    category="style",
    default_level="info",
    fix="none",
    options={"interface-members": False},
    summary="A member name that starts with its container's name",
    what=(
        "Reports a method, field or case whose name starts with the name of its resource, "
        "record, variant, enum or flags followed by `-` (`resource blob { blob-read: ... }`), "
        "unless the shorter name is a keyword or already taken in the same container. "
        "Interface members (`interface tcp { resource tcp-socket }`) are only checked with "
        "the option `interface-members = true`: other interfaces `use` those "
        "names unqualified, where the longer name is the clear one."
    ),
    why=(
        "Bindings qualify members by their container already (`Blob::read`), so the repeated "
        "word only makes names longer (`Blob::blob_read`)."
    ),
    bad="package a:b;\n\ninterface i {\n    resource blob {\n"
        "        blob-read: func(n: u32) -> list<u8>;\n    }\n}\n",
    good="package a:b;\n\ninterface i {\n    resource blob {\n"
         "        read: func(n: u32) -> list<u8>;\n    }\n}\n",
    fix_doc="No automatic fix: renaming is a breaking change and must update every reference.",
)
