"""Breaking changes placed for the editor: on the changed item of the current text, removals on
the enclosing item with the old text, code-lens counts, and the version bump the header needs."""

from __future__ import annotations

from wit_ls.breaking.live import Side, diagnostics, live_breaking, next_version
from wit_ls.lsp.baseline import side_of
from wit_ls.model import Options, analyze
from wit_ls.model.fs import MemoryFileSystem

OLD = """package a:b@0.2.0;

interface api {
  enum color { red, green }
  paint: func(c: color) -> string;
  erase: func();
}

world app {
  export api;
}
"""

NEW = OLD.replace("red, green", "red, green, blue").replace("  erase: func();\n", "")


def _analysis(text: str) -> Side:
    return side_of(analyze(MemoryFileSystem({"/w/wit/app.wit": text}), ["/w/wit"], Options()))


def test_findings_sit_on_the_changed_item_and_removals_on_the_enclosing_one() -> None:
    result = live_breaking(_analysis(OLD), _analysis(NEW), "HEAD")
    diags = diagnostics(result, "/w/wit/app.wit", "HEAD")
    by_code = {d.code: d for d in diags}
    added = by_code["B504"]
    assert NEW.encode()[added.start:added.end] == b"blue"  # the new case itself
    assert added.severity == 1
    assert "(breaks importers and exporters)" in added.message
    assert str(added.data and added.data["url"]).endswith("docs/breaking.md#rules")
    removed = by_code["B202"]
    assert NEW.encode()[removed.start:removed.end] == b"api"
    assert removed.related[0].message == "in HEAD: erase: func();"
    assert "(breaks importers)" in removed.message


def test_lenses_count_per_interface_and_perspective() -> None:
    result = live_breaking(_analysis(OLD), _analysis(NEW), "origin/main")
    titles = [lens.title for lens in result.lenses]
    assert titles == ["2 breaking changes since origin/main (importers: 2, exporters: 1)"]


def test_a_link_break_within_the_track_asks_for_a_new_minor() -> None:
    result = live_breaking(_analysis(OLD), _analysis(NEW), "HEAD")
    [bump] = result.bumps
    assert (bump.current, bump.suggested) == ("0.2.0", "0.3.0")
    assert NEW.encode()[bump.start:bump.end] == b"a:b@0.2.0"
    bumped = NEW.replace("a:b@0.2.0", "a:b@0.3.0")
    assert live_breaking(_analysis(OLD), _analysis(bumped), "HEAD").bumps == ()


def test_no_findings_when_nothing_changed() -> None:
    result = live_breaking(_analysis(OLD), _analysis(OLD), "HEAD")
    assert result.findings == () and result.lenses == () and result.bumps == ()


def test_next_versions() -> None:
    assert next_version("0.2.0", True) == "0.3.0"
    assert next_version("1.4.2", True) == "2.0.0"
    assert next_version("0.0.3", True) == "0.0.4"
    assert next_version("0.2.0", False) == "0.2.1"
    assert next_version("0.3.0-rc-1", False) == "0.3.0"


def test_new_items_without_since_are_where_a_bump_adds_it() -> None:
    old = OLD.replace("interface api {", "@since(version = 0.2.0)\ninterface api {")
    new = old.replace("  erase: func();\n", "  erase: func();\n  wipe: func();\n").replace(
        "0.2.0;", "0.2.1;")
    result = live_breaking(_analysis(old), _analysis(new), "HEAD")
    [(path, offset, indent)] = result.ungated
    assert path == "/w/wit/app.wit"
    assert new.encode()[offset:].startswith(b"wipe: func();")
    assert indent == "  "
