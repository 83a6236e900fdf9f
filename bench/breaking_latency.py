"""Edit -> diagnostics latency with `breaking.against` set, on wasi-http against its previous
release, next to the same edits without the setting (same run, same machine).

    python bench/breaking_latency.py GIT_DIR [--old TAG] [--new TAG] [--folder wit] [-n 40]

GIT_DIR is a clone of WebAssembly/wasi-http (a bare one is enough). A temporary git repository is
made with the old release's folder committed and the new release's files in the working tree,
as a user who edits the next release sees it; the server compares with `HEAD`. Prints the
median and p95 of didChange -> publishDiagnostics for single-character edits in `types.wit`,
to the server's first answer (syntax and model diagnostics, with the last lint findings and
breaking changes kept) and to its full answer (fresh lint findings and breaking changes, sent
once typing pauses for 0.15 s, which the figure includes); the number of breaking-change
diagnostics shown; and the time of the comparison alone (`live_breaking` on the two analyses,
the new one's JSON export included).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

from lsp_latency import edit_times, open_and_wait, report, start, stop


def _extract(git_dir: Path, tag: str, folder: str, dest: Path) -> None:
    data = subprocess.run(["git", f"--git-dir={git_dir}", "archive", "--format=tar", tag, folder],
                          check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost", *args],
                   cwd=cwd, check=True, capture_output=True)


def make_repo(git_dir: Path, old: str, new: str, folder: str, root: Path) -> Path:
    _git(root, "init", "-q")
    _extract(git_dir, old, folder, root)
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", f"release {old}")
    subprocess.run(["rm", "-rf", str(root / folder)], check=True)
    _extract(git_dir, new, folder, root)
    return root / folder


async def edits(root: Path, path: Path, against: str | None, n: int, nth: int
                ) -> tuple[list[float], int]:
    """Edit latencies in doc comments of ``path`` (so the comparison still runs on every edit)
    to the ``nth`` publication of each version, and the number of breaking-change diagnostics
    in the last one."""
    client = await start(root, {"breaking": {"against": against}} if against else None)
    text = path.read_text(encoding="utf-8")
    uri = await open_and_wait(client, path, text, timeout=120)
    lines = [i for i, s in enumerate(text.split("\n")) if s.strip().startswith("///")]
    times = await edit_times(client, uri, text, lines, n, timeout=120, nth=nth)
    if nth == 1:  # let the full answer of the last edit arrive before counting
        await asyncio.sleep(2)
    shown = sum(1 for d in client.last.get(uri, []) if str(d.code or "").startswith("B"))
    await stop(client)
    return times, shown


def compare_only(old_root: Path, new_root: Path, runs: int = 20) -> list[float]:
    from wit_ls.breaking.live import live_breaking
    from wit_ls.host.disk import DiskFileSystem
    from wit_ls.lsp.baseline import side_of
    from wit_ls.model import Options, analyze

    old = side_of(analyze(DiskFileSystem(), [str(old_root)], Options()))
    times = []
    for _ in range(runs):
        new = analyze(DiskFileSystem(), [str(new_root)], Options())
        started = time.perf_counter()
        live_breaking(old, side_of(new), "HEAD")
        times.append(time.perf_counter() - started)
    return times


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("git_dir", type=Path)
    parser.add_argument("--old", default="v0.2.7")
    parser.add_argument("--new", default="v0.2.8")
    parser.add_argument("--folder", default="wit")
    parser.add_argument("-n", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        root.mkdir()
        folder = make_repo(args.git_dir, args.old, args.new, args.folder, root)
        old_copy = Path(tmp) / "old"
        old_copy.mkdir()
        _extract(args.git_dir, args.old, args.folder, old_copy)
        path = folder / "types.wit"
        label = f"wasi-http {args.new} {args.folder}/types.wit"
        for nth, which in ((1, "first answer"), (2, "full answer")):
            plain, _ = await edits(root, path, None, args.n, nth)
            report(f"{which}, without breaking.against, {label}", plain)
            with_setting, shown = await edits(root, path, "HEAD", args.n, nth)
            report(f"{which}, breaking.against = {args.old} (HEAD), {label}", with_setting)
        print(f"breaking-change diagnostics shown in the full answer for {path.name}: {shown}")
        alone = compare_only(old_copy / args.folder, folder)
        print(f"comparison alone (live_breaking): median {statistics.median(alone) * 1000:.1f} ms"
              f" (n={len(alone)})")


if __name__ == "__main__":
    asyncio.run(main())
