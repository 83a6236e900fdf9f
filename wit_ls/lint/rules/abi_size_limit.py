"""abi-size-limit: types too large for the Canonical ABI to pass at all."""

from __future__ import annotations

from collections.abc import Iterator

from wit_ls.lint.context import LintContext
from wit_ls.lint.rule import Finding, Rule
from wit_ls.model.abi import MAX_SIZE
from wit_ls.syntax.vocabulary import TYPE_DEFINITION_NODES


def check(ctx: LintContext) -> Iterator[Finding]:
    model_path = ctx.index.model_path(ctx.path)
    # Only the sizes over the limit matter (rare): the type definitions are walked for them.
    sizes = {(loc.start, loc.end): abi
             for loc, abi in ctx.analysis.type_abis(model_path, MAX_SIZE).items()}
    for node in ctx.nodes(*TYPE_DEFINITION_NODES) if sizes else ():
        name = node.child_by_field_name("name")
        if name is None:
            continue
        abi = sizes.get((name.start_byte, name.end_byte))
        if abi is not None:
            yield Finding(name.start_byte, name.end_byte,
                          _message(f"`{ctx.text(name)}`", abi.size))
    for loc, what, abi in ctx.analysis.signature_abis(model_path, MAX_SIZE):
        yield Finding(loc.start, loc.end, _message(f"the type of the {what}", abi.size))


def _message(what: str, size: int) -> str:
    return (f"{what} takes {size:,} bytes in linear memory, more than the {MAX_SIZE:,} a "
            "32-bit memory can address: the Canonical ABI cannot lower or lift it, so no "
            "function can take or return it")

RULE = Rule(
    check=check,
    name="abi-size-limit",
    code="WIT105",
    category="correctness",
    default_level="error",
    fix="none",
    summary="A type too large for the Canonical ABI to pass",
    what=(
        "Computes the Canonical ABI size of every named type (`wit_ls/model/abi.py`, the "
        "`elem_size` of the component-model definitions) and reports those larger than "
        "2^32 - 1 bytes, which only fixed-length lists can reach (`list<u64, 4294967295>`, "
        "or a record holding one): a named type at its name, a type written in a function's "
        "signature at the parameter (or, for the result, at the function's name)."
    ),
    why=(
        "wit-parser accepts such a type, but a value of it cannot be stored in a 32-bit "
        "linear memory, so a component that uses it cannot be built or called. The rule is an "
        "error of the linter rather than of `wit-ls check`, which keeps wasm-tools 1.262's "
        "verdict."
    ),
    bad="package a:b;\n\ninterface i {\n    type samples = list<u64, 4294967295>;\n}\n",
    good="package a:b;\n\ninterface i {\n    type samples = list<u64>;\n}\n",
    fix_doc="No automatic fix: use a `list<T>` without a length, or a `stream<T>`.",
)
