"""Inlay hints, document links and code actions as pure functions over `$0` fixtures."""

from __future__ import annotations

from support.features import FeatureFixture

from wit_ls.features import code_actions, hints
from wit_ls.syntax import Diagnostic

DEPS = """//- /wit/deps/io/streams.wit
package wasi:io@0.2.0;

interface streams {
  resource input-stream;
}
"""


def _with_hints(fx: FeatureFixture, path: str) -> str:
    text = fx.data[path].decode()
    found = hints.inlay_hints(fx.context(path), 0, len(text))
    for hint in sorted(found, key=lambda h: -h.offset):
        text = text[:hint.offset] + f"⟨{hint.label}⟩" + text[hint.offset:]
    return text


def test_inlay_hints_show_the_implicit_own() -> None:
    fx = FeatureFixture(DEPS + """//- /wit/main.wit
package a:b;

interface i {
  use wasi:io/streams@0.2.0.{input-stream};
  resource r;
  f: func(a: r, b: borrow<r>, c: input-stream);
}
""")
    assert _with_hints(fx, "/wit/main.wit").splitlines()[3:6] == [
        "  use wasi:io/streams@0.2.0.{input-stream};",
        "  resource r;",
        "  f: func(a: ⟨own ⟩r, b: borrow<r>, c: ⟨own ⟩input-stream);",
    ]


def test_document_links_point_into_other_files() -> None:
    fx = FeatureFixture(DEPS + """//- /wit/main.wit
package a:b;

interface i {
  use wasi:io/streams@0.2.0.{input-stream};
  use local.{t};
}
interface local { type t = u8; }
""")
    found = hints.document_links(fx.context("/wit/main.wit"))
    assert [(fx.where("/wit/main.wit", link.start, link.end), fx.where(link.target.path, link.target.start,
                                                                 link.target.end))
            for link in found] == [
        ("/wit/main.wit:4:7 `wasi:io/streams@0.2.0`", "/wit/deps/io/streams.wit:3:11 `streams`")]


def _actions(fx: FeatureFixture, diags: list[Diagnostic]) -> dict[str, str]:
    found = code_actions.code_actions(fx.context(), fx.offset, fx.offset, diags)
    return {a.title: fx.apply(a.edits) for a in found}


def test_add_use_and_did_you_mean_for_an_unknown_type() -> None:
    fx = FeatureFixture("""//- /wit/a.wit
package a:b;

interface types {
  record point { x: u32 }
}
interface api {
  f: func(p: $0point);
  g: func(q: u23);
}
""")
    start = fx.offset
    unknown = Diagnostic(start, start + 5, "type `point` does not exist", "unknown-name",
                         path=fx.path)
    actions = _actions(fx, [unknown])
    assert actions["Add `use types.{point}`"].splitlines()[5:8] == [
        "interface api {", "  use types.{point};", "  f: func(p: point);"]
    typo_at = fx.data[fx.path].index(b"u23")
    typo = Diagnostic(typo_at, typo_at + 3, "type `u23` does not exist", "unknown-name",
                      path=fx.path)
    fixed = _actions(fx, [typo])
    assert "  g: func(q: u32);" in fixed["Change to `u32`"]


def test_missing_semicolon_and_package_version() -> None:
    fx = FeatureFixture("package a:b$0;\ninterface i {\n  type t = u8\n}\n")
    at = fx.data[fx.path].index(b"\n}")
    missing = Diagnostic(at + 1, at + 2, "expected `;`, found `}`", "syntax-error",
                         path=fx.path)
    actions = _actions(fx, [missing])
    assert actions["Insert missing `;`"] == "package a:b;\ninterface i {\n  type t = u8;\n}\n"
    assert actions["Add a version to the package (`@0.1.0`)"].startswith("package a:b@0.1.0;")


def test_remove_an_unused_use_name() -> None:
    fx = FeatureFixture("interface i {\n  use o.{a, $0b};\n  type t = a;\n}\n")
    at = fx.offset
    unused = Diagnostic(at, at + 1, "`b` is imported but never used", "unused-use",
                        path=fx.path)
    assert _actions(fx, [unused])["Remove unused `b`"] == (
        "interface i {\n  use o.{a};\n  type t = a;\n}\n")


def test_lint_findings_bring_their_fixes_and_suppressions() -> None:
    from wit_ls.lint import lint

    fx = FeatureFixture("package a:b@1.0.0;\n\ninterface i {\n  f: func(a: list<char>$0);\n}\n")
    [finding] = [d for d in lint(fx.path, fx.trees[fx.path]) if d.code == "list-char"]
    titles = [a.title for a in code_actions.code_actions(fx.context(), fx.offset, fx.offset,
                                                          [finding])]
    assert "Suppress `list-char` on this line" in titles
    assert "Suppress `list-char` in this file" in titles


def test_help_fixes_from_the_diagnostics_and_which_are_preferred() -> None:
    fx = FeatureFixture("package a:b;\n\ninterface i {\n  record r$0 {}\n  f: func()\n  g: func();\n}\n")
    ctx = fx.context()
    found = code_actions.code_actions(ctx, 0, len(fx.data[fx.path]),
                                      ctx.analysis.diagnostics_for(fx.path))
    by_title = {a.title: a for a in found}
    resource = by_title["Make `r` a resource (an opaque handle)"]
    assert not resource.preferred
    assert fx.apply(resource.edits).startswith("package a:b;\n\ninterface i {\n  resource r;\n")
    semicolon = [a for a in found if a.title == "Insert missing `;`"]
    assert len(semicolon) == 1 and semicolon[0].preferred  # the help fix, not a second copy
    assert "  f: func();\n  g: func();" in fx.apply(semicolon[0].edits)
