"""The editor set-ups the project documents start the real server on the real file types.

Helix's `languages.toml` (README.md), the Neovim runtimepath file (`editors/nvim/lsp/wit_ls.lua`),
the Zed language config (grammar/README.md) and the VS Code extension's manifest are read as a
user copies them, and compared with the command line's actual entry point and subcommands.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from wit_ls.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[2]


def _fenced_blocks(markdown: Path, language: str) -> list[str]:
    text = markdown.read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```", text, flags=re.M | re.S)


def _console_script() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    scripts = project["scripts"]
    assert scripts, "pyproject declares no console script"
    (name,) = [n for n, target in scripts.items() if target.startswith("wit_ls.cli")]
    return str(name)


def test_helix_languages_toml_starts_the_server() -> None:
    blocks = [b for b in _fenced_blocks(ROOT / "README.md", "toml") if "language-server" in b]
    assert len(blocks) == 1, "README.md should have one Helix languages.toml block"
    config = tomllib.loads(blocks[0])
    servers = config["language-server"]
    (server_name,) = servers
    server = servers[server_name]
    assert server["command"] == _console_script()
    assert server["args"][0] in COMMANDS and server["args"][0] == "serve"
    (language,) = config["language"]
    assert language["file-types"] == ["wit"]
    assert language["language-servers"] == [server_name]
    assert language["comment-token"] == "//"


def test_neovim_runtime_file_starts_the_server() -> None:
    text = (ROOT / "editors" / "nvim" / "lsp" / "wit_ls.lua").read_text(encoding="utf-8")
    lua = text[text.index("return {"):]  # the returned table, not the usage comments
    cmd = re.search(r"cmd\s*=\s*\{([^}]*)\}", lua)
    assert cmd is not None
    words = re.findall(r'"([^"]*)"', cmd.group(1))
    assert words == [_console_script(), "serve"]
    filetypes = re.search(r"filetypes\s*=\s*\{([^}]*)\}", lua)
    assert filetypes is not None and re.findall(r'"([^"]*)"', filetypes.group(1)) == ["wit"]


def test_readme_neovim_setup_uses_the_runtime_file() -> None:
    lua_blocks = "\n".join(_fenced_blocks(ROOT / "README.md", "lua"))
    assert "editors/nvim" in lua_blocks
    assert 'vim.lsp.enable("wit_ls")' in lua_blocks


def test_zed_language_config_matches_the_file_type() -> None:
    blocks = [b for b in _fenced_blocks(ROOT / "grammar" / "README.md", "toml")
              if "path_suffixes" in b]
    assert len(blocks) == 1
    config = tomllib.loads(blocks[0])
    assert config["path_suffixes"] == ["wit"]
    assert config["grammar"] == "wit"


def test_vscode_extension_claims_the_same_files() -> None:
    manifest = json.loads((ROOT / "vscode-extension" / "package.json").read_text("utf-8"))
    (language,) = [lang for lang in manifest["contributes"]["languages"] if lang["id"] == "wit"]
    assert language["extensions"] == [".wit"]
