"""`wit-ls lint` over the real-world corpus (../shared/corpus/real), linted once and rendered
in every output format: no internal error, parseable JSON/SARIF/JUnit, SARIF fit for GitHub
code scanning."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from lint.helpers import CORPUS
from lint.test_cli import check_sarif

from wit_ls.cli import main
from wit_ls.lint import output
from wit_ls.lint.output import FORMATS

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(),
                                reason=f"real-world corpus not present at {CORPUS}")


@dataclass
class CorpusLint:
    code: int
    entries: list[output.Entry]
    files: list[str]


@pytest.fixture(scope="module")
def corpus_lint(tmp_path_factory: pytest.TempPathFactory) -> CorpusLint:
    """`wit-ls lint` over the corpus once; the entries it renders are kept for every format."""
    kept: dict[str, list[Any]] = {}
    real = output.render

    def keep(entries: Sequence[output.Entry], fmt: str, *, files: Sequence[str] = ()) -> str:
        kept["entries"], kept["files"] = list(entries), list(files)
        return real(entries, fmt, files=files)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(output, "render", keep)
        patch.chdir(CORPUS.parent.parent.parent)  # paths relative to the shared folder
        out = tmp_path_factory.mktemp("lint") / "out.json"
        code = main(["lint", os.path.relpath(CORPUS), "-f", "json", "-o", str(out),
                     "--exit-zero"])
    return CorpusLint(code, kept["entries"], kept["files"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_corpus_every_format(fmt: str, corpus_lint: CorpusLint) -> None:
    code = corpus_lint.code
    text = output.render(corpus_lint.entries, fmt, files=corpus_lint.files)
    assert code == 0, "exit code 2 means an internal error or an unreadable file"
    assert "internal-error" not in text
    if fmt == "json":
        data = json.loads(text)
        assert data and all({"code", "name", "filename", "location"} <= set(d) for d in data)
    elif fmt == "sarif":
        check_sarif(json.loads(text))
    elif fmt == "gitlab":
        assert isinstance(json.loads(text), list)
    elif fmt == "junit":
        assert ET.fromstring(text).tag == "testsuites"
    elif fmt == "github":
        assert all(line.startswith("::") for line in text.splitlines())
