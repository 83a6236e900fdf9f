"""Hover as a pure function over `$0` fixtures."""

from __future__ import annotations

from support.features import FeatureFixture

from wit_ls.features.hover import hover


def _hover(text: str) -> tuple[str, str] | None:
    fx = FeatureFixture(text)
    found = hover(fx.context(), fx.offset)
    if found is None:
        return None
    return found.markdown, fx.where(fx.path, found.start, found.end)


def test_a_record_with_docs_gates_and_package() -> None:
    assert _hover("""package a:b@1.0.0;

interface i {
  /// A point.
  @since(version = 1.0.0)
  record point { x: u32 }
  f: func(p: po$0int);
}
""") == ("```wit\nrecord point\n```\n\n---\n\n*@since(version = 1.0.0)*\n\nA point.\n\n"
         "Defined in `a:b/i@1.0.0`\n\nCanonical ABI: 4 bytes, align 4 · flattens to 1 value (i32)",
         "7:14 `point`")


def test_an_alias_says_what_it_resolves_to() -> None:
    assert _hover("""interface i {
  record point { x: u32 }
  type a = point;
  type b$0 = a;
}
""") == ("```wit\ntype b = a\n```\n\n---\n\nResolves to `record point`\n\nDefined in `i`"
         "\n\nCanonical ABI: 4 bytes, align 4 · flattens to 1 value (i32)", "4:8 `b`")


def test_a_resource_lists_its_members() -> None:
    markdown, _ = _hover("""interface i {
  resource fi$0le {
    constructor(name: string);
    size: func() -> u64;
    open: static func() -> file;
  }
}
""") or ("", "")
    assert "```wit\n  constructor(name: string)\n  size: func() -> u64\n" \
           "  open: static func() -> file\n```" in markdown


def test_nothing_on_whitespace_or_keywords() -> None:
    assert _hover("interface i {\n $0\n}\n") is None
    assert _hover("inter$0face i {}\n") is None
