"""The result cache of `wit-ls check`: a stored result is used only while every input the
analysis looked at is unchanged, and a cached run prints exactly what a fresh one prints."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from wit_ls.host import result_cache
from wit_ls.host.result_cache import RecordingFileSystem, ResultCache, prune, unchanged
from wit_ls.model.fs import FileSystem, MemoryFileSystem

# ---------------------------------------------------------------------------------------------
# The cache itself, over an in-memory file system.


def _files() -> dict[str, str]:
    return {"pkg/a.wit": "package a:b;\n", "pkg/deps/io/streams.wit": "package wasi:io;\n"}


def _reader(calls: list[str]) -> Callable[[FileSystem], tuple[str, ...]]:
    """A piece of work that reads the way the loader does: lists folders, asks what is a
    folder, reads files."""

    def work(fs: FileSystem) -> tuple[str, ...]:
        calls.append("ran")
        names = fs.list_dir("pkg")
        out = [fs.read_bytes(f"pkg/{n}").decode() for n in names if fs.is_file(f"pkg/{n}")]
        if fs.is_dir("pkg/deps"):
            for dep in fs.list_dir("pkg/deps"):
                for name in fs.list_dir(f"pkg/deps/{dep}"):
                    out.append(fs.read_bytes(f"pkg/deps/{dep}/{name}").decode())
        return tuple(out)

    return work


@pytest.mark.parametrize("change", [
    "edit a file", "edit a file in deps", "add a file", "add a dependency", "remove a file",
    "remove deps", "same length edit",
])
def test_any_change_to_an_input_means_a_fresh_analysis(tmp_path: Path, change: str) -> None:
    files = _files()
    cache = ResultCache(str(tmp_path))
    calls: list[str] = []
    first = cache.compute(MemoryFileSystem(files), ("k",), _reader(calls))
    again = cache.compute(MemoryFileSystem(files), ("k",), _reader(calls))
    assert (first, calls, cache.hits) == (again, ["ran"], 1)
    if change == "edit a file":
        files["pkg/a.wit"] = "package a:c;\n"
    elif change == "edit a file in deps":
        files["pkg/deps/io/streams.wit"] = "package wasi:io@0.2.0;\n"
    elif change == "add a file":
        files["pkg/b.wit"] = "interface b {}\n"
    elif change == "add a dependency":
        files["pkg/deps/cli/run.wit"] = "package wasi:cli;\n"
    elif change == "remove a file":
        del files["pkg/a.wit"]
        files["pkg/z.wit"] = "package a:b;\n"
    elif change == "remove deps":
        del files["pkg/deps/io/streams.wit"]
    else:
        files["pkg/a.wit"] = "package a:x;\n"
    fresh = cache.compute(MemoryFileSystem(files), ("k",), _reader(calls))
    assert calls == ["ran", "ran"]
    assert fresh == _reader([])(RecordingFileSystem(MemoryFileSystem(files)))


def test_keys_are_separate_and_no_folder_never_stores(tmp_path: Path) -> None:
    fs = MemoryFileSystem(_files())
    calls: list[str] = []
    cache = ResultCache(str(tmp_path))
    cache.compute(fs, ("one",), _reader(calls))
    cache.compute(fs, ("two",), _reader(calls))
    assert calls == ["ran", "ran"]
    off = ResultCache(None)
    off.compute(fs, ("one",), _reader(calls))
    off.compute(fs, ("one",), _reader(calls))
    assert calls == ["ran"] * 4 and off.hits == 0


def test_a_corrupt_or_unwritable_cache_only_costs_the_analysis(tmp_path: Path) -> None:
    fs = MemoryFileSystem(_files())
    calls: list[str] = []
    cache = ResultCache(str(tmp_path))
    expected = cache.compute(fs, ("k",), _reader(calls))
    (entry,) = tmp_path.iterdir()
    entry.write_bytes(b"\x00garbage")
    assert cache.compute(fs, ("k",), _reader(calls)) == expected
    assert calls == ["ran", "ran"]
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    unusable = ResultCache(str(blocked / "cache"))
    assert unusable.compute(fs, ("k",), _reader(calls)) == expected
    assert unusable.compute(fs, ("k",), _reader(calls)) == expected
    assert calls == ["ran"] * 4


def test_errors_are_observations_too() -> None:
    fs = MemoryFileSystem({"pkg/a.wit": "x"})
    recording = RecordingFileSystem(fs)
    with pytest.raises(OSError):
        recording.read_bytes("pkg/missing.wit")
    assert unchanged(fs, recording.observations)
    assert not unchanged(MemoryFileSystem({"pkg/a.wit": "x", "pkg/missing.wit": "y"}),
                         recording.observations)


# ---------------------------------------------------------------------------------------------
# The folder stays bounded: unused entries age out, the least recently used go beyond the limits.

DAY = 86_400 * 10**9
NOW = 1_900_000_000 * 10**9  # a fixed "now" (2030), so that no test depends on the clock


def _aged(path: Path, days: float) -> Path:
    stamp = NOW - int(days * DAY)
    os.utime(path, ns=(stamp, stamp))
    return path


def _file(path: Path, days: float, size: int = 0) -> Path:
    path.write_bytes(b"x" * size)
    return _aged(path, days)


def _entry(folder: Path, number: int, days: float, size: int = 10) -> Path:
    return _file(folder / f"{number:040x}", days, size)


def test_prune_removes_unused_entries_and_interrupted_writes_only(tmp_path: Path) -> None:
    fresh = _entry(tmp_path, 1, days=29)
    _entry(tmp_path, 2, days=31)
    _file(tmp_path / f"{3:040x}.1234.tmp", days=1 / 12)  # two hours: an interrupted run's
    writing = _file(tmp_path / f"{4:040x}.99.tmp", days=1 / 48)  # half an hour: maybe writing
    others = [_file(tmp_path / name, days=400) for name in ("README", ".pruned", "notes.tmp")]
    assert prune(str(tmp_path), NOW) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [fresh.name, writing.name] + [o.name for o in others])


def test_prune_keeps_the_most_recently_used_beyond_the_limits(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(result_cache, "MAX_ENTRIES", 8)
    for number in range(12):
        _entry(tmp_path, number, days=number)  # entry 0 is the most recently used
    assert prune(str(tmp_path), NOW) == 6
    assert sorted(int(p.name, 16) for p in tmp_path.iterdir()) == list(range(6))
    monkeypatch.setattr(result_cache, "MAX_BYTES", 1000)
    _entry(tmp_path, 100, days=0.5, size=1000)
    assert prune(str(tmp_path), NOW) == 6  # over 1,000 bytes: down to 750, the 5 oldest and the big one
    assert [int(p.name, 16) for p in tmp_path.iterdir()] == [0]


def test_a_hit_marks_the_entry_used_and_finish_prunes_once_a_day(tmp_path: Path) -> None:
    fs = MemoryFileSystem(_files())
    calls: list[str] = []
    cache = ResultCache(str(tmp_path))
    cache.now = lambda: NOW
    cache.compute(fs, ("used",), _reader(calls))
    cache.compute(fs, ("unused",), _reader(calls))
    names = {key: Path(str(cache._path((key,)))) for key in ("used", "unused")}
    for path in names.values():
        _aged(path, 40)
    cache.compute(fs, ("used",), _reader(calls))  # a hit, 40 days after the last use
    assert calls == ["ran", "ran"]
    assert names["used"].stat().st_mtime_ns == NOW  # touched: used now
    assert cache.finish() == 1  # stored twice this run; never pruned before
    assert not names["unused"].exists() and names["used"].exists()
    _aged(names["used"], 40)
    assert cache.finish() == 0  # pruned less than a day ago (by the stamp)
    assert names["used"].exists()
    idle = ResultCache(str(tmp_path))
    idle.now = lambda: NOW + 2 * DAY
    assert idle.finish() == 0  # stored nothing: a run that only reads never prunes
    idle.stored = 1
    assert idle.finish() == 1 and not names["used"].exists()


# ---------------------------------------------------------------------------------------------
# `wit-ls check` end to end: edits between runs are always seen, output is identical.

GOOD = "package a:b;\n\ninterface i {\n  use wasi:io/streams.{s};\n  f: func(x: s);\n}\n"
DEP = "package wasi:io;\n\ninterface streams {\n  type s = u32;\n}\n"


def _check(cwd: Path, cache: Path, *args: str) -> tuple[int, str]:
    env = {**os.environ, "WIT_LS_CACHE_DIR": str(cache)}
    env.pop("WIT_LS_NO_CACHE", None)
    done = subprocess.run([sys.executable, "-m", "wit_ls", "check", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout + done.stderr


def test_check_sees_every_edit_between_cached_runs(tmp_path: Path) -> None:
    pkg = tmp_path / "wit"
    (pkg / "deps" / "io").mkdir(parents=True)
    (pkg / "a.wit").write_text(GOOD)
    (pkg / "deps" / "io" / "streams.wit").write_text(DEP)
    cache = tmp_path / "cache"
    clean = _check(tmp_path, cache, "wit")
    assert clean[0] == 0, clean
    assert _check(tmp_path, cache, "wit") == clean
    # One entry, and the stamp of the folder's first pruning.
    assert sorted(len(p.name) for p in cache.iterdir()) == [len(".pruned"), 40]
    # A change inside deps/ only.
    (pkg / "deps" / "io" / "streams.wit").write_text(DEP.replace("type s", "type t"))
    broken = _check(tmp_path, cache, "wit")
    assert broken[0] == 1 and "type `s` not defined in interface" in broken[1], broken
    assert _check(tmp_path, cache, "wit") == broken
    # A second package appears in deps/ that conflicts with the first.
    (pkg / "deps" / "io" / "streams.wit").write_text(DEP)
    (pkg / "deps" / "io2").mkdir()
    (pkg / "deps" / "io2" / "streams.wit").write_text(DEP)
    duplicate = _check(tmp_path, cache, "wit")
    assert duplicate[0] == 1 and "wasi:io" in duplicate[1], duplicate
    assert duplicate == _check(tmp_path, cache, "wit", "--no-cache")
    # JSON and text are cached apart.
    code, as_json = _check(tmp_path, cache, "wit", "--format", "json")
    assert code == 1 and as_json.lstrip().startswith("[")


def test_no_cache_and_the_environment_switch_store_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.wit").write_text(GOOD.replace("  use wasi:io/streams.{s};\n", "")
                                    .replace("x: s", "x: u32"))
    cache = tmp_path / "cache"
    assert _check(tmp_path, cache, "a.wit", "--no-cache")[0] == 0
    env = {**os.environ, "WIT_LS_CACHE_DIR": str(cache), "WIT_LS_NO_CACHE": "1"}
    subprocess.run([sys.executable, "-m", "wit_ls", "check", "a.wit"], cwd=tmp_path, env=env,
                   capture_output=True, timeout=120, check=True)
    assert not cache.exists()
