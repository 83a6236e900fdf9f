"""A hostile repository: FIFOs, devices, symlink loops, links and manifest paths leading out
of the workspace, huge and deep files, invalid UTF-8 in deps/. The server's workspace never
blocks, never reads outside the workspace (every read is recorded and checked), and shows the
problems. The last test does the same over stdio with a live server."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from support.raw_client import RawClient

from wit_ls.host import disk
from wit_ls.lsp import workspace as ws_module
from wit_ls.lsp.settings import Settings
from wit_ls.lsp.workspace import SETTING_OUTSIDE, Workspace

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and symlinks: POSIX")

MAIN = """package example:app;

interface api {
  use example:dep/types.{thing};
  use example:outside/types.{secret};
  make: func() -> thing;
}
"""


def _hostile(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(workspace folder, the main file, a folder outside the workspace)."""
    outside = tmp_path / "outside"
    (outside / "types").mkdir(parents=True)
    (outside / "types" / "types.wit").write_text(
        "package example:outside;\ninterface types { type secret = u8; }\n")
    root = tmp_path / "ws"
    wit = root / "wit"
    deps = wit / "deps"
    (deps / "dep").mkdir(parents=True)
    main = wit / "api.wit"
    main.write_text(MAIN)
    (deps / "dep" / "types.wit").write_text(
        "package example:dep;\ninterface types { type thing = u32; }\n")
    os.mkfifo(wit / "fifo.wit")
    os.mkfifo(deps / "dep" / "pipe.wit")
    (deps / "zero.wit").symlink_to("/dev/zero")
    (deps / "loop.wit").symlink_to(deps / "loop.wit")
    (deps / "cycle").symlink_to(deps)  # a folder containing itself
    (deps / "outside").symlink_to(outside / "types")
    (deps / "bad-utf8.wit").write_bytes(b"package example:bad;\ninterface x { \xff\xfe }\n")
    (wit / "deps.toml").write_text('elsewhere = "../../outside/types"\n')
    big = root / "big"
    big.mkdir()
    (big / "huge.wit").write_bytes(b"// " + b"x" * (disk.MAX_FILE_BYTES + 10) + b"\n")
    deep = root / "deep"
    deep.mkdir()
    (deep / "deep.wit").write_text("package a:deep;\ninterface i {\n  type t = "
                                   + "option<" * 5000 + "u8" + ">" * 5000 + ";\n}\n")
    return root, main, outside


