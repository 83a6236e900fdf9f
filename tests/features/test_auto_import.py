"""Completion that imports, as pure functions over `$0` fixtures: the types of other interfaces
(of the package and of `deps/`) at a type position, and the `use` edit each brings (a new line,
or a name merged into an existing `use`), with name clashes resolved by an alias."""

from __future__ import annotations

from support.features import FeatureFixture

from wit_ls.features.auto_import import import_edits
from wit_ls.features.completion import CompletionItem, complete

TYPES = """//- /wit/types.wit
package a:b@0.1.0;

interface types {
  record point { x: u32 }
  enum kind { small, large }
  resource blob;
}
"""
STREAMS = """//- /wit/deps/io/streams.wit
package wasi:io@0.2.8;

interface streams {
  resource input-stream;
  resource output-stream;
  variant stream-error { closed }
}
"""
NETWORK = """//- /wit/deps/sockets/network.wit
package wasi:sockets@0.2.0;

interface network {
  enum error-code { unknown }
}
"""


def _fixture(api: str, *others: str) -> FeatureFixture:
    return FeatureFixture(TYPES + "".join(others) + "//- /wit/api.wit\n" + api)


def _items(fx: FeatureFixture) -> list[CompletionItem]:
    return [i for i in complete(fx.context(), fx.offset).items if i.auto_import is not None]


def _choose(fx: FeatureFixture, label: str, detail: str | None = None) -> str:
    """The cursor's file after choosing ``label``: the word typed so far replaced by the
    label, and the `use` edit applied."""
    ctx = fx.context()
    result = complete(ctx, fx.offset)
    [item] = [i for i in result.items if i.label == label and i.auto_import is not None
              and (detail is None or i.detail == detail)]
    assert item.auto_import is not None
    edits = import_edits(ctx, result.replace_start, item.auto_import)
    text = fx.apply(edits)
    # The edits above the cursor shift it; the typed word is still just before it.
    shift = len(text.encode()) - len(fx.data[fx.path])
    start, end = result.replace_start + shift, result.replace_end + shift
    data = text.encode()
    return (data[:start] + label.encode() + data[end:]).decode()


def test_types_of_other_interfaces_and_deps_are_offered_with_their_use() -> None:
    fx = _fixture("""package a:b@0.1.0;

interface api {
  f: func(p: $0);
}
""", STREAMS)
    assert sorted((i.label, i.kind, i.detail) for i in _items(fx)) == [
        ("blob", "resource", "use types.{blob}"),
        ("input-stream", "resource", "use wasi:io/streams@0.2.8.{input-stream}"),
        ("kind", "enum", "use types.{kind}"),
        ("output-stream", "resource", "use wasi:io/streams@0.2.8.{output-stream}"),
        ("point", "record", "use types.{point}"),
        ("stream-error", "variant", "use wasi:io/streams@0.2.8.{stream-error}"),
    ]


def test_a_new_use_goes_first_in_the_body_with_a_blank_line_after_it() -> None:
    fx = _fixture("""package a:b@0.1.0;

interface api {
  /// Docs stay with their function.
  f: func(p: po$0);
}
""")
    assert _choose(fx, "point") == """package a:b@0.1.0;

interface api {
  use types.{point};

  /// Docs stay with their function.
  f: func(p: point);
}
"""


def test_a_new_use_goes_after_the_existing_ones_with_their_indentation() -> None:
    fx = _fixture("""package a:b@0.1.0;

interface api {
    use types.{kind};

    f: func(p: borrow<inp$0>);
}
""", STREAMS)
    assert _choose(fx, "input-stream") == """package a:b@0.1.0;

interface api {
    use types.{kind};
    use wasi:io/streams@0.2.8.{input-stream};

    f: func(p: borrow<input-stream>);
}
"""


def test_an_existing_use_of_the_interface_gains_the_name() -> None:
    fx = _fixture("""package a:b@0.1.0;

interface api {
  use wasi:io/streams@0.2.8.{input-stream};

  f: func(s: borrow<input-stream>, o: borrow<out$0>);
}
""", STREAMS)
    assert _choose(fx, "output-stream").splitlines()[3] == (
        "  use wasi:io/streams@0.2.8.{input-stream, output-stream};")


def test_the_name_goes_to_its_sorted_place_or_at_the_end() -> None:
    sorted_fx = _fixture("""package a:b@0.1.0;

interface api {
  use types.{blob, point};
  f: func(k: k$0);
}
""")
    assert _choose(sorted_fx, "kind").splitlines()[3] == "  use types.{blob, kind, point};"
    unsorted = _fixture("""package a:b@0.1.0;

interface api {
  use types.{point, blob};
  f: func(k: k$0);
}
""")
    assert _choose(unsorted, "kind").splitlines()[3] == "  use types.{point, blob, kind};"
    first = _fixture("""package a:b@0.1.0;

interface api {
  use types.{kind, point};
  f: func(k: b$0);
}
""")
    assert _choose(first, "blob").splitlines()[3] == "  use types.{blob, kind, point};"


def test_a_use_spanning_lines_gains_a_line() -> None:
    fx = _fixture("""package a:b@0.1.0;

interface api {
  use types.{
    blob,
    point,
  };
  f: func(k: k$0);
}
""")
    assert _choose(fx, "kind").splitlines()[3:8] == [
        "  use types.{", "    blob,", "    kind,", "    point,", "  };"]


