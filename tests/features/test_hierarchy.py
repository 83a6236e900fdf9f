"""Type hierarchy through `include` and `use` as pure functions over `$0` fixtures: a world's
supertypes are the worlds it includes and the interfaces it uses, an interface's are the
interfaces it uses; subtypes are the reverse."""

from __future__ import annotations

from support.features import FeatureFixture

from wit_ls.features import hierarchy
from wit_ls.features.hierarchy import HierarchyItem

PACKAGE = """//- /wit/types.wit
package a:b;

interface types {
  record point { x: u32 }
}

interface more {
  use types.{point};
  type pair = tuple<point, point>;
}
//- /wit/worlds.wit
package a:b;

interface api {
  use types.{point};
  use more.{pair};
  f: func(p: point) -> pair;
}

world base {
  import api;
}

world app {
  include base;
  use types.{point};
  import wasi:io/streams@0.2.0;
}

world top {
  include app;
}
//- /wit/deps/io/streams.wit
package wasi:io@0.2.0;

interface streams {
  resource input-stream;
}
"""


def _at(needle: str, path: str = "/wit/worlds.wit") -> FeatureFixture:
    """The fixture with the cursor in the first ``needle`` (its `|` marks the place)."""
    before, after = needle.split("|")
    marked = f"//- {path}\n"
    head, _, rest = PACKAGE.partition(marked)
    return FeatureFixture(head + marked + rest.replace(before + after, before + "$0" + after, 1))


def _show(fx: FeatureFixture, items: list[HierarchyItem]) -> list[str]:
    return [f"{item.kind} {item.id} " + fx.where(item.path, item.name_start, item.name_end)
            for item in items]


def test_prepare_on_a_declaration_and_on_a_reference() -> None:
    fx = _at("world ba|se {")
    ctx = fx.context()
    [item] = hierarchy.prepare(ctx, fx.offset)
    assert _show(fx, [item]) == ["world a:b/base /wit/worlds.wit:9:7 `base`"]
    # The item's whole range is the world's declaration.
    assert fx.where(item.path, item.start, item.end).splitlines()[0] == (
        "/wit/worlds.wit:9:1 `world base {")
    fx = _at("include b|ase;")
    assert _show(fx, hierarchy.prepare(fx.context(), fx.offset)) == [
        "world a:b/base /wit/worlds.wit:9:7 `base`"]


def test_a_world_includes_its_supertypes_and_is_included_by_its_subtypes() -> None:
    fx = _at("world a|pp {")
    ctx = fx.context()
    [item] = hierarchy.prepare(ctx, fx.offset)
    assert _show(fx, hierarchy.supertypes(ctx, item.id)) == [
        "interface a:b/types /wit/types.wit:3:11 `types`",
        "world a:b/base /wit/worlds.wit:9:7 `base`"]
    assert _show(fx, hierarchy.subtypes(ctx, item.id)) == [
        "world a:b/top /wit/worlds.wit:19:7 `top`"]
    # An import is not part of the hierarchy; the top of it has no supertypes above `app`.
    assert _show(fx, hierarchy.supertypes(ctx, "a:b/top")) == [
        "world a:b/app /wit/worlds.wit:13:7 `app`"]
    assert hierarchy.subtypes(ctx, "a:b/top") == []


def test_an_interface_and_the_interfaces_that_use_it() -> None:
    fx = _at("interface t|ypes {", "/wit/types.wit")
    ctx = fx.context()
    [item] = hierarchy.prepare(ctx, fx.offset)
    assert hierarchy.supertypes(ctx, item.id) == []
    assert _show(fx, hierarchy.subtypes(ctx, item.id)) == [
        "interface a:b/more /wit/types.wit:7:11 `more`",
        "interface a:b/api /wit/worlds.wit:3:11 `api`",
        "world a:b/app /wit/worlds.wit:13:7 `app`"]
    assert _show(fx, hierarchy.supertypes(ctx, "a:b/api")) == [
        "interface a:b/types /wit/types.wit:3:11 `types`",
        "interface a:b/more /wit/types.wit:7:11 `more`"]


def test_an_interface_of_a_dependency_is_a_hierarchy_item() -> None:
    fx = _at("import wasi:io/str|eams@0.2.0;")
    ctx = fx.context()
    assert _show(fx, hierarchy.prepare(ctx, fx.offset)) == [
        "interface wasi:io/streams@0.2.0 /wit/deps/io/streams.wit:3:11 `streams`"]
    # Imported, not used: no subtypes.
    assert hierarchy.subtypes(ctx, "wasi:io/streams@0.2.0") == []


def test_nothing_on_a_type_or_a_keyword() -> None:
    fx = _at("record po|int {", "/wit/types.wit")
    assert hierarchy.prepare(fx.context(), fx.offset) == []
    fx = _at("inter|face api")
    assert hierarchy.prepare(fx.context(), fx.offset) == []
