"""Unit tests of the semantic model over an in-memory file system."""

from __future__ import annotations

import pytest

from wit_ls.model import MemoryFileSystem, Options, analyze
from wit_ls.syntax import Severity


def check(files: dict[str, str], root: str = "wit", **options: object) -> list[tuple[str, str]]:
    analysis = analyze(MemoryFileSystem(files), [root], Options(**options))  # type: ignore[arg-type]
    return [(d.code, d.message) for d in analysis.diagnostics if d.severity == Severity.ERROR]


def one(text: str, **options: object) -> list[tuple[str, str]]:
    return check({"wit/a.wit": text}, **options)


def test_clean_package() -> None:
    assert one("package a:b;\ninterface i { type t = u32; f: func(x: t) -> t; }\n") == []


@pytest.mark.parametrize(("body", "code", "message"), [
    ("interface i { f: func(x: nope); }", "unknown-name", "name `nope` does not exist"),
    ("interface i { type t = nope; }", "unknown-name", "type `nope` does not exist"),
    ("interface i { type a = b; type b = a; }", "type-cycle", "type `b` depends on itself"),
    ("interface i { record r {} }", "empty-type", "empty record"),
    ("interface i { resource r { m: func() -> borrow<r>; } }", "borrow-in-result",
     "function `[method]r.m` returns a type which contains a `borrow<T>` which is not supported"),
    ("interface i { type t = u32; f: func(x: own<t>); }", "handle-not-resource",
     "type `t` used in a handle must be a resource"),
    ("interface i { x: func(); X: func(); }", "name-conflict",
     "name `X` conflicts with previous name `x`"),
    ("interface i { use j.{x}; }", "unknown-name", "interface or world `j` does not exist"),
    ("interface i {} interface i {}", "duplicate-item", "duplicate item named `i`"),
    ("world w { import f: func(); import f: func(); }", "duplicate-import",
     "import `f` conflicts with prior func of same name"),
    ("interface i { resource r { x: set(v: u32); } }", "setter-without-getter",
     "setter `[method][set]r.x` has no corresponding getter `[method][get]r.x`"),
])
def test_checks(body: str, code: str, message: str) -> None:
    assert (code, message) in one(f"package a:b;\n{body}\n")


def test_every_error_at_once() -> None:
    found = one("package a:b;\ninterface i { f: func(x: a); g: func(y: b); record r {} }\n")
    assert len(found) == 3


def test_deps_and_versions() -> None:
    files = {
        "wit/a.wit": "package a:b;\ninterface i { use c:d/j@1.0.0.{t}; f: func(x: t); }\n",
        "wit/deps/d/x.wit": "package c:d@1.0.0;\ninterface j { type t = u8; }\n",
    }
    assert check(files) == []
    files["wit/a.wit"] = files["wit/a.wit"].replace("@1.0.0", "@1.0.1")
    assert any(code == "unknown-package" for code, _ in check(files))


def test_manifest_deps_switch() -> None:
    files = {
        "proj/a/wit/a.wit": "package a:b;\ninterface i { use c:d/j.{t}; }\n",
        "proj/a/wit/deps.toml": 'dep = "../../c/wit"\n',
        "proj/c/wit/x.wit": "package c:d;\ninterface j { type t = u8; }\n",
    }
    assert check(files, "proj/a/wit") == []
    assert check(files, "proj/a/wit", manifest_deps=False)
    analysis = analyze(MemoryFileSystem(files), ["proj/a/wit"])
    assert any(d.code == "manifest-dependency" for d in analysis.diagnostics)


def test_features() -> None:
    text = ("package a:b;\ninterface i { @unstable(feature = x) type g = u32; "
            "f: func(a: g); }\n")
    assert one(text)
    assert one(text, features=frozenset({"x"})) == []
    assert one(text, all_features=True) == []


