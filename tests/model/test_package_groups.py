"""A package root's independent groups (`wit_ls.model.package_groups`): packages that a name
links are never in different groups; packages nothing links are; and a split stands for the
whole root only when its groups' analyses agree (`parts_agree`)."""

from __future__ import annotations

import pytest

from wit_ls.model.api import analyze_root
from wit_ls.model.fs import MemoFileSystem, MemoryFileSystem
from wit_ls.model.loader import FileCache
from wit_ls.model.options import Options
from wit_ls.model.package_groups import (
    Summary,
    independent_groups,
    package_names,
    parts_agree,
    root_units,
    summary,
)

NAMES = [
    # (text, may define, may name)
    (b"package a:b@1.0.0;", {b"a:b@1.0.0"}, set()),
    (b"package a:b;\nworld w { import c:d/i; }", {b"a:b"}, {b"c:d"}),
    (b"package a:b;\ninterface i { use c:d/e@0.2.0-rc-2023-11-10.{t}; }",
     {b"a:b"}, {b"c:d@0.2.0-rc-2023-11-10"}),
    (b"world w { include c:d/w@1.2.3+build; }", set(), {b"c:d@1.2.3+build"}),
    (b"package a:b@1.0.0-;\nworld w { include c:d/w@1.2.3+; }", {b"a:b@1.0.0"}, {b"c:d@1.2.3"}),
    (b"/// see wasi:io/streams\ninterface i {}", set(), {b"wasi:io"}),
    (b"package %use:%world@1.0.0;", {b"use:world@1.0.0"}, set()),
    (b"package a:b;\npackage c:d@2.0.0 { interface i {} }", {b"a:b", b"c:d@2.0.0"}, set()),
    (b"record r { x: u32, y: s8 }", set(), set()),
    # A reference with spaces is not seen (`parts_agree` catches what this misses).
    (b"world w { import c : d/i@1.0.0; }", set(), set()),
]


@pytest.mark.parametrize(("text", "defined", "named"), NAMES)
def test_package_names(text: bytes, defined: set[bytes], named: set[bytes]) -> None:
    assert package_names(text) == (defined, named)


def _pkg(name: str, *uses: str) -> str:
    lines = [f"package {name};", "interface i { type t = u8; }"]
    lines += [f"interface u{n} {{ use {use}.{{t}}; }}" for n, use in enumerate(uses)]
    return "\n".join(lines) + "\n"


GROUPS = [
    ("a chain and a separate pair",
     {"wit/main.wit": _pkg("r:root@1.0.0", "a:x/i@1.0.0"),
      "wit/deps/x/x.wit": _pkg("a:x@1.0.0", "a:y/i@1.0.0"),
      "wit/deps/y/y.wit": _pkg("a:y@1.0.0"),
      "wit/deps/w/w.wit": _pkg("a:w@1.0.0", "a:z/i@1.0.0"),
      "wit/deps/z.wit": _pkg("a:z@1.0.0")},
     [["wit", "wit/deps/x", "wit/deps/y"], ["wit/deps/w", "wit/deps/z.wit"]]),
    ("versions are different packages",
     {"wit/main.wit": _pkg("r:root", "a:x/i@2.0.0"),
      "wit/deps/x1/x.wit": _pkg("a:x@1.0.0"),
      "wit/deps/x2/x.wit": _pkg("a:x@2.0.0")},
     [["wit", "wit/deps/x2"], ["wit/deps/x1"]]),
    ("a name nobody defines links nothing",
     {"wit/main.wit": _pkg("r:root") + "/// like wasi:io/streams\ninterface j {}\n",
      "wit/deps/p/p.wit": _pkg("a:p@1.0.0") + "/// like wasi:io/streams\ninterface j {}\n"},
     [["wit"], ["wit/deps/p"]]),
    ("a name in a comment links (over-approximated)",
     {"wit/main.wit": _pkg("r:root") + "/// see a:p/i@1.0.0\ninterface j {}\n",
      "wit/deps/p/p.wit": _pkg("a:p@1.0.0")},
     [["wit", "wit/deps/p"]]),
    ("a nested package links its file",
     {"wit/main.wit": _pkg("r:root", "a:m/i@1.0.0"),
      "wit/deps/n.wit": _pkg("a:n@1.0.0") + "package a:m@1.0.0 { interface i { type t = u8; } }\n",
      "wit/deps/o/o.wit": _pkg("a:o")},
     [["wit", "wit/deps/n.wit"], ["wit/deps/o"]]),
    ("an include links",
     {"wit/main.wit": "package r:root;\nworld w { include a:x/v@1.0.0; }\n",
      "wit/deps/x/x.wit": "package a:x@1.0.0;\nworld v {}\n",
      "wit/deps/y/y.wit": "package a:y@1.0.0;\nworld v {}\n"},
     [["wit", "wit/deps/x"], ["wit/deps/y"]]),
    ("two definitions of one package are one group",
     {"wit/main.wit": _pkg("r:root"),
      "wit/deps/d1/d.wit": _pkg("a:d@1.0.0"),
      "wit/deps/d2/d.wit": _pkg("a:d@1.0.0")},
     [["wit"], ["wit/deps/d1", "wit/deps/d2"]]),
    ("a trailing sign is no part of a version",
     {"wit/main.wit": _pkg("r:root", "a:x/i@1.0.0-"),
      "wit/deps/x/x.wit": _pkg("a:x@1.0.0+"),
      "wit/deps/y/y.wit": _pkg("a:y@1.0.0")},
     [["wit", "wit/deps/x"], ["wit/deps/y"]]),
    ("a dependency naming the root joins it",
     {"wit/main.wit": _pkg("r:root@1.0.0"),
      "wit/deps/u/u.wit": _pkg("a:u@1.0.0", "r:root/i@1.0.0")},
     [["wit", "wit/deps/u"]]),
]