def _recording(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    """Every file the workspace reads and every folder it lists, resolved."""
    seen: list[str] = []
    listed: list[str] = []
    read, listdir = ws_module.read_regular_file, os.listdir

    def recorded_read(path: str, limit: int | None = disk.MAX_FILE_BYTES) -> bytes:
        seen.append(os.path.realpath(path))
        return read(path, limit)

    def recorded_listdir(path: str) -> list[str]:
        listed.append(os.path.realpath(path))
        return listdir(path)

    monkeypatch.setattr(ws_module, "read_regular_file", recorded_read)
    monkeypatch.setattr(ws_module.os, "listdir", recorded_listdir)
    return seen, listed


def test_nothing_blocks_nothing_outside_is_read(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    root, main, outside = _hostile(tmp_path)
    seen, listed = _recording(monkeypatch)
    ws = Workspace()
    ws.add_folder(root.as_uri(), str(root))
    ws.open(main.as_uri(), str(main), 1, MAIN)
    found = ws.diagnostics_for(str(main))
    for folder_root in ws.package_roots():
        for path, _ in ws.workspace_files():
            ws.diagnostics_for(path)
        ws.analysis((folder_root,))
    messages = "\n".join(d.message for d in found)
    # The links and the manifest path out are refused, and the message names the setting.
    assert SETTING_OUTSIDE in messages, messages
    # Broken dependencies show on the open package: a device, a FIFO, a loop, bad UTF-8.
    for name in ("zero.wit", "pipe.wit", "loop.wit", "bad-utf8.wit"):
        assert f"in dependency deps/{name}" in messages or name in messages, (name, messages)
    assert "example:outside" not in {s.name for s in ws.analysis_for(str(main)).all_symbols()}
    # The in-workspace dependency still resolves.
    assert "thing" in {s.name for s in ws.analysis_for(str(main)).all_symbols()}
    # Not one read or listing outside the workspace; above it, only the folders on the way
    # up (configuration is looked up there) are listed.
    real_outside, real_root = os.path.realpath(outside), os.path.realpath(root)
    assert seen and not [p for p in seen + listed if p.startswith(real_outside)]
    assert not [p for p in seen if not p.startswith(real_root + "/")], seen
    assert not [p for p in listed if not p.startswith(real_root)
                and not real_root.startswith(p.rstrip("/") + "/")], listed
    # The FIFO next to the file is reported, not read.
    all_messages = "\n".join(d.message for p, _ in ws.workspace_files()
                             for d in ws.diagnostics_for(p))
    assert "not a regular file" in all_messages
    # The huge file is one problem, not 10 MB in memory.
    huge = ws.diagnostics_for(str(root / "big" / "huge.wit"))
    assert any("larger than" in d.message for d in huge), huge


def test_the_setting_lets_links_out_be_followed(tmp_path: Path) -> None:
    root, main, _ = _hostile(tmp_path)
    ws = Workspace()
    ws.add_folder(root.as_uri(), str(root))
    ws.open(main.as_uri(), str(main), 1, MAIN)
    ws.set_settings(Settings(read_outside_workspace=True))
    found = ws.diagnostics_for(str(main))
    assert SETTING_OUTSIDE not in "\n".join(d.message for d in found)
    assert "example:outside" in {s.name for s in ws.analysis_for(str(main)).all_symbols()}


def test_live_server_survives_the_hostile_workspace(tmp_path: Path) -> None:
    root, main, _ = _hostile(tmp_path)
    client = RawClient(root)
    try:
        client.initialize(root)
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": main.as_uri(), "languageId": "wit", "version": 1, "text": MAIN}})
        # Requests about files that must not be read: a FIFO, a device, a file outside.
        for target in (root / "wit" / "fifo.wit", Path("/dev/zero"), Path("/proc/self/fd/0"),
                       tmp_path / "outside" / "types" / "types.wit"):
            for method in ("textDocument/documentSymbol", "textDocument/semanticTokens/full",
                           "textDocument/diagnostic"):
                answer = client.request(method, {"textDocument": {"uri": target.as_uri()}})
                assert "result" in answer or "error" in answer
        answer = client.request("textDocument/diagnostic",
                                {"textDocument": {"uri": main.as_uri()}})
        messages = "\n".join(d["message"] for d in answer["result"]["items"])
        assert SETTING_OUTSIDE in messages, messages
        # The deep file is answered too.
        deep = (root / "deep" / "deep.wit").as_uri()
        for method in ("textDocument/documentSymbol", "textDocument/foldingRange",
                       "textDocument/semanticTokens/full"):
            assert "result" in client.request(method, {"textDocument": {"uri": deep}})
        answer = client.request("workspace/symbol", {"query": "thing"})
        assert "result" in answer
        assert client.proc.poll() is None
    finally:
        client.close()


def test_configuration_file_features_reach_the_server(tmp_path: Path) -> None:
    """`features` of wit-ls.toml apply in the editor as they do on the command line."""
    root = tmp_path / "pkg"
    root.mkdir()
    text = ("package a:b;\n\n@unstable(feature = x)\ninterface i {}\n\n"
            "world w {\n  import i;\n}\n")
    main = root / "a.wit"
    main.write_text(text)
    ws = Workspace()
    ws.add_folder(root.as_uri(), str(root))
    ws.open(main.as_uri(), str(main), 1, text)
    gated = [d for d in ws.diagnostics_for(str(main)) if d.code == "excluded-reference"]
    assert gated
    (root / "wit-ls.toml").write_text('features = ["x"]\n')
    fresh = Workspace()
    fresh.add_folder(root.as_uri(), str(root))
    fresh.open(main.as_uri(), str(main), 1, text)
    assert not [d for d in fresh.diagnostics_for(str(main)) if d.code == "excluded-reference"]
