"""Canonical ABI figures against values computed by hand from the Canonical ABI definitions
(alignment, elem_size, flatten_type; MAX_FLAT_PARAMS 16, MAX_FLAT_RESULTS 1).

Each `$name` in the fixture is a type or function whose expected figures are in EXPECTED; the
comment beside each expectation shows the arithmetic.
"""

from __future__ import annotations

import pytest

from wit_ls.model.abi import (
    AbiCalculator,
    FuncAbi,
    TypeAbi,
    discriminant_size,
    flags_size,
)
from wit_ls.model.api import analyze
from wit_ls.model.fs import MemoryFileSystem

FLAGS17 = ", ".join(f"f{i}" for i in range(17))
CASES257 = ", ".join(f"c{i}" for i in range(257))

WIT = f"""package t:abi;

interface types {{
  record padded {{ a: u8, b: u32, c: u16 }}
  record mixed {{ a: u8, b: u64 }}
  variant small {{ a, b(u8), c(u64) }}
  variant floaty {{ a(f32), b(u32) }}
  variant wide {{ {CASES257} }}
  enum e3 {{ a, b, c }}
  flags f8 {{ a, b, c, d, e, f, g, h }}
  flags f9 {{ a, b, c, d, e, f, g, h, i }}
  flags f17 {{ {FLAGS17} }}
  type opt = option<u16>;
  type res = result<u64, string>;
  type bare = result;
  type pair = tuple<u8, u16, u8>;
  type s = string;
  type l = list<u64>;
  type fixed = list<u16, 3>;
  type big = list<u8, 300>;
  resource r {{
    m: func(x: u8);
  }}
  type h = borrow<r>;
  type fut = future<u32>;
  type alias = padded;

  one: func(x: u32) -> u32;
  nine: func(a: tuple<u64, u64, u64, u64, u64, u64, u64, u64, u64>,
             b: tuple<u64, u64, u64, u64, u64, u64, u64>) -> tuple<u32, u32>;
  sixteen: func(a: tuple<u64, u64, u64, u64, u64, u64, u64, u64>,
                b: tuple<u64, u64, u64, u64, u64, u64, u64, u64>);
  none: func();
}}
"""

# name -> (size, align, flat count, first flat types)
TYPES: dict[str, tuple[int, int, int, tuple[str, ...]]] = {
    # a@0 (1) | b@4 (4) | c@8 (2) = 10, rounded to align 4 -> 12
    "padded": (12, 4, 3, ("i32", "i32", "i32")),
    # a@0 | b@8 (8) = 16, align 8
    "mixed": (16, 8, 2, ("i32", "i64")),
    # u8 discriminant; payload align 8 at offset 8, size 8 -> 16; flat i32 + join(i32, i64)
    "small": (16, 8, 2, ("i32", "i64")),
    # u8 discriminant; payload at 4 -> 8, align 4; join(f32, i32) = i32
    "floaty": (8, 4, 2, ("i32", "i32")),
    # 257 cases need a u16 discriminant
    "wide": (2, 2, 1, ("i32",)),
    "e3": (1, 1, 1, ("i32",)),
    "f8": (1, 1, 1, ("i32",)),
    "f9": (2, 2, 1, ("i32",)),
    "f17": (4, 4, 1, ("i32",)),
    # option = variant {none, some(u16)}: u8 discriminant, payload at 2 -> 4, align 2
    "opt": (4, 2, 2, ("i32", "i32")),
    # u8 discriminant; payload align 8 at 8, max(size 8, 8) -> 16; join([i64], [i32, i32])
    "res": (16, 8, 3, ("i32", "i64", "i32")),
    # result without payloads: just the discriminant
    "bare": (1, 1, 1, ("i32",)),
    # u8@0 | u16@2 | u8@4 = 5, rounded to align 2 -> 6
    "pair": (6, 2, 3, ("i32", "i32", "i32")),
    "s": (8, 4, 2, ("i32", "i32")),
    "l": (8, 4, 2, ("i32", "i32")),
    # 3 x u16
    "fixed": (6, 2, 3, ("i32", "i32", "i32")),
    "big": (300, 1, 300, ("i32",) * 17),
    "h": (4, 4, 1, ("i32",)),
    "fut": (4, 4, 1, ("i32",)),
    "alias": (12, 4, 3, ("i32", "i32", "i32")),
}

# name -> (flat params, flat results, params through memory, results through memory)
FUNCS: dict[str, tuple[int, int, bool, bool]] = {
    "one": (1, 1, False, False),
    # 9 + 7 = 16 params (still flat); 2 results -> through memory
    "nine": (16, 2, False, True),
    # 8 + 8 = 16 params, no result
    "sixteen": (16, 0, False, False),
    "none": (0, 0, False, False),
    # the method's `self` handle and a u8
    "[method]r.m": (2, 0, False, False),
}


@pytest.fixture(scope="module")
def calc_and_types() -> tuple[AbiCalculator, dict[str, int], dict[str, object]]:
    analysis = analyze(MemoryFileSystem({"/w/a.wit": WIT}), ["/w"])
    errors = [d for d in analysis.diagnostics if d.severity.label == "error"]
    assert not errors, errors
    resolve = analysis._roots[0].resolver.r
    (iface,) = [i for i in resolve.interfaces if i.name == "types"]
    return AbiCalculator(resolve), dict(iface.types), dict(iface.functions)


@pytest.mark.parametrize("name", sorted(TYPES))
def test_type_figures(calc_and_types: tuple[AbiCalculator, dict[str, int], dict[str, object]],
                      name: str) -> None:
    calc, types, _ = calc_and_types
    size, align, count, flat = TYPES[name]
    assert calc.type_abi(types[name]) == TypeAbi(size, align, flat, count)


