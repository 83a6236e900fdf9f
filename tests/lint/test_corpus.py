"""`wit-ls lint` over the real-world corpus (../shared/corpus/real) in every output format:
no internal error, parseable JSON/SARIF/JUnit, SARIF fit for GitHub code scanning."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from lint.helpers import CORPUS
from lint.test_cli import check_sarif

from wit_ls.cli import main
from wit_ls.lint.output import FORMATS

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(),
                                reason=f"real-world corpus not present at {CORPUS}")


@pytest.mark.parametrize("fmt", FORMATS)
def test_corpus_every_format(fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CORPUS.parent.parent.parent)  # paths relative to the shared folder
    out = tmp_path / f"out.{fmt}"
    code = main(["lint", os.path.relpath(CORPUS), "-f", fmt, "-o", str(out), "--exit-zero"])
    text = out.read_text("utf-8")
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
