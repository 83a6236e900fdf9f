"""A real client: headless Neovim starts ``wit-ls serve`` through the project's own
``editors/nvim/lsp/wit_ls.lua`` (on 'runtimepath'; only ``cmd`` is overridden to this
interpreter) and ``vim.lsp.enable``, opens a WASI file, and reports diagnostics after an edit, the target of
go-to-definition on a `use` name (a file in ``deps/``), hover text, a rename's result and a usage
code lens whose command fills the quickfix list."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_real, write_workspace

REPO_ROOT = Path(__file__).resolve().parents[2]

LUA = r"""
local cfg = vim.json.decode(table.concat(vim.fn.readfile(_G.arg[1]), "\n"))
local out = {}
local function finish()
  vim.fn.writefile({ vim.json.encode(out) }, cfg.out)
  vim.cmd("qa!")
end
local ok, err = pcall(function()
  -- The set-up README.md gives: the project's lsp/ folder on 'runtimepath', then enable.
  vim.opt.runtimepath:append(cfg.rtp)
  vim.lsp.config("wit_ls", { cmd = cfg.cmd })
  vim.lsp.enable("wit_ls")
  vim.cmd.edit(vim.fn.fnameescape(cfg.file))
  local buf = vim.api.nvim_get_current_buf()
  local client
  vim.wait(15000, function()
    client = vim.lsp.get_clients({ bufnr = buf })[1]
    return client ~= nil and client.initialized
  end, 20)
  assert(client, "wit-ls did not attach")
  out.encoding = client.offset_encoding
  out.root_dir = client.root_dir
  out.filetypes = client.config.filetypes
  -- Break the file: remove the `;` ending line cfg.break_line (0-based).
  local line = vim.api.nvim_buf_get_lines(buf, cfg.break_line, cfg.break_line + 1, true)[1]
  vim.api.nvim_buf_set_lines(buf, cfg.break_line, cfg.break_line + 1, true,
    { (line:gsub(";%s*$", "")) })
  vim.wait(10000, function()
    return #vim.diagnostic.get(buf, { severity = vim.diagnostic.severity.ERROR }) > 0
  end, 20)
  out.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(out.diagnostics, { lnum = d.lnum, message = d.message, severity = d.severity })
  end
  vim.api.nvim_buf_set_lines(buf, cfg.break_line, cfg.break_line + 1, true, { line })
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = cfg.use_pos[1], character = cfg.use_pos[2] },
  }
  local res = client:request_sync("textDocument/definition", params, 10000, buf)
  out.definition = res and res.result
  res = client:request_sync("textDocument/hover", params, 10000, buf)
  out.hover = res and res.result and res.result.contents
  local rparams = vim.deepcopy(params)
  rparams.position = { line = cfg.rename_pos[1], character = cfg.rename_pos[2] }
  rparams.newName = cfg.new_name
  res = client:request_sync("textDocument/rename", rparams, 10000, buf)
  out.rename = res and res.result
  out.rename_error = res and res.err and res.err.message
  -- A usage code lens runs `wit.showReferences` through the config's `commands`.
  res = client:request_sync("textDocument/codeLens",
    { textDocument = { uri = vim.uri_from_bufnr(buf) } }, 10000, buf)
  for _, lens in ipairs(res and res.result or {}) do
    -- Resolved as vim.lsp.codelens resolves the lenses it shows.
    if not lens.command then
      local resolved = client:request_sync("codeLens/resolve", lens, 10000, buf)
      lens = resolved and resolved.result or lens
    end
    if lens.command and lens.command.command == "wit.showReferences"
        and #lens.command.arguments[3] > 0 then
      client:exec_cmd(lens.command, { bufnr = buf })
      out.lens_title = lens.command.title
      out.lens_count = #lens.command.arguments[3]
      out.quickfix = #vim.fn.getqflist()
      break
    end
  end
end)
if not ok then out.error = tostring(err) end
finish()
"""


def _nvim() -> str | None:
    beside = Path(sys.executable).parent / "nvim"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("nvim")


def test_neovim_drives_wit_ls(tmp_path: Path) -> None:
    nvim = _nvim()
    if nvim is None:
        pytest.skip("nvim is not installed")
    root = copy_real("WebAssembly__wasi-http", tmp_path)
    if root is not None:
        path = root / "types.wit"
        use_needle, rename_needle, new_name = "{input-stream", "resource fields", "header-fields"
    else:
        root = write_workspace(tmp_path / "ws") / "app" / "wit"
        path = root / "api.wit"
        use_needle, rename_needle, new_name = "{input-stream", "{thing", "item"
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")

    def locate(needle: str, delta: int) -> list[int]:
        at = text.index(needle) + delta
        line = text.count("\n", 0, at)
        col = len(text[text.rfind("\n", 0, at) + 1:at].encode("utf-8"))  # utf-8 columns
        return [line, col]

    break_line = next(i for i, s in enumerate(lines)
                      if s.rstrip().endswith(";") and ": func(" in s)
    out_file = tmp_path / "out.json"
    config = {
        "cmd": [sys.executable, "-m", "wit_ls", "serve"],
        "rtp": str(REPO_ROOT / "editors" / "nvim"),
        "root": str(root), "file": str(path), "out": str(out_file),
        "break_line": break_line,
        "use_pos": locate(use_needle, 1),
        "rename_pos": locate(rename_needle, len(rename_needle) - 1 if "resource" in
                             rename_needle else 1),
        "new_name": new_name,
    }
    cfg_file = tmp_path / "cfg.json"
    cfg_file.write_text(json.dumps(config))
    script = tmp_path / "test.lua"
    script.write_text(LUA)
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_STATE_HOME": str(tmp_path / "state")}
    subprocess.run([nvim, "--headless", "--clean", "-l", str(script), str(cfg_file)],
                   env=env, timeout=90, check=False, capture_output=True)
    result = json.loads(out_file.read_text())
    assert "error" not in result, result
    assert result["encoding"] == "utf-8"
    # Root and file types come from editors/nvim/lsp/wit_ls.lua: the package root holds deps/.
    assert Path(result["root_dir"]).resolve() == root.resolve()
    assert result["filetypes"] == ["wit"]
    errors = [d for d in result["diagnostics"] if d["severity"] == 1]
    assert errors and all(d["lnum"] >= break_line for d in errors), result["diagnostics"]
    assert any("';'" in d["message"] or "`;`" in d["message"] for d in errors), errors
    definition = result["definition"]
    target = definition[0] if isinstance(definition, list) else definition
    assert "/deps/io/" in target["uri"] or "/deps/io" in target.get("targetUri", ""), definition
    hover = result["hover"]
    assert "input-stream" in (hover["value"] if isinstance(hover, dict) else str(hover))
    # The first lens with references filled the quickfix list with them.
    assert result["lens_title"] and result["quickfix"] == result["lens_count"] > 0, result
    rename = result["rename"]
    assert rename is not None, result.get("rename_error")
    changes = rename.get("changes") or {}
    assert changes and all(e["newText"] == new_name for es in changes.values() for e in es)
