"""Findings that used to be wrong or missing (issue 16): each case is an old and a new version
of a package, resolved by the reference implementation, and the findings expected."""

from __future__ import annotations

from tests.breaking.resolve_helper import resolve_text
from wit_ls.breaking import compare

SUMMARIES = {"breaking-within-track", "version-not-bumped"}


def _findings(old: str, new: str, package: str | None = "a:b") -> list[tuple[str, str]]:
    """(rule, message) of each finding, without the package-level summaries."""
    changes = compare(resolve_text(old), resolve_text(new), package)
    return [(c.rule.name, c.message) for c in changes if c.rule.name not in SUMMARIES]


USE_OLD = """package a:b@2.0.0;
interface types {
  record r { a: u32 }
  get: func() -> r;
}
interface user {
  use types.{r};
  put: func(x: r);
}
"""


def test_a_type_brought_in_with_use_is_reported_once_where_it_is_defined() -> None:
    new = USE_OLD.replace("record r { a: u32 }", "record r { a: u32, b: u32 }")
    found = _findings(USE_OLD, new)
    assert found == [("record-field-added", "type `types.r`: field `b` was added")]


def test_a_local_alias_of_a_changed_type_is_not_reported_again() -> None:
    old = USE_OLD.replace("  put: func(x: r);", "  type same = r;\n  put: func(x: same);")
    new = old.replace("enum", "enum").replace("record r { a: u32 }", "record r { a: u64 }")
    names = [name for name, _ in _findings(old, new)]
    assert names == ["record-field-type-changed"]


ALIAS_OLD = """package a:b@2.0.0;
interface home {
  f: func();
}
interface user {
  type t = u32;
  put: func(x: t);
}
"""


def test_moving_a_type_alias_to_another_interface_is_a_move() -> None:
    new = ALIAS_OLD.replace("  f: func();", "  type t = u32;\n  f: func();").replace(
        "  type t = u32;\n  put", "  use home.{t};\n  put"
    )
    found = _findings(ALIAS_OLD, new)
    assert ("type-moved", "type `user.t` is now defined in `a:b/home` and brought in with `use`") in found
    assert [n for n, _ in found if n != "type-added"] == ["type-moved"]


RECORD_OLD = """package a:b@2.0.0;
interface i {
  record r { a: u32 }
  put: func(x: r);
}
"""


def test_a_record_turned_into_a_local_alias_is_worded_as_an_alias() -> None:
    new = RECORD_OLD.replace("record r { a: u32 }", "record s { a: u32 }\n  type r = s;")
    found = [f for f in _findings(RECORD_OLD, new) if f[0] != "type-added"]
    assert found == [
        ("type-moved", "type `i.r` is now an alias of `s`, defined in the same interface")
    ]


def test_moving_a_type_back_into_an_interface_is_a_move() -> None:
    new = USE_OLD.replace("  use types.{r};", "  record r { a: u32 }")
    found = [f for f in _findings(USE_OLD, new)]
    assert found == [
        ("type-moved", "type `user.r` is now defined here instead of being brought in from "
         "`a:b/types`")
    ]


PLAIN = """package a:b@0.2.0;
interface i {
  f: func();
}
"""


def test_since_policy_is_silent_in_packages_that_never_use_since() -> None:
    new = PLAIN.replace("0.2.0", "0.2.1").replace("  f: func();", "  f: func();\n  g: func();")
    assert [n for n, _ in _findings(PLAIN, new)] == ["function-added"]
    removed = PLAIN.replace("0.2.0", "0.3.0").replace("  f: func();\n", "")
    assert [n for n, _ in _findings(PLAIN, removed)] == ["function-removed"]


def test_since_policy_still_fires_in_packages_that_use_since() -> None:
    old = PLAIN.replace("interface i", "@since(version = 0.2.0)\ninterface i").replace(
        "  f: func();", "  @since(version = 0.2.0)\n  f: func();"
    )
    new = old.replace("package a:b@0.2.0", "package a:b@0.2.1").replace(
        "  f: func();", "  f: func();\n  g: func();"
    )
    names = [n for n, _ in _findings(old, new)]
    assert "added-item-not-gated" in names


TWO_PACKAGES = """package a:b@1.0.0;
interface i {
  use c:d/t@1.0.0.{e};
  f: func(x: e);
}
package c:d@1.0.0 {
  interface t { enum e { x, y } }
}
"""


def test_every_package_present_in_both_versions_is_compared_by_default() -> None:
    new = TWO_PACKAGES.replace("1.0.0", "1.0.1").replace("x, y", "x, y, z")
    found = _findings(TWO_PACKAGES, new, None)
    assert ("enum-case-added", "type `t.e`: case `z` was added") in found
    assert _findings(TWO_PACKAGES, new, "a:b") == []
