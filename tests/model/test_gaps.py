"""Behaviours aligned with wasm-tools 1.262 after the first conformance runs: include stability
merging (X15), type copies on include, gated references to missing packages, doc cleaning,
cascading-error suppression and GC pausing in analyze."""

from __future__ import annotations

import gc
import json

import pytest

from wit_ls.model import MemoryFileSystem, Options, analyze
from wit_ls.syntax import Severity


def _analysis(text: str, **options: object):  # type: ignore[no-untyped-def]
    return analyze(MemoryFileSystem({"wit/a.wit": text}), ["wit"],
                   Options(**options))  # type: ignore[arg-type]


def _errors(text: str, **options: object) -> list[tuple[str, str]]:
    return [(d.code, d.message) for d in _analysis(text, **options).diagnostics
            if d.severity == Severity.ERROR]


def _world(doc: dict[str, object], name: str) -> dict[str, object]:
    worlds = doc["worlds"]
    assert isinstance(worlds, list)
    return next(w for w in worlds if w["name"] == name)


def test_x15_stability_mismatch_between_included_worlds() -> None:
    text = ("package a:b@1.0.0;\ninterface i {}\n"
            "world v { @since(version = 1.0.0) import i; }\n"
            "world u { @since(version = 0.1.0) import i; }\n"
            "world w { include v; include u; }\n")
    stable = "Stable { since: Version { major: %s, minor: %s, patch: 0 }, deprecated: None }"
    assert _errors(text) == [("stability-mismatch", "mismatch in stability from '"
                              + stable % (0, 1) + "' to '" + stable % (1, 0) + "'")]


def test_include_unknown_stability_takes_the_included_one() -> None:
    text = ("package a:b@1.0.0;\ninterface i {}\nworld v { import i; }\n"
            "world u { @since(version = 0.1.0) import i; }\nworld w { include v; include u; }\n")
    analysis = _analysis(text)
    assert analysis.diagnostics == []
    imports = _world(analysis.resolve_json(), "w")["imports"]
    assert isinstance(imports, dict)
    assert [v["interface"].get("stability") for v in imports.values()] == [
        {"stable": {"since": "0.1.0"}}]


def test_include_copies_types_and_rewrites_functions() -> None:
    text = ("package foo:foo;\nworld a {\n  resource r { constructor(); }\n"
            "  import f: func(x: r) -> option<r>;\n}\nworld b {\n  include a with { r as s }\n}\n")
    doc = json.loads(json.dumps(_analysis(text).resolve_json()))
    types = doc["types"]
    b = _world(doc, "b")
    s = b["imports"]["s"]["type"]
    assert types[s]["name"] == "s" and types[s]["owner"] == {"world": 1}
    f = b["imports"]["f"]["function"]
    assert types[f["params"][0]["type"]]["kind"] == {"handle": {"own": s}}
    assert b["imports"]["[constructor]s"]["function"]["kind"] == {"constructor": s}
    a = _world(doc, "a")
    assert types[a["imports"]["r"]["type"]]["name"] == "r"


def test_gated_use_of_a_missing_package_is_still_an_error() -> None:
    text = ("package a:b;\ninterface i {\n  @unstable(feature = off)\n"
            "  use x:y/z@1.0.0.{t};\n}\n")
    assert [code for code, _ in _errors(text)] == ["unknown-package"]


def test_no_cascade_after_a_failed_use_or_a_broken_statement() -> None:
    cycle = "package a:b;\ninterface foo {\n  use foo.{t};\n  type t = u8;\n}\n"
    assert [code for code, _ in _errors(cycle)] == ["item-cycle"]
    broken = "package a:b;\ninterface i {\n  type t = u8 # comment;\n}\n"
    assert [code for code, _ in _errors(broken)] == ["unexpected-character"]


def test_docs_drop_trailing_empty_lines() -> None:
    text = "package a:b;\n// first\n//\n//   indented\n//\ninterface i {}\n"
    doc = _analysis(text).resolve_json()
    interfaces = doc["interfaces"]
    assert isinstance(interfaces, list)
    assert interfaces[0]["docs"]["contents"] == "first\n\n  indented"