def test_definition_and_references() -> None:
    text = "package a:b;\ninterface i { type t = u32; f: func(x: t) -> t; }\n"
    fs = MemoryFileSystem({"wit/a.wit": text})
    analysis = analyze(fs, ["wit"])
    use_at = text.index("x: t") + 3
    (target,) = analysis.definition("wit/a.wit", use_at)
    assert text.encode()[target.start:target.end] == b"t"
    assert target.start == text.index("type t") + 5
    refs = analysis.references("wit/a.wit", target.start)
    assert len(refs) == 3
    symbol = analysis.symbol_at("wit/a.wit", use_at)
    assert symbol is not None and symbol.kind == "type" and symbol.resolved_type == "u32"
    names = [s.name for s in analysis.document_symbols("wit/a.wit")]
    assert names == ["i"]
    assert any(s.qualified == "f" for s in analysis.document_symbols("wit/a.wit")[0].children)


def test_elaborated_world() -> None:
    text = ("package a:b;\ninterface i { type t = u32; }\ninterface j { use i.{t}; }\n"
            "world w { import j; }\n")
    analysis = analyze(MemoryFileSystem({"wit/a.wit": text}), ["wit"])
    world = analysis.elaborated_world("wit/a.wit", text.index("world w"))
    assert world is not None and "import a:b/i;" in world and "import a:b/j;" in world


def test_resolve_json_shape() -> None:
    text = "package a:b;\ninterface i { resource r { constructor(); m: func(); } }\n"
    doc = analyze(MemoryFileSystem({"wit/a.wit": text}), ["wit"]).resolve_json()
    assert set(doc) == {"worlds", "interfaces", "types", "packages"}
    functions = doc["interfaces"][0]["functions"]  # type: ignore[index]
    assert set(functions) == {"[constructor]r", "[method]r.m"}


@pytest.mark.parametrize("text", [
    "", "package", "package a:b; interface { ", "package a:b;\nworld w { include ; }",
    "\xff\xfe", "package a:b; interface i { type t = list<list<list<", "}}}}",
    "package a:b; world w { import a:b/c@; export x: interface { f: func() -> ; } }",
])
def test_never_raises(text: str) -> None:
    analysis = analyze(MemoryFileSystem({"wit/a.wit": text}), ["wit"])
    assert not any(d.code == "internal-error" for d in analysis.diagnostics)


def test_foreign_type_gated_by_its_first_use() -> None:
    # wit-parser gates its stand-in for a foreign type like the first `use` naming it, files
    # taken in name order: gated in a.wit, the ungated `use` of b.wit refers to an excluded type.
    files = {
        "wit/a.wit": "package a:b@1.0.0;\n"
                     "interface net { @unstable(feature = x) use c:io/error@1.0.0.{error}; }\n",
        "wit/b.wit": "package a:b@1.0.0;\ninterface tcp { use c:io/error@1.0.0.{error}; }\n",
        "wit/deps/io/e.wit": "package c:io@1.0.0;\ninterface error { resource error; }\n",
    }
    excluded = ("excluded-reference", "found a reference to a type which is excluded due to its "
                "feature not being activated")
    assert check(files) == [excluded]
    assert check(files, features=frozenset({"x"})) == []
    files["wit/c.wit"] = files.pop("wit/a.wit")
    assert check(files) == []


def test_borrow_search_depth_per_function() -> None:
    """A result's `borrow<T>` is looked for to a depth of 200 from each function's result,
    whatever an earlier function's walk through the same types found: answers the resolver
    keeps by type are reused only where they fit within that depth."""
    chain = "\n".join(f"type t{i} = list<t{i - 1}>;" for i in range(1, 251))
    found = one(f"package a:b;\ninterface i {{\nresource r;\ntype t0 = borrow<r>;\n{chain}\n"
                "f: func() -> t100;\ng: func() -> t250;\nh: func() -> t199;\n}\n")
    assert [m for c, m in found if c == "borrow-in-result"] == [
        f"function `{name}` returns a type which contains a `borrow<T>` which is not supported"
        for name in ("f", "h")]
