"""``wit-ls check`` of one package root on more than one core.

A root's ``deps/`` often holds packages the root never reaches (older versions of the WASI
packages, kept for other worlds): wit-parser resolves them all the same, so a check must too.
They form groups of their own (`wit_ls.model.package_groups`); this module checks them in forked
child processes while this process checks the root's group, and takes the split's answer only
when every group is clean (`package_groups.parts_agree`): then the whole root has no
diagnostic, and its output is that of a serial check. Anything else (a diagnostic anywhere, a
child that fails or dies, a broken pipe) leaves the answer to the serial check, which the caller
runs on the same parsed files: the output is the serial check's in every case. This saves wall
time, not CPU: the children's work is the same work, on another core, plus a fork each.

Used only when forking is available, more than one job is allowed (``--jobs``,
``WIT_LS_JOBS``, else the CPUs this process may run on), and the other groups hold enough
source to be worth a fork (:data:`MIN_SPLIT_BYTES`). When the number of jobs is the default
(neither ``--jobs`` nor ``WIT_LS_JOBS``), a split is tried only when a CPU is likely idle
(:func:`idle_cpu_likely`): on a busy machine the child waits for a core and the split's own
work (the scan, the fork, the summaries) makes the check slower than a serial one.
"""

from __future__ import annotations

import marshal
import os
import sys

TYPE_CHECKING = False  # not typing's: see wit_ls.light_typing
if TYPE_CHECKING:
    from wit_ls.model.fs import FileSystem
    from wit_ls.model.loader import FileCache
    from wit_ls.model.options import Options
    from wit_ls.model.package_groups import Summary
    from wit_ls.syntax import SyntaxTree

JOBS_ENV = "WIT_LS_JOBS"

# Bytes of WIT source the forked children must get for a split to be tried: below it, a fork
# (and reading the answer back) costs about what the children would save. Measured on this
# project's machine: a fork and wait about 1 ms; checking 30 KB of source about 3 ms.
MIN_SPLIT_BYTES = 32 << 10


def job_count(requested: int | None) -> int:
    """How many processes a check may use: ``requested`` (``--jobs``), else ``WIT_LS_JOBS``
    when it is a positive integer, else the CPUs this process may run on (1 where the
    platform does not tell)."""
    if requested is not None:
        return max(1, requested)
    raw = os.environ.get(JOBS_ENV, "")
    if raw.strip().isdigit() and int(raw) > 0:
        return int(raw)
    affinity = getattr(os, "sched_getaffinity", None)
    if affinity is None:
        return 1
    try:
        return max(1, len(affinity(0)))
    except OSError:
        return 1


def jobs_given(requested: int | None) -> bool:
    """Whether the number of jobs was asked for (``--jobs`` or a valid ``WIT_LS_JOBS``), not
    the default: a number asked for is used whatever the machine's load."""
    if requested is not None:
        return True
    raw = os.environ.get(JOBS_ENV, "")
    return raw.strip().isdigit() and int(raw) > 0


LOADAVG = "/proc/loadavg"


def idle_cpu_likely(cpus: int, loadavg: str | None = None) -> bool:
    """Whether a child forked now would likely find one of ``cpus`` idle, from Linux's
    ``/proc/loadavg`` (``loadavg``: its text, read when None): the tasks running or ready to
    run right now (this process among them) leave a CPU free, and the last minute's load
    average is below twice the CPUs (not a lull in a busy machine; the average lags behind,
    so it alone would refuse a split for a minute after a busy spell). Both count tasks run
    at a lower priority: measured on this project's two-core machine, a split beside even
    ``nice``d busy loops was slower than a serial check. Without that file (another system),
    the load average alone must leave half a CPU beside this process; True when neither can
    be read."""
    if loadavg is None:
        try:
            with open(LOADAVG, encoding="ascii") as stream:
                loadavg = stream.read()
        except OSError:
            loadavg = ""
    fields = loadavg.split()
    try:
        load = float(fields[0])
        running = int(fields[3].split("/")[0])
    except (IndexError, ValueError):
        return _idle_by_average(cpus)
    return running < cpus and load < 2 * cpus


def _idle_by_average(cpus: int) -> bool:
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return True
    return load < cpus - 0.5


def can_fork() -> bool:
    """Whether this process may fork: the platform has ``fork`` and no other thread runs (a
    forked copy of a threaded process may hold another thread's locks)."""
    if not hasattr(os, "fork"):
        return False
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() <= 1


def buckets(groups: list[tuple[list[str], int]], children: int) -> list[list[str]]:
    """The groups after the first (the root's) shared among ``children`` processes, the largest
    first, each to the least loaded one; empty buckets left out."""
    loads = [0] * children
    out: list[list[str]] = [[] for _ in range(children)]
    for paths, size in sorted(groups[1:], key=lambda group: -group[1]):
        least = loads.index(min(loads))
        out[least].extend(paths)
        loads[least] += size
    return [bucket for bucket in out if bucket]


