"""acronym-casing: the same word written in two casings (`http` and `HTTP`) in one package."""

from __future__ import annotations

from collections.abc import Iterator

from wit_ls.lint.context import LintContext, MemoKey, ident
from wit_ls.lint.rule import Finding, Rule

_NAMED = ("interface_item", "world_item", "func_item", "method_item", "param", "record_field",
          "flag", "variant_case", "enum_case", "import_item", "export_item", "type_alias",
          "record_item", "flags_item", "variant_item", "enum_item", "resource_item")


_CASINGS: MemoKey[dict[str, set[str]]] = MemoKey("casings")


def _casings(ctx: LintContext) -> dict[str, set[str]]:
    return ctx.index.memo(_CASINGS, lambda: _compute_casings(ctx))


def _compute_casings(ctx: LintContext) -> dict[str, set[str]]:
    seen: dict[str, set[str]] = {}
    for path, tree in ctx.index.trees.items():
        other = ctx.for_tree(path, tree)
        for item in other.nodes(*_NAMED):
            name = item.child_by_field_name("name")
            if name is None or name.type != "identifier":
                continue
            for word in ident(other.text(name)).split("-"):
                if word and any(c.isalpha() for c in word):
                    seen.setdefault(word.lower(), set()).add(word)
    return seen


def check(ctx: LintContext) -> Iterator[Finding]:
    mode = ctx.option("acronym-casing", "mode", "consistent")
    seen = _casings(ctx)
    for item in ctx.nodes(*_NAMED):
        name = item.child_by_field_name("name")
        if name is None or name.type != "identifier":
            continue
        for word in ident(ctx.text(name)).split("-"):
            if not word.isupper() or not any(c.isalpha() for c in word):
                continue
            lower = word.lower()
            if mode == "lowercase" or lower in seen.get(lower, set()):
                yield Finding(
                    name.start_byte, name.end_byte,
                    f"`{word}` is written `{lower}` elsewhere in this package; use one casing "
                    "for a word" if mode != "lowercase" else
                    f"write the acronym `{word}` in lower case (`{lower}`)",
                )
                break


RULE = Rule(
    check=check,
    name="acronym-casing",
    code="WIT202",
    category="style",
    default_level="off",
    strict_level="info",
    fix="none",
    options={"mode": "consistent"},
    option_choices={"mode": ("consistent", "lowercase")},
    summary="An upper-case word also written in lower case elsewhere in the package",
    what=(
        "With option `mode = \"consistent\"` (the default) reports an upper-case word in a name "
        "(`HTTP-error`) when the same word appears in lower case in another name of the package "
        "(`http-request`). With `mode = \"lowercase\"` reports every upper-case word."
    ),
    why=(
        "WIT allows all-caps words, and bindings map them differently (`HTTPError` vs "
        "`HttpRequest`), so mixing them makes generated APIs inconsistent. Off by default "
        "because wasi:http 0.2 itself uses `DNS-timeout` and `HTTP-request-...`."
    ),
    bad="package a:b;\n\ninterface i {\n    record http-request { url: string }\n"
        "    variant HTTP-error { timeout }\n}\n",
    good="package a:b;\n\ninterface i {\n    record http-request { url: string }\n"
         "    variant http-error { timeout }\n}\n",
    fix_doc="No automatic fix: renaming is a breaking change and must update every reference.",
)
