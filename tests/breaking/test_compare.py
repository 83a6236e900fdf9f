"""Breaking-change rules, one case each: an old and a new version of a package and the rules
expected to fire (by name)."""

from __future__ import annotations

import pytest

from tests.breaking.resolve_helper import resolve_text
from wit_ls.breaking import CompareOptions, compare, compatible_update, track

BASE = """
interface i {
  record r { a: u32, b: string }
  variant v { x(u32), y }
  enum e { p, q }
  flags f { m, n }
  resource res { constructor(a: u32); get: func() -> u32; make: static func() -> res; }
  type alias = u32;
  call: func(a: u32, b: string) -> result<r, e>;
}
world w { import i; export run: func(); }
"""

# (name, replacements applied to BASE to make the new version, expected rule names)
CASES: list[tuple[str, list[tuple[str, str]], set[str]]] = [
    ("nothing changed", [], set()),
    ("record field added", [("b: string }", "b: string, c: u8 }")], {"record-field-added"}),
    ("record field removed", [("a: u32, b: string", "a: u32")], {"record-field-removed"}),
    ("record field renamed", [("a: u32, b: string", "a: u32, bb: string")],
     {"record-field-renamed"}),
    ("record field reordered", [("a: u32, b: string", "b: string, a: u32")],
     {"record-field-reordered"}),
    ("record field type", [("a: u32, b: string", "a: u64, b: string")],
     {"record-field-type-changed"}),
    ("variant case added", [("x(u32), y }", "x(u32), y, z }")], {"variant-case-added"}),
    ("variant payload", [("x(u32), y }", "x(u64), y }")], {"variant-case-payload-changed"}),
    ("enum case added", [("p, q }", "p, q, s }")], {"enum-case-added"}),
    ("enum case removed", [("p, q }", "p }")], {"enum-case-changed"}),
    ("flags member added", [("m, n }", "m, n, o }")], {"flags-member-changed"}),
    ("param renamed", [("call: func(a: u32", "call: func(aa: u32")], {"function-param-renamed"}),
    ("param added", [("b: string) ->", "b: string, c: u8) ->")],
     {"function-param-count-changed"}),
    ("param type", [("call: func(a: u32", "call: func(a: u64")], {"function-param-type-changed"}),
    ("result changed", [("-> result<r, e>", "-> option<r>")], {"function-result-changed"}),
    ("async", [("call: func(", "call: async func(")], {"function-async-changed"}),
    ("function added", [("world w", "interface extra {}\nworld w"),
                        ("  type alias", "  added: func();\n  type alias")], {"function-added"}),
    ("function removed", [("  call: func(a: u32, b: string) -> result<r, e>;\n", "")],
     {"function-removed"}),
    ("method became static", [("get: func() -> u32", "get: static func() -> u32")],
     {"resource-method-kind-changed"}),
    ("method added", [("make: static", "extra: func();\n make: static")],
     {"resource-method-added"}),
    ("constructor changed", [("constructor(a: u32)", "constructor(a: u64)")],
     {"constructor-changed"}),
    ("type removed", [("  type alias = u32;\n", "")], {"type-removed"}),
    ("type added", [("  type alias = u32;\n", "  type alias = u32;\n  type more = u8;\n")],
     {"type-added"}),
    ("alias retargeted", [("type alias = u32", "type alias = u64")], {"type-kind-changed"}),
    ("record became variant", [("record r { a: u32, b: string }", "variant r { a(u32) }")],
     {"type-kind-changed"}),
    ("interface removed", [("import i; ", ""), ("interface i {", "interface j {")],
     {"interface-removed", "world-import-removed"}),
    ("world import removed", [("import i; ", "")], {"world-import-removed"}),
    ("world export added", [("export run: func();", "export run: func(); export more: func();")],
     {"world-export-added"}),
    ("world export removed", [("export run: func();", "")], {"world-export-removed"}),
    ("world import added", [("export run", "import extra: func(); export run")],
     {"world-import-added"}),
    ("import became export", [("import i;", "export i;")], {"world-item-direction-changed"}),
]


def _apply(text: str, replacements: list[tuple[str, str]]) -> str:
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


@pytest.mark.parametrize(("_name", "replacements", "expected"), CASES, ids=[c[0] for c in CASES])
def test_rule(_name: str, replacements: list[tuple[str, str]], expected: set[str]) -> None:
    old = resolve_text("package a:b@2.0.0;\n" + BASE)
    new = resolve_text("package a:b@2.0.0;\n" + _apply(BASE, replacements))
    changes = compare(old, new, "a:b", CompareOptions(perspective="both"))
    fired = {c.rule.name for c in changes if c.rule.cls in ("LINK", "SOURCE", "INFO")}
    fired -= {"breaking-within-track", "version-not-bumped"}
    assert fired == expected, [c.message for c in changes]


def test_track_of_versions() -> None:
    assert track("1.2.3") == "1"
    assert track("0.2.6") == "0.2"
    assert track("0.0.1") == "0.0.1"
    assert track("0.3.0-rc-2025-08-15") == "0.3"
    assert track("not-a-version") == "not-a-version"


