"""`wit-ls check` of one root in several processes (`wit_ls.cli.check_split`) prints exactly
what the serial check prints, text and JSON, exit code included: when the split decides
(every group clean) and when it hands over to the serial check (a diagnostic anywhere, a
link the scan missed, a child that dies, no fork)."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from wit_ls.cli import check_cmd, check_split
from wit_ls.model.package_groups import Summary


def _pkg(name: str, *uses: str, extra: str = "") -> str:
    lines = [f"package {name};", "interface i { type t = u8; }"]
    lines += [f"interface u{n} {{ use {use}.{{t}}; }}" for n, use in enumerate(uses)]
    return "\n".join(lines) + "\n" + extra


# (name, files, whether the split alone decides the answer, the exit code)
CASES: list[tuple[str, dict[str, str], bool, int]] = [
    ("clean, two groups",
     {"main.wit": _pkg("r:root@1.0.0", "a:x/i@1.0.0"), "deps/x/x.wit": _pkg("a:x@1.0.0"),
      "deps/y/y.wit": _pkg("a:y@1.0.0"), "deps/z.wit": _pkg("a:z@1.0.0", "a:y/i@1.0.0")},
     True, 0),
    ("an error in the other group",
     {"main.wit": _pkg("r:root@1.0.0", "a:x/i@1.0.0"), "deps/x/x.wit": _pkg("a:x@1.0.0"),
      "deps/y/y.wit": _pkg("a:y@1.0.0", extra="interface bad { f: func() -> nope; }\n")},
     False, 1),
    ("an error in the root's group",
     {"main.wit": _pkg("r:root@1.0.0", "a:x/i@1.0.0", extra="world w { import missing; }\n"),
      "deps/x/x.wit": _pkg("a:x@1.0.0"), "deps/y/y.wit": _pkg("a:y@1.0.0")},
     False, 1),
    # The root's group's syntax and lexical checks are the child's (see `_run_split`).
    ("a syntax error in the root's group only",
     {"main.wit": _pkg("r:root@1.0.0", "a:x/i@1.0.0", extra="record r { x: }\n"),
      "deps/x/x.wit": _pkg("a:x@1.0.0"), "deps/y/y.wit": _pkg("a:y@1.0.0")},
     False, 1),
    ("a lexical error in the root's group only",
     {"main.wit": _pkg("r:root@1.0.0", "a:x/i@1.0.0", extra="interface bad--name {}\n"),
      "deps/x/x.wit": _pkg("a:x@1.0.0"), "deps/y/y.wit": _pkg("a:y@1.0.0")},
     False, 1),
    ("a lexical error in a dependency of the root's group",
     {"main.wit": _pkg("r:root@1.0.0", "a:x/i@1.0.0"),
      "deps/x/x.wit": _pkg("a:x@1.0.0", extra="interface j { f: func(a-: u8); }\n"),
      "deps/y/y.wit": _pkg("a:y@1.0.0")},
     False, 1),
    ("syntax errors in both groups",
     {"main.wit": _pkg("r:root@1.0.0", extra="interface {\n"),
      "deps/y/y.wit": _pkg("a:y@1.0.0", extra="record r { x: }\n")},
     False, 1),
    # The scan does not see a reference written with spaces: the groups it finds are wrong,
    # and the root's group reports the package missing; the serial check answers (clean).
    ("a link the scan misses",
     {"main.wit": "package r:root@1.0.0;\nworld w { import a : x/i@1.0.0; }\n",
      "deps/x/x.wit": _pkg("a:x@1.0.0"), "deps/y/y.wit": _pkg("a:y@1.0.0")},
     False, 0),
    # A header the scan does not see: one package defined in two groups.
    ("a package defined in two groups",
     {"main.wit": _pkg("r:root@1.0.0"), "deps/d1/d.wit": _pkg("a:d@1.0.0"),
      "deps/d2/d.wit": "package a : d@1.0.0;\ninterface j {}\n"},
     False, 1),
    ("a missing header in the other group",
     {"main.wit": _pkg("r:root@1.0.0"), "deps/y/y.wit": "interface j { type t = u8; }\n"},
     False, 1),
    ("one group only",
     {"main.wit": _pkg("r:root@1.0.0", "a:x/i@1.0.0"), "deps/x/x.wit": _pkg("a:x@1.0.0")},
     False, 0),
]


def _write(root: Path, files: dict[str, str]) -> str:
    for name, text in files.items():
        path = root / "wit" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return str(root / "wit")


def _check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    args = check_cmd.quick_args(["--no-cache", *argv])
    assert args is not None
    code = check_cmd.run(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def decided(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Every answer of `clean_by_split`, with no size limit on a split."""
    monkeypatch.setattr(check_split, "MIN_SPLIT_BYTES", 0)
    answers: list[bool] = []
    real = check_split.clean_by_split

    def spy(*args: object) -> bool:
        answer = real(*args)  # type: ignore[arg-type]
        answers.append(answer)
        return answer

    monkeypatch.setattr(check_split, "clean_by_split", spy)
    return answers


