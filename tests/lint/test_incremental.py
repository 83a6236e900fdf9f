"""Findings kept per top-level item (wit_ls.lint.incremental) equal a pass without them, over
random edits of every rule's fixture and of a package whose items use each other."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import PurePosixPath

import pytest
from lint.helpers import FIXTURES
from support.fixtures import parse_fixture

from wit_ls.lint import LintConfig
from wit_ls.lint.context import FileFacts
from wit_ls.lint.engine import lint_package
from wit_ls.lint.incremental import ItemCache
from wit_ls.lint.registry import RULES, RULES_BY_NAME
from wit_ls.syntax import Diagnostic, SyntaxTree, parse

ALL = LintConfig(select=[rule.name for rule in RULES])

# Lines an edit may insert (at the start of a line): gates, docs, suppressions, members, items.
SNIPPETS = (
    "@since(version = 0.2.0)\n", "@since(version = 0.1.0)\n", "@deprecated(version = 0.3.0)\n",
    "@unstable(feature = fancy)\n", "/// Docs.\n", "// plain comment\n",
    "// wit-ls: ignore[string-error]\n", "// wit-ls: ignore[missing-docs]\n", "\n", "  ",
    "  f: func(a: u32, b: bool, c: bool) -> result<u32, string>;\n",
    "  type alias = string;\n", "  use types.{rec};\n", "  record rec { a: u32 }\n",
    "interface extra { use types.{rec}; g: func(r: rec) -> option<option<u8>>; }\n",
    "/// Docs.\ninterface types { record rec { a: u32 } }\n",
)

# Items that use each other, gated and deprecated: the kept findings of one item depend on
# others (since-before-reference, deprecated-usage, unused-use, setter-type-mismatch...).
PACKAGE = """package example:incr@0.2.0;

/// Types.
@since(version = 0.1.0)
interface types {
  @since(version = 0.1.0)
  record rec { a: u32, b: string }
  @deprecated(version = 0.2.0)
  variant old { none, some(rec) }
  @since(version = 0.2.0)
  type name = string;
  @since(version = 0.1.0)
  resource thing {
    constructor(x: u32);
    get-a: func() -> rec;
    set-a: func(value: u32);
  }
}

@since(version = 0.1.0)
interface api {
  use types.{rec, old, name, thing};
  @since(version = 0.1.0)
  call: func(r: rec, o: old, n: name) -> result<u32, string>;
  @since(version = 0.1.0)
  many: func(a: bool, b: bool, c: list<char>, d: tuple<u8, u8, u8, u8, u8, u8>);
}

interface unused {
  use types.{rec};
  record rec2 { a: u32 }
}

@since(version = 0.1.0)
interface chained {
  use api.{rec, old};
  @since(version = 0.1.0)
  h: func(r: rec, o: old);
}

world w {
  import api;
  export types;
}
"""


# Edits of what the package-wide rules and other items' findings read (toggled: the second
# text back to the first): a deprecation of a type other interfaces use, a `string` alias
# becoming an error type (string-error reports it at the alias) or no longer a `string`, an
# interface's gate, docs, a name no longer brought by `use`, one dependency at two versions
# of a track (semver-duplicate-dependency), an item's gate in another file.
FACT_EDITS = (
    ("  record rec {", "  @deprecated(version = 0.2.0)\n  record rec {"),
    ("result<u32, string>", "result<u32, name>"),
    ("type name = string;", "type name = u32;"),
    ("@since(version = 0.1.0)\ninterface types", "@since(version = 0.3.0)\ninterface types"),
    ("/// Types.\n", "// Types.\n"),
    ("use types.{rec, old, name, thing};", "use types.{rec, old, thing};"),
    ("  import api;\n", "  import api;\n  import wasi:io/streams@0.2.0;\n"
                        "  import wasi:io/poll@0.2.3;\n"),
    ("@since(version = 0.2.0)\n  paint", "@since(version = 0.1.0)\n  paint"),
)

# A second file of PACKAGE's package: its items use the first file's.
OTHER = """package example:incr@0.2.0;

/// More.
@since(version = 0.2.0)
interface extra {
  use types.{rec, old, name, thing};
  @since(version = 0.2.0)
  paint: func(r: rec, o: old, t: borrow<thing>) -> result<rec, name>;
}