def test_analyze_restores_the_collector() -> None:
    assert gc.isenabled()
    _analysis("package a:b;\n")
    assert gc.isenabled()
    gc.disable()
    try:
        _analysis("package a:b;\n")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_lowering_reuse_after_edits_equals_fresh_lowering() -> None:
    import random

    from wit_ls.model import lower as lowering
    from wit_ls.syntax import parse

    base = (b"package a:b@1.0.0;\n/// first\ninterface i {\n  type t = u8;\n  f: func(x: t);\n}\n"
            b"@since(version = 1.0.0)\nworld w {\n  import i;\n  export g: func();\n}\n"
            b"use i as j;\npackage c:d {\n  interface k { record r { a: u32 } }\n}\n"
            b"interface z { resource r { constructor(); m: func() -> u8; } }\n")
    pieces = [b" ", b"}", b"{", b";", b"// c\n", b"/// d\n", b"interface q {}\n", b"@", b"use "]
    rng = random.Random(3)
    path = "reuse-test/a.wit"
    current = base
    lowering.lower(parse(current), path)
    for _ in range(300):
        at = rng.randrange(len(current) + 1)
        if rng.random() < 0.5:
            edited = current[:at] + rng.choice(pieces) + current[at:]
        else:
            edited = current[:at] + current[at + rng.randint(1, 5):]
        tree = parse(edited)
        assert lowering.lower(tree, path) == lowering._Lowerer(tree, path).file()
        current = edited if rng.random() < 0.8 else base
        if current is base:
            lowering.lower(parse(base), path)


def test_check_without_docs_reports_the_same_and_keeps_header_docs() -> None:
    """`wit-ls check` lowers without docs (faster); the diagnostics must not change, and the
    package-header docs that R2 needs are still collected."""
    from wit_ls.model import Options, analyze
    from wit_ls.model.fs import MemoryFileSystem
    from wit_ls.model.loader import FileCache

    files = {
        "/p/a.wit": "// licence\npackage a:b;\n/// docs\ninterface i { type t = u32; }\n",
        "/p/b.wit": "// licence\npackage a:b;\ninterface j { use i.{t}; f: func(x: t); }\n",
    }
    fs = MemoryFileSystem(files)
    with_docs = analyze(fs, ["/p"], Options(), FileCache())
    without = analyze(fs, ["/p"], Options(), FileCache(docs=False))
    assert [d.message for d in without.diagnostics] == [d.message for d in with_docs.diagnostics]
    assert any("multiple 'package' items" in d.message for d in without.diagnostics)
    items = without.items("/p/a.wit")
    assert items is not None and items.header_docs is not None


def test_deeply_nested_types_do_not_exhaust_the_recursion_limit() -> None:
    """5,000 nested `list<` types: the syntax layer reports the nesting, the model neither
    recurses past wit-parser's limit nor turns the file into an internal error."""
    from wit_ls.model import Options, analyze
    from wit_ls.model.fs import MemoryFileSystem

    deep = "list<" * 5000 + "u8" + ">" * 5000
    fs = MemoryFileSystem({"/p/x.wit": f"package a:b;\ninterface i {{ type t = {deep}; }}\n"})
    codes = [d.code for d in analyze(fs, ["/p"], Options()).diagnostics]
    assert "nesting-too-deep" in codes
    assert "internal-error" not in codes


def test_error_ranges_from_the_broken_items_equal_those_of_the_whole_tree(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Lowering looks for tree-sitter's errors only in the top-level nodes parsed with one:
    on texts broken in random places, the error ranges are those a query over the whole tree
    finds."""
    import random

    from tree_sitter import QueryCursor

    from wit_ls.model import lower as lowering
    from wit_ls.syntax import parse

    class WholeTree:
        """A query cursor that ignores the range it is given."""

        def __init__(self, query: object) -> None:
            self._cursor = QueryCursor(query)

        def set_byte_range(self, start: int, end: int) -> None:
            pass

        def captures(self, node: object) -> object:
            return self._cursor.captures(node)

    base = (b"package a:b@1.0.0;\ninterface i {\n  type t = u8;\n  f: func(x: t);\n}\n"
            b"world w {\n  import i;\n  export g: func();\n}\nuse i as j;\n"
            b"package c:d {\n  interface k { record r { a: u32 } }\n}\n"
            b"interface z { resource r { constructor(); m: func() -> u8; } }\n") * 3
    pieces = [b"}", b"{", b";", b"x", b"<", b"(", b"@", b"use ", b"interface", b":"]
    rng = random.Random(5)
    broken = 0
    for _ in range(300):
        text = base
        for _edit in range(rng.randint(1, 3)):
            at = rng.randrange(len(text) + 1)
            text = text[:at] + rng.choice(pieces) + text[at:]
        tree = parse(text)
        broken += tree.root.has_error
        found = lowering._Lowerer(tree, "").file().error_ranges
        with monkeypatch.context() as patch:
            patch.setattr(lowering, "QueryCursor", WholeTree)
            assert found == lowering._Lowerer(tree, "").file().error_ranges, text
    assert broken > 200
