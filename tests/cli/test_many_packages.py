"""Many packages in one `wit-ls check` / `wit-ls lint` run (a monorepo in CI): each package's
output is what checking it alone prints, although packages that vendor the same ``deps/``
(identical bytes at different paths) share their parsed files; and each package's analysis is
released once it is reported, so memory stays bounded however many packages there are."""

from __future__ import annotations

import gc
import json
import os
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from wit_ls.cli import main
from wit_ls.model.fs import MemoryFileSystem
from wit_ls.model.loader import SharedFileCache

IO = """package wasi:io@0.2.0;

interface error {
  resource error { to-debug-string: func() -> string; }
}

interface streams {
  use error.{error};
  variant stream-error { last-operation-failed(error), closed }
  resource input-stream {
    read: func(len: u64) -> result<list<u8>, stream-error>;
  }
}
"""

CLOCKS = """package wasi:clocks@0.2.0;

/// Wall clock time.
interface wall-clock {
  record datetime { seconds: u64, nanoseconds: u32 }
  now: func() -> datetime;
}
"""

# A dependency with an error of its own (a name that is not defined), so that every package
# vendoring it reports that error at its own copy's path.
BROKEN = """package demo:broken;

interface x {
  f: func() -> nope;
}
"""

# A dependency with a syntax error.
SYNTAX = """package demo:syntax;

interface y {
  g: func(a: u32 b: u32);
}
"""

# The same path as IO in other packages, different bytes (and an error of its own).
IO_OTHER = IO.replace("closed }", "closed, timeout(missing) }")

APP = """package demo:app{n};

interface api {{
  use wasi:io/streams@0.2.0.{{input-stream}};
  use wasi:clocks/wall-clock@0.2.0.{{datetime}};
  get: func(s: borrow<input-stream>) -> datetime;
  {extra}
}}

world w {{
  import demo:broken/x;
  export api;
}}
"""


def _deps(folder: Path, io: str = IO) -> None:
    for name, text in (("io", io), ("clocks", CLOCKS), ("broken", BROKEN),
                       ("syntax", SYNTAX)):
        (folder / name).mkdir(parents=True)
        (folder / name / f"{name}.wit").write_text(text, encoding="utf-8")


def _monorepo(top: Path) -> list[Path]:
    """Package roots of a small monorepo, in the order `check` finds them."""
    roots = []
    for n in range(4):
        root = top / f"app{n}" / "wit"
        root.mkdir(parents=True)
        extra = "put: func(x: float32);" if n == 2 else ""  # an old name, with a help note
        (root / "app.wit").write_text(APP.format(n=n, extra=extra), encoding="utf-8")
        _deps(root / "deps")
        roots.append(root)
    # Two packages whose own file is the same bytes too.
    for name in ("twin-a", "twin-b"):
        root = top / name / "wit"
        root.mkdir(parents=True)
        (root / "app.wit").write_text(APP.format(n=99, extra=""), encoding="utf-8")
        _deps(root / "deps")
        roots.append(root)
    # The same paths inside deps/, other bytes.
    root = top / "unlike" / "wit"
    root.mkdir(parents=True)
    (root / "app.wit").write_text(APP.format(n=7, extra=""), encoding="utf-8")
    _deps(root / "deps", IO_OTHER)
    roots.append(root)
    # The same deps/ at another version.
    root = top / "versioned" / "wit"
    root.mkdir(parents=True)
    (root / "app.wit").write_text(APP.format(n=10, extra="").replace("@0.2.0", "@0.2.1"),
                                  encoding="utf-8")
    _deps(root / "deps", IO.replace("@0.2.0", "@0.2.1"))
    (root / "deps" / "clocks" / "clocks.wit").write_text(CLOCKS.replace("@0.2.0", "@0.2.1"),
                                                          encoding="utf-8")
    roots.append(root)
    # An own package with more types (the ids of the dependencies resolved after it move).
    root = top / "bigger" / "wit"
    root.mkdir(parents=True)
    (root / "app.wit").write_text(
        APP.format(n=11, extra="record more { x: u32 }\n  type many = list<more>;"),
        encoding="utf-8")
    _deps(root / "deps")
    roots.append(root)
    # deps/ as a link to one shared copy (outside the folder checked).
    _deps(top.parent / "vendor")
    root = top / "linked" / "wit"
    root.mkdir(parents=True)
    (root / "app.wit").write_text(APP.format(n=8, extra=""), encoding="utf-8")
    os.symlink(top.parent / "vendor", root / "deps")
    roots.append(root)
    return sorted(roots)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    main(list(args))
    return capsys.readouterr().out


