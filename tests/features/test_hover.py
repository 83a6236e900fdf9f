"""Hover as a pure function over `$0` fixtures: the expected text for each kind of item,
written by hand (definitions as WIT, gates, docs, where the item lives, the `use` hops that
brought it in, and the Canonical ABI facts)."""

from __future__ import annotations

from support.features import FeatureFixture

from wit_ls.features.hover import hover


def _hover(text: str) -> tuple[str, str] | None:
    fx = FeatureFixture(text)
    found = hover(fx.context(), fx.offset)
    if found is None:
        return None
    return found.markdown, fx.where(fx.path, found.start, found.end)


def _text(text: str) -> str:
    found = _hover(text)
    assert found is not None
    return found[0]


def test_a_record_shows_its_fields_docs_gates_and_package() -> None:
    assert _hover("""package a:b@1.0.0;

interface i {
  /// A point.
  @since(version = 1.0.0)
  record point { x: u32 }
  f: func(p: po$0int);
}
""") == ("```wit\nrecord point {\n  x: u32,\n}\n```\n\n---\n\n*@since(version = 1.0.0)*\n\n"
         "A point.\n\nDefined in [`a:b/i@1.0.0`](file:///test.wit#L6)\n\n"
         "Canonical ABI: 4 bytes, align 4 · flattens to 1 value (i32)",
         "7:14 `point`")


def test_a_variant_enum_and_flags_show_their_cases() -> None:
    source = """package a:b;

interface i {
  variant v { a(u32), b }
  enum e { x, y }
  flags f { r, w }
  g: func(p1: V1, p2: E1, p3: F1);
}
"""
    assert _text(source.replace("V1", "$0v").replace("E1", "e").replace("F1", "f")) == (
        "```wit\nvariant v {\n  a(u32),\n  b,\n}\n```\n\n---\n\n"
        "Defined in [`a:b/i`](file:///test.wit#L4)\n\n"
        "Canonical ABI: 8 bytes, align 4 · flattens to 2 values (i32, i32)")
    assert _text(source.replace("V1", "v").replace("E1", "$0e").replace("F1", "f")) == (
        "```wit\nenum e {\n  x,\n  y,\n}\n```\n\n---\n\n"
        "Defined in [`a:b/i`](file:///test.wit#L5)\n\n"
        "Canonical ABI: 1 byte, align 1 · flattens to 1 value (i32)")
    assert _text(source.replace("V1", "v").replace("E1", "e").replace("F1", "$0f")) == (
        "```wit\nflags f {\n  r,\n  w,\n}\n```\n\n---\n\n"
        "Defined in [`a:b/i`](file:///test.wit#L6)\n\n"
        "Canonical ABI: 1 byte, align 1 · flattens to 1 value (i32)")


def test_a_resource_shows_its_constructor_methods_and_statics() -> None:
    assert _text("""package a:b;

interface i {
  resource fi$0le {
    constructor(name: string);
    size: func() -> u64;
    open: static func() -> file;
  }
}
""").startswith("```wit\nresource file {\n  constructor(name: string);\n"
                "  size: func() -> u64;\n  open: static func() -> file;\n}\n```\n\n---\n\n"
                "Defined in [`a:b/i`](file:///test.wit#L4)")


def test_a_function_shows_its_full_signature() -> None:
    assert _hover("""package a:b;

interface i {
  /// Reads.
  re$0ad: func(len: u32, name: string) -> u64;
}
""") == (
        "```wit\nread: func(len: u32, name: string) -> u64;\n```\n\n---\n\nReads.\n\n"
        "Defined in [`a:b/i`](file:///test.wit#L5)\n\n"
        "Canonical ABI: 3 flat parameters · 1 flat result", "5:3 `read`")


def test_a_method_names_its_resource() -> None:
    assert _text("""package a:b;

interface i {
  resource r {
    si$0ze: func() -> u64;
  }
}
""").startswith("```wit\nsize: func() -> u64;\n```\n\n---\n\nMethod of `resource r`\n\n"
                "Defined in [`a:b/i`](file:///test.wit#L5)")


def test_an_alias_shows_its_target_and_what_it_resolves_to() -> None:
    assert _hover("""package a:b;

interface i {
  record point { x: u32 }
  type a = point;
  type b$0 = a;
}
""") == ("```wit\ntype b = a;\n```\n\n---\n\nResolves to `record point`\n\n"
         "Defined in [`a:b/i`](file:///test.wit#L6)\n\n"
         "Canonical ABI: 4 bytes, align 4 · flattens to 1 value (i32)", "6:8 `b`")


# Two `use` hops (one with `as`) into a package in deps/.
WORKSPACE = """//- /wit/types.wit
package example:app@0.1.0;

interface types {
  use wasi:io/streams@0.2.8.{output-stream as out};
}
//- /wit/logging.wit
package example:app@0.1.0;

/// Where logs go.
interface logging {
  use types.{out};
  log: func(to: borrow<OUT>, msg: string);
}

world w {
  import wasi:io/STREAMS@0.2.8;
  export LOGGING;
}
//- /wit/deps/io/streams.wit
/// I/O for components.
package wasi:io@0.2.8;

/// Byte streams.
interface streams {
  /// Bytes out.
  @since(version = 0.2.0)
  @deprecated(version = 0.2.8)
  resource output-stream {
    write: func(bytes: list<u8>);
    flush: static func();
  }

  record chunk { data: list<u8> }
  get: func() -> chunk;
}
//- /wit/deps/io-old/streams.wit
package wasi:io@0.2.0;

interface streams {}
"""


