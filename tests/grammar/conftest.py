"""Shared fixtures for the grammar tests: the compiled language and a parser."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))


@pytest.fixture(scope="session")
def language():
    from wit_ls.syntax import language

    return language()


@pytest.fixture(scope="session")
def parser(language):
    import tree_sitter

    return tree_sitter.Parser(language)