@pytest.fixture
def monorepo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    monkeypatch.chdir(tmp_path)
    # These tests look inside one process (what it parses, resolves and keeps alive): the
    # commands use one (`wit_ls.cli.forked` shares roots among processes otherwise).
    monkeypatch.setenv("WIT_LS_JOBS", "1")
    yield [r.relative_to(tmp_path) for r in _monorepo(tmp_path / "repo")]


def test_check_json_of_a_batch_is_each_package_checked_alone(
        monorepo: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    alone: list[object] = []
    for root in monorepo:
        alone.extend(json.loads(_run(capsys, "check", "--no-cache", "--format", "json",
                                     str(root))))
    batch = json.loads(_run(capsys, "check", "--no-cache", "--format", "json", "repo"))
    assert batch == alone
    # The shared dependency's error is reported at every package's own copy.
    broken = sorted(e["path"] for e in batch if e["path"].endswith("broken.wit"))
    assert broken == sorted(f"{root}/deps/broken/broken.wit" for root in monorepo)
    assert any(e["path"] == "repo/unlike/wit/deps/io/io.wit" for e in batch)
    assert not any(e["path"].endswith("io.wit") and "unlike" not in e["path"] for e in batch)


def test_a_batch_resolves_the_same_dependencies_once(
        monorepo: list[Path], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from wit_ls.model.shared_deps import SharedResolutions

    made: list[SharedResolutions] = []
    real = SharedResolutions.__init__

    def keep(self: SharedResolutions, *args: Any, **kwargs: Any) -> None:
        real(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(SharedResolutions, "__init__", keep)
    _run(capsys, "check", "--no-cache", "repo")
    # Recorded by app0, unlike and versioned (their deps/ differ); replayed by the other seven
    # (linked through a symbolic link, twin-a and twin-b, bigger).
    assert [(len(r), r.replayed) for r in made] == [(3, 7)]
    assert len(monorepo) == 10


def test_check_text_of_a_batch_is_each_package_checked_alone(
        monorepo: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    bodies: list[str] = []
    errors = others = 0
    for root in monorepo:
        *body, summary = _run(capsys, "check", "--no-cache", str(root)).splitlines()
        bodies.extend(body)
        words = summary.split()
        errors += int(words[0])
        others += int(words[2])
    *batch, summary = _run(capsys, "check", "--no-cache", "repo").splitlines()
    assert batch == bodies
    assert summary == (f"{errors} error(s), {others} other diagnostic(s) in {len(monorepo)} "
                       "package root(s)")
    assert "= help:" in "\n".join(batch)


def test_lint_of_a_batch_is_each_package_linted_alone(
        monorepo: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    alone: list[object] = []
    for root in monorepo:
        alone.extend(json.loads(_run(capsys, "lint", "--output-format", "json", str(root))))
    batch = json.loads(_run(capsys, "lint", "--output-format", "json", "repo"))
    key: Callable[[object], str] = lambda entry: json.dumps(entry, sort_keys=True)  # noqa: E731
    assert sorted(batch, key=key) == sorted(alone, key=key)
    assert any("float32" in json.dumps(entry) for entry in batch)


def _count_live_analyses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Wrap the model's ``analyze``: before each analysis, how many of those made before it
    are still alive (after a full collection)."""
    import wit_ls.model
    import wit_ls.model.api

    real = wit_ls.model.api.analyze
    made: list[weakref.ref[Any]] = []
    alive: list[int] = []

    def counting(*args: Any, **kwargs: Any) -> Any:
        gc.collect()
        alive.append(sum(ref() is not None for ref in made))
        analysis = real(*args, **kwargs)
        made.append(weakref.ref(analysis))
        return analysis

    monkeypatch.setattr(wit_ls.model.api, "analyze", counting)
    monkeypatch.setattr(wit_ls.model, "analyze", counting, raising=False)
    return alive


@pytest.mark.parametrize("command", ["check", "lint"])
def test_each_package_analysis_is_released_once_reported(
        monorepo: list[Path], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    alive = _count_live_analyses(monkeypatch)
    extra = ["--no-cache"] if command == "check" else []
    _run(capsys, command, *extra, "repo")
    assert len(alive) == len(monorepo)
    assert alive == [0] * len(monorepo)


def test_shared_file_cache_parses_each_content_once_and_repaths() -> None:
    cache = SharedFileCache(docs=False)
    first = cache.get("/a/deps/io/io.wit", IO.encode())
    second = cache.get("/b/deps/io/io.wit", IO.encode())
    other = cache.get("/c/deps/io/io.wit", IO_OTHER.encode())
    assert second.tree is first.tree and second.items.decls is first.items.decls
    assert (first.path, first.items.path) == ("/a/deps/io/io.wit", "/a/deps/io/io.wit")
    assert (second.path, second.items.path) == ("/b/deps/io/io.wit", "/b/deps/io/io.wit")
    assert other.tree is not first.tree
    assert cache.contents == 2
    assert cache.size == len(IO.encode()) + len(IO_OTHER.encode())


def _own(n: int) -> bytes:
    return f"package a:b{n};\ninterface i {{}}\n".encode()


def test_shared_file_cache_stays_within_its_budgets() -> None:
    cache = SharedFileCache(docs=False, budget=4096, trial=1024)
    sizes = []
    for n in range(200):  # each package's own file, seen once
        cache.get(f"/p{n}/a.wit", _own(n))
        sizes.append(cache.size)
    assert max(sizes) <= 1024
    for n in range(200):  # files of deps/ folders
        cache.get(f"/p{n}/deps/x/a.wit", _own(1000 + n))
        sizes.append(cache.size)
    assert max(sizes) <= 4096 + 1024
    assert cache.contents < 400
    # The most recently used content is kept.
    again = cache.get("/elsewhere/a.wit", _own(1199))
    assert again.tree is cache.get("/p199/deps/x/a.wit", _own(1199)).tree


def test_packages_own_files_do_not_push_shared_ones_out() -> None:
    cache = SharedFileCache(docs=False, budget=4096, trial=1024)
    shared = b"package wasi:io;\ninterface streams {}\n"
    first = cache.get("/p0/vendor/io.wit", shared)
    for n in range(1, 20):
        assert cache.get(f"/p{n}/vendor/io.wit", shared).tree is first.tree
        for k in range(200):  # more than either budget holds
            cache.get(f"/p{n}/a{k}.wit", _own(n * 1000 + k))
    assert cache.size <= 4096 + 1024


def test_packages_sharing_content_see_their_own_paths_in_the_model() -> None:
    from wit_ls.model.api import analyze
    from wit_ls.model.options import Options

    files = {}
    for name in ("one", "two"):
        files[f"/{name}/app.wit"] = APP.format(n=1, extra="")
        for dep, text in (("io", IO), ("clocks", CLOCKS), ("broken", BROKEN)):
            files[f"/{name}/deps/{dep}/{dep}.wit"] = text
    fs = MemoryFileSystem(files)
    cache = SharedFileCache(docs=False)
    for name in ("one", "two"):
        analysis = analyze(fs, [f"/{name}"], Options(), cache)
        assert {d.path for d in analysis.diagnostics} == {f"/{name}/deps/broken/broken.wit"}
        assert sorted(analysis.files) == sorted(p for p in files if p.startswith(f"/{name}/"))
        for path in analysis.files:
            items = analysis.items(path)
            assert items is not None and items.path == path
        target = analysis.definition(f"/{name}/app.wit",
                                     files[f"/{name}/app.wit"].index("datetime}"))
        assert [loc.path for loc in target] == [f"/{name}/deps/clocks/clocks.wit"]
