"""Hover end to end, for each recorded client (VS Code and Neovim capabilities), on the
multi-package fixture with `deps/`: a name brought in by `use` (and `use ... as`) shows the
definition it stands for, where that lives (linked) and the hop; a package name shows the
versions in `deps/`; an import path shows the interface and what it holds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lsp_helpers import doc, open_doc, pos, range_text
from lsprotocol import types as t

pytestmark = [pytest.mark.asyncio]


async def _hover(client: Any, path: Path, needle: str, delta: int) -> tuple[str, str]:
    text = path.read_text(encoding="utf-8")
    uri_ = open_doc(client, path, text)
    found = await client.text_document_hover_async(t.HoverParams(
        text_document=doc(uri_), position=pos(client, text, needle, delta=delta)))
    assert found is not None
    assert found.contents.kind == t.MarkupKind.Markdown
    return found.contents.value, range_text(client, text, found.range)


async def test_a_use_name_shows_the_resource_it_stands_for(client: Any,
                                                           workspace: Path) -> None:
    value, hovered = await _hover(client, workspace / "app/wit/api.wit",
                                  "borrow<input-stream>", len("borrow<") + 2)
    streams = (workspace / "app/wit/deps/io/streams.wit").resolve().as_uri()
    assert hovered == "input-stream"
    assert value == (
        "```wit\nresource input-stream {\n  read: func(len: u64) -> list<u8>;\n}\n```"
        "\n\n---\n\nAn input stream.\n\n"
        f"Defined in [`wasi:io/streams@0.2.0`]({streams}#L5) · via `use` in `api`")


async def test_a_renamed_use_shows_the_enum_and_its_cases(client: Any, workspace: Path) -> None:
    value, hovered = await _hover(client, workspace / "app/wit/api.wit",
                                  "k: thing-kind", len("k: ") + 1)
    assert hovered == "thing-kind"
    assert value.startswith("```wit\nenum kind {\n  small,\n  large,\n}\n```")
    assert "via `use` in `api` (as `thing-kind`)" in value
    assert value.endswith("Canonical ABI: 1 byte, align 1 · flattens to 1 value (i32)")


async def test_a_package_name_lists_the_versions_in_deps(client: Any, workspace: Path) -> None:
    value, hovered = await _hover(client, workspace / "app/wit/world.wit",
                                  "import wasi:io", len("import ") + 1)
    assert hovered == "wasi:io"
    assert value.startswith("```wit\npackage wasi:io@0.2.0\n```")
    assert "Versions in `deps/`: `0.2.0`" in value


async def test_an_import_path_shows_what_the_interface_holds(client: Any,
                                                             workspace: Path) -> None:
    value, hovered = await _hover(client, workspace / "app/wit/world.wit",
                                  "io/streams@", len("io/") + 1)
    assert hovered == "streams"
    assert value.startswith("```wit\ninterface streams\n```")
    assert "Holds 2 resources (`input-stream`, `output-stream`)" in value
