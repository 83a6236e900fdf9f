"""Where is it used: the code lenses over interfaces and types as pure functions over
fixtures, each with the references its command shows."""

from __future__ import annotations

from support.features import FeatureFixture

from wit_ls.features.usage import usage_lenses

PACKAGE = """//- /wit/types.wit
package a:b;

interface types {
  record point { x: u32 }
  type pair = tuple<point, point>;
  enum unused { a }
}

interface more {
  use types.{point};
  f: func(p: point) -> point;
}

interface lonely {
}
//- /wit/worlds.wit
package a:b;

interface api {
  use types.{point, pair};
  g: func(p: pair);
}

world base {
  import types;
  import more;
  export types;
}

world app {
  include base;
  use types.{point};
  import types;
  import x: interface {
    use types.{pair};
  }
}
"""


def _lenses(path: str = "/wit/types.wit") -> list[tuple[str, str]]:
    fx = FeatureFixture(PACKAGE)
    ctx = fx.context(path)
    return [(fx.where(lens.path, lens.start, lens.end), lens.title)
            for lens in usage_lenses(ctx)]


def test_interfaces_count_the_worlds_and_interfaces_that_name_them() -> None:
    assert _lenses() == [
        ("/wit/types.wit:3:11 `types`",
         "imported by 2 worlds · exported by 1 · used by 2 interfaces and 1 world"),
        # `tuple<point, point>`, `use` and `f` in `more`, the `use`s in `api` and `app`.
        ("/wit/types.wit:4:10 `point`", "7 references"),
        # `use` and `g` in `api`, the `use` of the inline interface.
        ("/wit/types.wit:5:8 `pair`", "3 references"),
        ("/wit/types.wit:6:8 `unused`", "0 references"),
        ("/wit/types.wit:9:11 `more`", "imported by 1 world"),
        ("/wit/types.wit:14:11 `lonely`", "0 references"),
    ]


def test_the_command_shows_the_references_the_lens_counts() -> None:
    fx = FeatureFixture(PACKAGE)
    ctx = fx.context("/wit/types.wit")
    lens = next(lens for lens in usage_lenses(ctx) if lens.title.startswith("imported by 2"))
    assert fx.locations(lens.references) == [
        "/wit/types.wit:10:7 `types`",
        "/wit/worlds.wit:4:7 `types`",
        "/wit/worlds.wit:9:10 `types`",
        "/wit/worlds.wit:11:10 `types`",
        "/wit/worlds.wit:16:7 `types`",
        "/wit/worlds.wit:17:10 `types`",
        "/wit/worlds.wit:19:9 `types`",
    ]
    pair = next(lens for lens in usage_lenses(ctx) if lens.title == "3 references")
    assert fx.locations(pair.references) == [
        "/wit/worlds.wit:4:21 `pair`", "/wit/worlds.wit:5:14 `pair`",
        "/wit/worlds.wit:19:16 `pair`"]


def test_a_file_without_interfaces_or_types_has_no_lenses() -> None:
    fx = FeatureFixture("package a:b;\n\nworld w {\n  import f: func();\n}\n")
    assert usage_lenses(fx.context()) == []
