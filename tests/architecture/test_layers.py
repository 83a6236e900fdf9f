"""The layering rules of docs/architecture.md, checked on the source: each layer imports only
the layers to its left, only wit_ls.lsp imports pygls or lsprotocol, and only the front doors
(cli, lsp, host) touch the disk."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "wit_ls"

# The layer each subpackage belongs to, and what it may import from wit_ls.
ALLOWED: dict[str, set[str]] = {
    "syntax": {"syntax", "_grammar"},
    "model": {"syntax", "model"},
    "fmt": {"syntax", "fmt"},
    "breaking": {"syntax", "breaking"},
    "lint": {"syntax", "model", "lint"},
    "features": {"syntax", "model", "lint", "fmt", "features"},
    "host": {"syntax", "model", "host"},
    "lsp": {"syntax", "model", "lint", "features", "fmt", "breaking", "host", "lsp"},
    "cli": {"syntax", "model", "lint", "features", "fmt", "breaking", "host", "cli", "lsp"},
}

# Path methods and os functions that reach the file system.
PATH_METHODS = {"read_text", "read_bytes", "write_text", "write_bytes", "iterdir", "glob", "rglob"}
OS_FUNCTIONS = {"listdir", "scandir", "walk", "stat", "open"}


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        layer = parts[0] if len(parts) > 1 else ""
        out.append((layer, path))
    return out


def _imports(tree: ast.AST) -> list[str]:
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


@pytest.mark.parametrize(("layer", "path"), _modules(), ids=lambda v: str(v))
def test_layer_imports(layer: str, path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for name in _imports(tree):
        top = name.split(".")[0]
        if top in ("pygls", "lsprotocol"):
            assert layer == "lsp", f"{path.name} imports {name}: only wit_ls.lsp may"
        if top == "wit_ls" and layer in ALLOWED:
            parts = name.split(".")
            if len(parts) > 1 and parts[1] != "light_typing":  # (typing's names, every layer)
                assert parts[1] in ALLOWED[layer], f"{path} ({layer}) imports {name}"


@pytest.mark.parametrize(
    ("layer", "path"),
    [m for m in _modules() if m[0] in ("syntax", "model", "lint", "features", "fmt", "breaking")],
    ids=lambda v: str(v),
)
def test_inner_layers_do_not_touch_the_disk(layer: str, path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            disk = (isinstance(func, ast.Name) and func.id == "open") or (
                isinstance(func, ast.Attribute) and (
                    func.attr in PATH_METHODS
                    or (isinstance(func.value, ast.Name) and func.value.id == "os"
                        and func.attr in OS_FUNCTIONS)))
            name = ast.unparse(func)
            # Reading through the model's FileSystem protocol is the sanctioned way.
            receiver = ast.unparse(func.value) if isinstance(func, ast.Attribute) else ""
            if receiver.split(".")[-1] in ("fs", "file_system", "filesystem"):
                disk = False
            if disk and not (layer == "syntax" and path.name == "language.py"):
                pytest.fail(f"{path}:{node.lineno} calls {name}(): disk access belongs in a front door")