@pytest.mark.parametrize(("files", "splits", "code"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_split_prints_what_serial_prints(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         decided: list[bool], files: dict[str, str],
                                         splits: bool, code: int, fmt: str) -> None:
    root = _write(tmp_path, files)
    serial = _check(capsys, "--format", fmt, "--jobs", "1", root)
    assert decided == []
    split = _check(capsys, "--format", fmt, "--jobs", "2", root)
    assert split == serial
    assert decided == [splits]
    assert serial[0] == code


def _clean_root(tmp_path: Path) -> str:
    return _write(tmp_path, CASES[0][1])


def _only_in_child(action: Callable[[], None]) -> Callable[..., Summary]:
    parent = os.getpid()
    real = check_split._summary

    def summary(*args: object) -> Summary:
        if os.getpid() != parent:
            action()
        return real(*args)  # type: ignore[arg-type]

    return summary


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _fail() -> None:
    raise RuntimeError("the child fails")


def _answer_then_exit_3() -> None:
    real = os._exit
    os._exit = lambda _code: real(3)  # (in the child only: its own copy of the module)


@pytest.mark.parametrize("action", [_die, _fail, lambda: os._exit(0), lambda: os._exit(3),
                                    _answer_then_exit_3],
                         ids=["killed", "raises", "exits without answering", "exits 3",
                              "answers, then exits 3"])
def test_a_failed_child_leaves_it_to_the_serial_check(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        decided: list[bool], action: Callable[[], None]) -> None:
    root = _clean_root(tmp_path)
    serial = _check(capsys, "--jobs", "1", root)
    monkeypatch.setattr(check_split, "_summary", _only_in_child(action))
    assert _check(capsys, "--jobs", "2", root) == serial
    assert decided == [False]


def test_a_garbled_answer_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch,
                                     decided: list[bool]) -> None:
    root = _clean_root(tmp_path)
    serial = _check(capsys, "--jobs", "1", root)
    real = check_split.marshal.dumps
    parent = os.getpid()

    def dumps(value: object) -> bytes:
        return b"\x00garbage" if os.getpid() != parent else real(value)

    monkeypatch.setattr(check_split.marshal, "dumps", dumps)
    assert _check(capsys, "--jobs", "2", root) == serial
    assert decided == [False]


@pytest.mark.parametrize("answer", [b"", b"\x00", (1, [], []), (0, [1], []), [0, [], []],
                                    (0, ["a"]), (0, ["a"], "b")])
def test_decode(answer: object) -> None:
    data = answer if isinstance(answer, bytes) else check_split.marshal.dumps(answer)
    assert check_split._decode(data) == (answer if answer == (1, [], []) else None)


def test_no_fork_no_split(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                          monkeypatch: pytest.MonkeyPatch, decided: list[bool]) -> None:
    root = _clean_root(tmp_path)
    serial = _check(capsys, "--jobs", "1", root)

    def refused() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refused)
    assert _check(capsys, "--jobs", "2", root) == serial
    monkeypatch.delattr(os, "fork")
    assert _check(capsys, "--jobs", "2", root) == serial
    assert decided == [False, False]


def test_not_with_another_thread_running(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         decided: list[bool]) -> None:
    root = _clean_root(tmp_path)
    serial = _check(capsys, "--jobs", "1", root)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert _check(capsys, "--jobs", "2", root) == serial
    finally:
        stop.set()
        other.join()
    assert decided == [False]
    assert _check(capsys, "--jobs", "2", root) == serial
    assert decided == [False, True]