world w2 {
  import extra;
  import wasi:io/streams@0.2.3;
}
"""


def _lines(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text)]


def _edit(rng: random.Random, text: str) -> str:
    starts = _lines(text)
    kind = rng.randrange(8)
    at = rng.choice(starts)
    end = text.find("\n", at) + 1 or len(text)
    if kind == 0:  # delete a line
        return text[:at] + text[end:]
    if kind == 1:  # duplicate a line
        return text[:end] + text[at:end] + text[end:]
    if kind == 2:  # insert a snippet
        return text[:at] + rng.choice(SNIPPETS) + text[at:]
    if kind == 3:  # a space or a newline anywhere
        where = rng.randrange(len(text) + 1)
        return text[:where] + rng.choice(" \n") + text[where:]
    if kind == 4:  # one name for another
        names = sorted(set(re.findall(r"\b[a-z][a-z0-9-]*\b", text)))
        if len(names) < 2:
            return text
        old, new = rng.sample(names, 2)
        spots = [m.start() for m in re.finditer(rf"\b{re.escape(old)}\b", text)]
        where = rng.choice(spots)
        return text[:where] + new + text[where + len(old):]
    if kind == 5:  # move a line elsewhere
        line = text[at:end]
        rest = text[:at] + text[end:]
        to = rng.choice(_lines(rest))
        return rest[:to] + line + rest[to:]
    if kind == 6:  # a package-wide fact
        old, new = rng.choice(FACT_EDITS)
        if old in text:
            return text.replace(old, new, 1)
        return text.replace(new, old, 1)
    return text  # an unchanged pass


def _lint(trees: dict[str, SyntaxTree], cache: dict[str, ItemCache] | None,
          facts: dict[str, FileFacts] | None = None) -> dict[str, list[Diagnostic]]:
    """Lint the package, with the findings kept per item in ``cache`` and each file's facts
    kept in ``facts`` while its tree is the same (as the server lints), or without."""
    levels = {path: ALL.effective_levels(RULES_BY_NAME, path) for path in trees}
    return lint_package(trees, levels, options=ALL.options, item_cache=cache,
                        facts_cache=facts)


def _run(files: dict[str, str], steps: int, seed: str) -> tuple[int, int]:
    """Random edits of ``files`` (one package), each linted with and without the kept
    findings; (passes that used them, passes in all)."""
    rng = random.Random(seed)
    texts = dict(files)
    cache: dict[str, ItemCache] = {}
    facts: dict[str, FileFacts] = {}
    valid = dict(texts)
    trees = {p: parse(t) for p, t in texts.items()}
    reused = 0
    for step in range(steps):
        path = rng.choice(sorted(texts))
        texts[path] = _edit(rng, texts[path])
        # The other files keep their trees (the same objects), as an editor's do.
        trees = {p: trees[p] if p != path and trees[p].source == t.encode() else parse(t)
                 for p, t in texts.items()}
        kept = _lint(trees, cache, facts)
        fresh = _lint(trees, None)
        assert kept == fresh, (seed, step, texts)
        if not any(tree.root.has_error for tree in trees.values()):
            reused += 1
            valid = dict(texts)
        elif rng.random() < 0.7:  # mostly go on from valid text (broken text is linted whole)
            texts = dict(valid)
    return reused, steps


def _fixture_packages() -> list[tuple[str, dict[str, str]]]:
    out = []
    for path in sorted(FIXTURES.glob("*.wit")):
        fixture = parse_fixture(path.read_text("utf-8"))
        groups: dict[str, dict[str, str]] = {}
        for name, text in fixture.files.items():
            groups.setdefault(str(PurePosixPath(name).parent), {})[name] = text
        for folder, files in sorted(groups.items()):
            out.append((f"{path.stem}:{folder}", files))
    return out


@pytest.mark.parametrize(("name", "files"), _fixture_packages(), ids=lambda v: v
                         if isinstance(v, str) else "")
def test_fixture_edits(name: str, files: dict[str, str]) -> None:
    reused, _steps = _run(files, 40, name)
    if not any(parse(text).root.has_error for text in files.values()):
        assert reused >= 1, f"{name}: no edit left the package valid"


@pytest.mark.parametrize("seed", range(6))
def test_package_edits(seed: int) -> None:
    reused, steps = _run({"/pkg/api.wit": PACKAGE}, 150, f"package-{seed}")
    assert reused >= steps // 5


@pytest.mark.parametrize("seed", range(4))
def test_two_files_edits(seed: int) -> None:
    """Edits in either file of a package whose items use each other across the files."""
    reused, steps = _run({"/pkg/api.wit": PACKAGE, "/pkg/more.wit": OTHER}, 120,
                         f"two-{seed}")
    assert reused >= steps // 5


def test_the_cache_is_used() -> None:
    """An edit inside one item re-lints that item only: the other items' findings are the
    kept ones (the same objects at unmoved places)."""
    cache: dict[str, ItemCache] = {}
    first = _lint({"/pkg/api.wit": parse(PACKAGE)}, cache)["/pkg/api.wit"]
    edited = PACKAGE.replace("record rec2 { a: u32 }", "record rec2 { a: u32, b: u8 }")
    calls: list[str] = []
    original: dict[str, Callable[..., object]] = {}
    rule = RULES_BY_NAME["too-many-params"]
    original["check"] = rule.check

    def counting(ctx: object) -> object:
        calls.append("x")
        return original["check"](ctx)

    object.__setattr__(rule, "check", counting)
    try:
        second = _lint({"/pkg/api.wit": parse(edited)}, cache)["/pkg/api.wit"]
    finally:
        object.__setattr__(rule, "check", original["check"])
    assert len(calls) == 1  # only the edited item (`interface unused`)
    before = [d for d in first if d.start < PACKAGE.index("interface unused")]
    assert [d for d in second if d.start < PACKAGE.index("interface unused")] == before


def test_a_name_used_through_another_interface() -> None:
    """`chained` names `rec` through `api`'s `use`: a newer gate on `rec` in `types` (neither
    `chained` nor `api` changes) gives `chained` a finding."""
    cache: dict[str, ItemCache] = {}
    _lint({"/pkg/api.wit": parse(PACKAGE)}, cache)
    edited = PACKAGE.replace("  @since(version = 0.1.0)\n  record rec",
                             "  @since(version = 0.2.0)\n  record rec")
    assert edited != PACKAGE
    trees = {"/pkg/api.wit": parse(edited)}
    kept = _lint(trees, cache)["/pkg/api.wit"]
    fresh = _lint(trees, None)["/pkg/api.wit"]
    at = edited.index("interface chained")
    assert [d for d in fresh if d.start > at and d.code == "since-before-reference"]
    assert kept == fresh