@pytest.mark.parametrize("name", sorted(FUNCS))
def test_function_figures(calc_and_types: tuple[AbiCalculator, dict[str, int], dict[str, object]],
                          name: str) -> None:
    calc, _, funcs = calc_and_types
    params, results, params_mem, results_mem = FUNCS[name]
    abi = calc.func_abi(funcs[name])  # type: ignore[arg-type]
    assert abi == FuncAbi(params, results)
    assert abi is not None
    assert (abi.params_in_memory, abi.results_in_memory) == (params_mem, results_mem)


def test_seventeen_params_go_through_memory() -> None:
    assert FuncAbi(17, 0).params_in_memory and not FuncAbi(16, 0).params_in_memory


@pytest.mark.parametrize(("cases", "size"), [(2, 1), (256, 1), (257, 2), (65536, 2), (65537, 4)])
def test_discriminant_size(cases: int, size: int) -> None:
    assert discriminant_size(cases) == size


@pytest.mark.parametrize(("count", "size"), [(1, 1), (8, 1), (9, 2), (16, 2), (17, 4), (32, 4)])
def test_flags_size(count: int, size: int) -> None:
    assert flags_size(count) == size


def test_huge_fixed_list_is_cheap() -> None:
    text = "package t:big;\ninterface i {\n  type x = list<u64, 4000000000>;\n}\n"
    analysis = analyze(MemoryFileSystem({"/w/a.wit": text}), ["/w"])
    resolve = analysis._roots[0].resolver.r
    (iface,) = resolve.interfaces
    abi = AbiCalculator(resolve).type_abi(iface.types["x"])
    assert abi is not None
    assert (abi.size, abi.flat_count, len(abi.flat)) == (32_000_000_000, 4_000_000_000, 17)


def test_abi_at_a_use_reaches_the_definition() -> None:
    text = ("package t:u;\ninterface a {\n  record p { x: u8, y: u64 }\n}\n"
            "interface b {\n  use a.{p};\n  f: func(v: p) -> list<p>;\n}\n")
    analysis = analyze(MemoryFileSystem({"/w/a.wit": text}), ["/w"])
    facts = analysis.abi_at("/w/a.wit", text.index("{p}") + 1)
    assert facts is not None and facts.type == TypeAbi(16, 8, ("i32", "i64"), 2)
    func = analysis.abi_at("/w/a.wit", text.index("f: func"))
    assert func is not None and func.function == FuncAbi(2, 2)


HOVER_WIT = """package t:h;

interface i {
  record entry { key: u8, value: u64 }
  type entries = list<entry>;
  many: func(a: tuple<u64, u64, u64, u64, u64, u64, u64, u64, u64>,
             b: tuple<u64, u64, u64, u64, u64, u64, u64, u64, u64>) -> tuple<u8, u8>;
}
"""


@pytest.mark.parametrize(("needle", "line"), [
    ("entry {", "Canonical ABI: 16 bytes, align 8 · flattens to 2 values (i32, i64)"),
    ("entries =", "Canonical ABI: 8 bytes, align 4 · flattens to 2 values (i32, i32) "
                  "· element 16 bytes"),
    ("many:", "Canonical ABI: 18 flat parameters → passed through memory (more than 16) "
              "· 2 flat results → returned through memory (more than 1)"),
])
def test_hover_shows_abi_facts(needle: str, line: str) -> None:
    from wit_ls.features.common import FeatureContext
    from wit_ls.features.hover import hover
    from wit_ls.syntax import parse

    analysis = analyze(MemoryFileSystem({"/w/a.wit": HOVER_WIT}), ["/w"])
    ctx = FeatureContext("/w/a.wit", parse(HOVER_WIT.encode()), lambda: analysis)
    result = hover(ctx, HOVER_WIT.index(needle) + 1)
    assert result is not None
    assert result.markdown.endswith("\n\n" + line), result.markdown


def test_figures_are_worked_out_once_per_analysis() -> None:
    """An editor's lint pass asks an analysis for its ABI figures after each keystroke, through
    moved views of it (`MovedAnalysis`) or itself: asked again, of the same analysis, they are
    the figures already worked out (the same objects), equal to a fresh analysis'."""
    from wit_ls.model.moved import MovedAnalysis

    analysis = analyze(MemoryFileSystem({"/w/a.wit": WIT}), ["/w"])
    fresh = analyze(MemoryFileSystem({"/w/a.wit": WIT}), ["/w"])
    for larger_than in (-1, 8, 60):
        types = analysis.type_abis("/w/a.wit", larger_than)
        signatures = analysis.signature_abis("/w/a.wit", larger_than)
        assert types and signatures
        assert types == fresh.type_abis("/w/a.wit", larger_than)
        assert signatures == fresh.signature_abis("/w/a.wit", larger_than)
        view = MovedAnalysis(analysis, {}, {})
        assert view.type_abis("/w/a.wit", larger_than) is types
        assert view.signature_abis("/w/a.wit", larger_than) is signatures
        assert analysis.type_abis("/w/a.wit", larger_than) is types
        assert analysis.signature_abis("/w/a.wit", larger_than) is signatures
    for smaller, larger in ((-1, 8), (8, 60)):
        assert analysis.type_abis("/w/a.wit", smaller) != analysis.type_abis("/w/a.wit", larger)
        assert analysis.signature_abis("/w/a.wit", smaller) != analysis.signature_abis(
            "/w/a.wit", larger)