def test_a_world_body_takes_a_use_too() -> None:
    fx = _fixture("""package a:b@0.1.0;

world app {
  import f: func(p: po$0);
}
""")
    assert _choose(fx, "point") == """package a:b@0.1.0;

world app {
  use types.{point};

  import f: func(p: point);
}
"""


def test_a_type_already_visible_is_not_offered_again() -> None:
    fx = _fixture("""package a:b@0.1.0;

interface api {
  use types.{point as p};
  f: func(p: $0);
}
""")
    labels = [i.label for i in _items(fx)]
    assert "point" not in labels and "p" not in labels
    assert sorted(labels) == ["blob", "kind"]
    # Its own interface's types are not offered either (they are local).
    fx = FeatureFixture(TYPES.replace("resource blob;", "resource blob;\n  f: func(p: $0);"))
    assert _items(fx) == []


def test_a_name_taken_in_the_body_is_imported_under_an_alias() -> None:
    fx = _fixture("""package a:b@0.1.0;

interface api {
  enum error-code { mine }
  f: func() -> result<_, net$0>;
}
""", NETWORK)
    [item] = [i for i in _items(fx) if i.label == "network-error-code"]
    assert item.detail == "use wasi:sockets/network@0.2.0.{error-code as network-error-code}"
    assert _choose(fx, "network-error-code").splitlines()[2:6] == [
        "interface api {",
        "  use wasi:sockets/network@0.2.0.{error-code as network-error-code};",
        "",
        "  enum error-code { mine }"]
    # When the alias is taken as well, the type is not offered.
    fx = _fixture("""package a:b@0.1.0;

interface api {
  enum error-code { mine }
  type network-error-code = u32;
  f: func() -> result<_, net$0>;
}
""", NETWORK)
    assert not [i for i in _items(fx) if i.auto_import and i.auto_import.name == "error-code"]


def test_handles_offer_only_resources_to_import() -> None:
    fx = _fixture("""package a:b@0.1.0;

interface api {
  f: func(p: own<$0>);
}
""", STREAMS)
    assert sorted(i.label for i in _items(fx)) == ["blob", "input-stream", "output-stream"]


def test_another_root_or_a_package_elsewhere_is_not_offered() -> None:
    fx = FeatureFixture(TYPES + """//- /other/lib.wit
package c:d;

interface lib {
  record far { x: u32 }
}
//- /wit/api.wit
package a:b@0.1.0;

interface api {
  f: func(p: $0);
}
""")
    assert "far" not in [i.label for i in _items(fx)]


def test_no_edit_when_the_name_is_already_there() -> None:
    api = """package a:b@0.1.0;

interface api {
  USE
  f: func(p: po$0);
}
"""
    before = _fixture(api.replace("USE", ""))
    [item] = [i for i in _items(before) if i.label == "point"]
    assert item.auto_import is not None
    after = _fixture(api.replace("USE", "use types.{point};"))
    assert import_edits(after.context(), after.offset, item.auto_import) == []


def test_paths_after_use_and_import_offer_every_version_in_deps() -> None:
    older = STREAMS.replace("/io/", "/io-old/").replace("0.2.8", "0.2.0")
    fx = _fixture("""package a:b@0.1.0;

world app {
  import $0
}
""", STREAMS, older)
    labels = [i.label for i in complete(fx.context(), fx.offset).items]
    assert sorted(labels) == ["types", "wasi:io/streams@0.2.0", "wasi:io/streams@0.2.8"]


def test_an_interface_that_uses_this_one_is_not_offered() -> None:
    # `more` uses `types` and `last` uses `more`: either in `types` would make a cycle.
    fx = FeatureFixture("""//- /wit/types.wit
package a:b;

interface types {
  record point { x: u32 }
  f: func(p: $0);
}

interface more {
  use types.{point};
  record segment { a: point, b: point }
}

interface last {
  use more.{segment};
  record path { parts: list<segment> }
}

interface free {
  record colour { r: u8 }
}
""")
    assert [i.label for i in _items(fx)] == ["colour"]


def test_items_the_features_leave_out_are_not_offered() -> None:
    gated = """//- /wit/deps/clocks/clocks.wit
package wasi:clocks@0.2.8;

@since(version = 0.2.0)
interface wall {
  @since(version = 0.2.0)
  record datetime { seconds: u64 }
  @unstable(feature = leap)
  record leap-second { at: u64 }
}

@unstable(feature = clocks-timezone)
interface timezone {
  @unstable(feature = clocks-timezone)
  record offset { seconds: s32 }
}
"""
    fx = _fixture("""package a:b@0.1.0;

interface api {
  f: func(p: $0);
}
""", gated)
    labels = [i.label for i in _items(fx) if i.auto_import and "clocks" in i.auto_import.interface]
    assert labels == ["datetime"]


def test_a_new_use_in_an_unstable_item_carries_its_gate() -> None:
    fx = _fixture("""package a:b@0.1.0;

@unstable(feature = fancy)
interface api {
  @unstable(feature = fancy)
  f: func(p: po$0);
}
""")
    assert _choose(fx, "point").splitlines()[3:8] == [
        "interface api {",
        "  @unstable(feature = fancy)",
        "  use types.{point};",
        "",
        "  @unstable(feature = fancy)"]
