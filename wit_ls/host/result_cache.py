"""A cache of command-line results, valid exactly as long as every input is unchanged.

``wit-ls check`` analyses a package root through a :class:`RecordingFileSystem`, which notes
every question the model asked the disk (a file's bytes, a folder's entries, whether a path is
a folder or a file) and the answer. The rendered result is stored beside those observations.
The next run with the same key (tool version and code, working folder, root, options, output
format) asks the same questions again; only if every answer is the same, down to the bytes of
every file read, is the stored result used. A file edited, added to ``deps/``, removed, or a
manifest path now pointing elsewhere changes an answer, and the root is analysed afresh.

Entries are ``marshal`` files named by a hash of their key under :func:`cache_dir`; a missing,
unreadable, corrupt or unwritable cache only costs the analysis. Nothing here raises.

The folder stays bounded (:func:`prune`): an entry's modification time is its last use (a hit
older than a day touches it), and at most once a day a run that stored something removes
entries unused for 30 days, temporary files left by interrupted runs, and then the least
recently used entries beyond 20,000 entries or 256 MiB.
"""

from __future__ import annotations

import marshal
import os
import time
from collections.abc import Callable

TYPE_CHECKING = False  # not typing's: see wit_ls.light_typing
if TYPE_CHECKING:
    import hashlib
    from typing import TypeVar

    from wit_ls.model.fs import FileSystem

    T = TypeVar("T")

# Bump when the layout of an entry or of a rendered result changes.
FORMAT = 1

# An observation: (question, path, answer). Questions: "r" read_bytes (answer: the content's
# digest, or the OSError's errno), "l" list_dir (the names, or the errno), "d" is_dir, "f"
# is_file.
Observation = tuple[str, str, object]

DAY_NS = 86_400 * 10**9
# Limits of the folder; pruning goes down to three quarters of each, so that it runs rarely.
MAX_AGE_NS = 30 * DAY_NS
MAX_ENTRIES = 20_000
MAX_BYTES = 256 << 20
# A temporary file this old belongs to a run that was interrupted between writing and renaming.
TEMPORARY_AGE_NS = 3_600 * 10**9
# The file whose modification time says when the folder was last pruned.
PRUNED_STAMP = ".pruned"


def _blake2b() -> type[hashlib.blake2b]:
    """BLAKE2b, imported when first used (a check with no cache folder hashes nothing)."""
    try:  # CPython's built-in BLAKE2 (cheap to import); hashlib's is the same function
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - other interpreters
        from hashlib import blake2b
    return blake2b


def digest(data: bytes) -> bytes:
    return _blake2b()(data, digest_size=16).digest()


class RecordingFileSystem:
    """Wraps a :class:`wit_ls.model.fs.FileSystem` and records every question and answer."""

    def __init__(self, base: FileSystem) -> None:
        self.base = base
        self.observations: list[Observation] = []

    def read_bytes(self, path: str) -> bytes:
        try:
            data = self.base.read_bytes(path)
        except OSError as err:
            self.observations.append(("r", path, err.errno))
            raise
        self.observations.append(("r", path, digest(data)))
        return data

    def list_dir(self, path: str) -> list[str]:
        try:
            names = self.base.list_dir(path)
        except OSError as err:
            self.observations.append(("l", path, err.errno))
            raise
        self.observations.append(("l", path, tuple(names)))
        return names

    def is_dir(self, path: str) -> bool:
        answer = self.base.is_dir(path)
        self.observations.append(("d", path, answer))
        return answer

    def is_file(self, path: str) -> bool:
        answer = self.base.is_file(path)
        self.observations.append(("f", path, answer))
        return answer


def _answer(fs: FileSystem, question: str, path: str) -> object:
    """What ``fs`` answers now, in the form :class:`RecordingFileSystem` records."""
    try:
        if question == "r":
            return digest(fs.read_bytes(path))
        if question == "l":
            return tuple(fs.list_dir(path))
    except OSError as err:
        return err.errno
    if question == "d":
        return fs.is_dir(path)
    return fs.is_file(path)


def unchanged(fs: FileSystem, observations: list[Observation]) -> bool:
    """Whether ``fs`` answers every recorded question as it did."""
    seen: set[tuple[str, str]] = set()
    for question, path, answer in observations:
        if (question, path) in seen:
            continue
        seen.add((question, path))
        if _answer(fs, question, path) != answer:
            return False
    return True


