"""Completion as a pure function over `$0` fixtures: the context comes from the syntax tree."""

from __future__ import annotations

from support.features import FeatureFixture

from wit_ls.features.completion import CompletionResult, complete, resolve_documentation


def _complete(text: str, snippets: bool = False) -> tuple[FeatureFixture, CompletionResult]:
    fx = FeatureFixture(text)
    return fx, complete(fx.context(), fx.offset, snippets)


def _labels(text: str, kind: str | None = None) -> list[str]:
    _, result = _complete(text)
    return [i.label for i in result.items if kind is None or i.kind == kind]


INTERFACE_KEYWORDS = ["use", "type", "record", "variant", "enum", "flags", "resource"]


def test_keywords_at_the_top_level() -> None:
    assert _labels("$0\n", "keyword") == ["package", "interface", "world", "use"]
    assert _labels("package a:b;\n$0\n", "keyword") == ["interface", "world", "use"]


def test_keywords_in_an_interface_and_a_world() -> None:
    assert _labels("interface i {\n  $0\n}\n", "keyword") == INTERFACE_KEYWORDS
    assert _labels("world w {\n  $0\n}\n", "keyword") == [
        "import", "export", "include", "use", "type", "record", "variant", "enum", "flags",
        "resource"]
    assert _labels("interface i {\n  resource r {\n    $0\n  }\n}\n", "keyword") == [
        "constructor"]


def test_a_nested_block_comment_does_not_hide_the_interface() -> None:
    assert _labels("interface i {\n  /* a /* nested */ comment */\n  $0\n}\n",
                   "keyword") == INTERFACE_KEYWORDS
    assert _labels("interface i {\n  /* } } */\n  $0\n}\n", "keyword") == INTERFACE_KEYWORDS
    assert _labels("interface i {\n  // }\n  $0\n}\n", "keyword") == INTERFACE_KEYWORDS


def test_an_unclosed_interface_is_still_an_interface() -> None:
    assert _labels("interface i {\n  record r { x: u32 }\n  $0", "keyword") == INTERFACE_KEYWORDS


def test_nothing_inside_a_comment() -> None:
    assert _labels("interface i {\n  // rec$0\n}\n") == []
    assert _labels("interface i {\n  /* rec$0 */\n}\n") == []


def test_types_at_a_type_position() -> None:
    labels = _labels("interface i {\n  record point { x: u32 }\n  f: func(p: $0);\n}\n")
    assert labels[0] == "point"
    assert {"u32", "string", "list", "option", "result", "borrow"} <= set(labels)
    assert "record" not in labels


def test_types_after_a_comma_in_angle_brackets_after_an_arrow() -> None:
    # The `>` of `->` does not close the `<`.
    labels = _labels("interface i {\n  record p { x: u32 }\n  f: func() -> result<u32, $0>;\n}\n")
    assert labels[0] == "p" and "string" in labels


def test_handles_take_only_resources() -> None:
    assert _labels("interface i {\n  resource r;\n  record p { x: u32 }\n"
                   "  f: func(a: borrow<$0>);\n}\n") == ["r"]


def test_function_kinds_after_a_name() -> None:
    assert _labels("interface i {\n  f: $0\n}\n") == ["func", "async func", "get", "set"]


def test_paths_after_use_and_members_after_the_dot() -> None:
    text = """//- /wit/types.wit
package a:b;

interface types {
  record point { x: u32 }
  type id = u64;
}
//- /wit/api.wit
package a:b;

interface api {
  use $0
}
"""
    assert _labels(text) == ["types"]
    member_text = text.replace("use $0", "use types.{id, $0}")
    fx, result = _complete(member_text)
    assert [i.label for i in result.items] == ["point"]
    target = result.items[0].target
    assert target is not None and fx.where(target.path, target.start, target.end) == (
        "/wit/types.wit:4:10 `point`")
    assert resolve_documentation(fx.context(), target) == (
        "```wit\nrecord point\n```\n\n---\n\nDefined in `a:b/types`")


def test_attributes_and_versions() -> None:
    assert _labels("interface i {\n  @$0\n}\n") == [
        "since", "unstable", "deprecated", "external-id"]
    assert _labels("package a:b@0.2.1;\ninterface i {\n  @since(version = $0)\n}\n") == [
        "0.2.1"]
    assert _labels("interface i {\n  @unstable($0)\n}\n") == ["feature"]


def test_the_replaced_range_is_the_word_typed_so_far() -> None:
    fx, result = _complete("interface i {\n  rec$0\n}\n")
    assert fx.where(fx.path, result.replace_start, result.replace_end) == "2:3 `rec`"


def test_snippets_only_when_the_client_takes_them() -> None:
    _, plain = _complete("interface i {\n  $0\n}\n")
    _, rich = _complete("interface i {\n  $0\n}\n", snippets=True)
    assert not any(i.kind == "snippet" for i in plain.items)
    assert [i.label for i in rich.items if i.kind == "snippet"] == [
        "type", "record", "variant", "enum", "flags", "resource", "func"]
