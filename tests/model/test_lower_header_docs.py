"""`wit-ls check` lowers without documentation and then reads only the package header's, from
the comments before the first item (no query over every comment). The header's docs must be
the same as a lowering with documentation finds."""

from __future__ import annotations

import pytest
from support.oracle import shared_dir

from wit_ls.model.lower import lower
from wit_ls.syntax import parse

CASES = [
    "/// The package.\npackage a:b;\n",
    "// plain\n/// doc\n\n/// The package.\npackage a:b;\n",
    "/** block */\npackage a:b;\n",
    "/* a */ /// doc\npackage a:b; /// after\ninterface i {}\n",
    "; /// after a stray token\npackage a:b;\n",
    "/// not the header's\ninterface i {}\n/// late\npackage a:b;\n",
    "package a:b;\n",
    "",
]


@pytest.mark.parametrize("text", CASES)
def test_header_docs_without_docs(text: str) -> None:
    tree = parse(text)
    assert lower(tree, "", False).header_docs == lower(tree, "", True).header_docs


@pytest.mark.skipif(shared_dir() is None, reason="needs ../shared/corpus")
def test_header_docs_on_the_corpus() -> None:
    shared = shared_dir()
    assert shared is not None
    files = sorted((shared / "corpus").rglob("*.wit"))
    assert files
    documented = 0
    for path in files:
        if not path.is_file():
            continue
        tree = parse(path.read_bytes())
        with_docs = lower(tree, "", True).header_docs
        documented += with_docs is not None
        assert lower(tree, "", False).header_docs == with_docs, path
    assert documented  # some headers really have docs