def cache_dir() -> str | None:
    """``WIT_LS_CACHE_DIR``, else ``$XDG_CACHE_HOME/wit-ls``, else ``~/.cache/wit-ls``; None
    when ``WIT_LS_NO_CACHE`` is set (to anything but "" or "0") or no home is known."""
    if os.environ.get("WIT_LS_NO_CACHE", "") not in ("", "0"):
        return None
    explicit = os.environ.get("WIT_LS_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not base:
        home = os.path.expanduser("~")
        if home == "~":
            return None
        base = os.path.join(home, ".cache")
    return os.path.join(base, "wit-ls")


def code_fingerprint() -> tuple[str, int, int]:
    """The version and the newest modification time and count of wit_ls's own files, so that
    an upgrade or an edited checkout never reads a result an older build rendered."""
    import wit_ls

    newest = count = 0
    stack = [os.path.dirname(os.path.abspath(wit_ls.__file__))]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name == "__pycache__":
                continue
            try:
                if entry.is_dir():
                    stack.append(entry.path)
                    continue
                newest = max(newest, entry.stat().st_mtime_ns)
                count += 1
            except OSError:
                continue
    return wit_ls.__version__, newest, count


class ResultCache:
    """Stored results under ``folder`` (None: a cache that never hits and never stores)."""

    def __init__(self, folder: str | None) -> None:
        self.folder = folder
        self._code: tuple[str, int, int] | None = None
        self.hits = 0
        self.stored = 0
        self.now: Callable[[], int] = time.time_ns

    def _path(self, key: tuple[object, ...]) -> str | None:
        if self.folder is None:
            return None
        if self._code is None:
            self._code = code_fingerprint()
        try:
            raw = marshal.dumps((FORMAT, self._code, key))  # type: ignore[arg-type]  # plain data
        except ValueError:  # a key that marshal cannot write: no caching for it
            return None
        return os.path.join(self.folder, _blake2b()(raw, digest_size=20).hexdigest())

    def get(self, fs: FileSystem, key: tuple[object, ...]) -> object | None:
        """The stored result for ``key`` if every input it was computed from is unchanged."""
        path = self._path(key)
        if path is None:
            return None
        try:
            with open(path, "rb") as handle:
                stored = marshal.load(handle)
                modified = os.fstat(handle.fileno()).st_mtime_ns
            observations, result = stored
            if not unchanged(fs, observations):
                return None
        except (OSError, EOFError, ValueError, TypeError):
            return None
        self.hits += 1
        now = self.now()
        if now - modified > DAY_NS:  # the entry's time is its last use, to a day
            # (Not contextlib.suppress: importing contextlib costs a check's start-up.)
            try:  # noqa: SIM105
                os.utime(path, ns=(now, now))
            except OSError:
                pass
        return result  # type: ignore[no-any-return]

    def put(self, key: tuple[object, ...], observations: list[Observation],
            result: object) -> None:
        """Store ``result`` (marshal-able plain data) with the observations it depends on."""
        path = self._path(key)
        if path is None:
            return
        try:
            data = marshal.dumps((observations, result))  # type: ignore[arg-type]  # plain data
            os.makedirs(os.path.dirname(path), exist_ok=True)
            temporary = f"{path}.{os.getpid()}.tmp"
            with open(temporary, "wb") as handle:
                handle.write(data)
            os.replace(temporary, path)
        except (OSError, ValueError):
            return
        self.stored += 1

    def finish(self) -> int:
        """At the end of a run that stored something, prune the folder if it was last pruned
        more than a day ago. The number of files removed."""
        if self.folder is None or not self.stored:
            return 0
        stamp = os.path.join(self.folder, PRUNED_STAMP)
        now = self.now()
        try:
            if now - os.stat(stamp).st_mtime_ns < DAY_NS:
                return 0
        except OSError:
            pass
        try:
            with open(stamp, "wb"):
                pass
            os.utime(stamp, ns=(now, now))
        except OSError:
            return 0
        return prune(self.folder, now)

    def compute(self, fs: FileSystem, key: tuple[object, ...],
                work: Callable[[FileSystem], T]) -> T:
        """The stored result for ``key``, or ``work`` run on a recording of ``fs`` and stored
        (without a folder: ``work`` run on ``fs``, nothing recorded)."""
        if self.folder is None:
            return work(fs)
        found = self.get(fs, key)
        if found is not None:
            return found  # type: ignore[return-value]
        recording = RecordingFileSystem(fs)
        result = work(recording)
        self.put(key, recording.observations, result)
        return result


def prune(folder: str, now: int) -> int:
    """Remove from ``folder`` the entries unused for :data:`MAX_AGE_NS`, temporary files older
    than :data:`TEMPORARY_AGE_NS`, and then the least recently used entries until at most three
    quarters of :data:`MAX_ENTRIES` and :data:`MAX_BYTES` remain if either was exceeded. Only
    files named as this module names them are touched. The number of files removed."""
    entries: list[tuple[int, int, str]] = []
    removed = 0
    try:
        listing = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in listing:
        name = entry.name
        # An entry is named by its key's digest; a temporary file is that name, a process id
        # and ".tmp" (see ResultCache.put).
        temporary = name.endswith(".tmp") and name[40:41] == "." and _is_entry_name(name[:40])
        if not (temporary or _is_entry_name(name)):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        age = now - info.st_mtime_ns
        if age > (TEMPORARY_AGE_NS if temporary else MAX_AGE_NS):
            removed += _remove(entry.path)
        elif not temporary:
            entries.append((info.st_mtime_ns, info.st_size, entry.path))
    total = sum(size for _, size, _ in entries)
    if len(entries) > MAX_ENTRIES or total > MAX_BYTES:
        entries.sort()
        keep_entries, keep_bytes = MAX_ENTRIES * 3 // 4, MAX_BYTES * 3 // 4
        count = len(entries)
        for _, size, path in entries:
            if count <= keep_entries and total <= keep_bytes:
                break
            removed += _remove(path)
            count -= 1
            total -= size
    return removed


def _is_entry_name(name: str) -> bool:
    """Whether ``name`` is an entry's: 40 lower-case hex digits (a 20-byte BLAKE2 digest)."""
    return len(name) == 40 and all(c in "0123456789abcdef" for c in name)


def _remove(path: str) -> int:
    try:
        os.remove(path)
    except OSError:
        return 0
    return 1
