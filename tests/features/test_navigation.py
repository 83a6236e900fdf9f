"""Definition, declaration, type definition, references, highlights and rename as pure
functions over `$0` fixtures."""

from __future__ import annotations

import pytest
from support.features import FeatureFixture

from wit_ls.features import navigation

TYPES = """//- /wit/types.wit
package a:b;

interface types {
  record point { x: u32 }
  type alias = point;
  resource blob;
}
"""


def test_definition_of_a_local_type() -> None:
    fx = FeatureFixture("""
interface i {
  record point { x: u32 }
  f: func(p: po$0int);
}
""")
    assert fx.locations(navigation.definition(fx.context(), fx.offset)) == ["3:10 `point`"]


def test_definition_goes_through_use_and_its_rename() -> None:
    fx = FeatureFixture(TYPES + """//- /wit/api.wit
package a:b;

interface api {
  use types.{point as p};
  f: func(x: $0p);
}
""")
    ctx = fx.context()
    assert fx.locations(navigation.declaration(ctx, fx.offset)) == ["/wit/api.wit:4:23 `p`"]
    assert fx.locations(navigation.definition(ctx, fx.offset)) == [
        "/wit/types.wit:4:10 `point`"]


def test_type_definition_follows_aliases_from_a_field() -> None:
    fx = FeatureFixture(TYPES + """//- /wit/api.wit
package a:b;

interface api {
  use types.{alias};
  record r { f$0ield: alias }
}
""")
    found = navigation.type_definition(fx.context(), fx.offset)
    assert fx.locations(found) == ["/wit/types.wit:4:10 `point`"]


def test_nothing_to_define_on_a_keyword() -> None:
    fx = FeatureFixture("inter$0face i {}\n")
    assert navigation.definition(fx.context(), fx.offset) == []


def test_references_include_uses_in_other_files_through_use() -> None:
    fx = FeatureFixture(TYPES + """//- /wit/api.wit
package a:b;

interface api {
  use types.{point};
  f: func(x: point) -> point;
}
""")
    ctx = fx.context("/wit/types.wit", workspace=True)
    offset = fx.data["/wit/types.wit"].index(b"point")
    found = navigation.references(ctx, offset, include_declaration=True)
    assert sorted(fx.locations(found)) == [
        "/wit/api.wit:4:14 `point`",
        "/wit/api.wit:5:14 `point`",
        "/wit/api.wit:5:24 `point`",
        "/wit/types.wit:4:10 `point`",
        "/wit/types.wit:5:16 `point`",
    ]
    without = navigation.references(ctx, offset, include_declaration=False)
    assert "/wit/types.wit:4:10 `point`" not in fx.locations(without)


def test_highlights_mark_the_declaration() -> None:
    fx = FeatureFixture("""
interface i {
  type t = u32;
  f: func(a: t$0) -> t;
}
""")
    found = navigation.highlights(fx.context(), fx.offset)
    assert [(fx.where(fx.path, h.start, h.end), h.declaration) for h in found] == [
        ("3:8 `t`", True), ("4:14 `t`", False), ("4:20 `t`", False)]


def test_highlight_of_an_unresolved_name_is_the_name_itself() -> None:
    fx = FeatureFixture("interface i { f: func(a: nope$0); }\n")
    found = navigation.highlights(fx.context(), fx.offset)
    assert [(fx.where(fx.path, h.start, h.end), h.declaration) for h in found] == [
        ("1:26 `nope`", False)]


def test_rename_everywhere_keeping_escapes() -> None:
    fx = FeatureFixture(TYPES + """//- /wit/api.wit
package a:b;

interface api {
  use types.{point};
  f: func(x: p$0oint);
}
""")
    ctx = fx.context(workspace=True)
    assert navigation.prepare_rename(ctx, fx.offset) == (
        fx.data["/wit/api.wit"].index(b"point);"),
        fx.data["/wit/api.wit"].index(b"point);") + 5, "point")
    result = navigation.rename(ctx, fx.offset, "spot")
    assert result.error is None
    assert "record spot { x: u32 }" in fx.apply(result.edits, "/wit/types.wit")
    assert "type alias = spot;" in fx.apply(result.edits, "/wit/types.wit")
    api = fx.apply(result.edits, "/wit/api.wit")
    assert "use types.{spot};" in api and "f: func(x: spot);" in api


CHAIN = """package a:b;

interface base {
  resource thing;
}

interface mid {
  use base.{thing};
}

interface top {
  use mid.{thing};
  make: func() -> thing;
}

world w {
  import top;
  export x: interface {
    use mid.{thing};
    take: func(t: borrow<thing>);
  }
  export y: interface {
    use mid.{thing as other};
    keep: func(t: borrow<other>);
  }
}
"""


@pytest.mark.parametrize("occurrence", range(6))
def test_rename_follows_use_chains_through_other_interfaces(occurrence: int) -> None:
    # A name a `use` brings without `as` is the item's name in that interface too, so other
    # interfaces' `use` of it name the same item: renaming anywhere renames the whole chain,
    # and stops at an `as`.
    at = [i for i in range(len(CHAIN)) if CHAIN.startswith("thing", i)][occurrence]
    fx = FeatureFixture(CHAIN[:at] + "$0" + CHAIN[at:])
    result = navigation.rename(fx.context(), fx.offset, "gadget")
    assert result.error is None
    assert fx.apply(result.edits) == CHAIN.replace("thing", "gadget")


def test_rename_refuses_bad_names_and_keywords() -> None:
    fx = FeatureFixture("interface i { type t$0 = u32; }\n")
    ctx = fx.context()
    assert navigation.rename(ctx, fx.offset, "Bad_Name").error == (
        "`Bad_Name` is not a valid WIT identifier: use kebab-case words that start with a "
        "letter, each all lowercase or all uppercase")
    assert navigation.rename(ctx, fx.offset, "record").error == (
        "`record` is a keyword; write `%record` to use it as a name")
    edits = navigation.rename(ctx, fx.offset, "%record").edits
    assert fx.apply(edits) == "interface i { type %record = u32; }\n"


def test_rename_of_a_dependency_needs_confirmation_or_fails() -> None:
    fx = FeatureFixture("""//- /wit/deps/dep/d.wit
package x:dep;

interface d {
  type t = u32;
}
//- /wit/main.wit
package a:b;

interface i {
  use x:dep/d.{t};
  f: func(a: $0t);
}
""")
    ctx = fx.context()
    refused = navigation.rename(ctx, fx.offset, "u", is_dependency=lambda p: "/deps/" in p)
    assert refused.error == ("renaming would change a dependency (/wit/deps/dep/d.wit); rename "
                             "it in its own package instead")
    allowed = navigation.rename(ctx, fx.offset, "u", is_dependency=lambda p: "/deps/" in p,
                                allow_dependency_edits=True)
    assert {(e.path, e.needs_confirmation) for e in allowed.edits} == {
        ("/wit/deps/dep/d.wit", True), ("/wit/main.wit", False)}


def test_package_names_and_attributes_are_not_renamable() -> None:
    fx = FeatureFixture("package a$0:b;\ninterface i {}\n")
    assert navigation.prepare_rename(fx.context(), fx.offset) is None
    assert navigation.rename(fx.context(), fx.offset, "c").error == (
        "there is no renamable name here")