# Cargo's caret requirements (the Cargo book, "Specifying dependencies"): `^old` accepts `new`?
CARGO_CARET = [
    ("0.3.0-rc-2025-08-15", "0.3.0-rc-2025-09-16", True),  # later pre-release, same x.y.z
    ("0.3.0-rc-2025-08-15", "0.3.0", True),  # its release
    ("0.3.0-rc-2025-08-15", "0.3.1", True),  # a later release on the track
    ("0.3.0-rc-2025-08-15", "0.3.1-rc-1", False),  # a pre-release of another x.y.z
    ("0.3.0", "0.3.1-rc-1", False),  # releases never accept pre-releases
    ("0.2.8", "0.3.0-rc-2025-08-15", False),  # another track
    ("1.0.0-rc.1", "1.2.0", True),
    ("1.0.0-rc.1", "1.1.0-rc.1", False),
    ("0.2.0", "0.2.6", True),
    ("0.2.6", "0.3.0", False),
]


@pytest.mark.parametrize(("old", "new", "accepted"), CARGO_CARET)
def test_prerelease_tracks_follow_cargo(old: str, new: str, accepted: bool) -> None:
    assert compatible_update(old, new) is accepted


def test_a_break_between_release_candidates_is_within_the_track() -> None:
    old = resolve_text("package a:b@0.3.0-rc-1;\n" + BASE)
    new = resolve_text("package a:b@0.3.0-rc-2;\n" + _apply(BASE, [("p, q }", "p, q, s }")]))
    levels = {c.rule.name: c.level for c in compare(old, new, "a:b")}
    assert levels["enum-case-added"] == "error"
    assert "breaking-within-track" in levels


def test_major_bump_turns_link_breaks_into_info() -> None:
    old = resolve_text("package a:b@0.2.0;\n" + BASE)
    new = resolve_text("package a:b@0.3.0;\n" + _apply(BASE, [("p, q }", "p, q, s }")]))
    changes = compare(old, new, "a:b")
    levels = {c.rule.name: c.level for c in changes}
    assert levels["enum-case-added"] == "info"
    assert "breaking-within-track" not in levels


def test_break_within_track_is_summarised_and_version_policy_checked() -> None:
    old = resolve_text("package a:b@0.2.0;\n" + BASE)
    new = resolve_text("package a:b@0.2.0;\n" + _apply(BASE, [("p, q }", "p, q, s }")]))
    names = {c.rule.name for c in compare(old, new, "a:b")}
    assert {"enum-case-added", "breaking-within-track", "version-not-bumped"} <= names


def test_added_function_needs_since_in_a_versioned_package() -> None:
    # The package follows the `@since` practice (its interface is gated).
    base = BASE.replace("interface i {", "@since(version = 0.2.0)\ninterface i {")
    gated = "package a:b@0.2.1;\n" + _apply(base, [("  type alias", "  @since(version = 0.2.1)\n  added: func();\n  type alias")])
    ungated = "package a:b@0.2.1;\n" + _apply(base, [("  type alias", "  added: func();\n  type alias")])
    old = resolve_text("package a:b@0.2.0;\n" + base)
    assert "added-item-not-gated" not in {c.rule.name for c in compare(old, resolve_text(gated), "a:b")}
    assert "added-item-not-gated" in {c.rule.name for c in compare(old, resolve_text(ungated), "a:b")}


def test_unstable_items_are_ignored_by_default() -> None:
    src = "package a:b@1.0.0;\ninterface i {\n  @unstable(feature = x)\n  f: func(a: u32);\n}\n"
    changed = src.replace("a: u32", "a: u64")
    old, new = resolve_text(src), resolve_text(changed)
    # Without the feature the item is not in the resolve at all; with --all-features semantics
    # the JSON would carry it with its `unstable` gate, which the comparison skips.
    assert compare(old, new, "a:b") == []


def _two_versions(first: str, second: str) -> str:
    """A root package beside two versions of `a:b` (as deps/ often vendors two releases)."""
    body = "interface i {\n  enum e { p, q }\n  f: func(x: e);\n}\nworld w { import i; }\n"
    return (f"package test:root;\npackage a:b@{first} {{\n{body}}}\n"
            f"package a:b@{second} {{\n{body.replace('world w', 'world v')}}}\n")


def test_a_resolve_with_two_versions_of_a_package_compared_with_itself_has_no_change() -> None:
    both = resolve_text(_two_versions("0.1.0", "0.2.0"))
    assert compare(both, both) == []


def test_each_version_is_compared_with_the_same_version_else_the_closest() -> None:
    old = resolve_text(_two_versions("0.1.0", "0.2.0"))
    # 0.1.0 unchanged; 0.2.0 becomes 0.2.1 with an enum case added.
    new = resolve_text(_two_versions("0.1.0", "0.2.1").replace("p, q }\n  f: func(x: e);\n}\n"
                                                                "world v", "p, q, s }\n  f: func"
                                                                "(x: e);\n}\nworld v"))
    found = [(c.rule.name, c.message) for c in compare(old, new)]
    assert [n for n, _ in found] == ["enum-case-added", "breaking-within-track"], found
    assert "between 0.2.0 and 0.2.1" in found[1][1]
