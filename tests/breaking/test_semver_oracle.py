"""Link-level verdicts agree with `wasm-tools component semver-check` (the reference) on the
evolution matrix: an interface imported or exported by a world, changed in one way."""

from __future__ import annotations

import pytest

from tests.breaking.resolve_helper import resolve_text, semver_check
from wit_ls.breaking import CompareOptions, compare

IFACE = "interface i {\n  record r { a: u32 }\n  enum e { p, q }\n  resource res { m: func(); }\n  f: func(a: u32) -> u32;\n  type t = u32;\n}\n"

CHANGES: dict[str, tuple[str, str]] = {
    "add function": ("f: func", "g: func();\n  f: func"),
    "remove function": ("  f: func(a: u32) -> u32;\n", ""),
    "rename param": ("f: func(a: u32)", "f: func(b: u32)"),
    "change param type": ("f: func(a: u32)", "f: func(a: u64)"),
    "toggle async": ("f: func(", "f: async func("),
    "wrap result": ("-> u32;", "-> option<u32>;"),
    "add type": ("type t = u32;", "type t = u32;\n  type unused = u8;"),
    "add record field": ("record r { a: u32 }", "record r { a: u32, b: u8 }"),
    "add enum case": ("p, q }", "p, q, s }"),
    "remove type alias": ("  type t = u32;\n", ""),
    "add method": ("m: func();", "m: func();\n    n: func();"),
    "remove method": ("resource res { m: func(); }", "resource res {}"),
    "method to static": ("m: func()", "m: static func()"),
}


@pytest.mark.parametrize("direction", ["import", "export"])
@pytest.mark.parametrize("change", list(CHANGES))
def test_link_verdict_matches_semver_check(change: str, direction: str) -> None:
    old_iface = IFACE
    before, after = CHANGES[change]
    assert before in old_iface
    new_iface = old_iface.replace(before, after, 1)
    world = f"world w {{ {direction} i; }}"
    oracle_ok = semver_check(old_iface + world, new_iface + world, "1.0.0", "1.0.1")
    old = resolve_text("package a:b@1.0.0;\n" + old_iface + world)
    new = resolve_text("package a:b@1.0.1;\n" + new_iface + world)
    perspective = "importer" if direction == "import" else "exporter"
    changes = compare(old, new, "a:b", CompareOptions(perspective=perspective))
    breaks = [c for c in changes if c.rule.cls == "LINK" and c.level == "error"]
    assert (not breaks) == oracle_ok, (oracle_ok, [c.message for c in breaks])
