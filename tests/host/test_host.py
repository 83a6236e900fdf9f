"""The host layer on its own: reading only regular files within a size, the overlay of unsaved
editor texts, git reads of an older version, and the result cache's edge cases."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from wit_ls.host import git
from wit_ls.host.disk import (
    DiskFileSystem,
    FileTooLarge,
    NotARegularFile,
    OverlayFileSystem,
    read_regular_file,
)
from wit_ls.host.result_cache import ResultCache, cache_dir, code_fingerprint
from wit_ls.model.fs import MemoryFileSystem

# ---- regular files ---------------------------------------------------------------------------


def test_regular_files_are_read_whole_and_others_refused(tmp_path: Path) -> None:
    small = tmp_path / "a.wit"
    small.write_bytes(b"package a:b;\n" * 1000)
    assert read_regular_file(str(small)) == small.read_bytes()
    assert read_regular_file(str(small), limit=None) == small.read_bytes()
    with pytest.raises(FileTooLarge):
        read_regular_file(str(small), limit=100)
    with pytest.raises(NotARegularFile):
        read_regular_file(str(tmp_path))
    fifo = tmp_path / "pipe.wit"
    os.mkfifo(fifo)
    with pytest.raises(NotARegularFile):  # and never blocks waiting for a writer
        read_regular_file(str(fifo))
    with pytest.raises(FileNotFoundError):
        read_regular_file(str(tmp_path / "missing.wit"))


def test_disk_file_system_answers_as_the_model_expects(tmp_path: Path) -> None:
    (tmp_path / "b.wit").write_text("b")
    (tmp_path / "a.wit").write_text("a")
    (tmp_path / "deps").mkdir()
    disk = DiskFileSystem()
    assert disk.list_dir(str(tmp_path)) == ["a.wit", "b.wit", "deps"]
    assert disk.read_bytes(str(tmp_path / "a.wit")) == b"a"
    assert disk.is_dir(str(tmp_path / "deps")) and not disk.is_dir(str(tmp_path / "a.wit"))
    assert disk.is_file(str(tmp_path / "a.wit")) and not disk.is_file(str(tmp_path / "deps"))


# ---- the overlay of unsaved texts --------------------------------------------------------------


def test_overlay_texts_win_and_new_files_appear_in_listings() -> None:
    base = MemoryFileSystem({"pkg/a.wit": "on disk", "pkg/deps/io/s.wit": "dep"})
    overlay = OverlayFileSystem(base, {"pkg/a.wit": "unsaved"})
    assert overlay.read_bytes("pkg/a.wit") == b"unsaved"
    assert overlay.read_bytes("pkg/deps/io/s.wit") == b"dep"
    overlay.set("pkg/new.wit", b"new")
    assert overlay.list_dir("pkg") == ["a.wit", "deps", "new.wit"]
    assert overlay.is_file("pkg/new.wit") and overlay.is_file("pkg/a.wit")
    # A folder that exists only because an unsaved file is in it.
    overlay.set("fresh/x.wit", "x")
    assert overlay.is_dir("fresh") and overlay.list_dir("fresh") == ["x.wit"]
    assert not overlay.is_dir("nowhere")
    with pytest.raises(OSError):
        overlay.list_dir("nowhere")
    overlay.remove("pkg/new.wit")
    overlay.remove("pkg/never-set.wit")
    assert overlay.list_dir("pkg") == ["a.wit", "deps"]
    assert not overlay.is_file("pkg/new.wit")


# ---- git ----------------------------------------------------------------------------------------


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@localhost",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@localhost"})


def test_git_reads_an_older_version_without_touching_the_working_tree(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "wit" / "deps" / "io").mkdir(parents=True)
    (repo / "wit" / "a.wit").write_text("package a:b@1.0.0;\n")
    (repo / "wit" / "deps" / "io" / "s.wit").write_text("package wasi:io;\n")
    (repo / "README.md").write_text("not WIT\n")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "one")
    (repo / "wit" / "a.wit").write_text("package a:b@2.0.0;\n")  # uncommitted
    top = git.toplevel(str(repo / "wit"))
    assert top is not None and Path(top).resolve() == repo.resolve()
    commit = git.commit_of(top, "HEAD")
    assert commit is not None and len(commit) == 40
    files = git.read_tree(top, commit, "wit")
    assert files == {os.path.join(top, "wit/a.wit"): b"package a:b@1.0.0;\n",
                     os.path.join(top, "wit/deps/io/s.wit"): b"package wasi:io;\n"}
    assert git.read_tree(top, commit, "") == files
    assert git.read_tree(top, commit, "nowhere") == {}
    assert (repo / "wit" / "a.wit").read_text() == "package a:b@2.0.0;\n"
    # Names that are not revisions, or that git would read as options.
    assert git.commit_of(top, "no-such-branch") is None
    assert git.commit_of(top, "--output=x") is None
    assert git.toplevel(str(tmp_path)) is None or Path(git.toplevel(str(tmp_path)) or "") != repo


def test_git_missing_or_failing_is_no_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no git on the path
    assert git.toplevel(str(tmp_path)) is None
    assert git.read_tree(str(tmp_path), "0" * 40, "") == {}


# ---- the result cache's edge cases -----------------------------------------------------------


def test_cache_folder_follows_the_environment(monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    for name in ("WIT_LS_NO_CACHE", "WIT_LS_CACHE_DIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache_dir() == str(tmp_path / ".cache" / "wit-ls")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == str(tmp_path / "xdg" / "wit-ls")
    monkeypatch.setenv("WIT_LS_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_dir() == str(tmp_path / "mine")
    monkeypatch.setenv("WIT_LS_NO_CACHE", "0")
    assert cache_dir() == str(tmp_path / "mine")
    monkeypatch.setenv("WIT_LS_NO_CACHE", "1")
    assert cache_dir() is None


def test_code_fingerprint_changes_with_the_package_files() -> None:
    version, newest, count = code_fingerprint()
    assert version and newest > 0 and count > 50


def test_keys_marshal_cannot_write_are_never_cached(tmp_path: Path) -> None:
    cache = ResultCache(str(tmp_path))
    fs = MemoryFileSystem({"a.wit": "x"})
    runs: list[int] = []

    def work(_fs: object) -> tuple[int, ...]:
        runs.append(1)
        return (1,)

    unmarshallable = (object(),)
    assert cache.compute(fs, unmarshallable, work) == (1,)
    assert cache.compute(fs, unmarshallable, work) == (1,)
    assert runs == [1, 1] and list(tmp_path.iterdir()) == []