def clean_by_split(fs: FileSystem, root: str, options: Options, cache: FileCache,
                   jobs: int) -> bool:
    """True when checking ``root``'s independent package groups in ``jobs`` processes showed
    that the root has no diagnostic at all; False when the split was not tried or did not
    decide (the caller then checks serially). ``fs`` should remember what it read (a
    `wit_ls.model.fs.MemoFileSystem`): the groups are found from the files' bytes, and the
    serial check and the children read them again."""
    from wit_ls.model.package_groups import independent_groups, root_units

    if jobs < 2 or not can_fork():
        return False
    units = root_units(fs, root, cache)
    if units is None or len(units) < 2:
        return False
    groups = independent_groups(fs, units)
    if groups is None or len(groups) < 2 or sum(
            size for _, size in groups[1:]) < MIN_SPLIT_BYTES:
        return False
    from wit_ls.model.package_groups import load_analysis_modules

    load_analysis_modules()
    own = set(groups[0][0])
    own_files = _syntax_share(fs, [path for unit in units if unit.path in own
                                   for path in unit.files],
                              groups[0][1] - sum(size for _, size in groups[1:]))
    adopted: list[SyntaxTree] = []
    summaries = _run_split(fs, root, options, cache, groups[0][0],
                           buckets(groups, jobs - 1), own_files, adopted)
    from wit_ls.model.package_groups import parts_agree

    if summaries is not None and parts_agree(summaries):
        return True
    for tree in adopted:  # (the serial check that follows finds them itself)
        tree.adopt_diagnostics(None)
    return False


# How many bytes of the root's group's files the first child checks the syntax of, per byte
# that group holds beyond the others: checking a byte's syntax costs the child about 3.3 times
# what it saves this process (the child parses the file again), and checking a byte whole about
# 7.5 times (measured on the largest real package); below that share, the processes end
# about together. (A child that ends later than this process delays the answer.)
SYNTAX_SHARE = 1.6


def _syntax_share(fs: FileSystem, files: list[str], excess: int) -> list[str]:
    """The first of ``files`` (the root's group's) whose syntax the first child checks: as
    many as hold ``SYNTAX_SHARE`` times ``excess`` bytes (the group's bytes beyond the other
    groups')."""
    budget = excess * SYNTAX_SHARE
    chosen: list[str] = []
    for path in files:
        if budget <= 0:
            break
        try:
            budget -= len(fs.read_bytes(path))
        except OSError:
            break
        chosen.append(path)
    return chosen


def _run_split(fs: FileSystem, root: str, options: Options, cache: FileCache, own: list[str],
               others: list[list[str]], own_files: list[str],
               adopted: list[SyntaxTree]) -> list[Summary] | None:
    """The summaries of ``own`` (checked here) and of each of ``others`` (each checked in a
    forked child); None when a child could not be started or gave no answer.

    The syntax and lexical checks of ``own_files`` (files of ``own``) are the first child's:
    it parses them again and adds their diagnostics to its count, while this process takes
    their trees for clean (their trees, each in ``adopted``, must be checked again if the
    split does not stand). This evens the processes' work: a root's own group is usually the
    largest (see `_syntax_share`)."""
    started: list[tuple[int, int]] = []  # (process id, read end of its pipe)
    try:
        for index, units in enumerate(others):
            started.append(_fork(fs, root, options, cache, units,
                                 own_files if index == 0 else []))
    except OSError:
        _reap(started)
        return None
    if started:
        for path in own_files:
            try:
                tree = cache.get(path, fs.read_bytes(path)).tree
            except OSError:
                continue  # (the loader reports it)
            if tree.computed_diagnostics() is None:
                tree.adopt_diagnostics([])
                adopted.append(tree)
    summaries = [_summary(fs, root, options, cache, own)]
    answers = _reap(started)
    if answers is None:
        return None
    return summaries + answers


def _summary(fs: FileSystem, root: str, options: Options, cache: FileCache,
             units: list[str]) -> Summary:
    from wit_ls.cli.check_cmd import KEPT
    from wit_ls.model.api import analyze_root
    from wit_ls.model.package_groups import summary

    part = analyze_root(fs, root, options, cache, units)
    KEPT.append(part)  # (see check_cmd.KEPT: freed by the next check, or never)
    return summary(part)


def _fork(fs: FileSystem, root: str, options: Options, cache: FileCache,
          units: list[str], syntax_of: list[str]) -> tuple[int, int]:
    """Start a child that checks ``units`` and the syntax of the files ``syntax_of``, and
    writes its summary to a pipe (the files' diagnostics counted with its own)."""
    from wit_ls.cli.forked import start_child

    def produce() -> Summary:
        count, defined, named = _summary(fs, root, options, cache, units)
        return count + _syntax_count(fs, cache, syntax_of), defined, named

    return start_child(produce)


def _syntax_count(fs: FileSystem, cache: FileCache, paths: list[str]) -> int:
    """How many syntax and lexical diagnostics the files ``paths`` hold, each parsed as the
    check parses it (a file that cannot be read counts one)."""
    count = 0
    for path in paths:
        try:
            count += len(cache.parse(fs.read_bytes(path)).diagnostics)
        except OSError:
            count += 1
    return count


def _reap(started: list[tuple[int, int]]) -> list[Summary] | None:
    """Each child's summary, read to the end of its pipe, once it has exited; None when any
    child failed, died or wrote something else."""
    from wit_ls.cli.forked import child_output

    answers: list[Summary] = []
    failed = False
    for child in started:
        data = child_output(child)
        answer = None if data is None else _decode(data)
        if answer is None:
            failed = True
        else:
            answers.append(answer)
    return None if failed else answers


def _decode(data: bytes) -> Summary | None:
    try:
        value = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None
    if (isinstance(value, tuple) and len(value) == 3 and isinstance(value[0], int)
            and isinstance(value[1], list) and isinstance(value[2], list)
            and all(isinstance(k, str) for k in value[1] + value[2])):
        return value[0], value[1], value[2]
    return None