def _at(marker: str, name: str) -> str:
    text = WORKSPACE.replace(marker, name[:1] + "$0" + name[1:], 1)
    for other, real in (("OUT", "out"), ("STREAMS", "streams"), ("LOGGING", "logging")):
        text = text.replace(other, real)
    return text


def test_two_use_hops_reach_the_resource_in_deps() -> None:
    assert _hover(_at("OUT", "out")) == (
        "```wit\nresource output-stream {\n  write: func(bytes: list<u8>);\n"
        "  flush: static func();\n}\n```\n\n---\n\n"
        "*@since(version = 0.2.0) @deprecated(version = 0.2.8)*\n\nBytes out.\n\n"
        "Defined in [`wasi:io/streams@0.2.8`](file:///wit/deps/io/streams.wit#L9) · "
        "via `use` in `logging` → `types` (as `out`)",
        "/wit/logging.wit:6:24 `out`")


def test_an_import_path_shows_the_interface_doc_and_what_it_holds() -> None:
    assert _hover(_at("STREAMS", "streams")) == (
        "```wit\ninterface streams\n```\n\n---\n\nByte streams.\n\n"
        "Holds 1 resource (`output-stream`), 1 record (`chunk`), 1 function (`get`)\n\n"
        "Defined in [`wasi:io/streams@0.2.8`](file:///wit/deps/io/streams.wit#L5)",
        "/wit/logging.wit:10:18 `streams`")


def test_an_export_shows_what_the_interface_uses() -> None:
    assert _text(_at("LOGGING", "logging")) == (
        "```wit\ninterface logging\n```\n\n---\n\nWhere logs go.\n\n"
        "Holds 1 function (`log`) · uses `example:app/types@0.1.0`\n\n"
        "Defined in [`example:app/logging@0.1.0`](file:///wit/logging.wit#L4)")


def test_a_package_name_shows_its_version_and_those_in_deps() -> None:
    text = WORKSPACE.replace("OUT", "out").replace("STREAMS", "streams").replace(
        "LOGGING", "logging").replace("import wasi:io", "import wa$0si:io")
    assert _hover(text) == (
        "```wit\npackage wasi:io@0.2.8\n```\n\n---\n\nI/O for components.\n\n"
        "Versions in `deps/`: `0.2.0`, `0.2.8`\n\n"
        "Defined in [`wasi:io@0.2.8`](file:///wit/deps/io/streams.wit#L2)",
        "/wit/logging.wit:10:10 `wasi:io`")


def test_a_package_missing_from_deps_says_how_to_get_it() -> None:
    assert _text("""package a:b;

interface i {
  use wasi:c$0li/env@0.2.0.{x};
}
""") == ("```wit\npackage wasi:cli@0.2.0\n```\n\n---\n\nNo version of `wasi:cli` in `deps/`"
         "\n\n---\n\n**help:** put `wasi:cli` in `deps/` (a folder or file per package: "
         "`deps/<name>/*.wit`), for example with `wkg wit fetch` or `wit-deps`")


def test_a_world_shows_its_imports_and_exports() -> None:
    assert _text("""package a:b;

interface i {}

/// The app.
world w$0 {
  import i;
  export run: func();
}
""") == ("```wit\nworld w {\n  import a:b/i;\n  export run: func();\n}\n```\n\n---\n\n"
         "The app.\n\nDefined in [`a:b/w`](file:///test.wit#L6)")


def test_a_long_body_is_shortened_with_a_count() -> None:
    fields = ", ".join(f"f{n}: u8" for n in range(1, 15))
    text = _text(f"package a:b;\n\ninterface i {{\n  record r$0 {{ {fields} }}\n}}\n")
    shown = "".join(f"  f{n}: u8,\n" for n in range(1, 11))
    assert text.startswith(f"```wit\nrecord r {{\n{shown}  // ... 4 more fields\n}}\n```")


def test_a_field_shows_its_declaration() -> None:
    assert _text("""package a:b;

interface i {
  record point {
    /// Across.
    x$0: u32,
  }
}
""") == "```wit\nx: u32\n```\n\n---\n\nAcross.\n\nDefined in `a:b/i`"


def test_an_unstable_gate_is_shown_with_its_feature() -> None:
    assert _text("""package a:b@1.0.0;

interface i {
  @unstable(feature = fancy)
  @deprecated(version = 0.9.0)
  g$0: func();
}
""").startswith("```wit\ng: func();\n```\n\n---\n\n"
                "*@unstable(feature = fancy) @deprecated(version = 0.9.0)*\n\n")


def test_an_error_with_a_help_note_shows_the_note() -> None:
    assert _hover("""package a:b;

interface i {
  f: func()
  g$0: func();
}
""") == ("```wit\ng: func();\n```\n\n---\n\nDefined in [`a:b/i`](file:///test.wit#L5)\n\n"
         "Canonical ABI: 0 flat parameters · 0 flat results\n\n---\n\n"
         "**help:** every item ends with `;` (toolchains before WIT 1.0 ended them at the line "
         "break)", "5:3 `g`")


def test_nothing_on_whitespace_or_keywords() -> None:
    assert _hover("interface i {\n $0\n}\n") is None
    assert _hover("inter$0face i {}\n") is None