def test_many_roots_are_not_split_by_groups(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str],
                                            decided: list[bool]) -> None:
    one = _write(tmp_path / "one", CASES[0][1])
    two = _write(tmp_path / "two", CASES[1][1])
    assert _check(capsys, "--jobs", "2", one, two)[0] == 1
    assert decided == []


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_many_roots_in_processes_print_what_one_process_prints(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        fmt: str) -> None:
    """Roots cut into slices checked in forked processes (`wit_ls.cli.forked`): the output of
    one process, including diagnostics two roots share (listed once, where first met) and
    the exit code; and so when a child fails."""
    roots = [_write(tmp_path / f"r{n}", files) for n, (_, files, _, _) in enumerate(CASES)]
    shared = tmp_path / "shared.wit"
    shared.write_text("package a:b;\ninterface i { f: func() -> nope; }\n")
    roots[3:3] = [str(shared), str(shared)]
    serial = _check(capsys, "--format", fmt, "--jobs", "1", *roots)
    assert serial[0] == 1
    from wit_ls.cli import forked

    used: list[int] = []
    real = forked.map_in_processes

    def spy(items: list[str], parts: int, compute: Callable[[list[str]], list[object]]
            ) -> list[object]:
        used.append(parts)
        return real(items, parts, compute)

    monkeypatch.setattr(forked, "map_in_processes", spy)
    for jobs in ("2", "3", "8"):
        assert _check(capsys, "--format", fmt, "--jobs", jobs, *roots) == serial
    # (At most one process per 4 roots.)
    expected = [min(jobs, len(roots) // 4) for jobs in (2, 3, 8)]
    assert used == expected
    assert len(set(used)) > 1
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert _check(capsys, "--format", fmt, "--jobs", "2", *roots) == serial
    finally:
        stop.set()
        other.join()
    assert used == expected  # (not with another thread running)
    parent = os.getpid()
    compute_real = check_cmd._check_root

    def failing(*args: object) -> object:
        if os.getpid() != parent:
            os._exit(5)
        return compute_real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(check_cmd, "_check_root", failing)
    assert _check(capsys, "--format", fmt, "--jobs", "2", *roots) == serial


def test_the_cache_sees_the_other_groups_files(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch,
                                                decided: list[bool]) -> None:
    """A result stored from a split run is not used once a file only a child read changes."""
    monkeypatch.setenv("WIT_LS_CACHE_DIR", str(tmp_path / "cache"))
    root = _clean_root(tmp_path)
    args = check_cmd.quick_args(["--jobs", "2", root])
    assert args is not None
    assert check_cmd.run(args) == 0
    assert decided == [True]
    (Path(root) / "deps" / "y" / "y.wit").write_text(CASES[1][1]["deps/y/y.wit"])
    assert check_cmd.run(args) == 1
    out = capsys.readouterr().out
    assert "0 error(s)" in out and "1 error(s)" in out


@pytest.mark.parametrize(("given", "env", "cpus", "expected"), [
    (None, None, {0, 1}, 2),
    (None, None, {0}, 1),
    (3, None, {0}, 3),
    (None, "4", {0}, 4),
    (1, "4", {0, 1}, 1),
    (None, "0", {0, 1, 2}, 3),
    (None, "many", {0}, 1),
    (None, None, None, 1),
])
def test_job_count(monkeypatch: pytest.MonkeyPatch, given: int | None, env: str | None,
                   cpus: set[int] | None, expected: int) -> None:
    if env is None:
        monkeypatch.delenv(check_split.JOBS_ENV, raising=False)
    else:
        monkeypatch.setenv(check_split.JOBS_ENV, env)
    if cpus is None:
        monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    else:
        monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: cpus, raising=False)
    assert check_split.job_count(given) == expected


@pytest.mark.parametrize(("argv", "jobs"), [
    (["--jobs", "2", "x"], 2), (["x", "--jobs", "1"], 1), (["x"], None),
    (["--jobs", "0", "x"], "argparse"), (["--jobs", "two", "x"], "argparse"),
    (["--jobs"], "argparse"),
])
def test_jobs_argument(argv: list[str], jobs: int | str | None) -> None:
    args = check_cmd.quick_args(argv)
    if jobs == "argparse":
        assert args is None
    else:
        assert args is not None and args.jobs == jobs


def test_buckets() -> None:
    groups = [(["root"], 50), (["a"], 10), (["b"], 30), (["c"], 25)]
    assert check_split.buckets(groups, 1) == [["b", "c", "a"]]
    assert check_split.buckets(groups, 2) == [["b"], ["c", "a"]]
    assert check_split.buckets(groups, 5) == [["b"], ["c"], ["a"]]


# (/proc/loadavg's text, the CPUs, whether a CPU is likely idle)
LOADS: list[tuple[str, int, bool]] = [
    ("0.00 0.01 0.05 1/120 4242\n", 2, True),  # only this process runs
    ("1.43 0.90 0.40 1/88 1021\n", 2, True),  # a bench running one process after another
    ("2.60 3.00 3.80 1/88 1021\n", 2, True),  # a busy spell has just ended
    ("3.99 1.00 0.50 1/88 1021\n", 2, True),
    ("4.00 1.00 0.50 1/88 1021\n", 2, False),  # a lull in a busy machine
    ("0.20 0.10 0.05 2/88 1021\n", 2, False),  # another task runs right now
    ("2.26 1.50 0.80 3/90 1100\n", 2, False),  # a busy loop beside a bench
    ("6.50 7.00 5.00 5/300 9999\n", 2, False),
    ("6.50 7.00 5.00 5/300 9999\n", 8, True),
    ("3.10 2.00 1.00 4/300 9999\n", 4, False),
]


@pytest.mark.parametrize(("text", "cpus", "idle"), LOADS)
def test_idle_cpu_likely(text: str, cpus: int, idle: bool) -> None:
    assert check_split.idle_cpu_likely(cpus, text) is idle


@pytest.mark.parametrize(("load", "idle"), [(0.4, True), (1.49, True), (1.5, False), (None, True)])
def test_idle_cpu_likely_without_proc(monkeypatch: pytest.MonkeyPatch, load: float | None,
                                      idle: bool) -> None:
    """Without /proc/loadavg, the load average alone; without either, a CPU is assumed idle."""
    if load is None:
        monkeypatch.delattr(os, "getloadavg")
    else:
        monkeypatch.setattr(os, "getloadavg", lambda: (load, 0.0, 0.0))
    assert check_split.idle_cpu_likely(2, "") is idle


@pytest.mark.parametrize(("argv", "env", "loadavg", "splits"), [
    ([], None, "0.10 0.10 0.10 1/90 100", True),
    ([], None, "4.50 3.00 3.00 1/90 100", False),
    ([], None, "0.10 0.10 0.10 2/90 100", False),
    (["--jobs", "2"], None, "3.00 3.00 3.00 4/90 100", True),  # asked for: split regardless
    ([], "2", "3.00 3.00 3.00 4/90 100", True),
    ([], "1", "0.10 0.10 0.10 1/90 100", False),
])
def test_default_split_waits_for_an_idle_cpu(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        decided: list[bool], argv: list[str], env: str | None, loadavg: str,
        splits: bool) -> None:
    """By default (two CPUs here, no `--jobs`, no WIT_LS_JOBS) one root is split only when
    /proc/loadavg shows a CPU likely idle; a number of jobs asked for is used as asked."""
    if env is None:
        monkeypatch.delenv(check_split.JOBS_ENV, raising=False)
    else:
        monkeypatch.setenv(check_split.JOBS_ENV, env)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    (tmp_path / "loadavg").write_text(loadavg + "\n")
    monkeypatch.setattr(check_split, "LOADAVG", str(tmp_path / "loadavg"))
    root = _clean_root(tmp_path)
    assert _check(capsys, *argv, root)[0] == 0
    assert decided == ([True] if splits else [])


class _Sizes:
    """A file system of files of the given sizes (only what `_syntax_share` asks)."""

    def __init__(self, sizes: dict[str, int]) -> None:
        self.sizes = sizes

    def read_bytes(self, path: str) -> bytes:
        if path not in self.sizes:
            raise OSError(path)
        return b"x" * self.sizes[path]


@pytest.mark.parametrize(("sizes", "excess", "chosen"), [
    ({"a": 100, "b": 100, "c": 100}, 100, ["a", "b"]),  # 160 bytes: a, then b past it
    ({"a": 100, "b": 100, "c": 100}, 1000, ["a", "b", "c"]),
    ({"a": 100, "b": 100, "c": 100}, 0, []),  # the root's group no larger than the others'
    ({"a": 100, "b": 100, "c": 100}, -50, []),
    ({"a": 100, "c": 100}, 1000, ["a"]),  # (b cannot be read: the loader reports it)
])
def test_syntax_share(sizes: dict[str, int], excess: int, chosen: list[str]) -> None:
    """Which of the root's group's files the first child checks the syntax of."""
    fs = _Sizes(sizes)
    assert check_split._syntax_share(fs, ["a", "b", "c"], excess) == chosen  # type: ignore[arg-type]
