"""Edit -> diagnostics latency with `breaking.against` set, on wasi-http against its previous
release, next to the same edits without the setting (same run, same machine).

    python bench/breaking_latency.py GIT_DIR [--old TAG] [--new TAG] [--folder wit] [-n 40]

GIT_DIR is a clone of WebAssembly/wasi-http (a bare one is enough). A temporary git repository is
made with the old release's folder committed and the new release's files in the working tree,
as a user who edits the next release sees it; the server compares with `HEAD`. Prints the
median and p95 of didChange -> publishDiagnostics for single-character edits in `types.wit`,
the number of breaking-change diagnostics shown, and the time of the comparison alone
(`live_breaking` on the two analyses, the new one's JSON export included).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any

from lsp_latency import _report
from lsprotocol import types as t
from pygls.protocol import default_converter
from pytest_lsp import LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES


def _client() -> Any:
    """A client that records, per document, when each version's diagnostics arrived and the
    last diagnostics themselves."""
    client: Any = LanguageClient(converter_factory=default_converter)
    client.waiters = {}
    client.last = {}
    for method, func in DEFAULT_CLIENT_FEATURES.items():
        if method != t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS:
            client.feature(method)(func)

    @client.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def publish(params: t.PublishDiagnosticsParams) -> None:
        client.last[params.uri] = params.diagnostics
        fut = client.waiters.pop((params.uri, params.version), None)
        if fut is not None and not fut.done():
            fut.set_result(time.perf_counter())

    @client.feature(t.CLIENT_REGISTER_CAPABILITY)
    def register(_params: t.RegistrationParams) -> None:
        return None

    return client


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


async def edits(root: Path, path: Path, against: str | None, n: int) -> tuple[list[float], int]:
    client: Any = _client()
    await client.start_io(sys.executable, "-m", "wit_ls", "serve")
    options = {"breaking": {"against": against}} if against else {}
    await client.initialize_session(t.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        initialization_options=options,
        workspace_folders=[t.WorkspaceFolder(uri=root.as_uri(), name="bench")]))
    uri = path.resolve().as_uri()
    text = path.read_text(encoding="utf-8")
    fut = asyncio.get_running_loop().create_future()
    client.waiters[(uri, 1)] = fut
    client.text_document_did_open(t.DidOpenTextDocumentParams(text_document=t.TextDocumentItem(
        uri=uri, language_id="wit", version=1, text=text)))
    await asyncio.wait_for(fut, 120)
    lines = text.split("\n")
    candidates = [i for i, s in enumerate(lines) if s.strip().startswith("///")]
    times: list[float] = []
    version = 1
    for k in range(n):
        line = candidates[(k * 7919) % len(candidates)]
        col = len(lines[line].encode("utf-16-le")) // 2
        for insert in (True, False):
            version += 1
            waiter = asyncio.get_running_loop().create_future()
            client.waiters[(uri, version)] = waiter
            rng = t.Range(start=t.Position(line=line, character=col),
                          end=t.Position(line=line, character=col + (0 if insert else 1)))
            started = time.perf_counter()
            client.text_document_did_change(t.DidChangeTextDocumentParams(
                text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[t.TextDocumentContentChangePartial(
                    range=rng, text=" " if insert else "")]))
            done = await asyncio.wait_for(waiter, 120)
            times.append(done - started)
    await asyncio.sleep(0.5)
    shown = sum(1 for d in client.last.get(uri, []) if str(d.code or "").startswith("B"))
    await client.shutdown_session()
    await client.stop()
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
        plain, _ = await edits(root, path, None, args.n)
        _report(f"without breaking.against, {label}", plain)
        with_setting, shown = await edits(root, path, "HEAD", args.n)
        _report(f"breaking.against = {args.old} (HEAD), {label}", with_setting)
        print(f"breaking-change diagnostics shown in types.wit: {shown}")
        alone = compare_only(old_copy / args.folder, folder)
        print(f"comparison alone (live_breaking): median {statistics.median(alone) * 1000:.1f} ms"
              f" (n={len(alone)})")


if __name__ == "__main__":
    asyncio.run(main())