@pytest.mark.parametrize(("files", "expected"), [case[1:] for case in GROUPS],
                         ids=[case[0] for case in GROUPS])
def test_independent_groups(files: dict[str, str], expected: list[list[str]]) -> None:
    fs = MemoryFileSystem(files)
    units = root_units(fs, "wit", FileCache())
    assert units is not None
    groups = independent_groups(fs, units)
    assert groups is not None
    assert [paths for paths, _ in groups] == expected
    sizes = {u.path: sum(len(fs.read_bytes(f)) for f in u.files) for u in units}
    assert [size for _, size in groups] == [sum(sizes[p] for p in paths) for paths in expected]


@pytest.mark.parametrize(("files", "expected"), [case[1:] for case in GROUPS],
                         ids=[case[0] for case in GROUPS])
def test_groups_agree_with_the_model(files: dict[str, str], expected: list[list[str]]) -> None:
    """Each group analysed alone defines exactly its packages and names only them; together
    they are every package of the root, and a clean root's groups agree."""
    fs = MemoryFileSystem(files)
    whole = analyze_root(fs, "wit", Options(), FileCache())
    parts = [summary(analyze_root(fs, "wit", Options(), FileCache(), paths))
             for paths in expected]
    assert sorted(k for _, defined, _ in parts for k in defined) == sorted(
        summary(whole)[1])
    assert parts_agree(parts) == (not whole.diagnostics)


def test_units_refused() -> None:
    """A single file, a component in deps/, a folder that cannot be listed: no units."""
    fs = MemoryFileSystem({"wit/a.wit": "package a:b;\n", "wit/deps/c.wasm": b"\0asm",
                           "one.wit": "package a:b;\n"})
    assert root_units(fs, "one.wit", FileCache()) is None
    assert root_units(fs, "wit", FileCache()) is None
    assert root_units(fs, "missing", FileCache()) is None


def test_memo_file_system_asks_once() -> None:
    asked: list[tuple[str, str]] = []

    class Counting(MemoryFileSystem):
        def read_bytes(self, path: str) -> bytes:
            asked.append(("r", path))
            return super().read_bytes(path)

        def list_dir(self, path: str) -> list[str]:
            asked.append(("l", path))
            return super().list_dir(path)

    memo = MemoFileSystem(Counting({"w/a.wit": "package a:b;\n"}))
    for _ in range(3):
        assert memo.read_bytes("w/a.wit") == b"package a:b;\n"
        assert memo.list_dir("w") == ["a.wit"]
        assert memo.is_dir("w") and memo.is_file("w/a.wit") and not memo.is_file("w/x")
        with pytest.raises(FileNotFoundError) as raised:
            memo.read_bytes("w/missing.wit")
        assert raised.value.errno == 2 and raised.value.__traceback__ is not None
        with pytest.raises(FileNotFoundError):
            memo.list_dir("nowhere")
    assert sorted(asked) == [("l", "nowhere"), ("l", "w"), ("r", "w/a.wit"),
                             ("r", "w/missing.wit")]


CLEAN: Summary = (0, ["a:x"], [])
AGREE = [
    ([CLEAN, (0, ["a:y", "a:z"], ["a:z"])], True),
    ([CLEAN], True),
    ([CLEAN, (1, ["a:y"], [])], False),  # a diagnostic
    ([(2, ["a:x"], []), (0, ["a:y"], [])], False),
    ([CLEAN, (0, ["a:x"], [])], False),  # defined in two groups
    ([(0, ["a:x", "a:x"], [])], False),  # defined twice in one
    ([CLEAN, (0, ["a:y"], ["a:x"])], False),  # names another group's package
    ([(0, ["a:x"], ["a:q"])], False),  # names a package nobody defines
]


@pytest.mark.parametrize(("summaries", "agree"), AGREE)
def test_parts_agree(summaries: list[Summary], agree: bool) -> None:
    assert parts_agree(summaries) is agree
