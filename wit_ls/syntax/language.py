"""The compiled WIT grammar and its query files."""

from __future__ import annotations

from functools import cache, lru_cache

from tree_sitter import Language, Parser, Query

from wit_ls import _grammar

TYPE_CHECKING = False  # not typing's: see wit_ls.light_typing
if TYPE_CHECKING:  # pathlib is imported only when queries are read (it costs start-up time)
    from pathlib import Path
    from typing import cast
else:
    from wit_ls.light_typing import cast


@lru_cache(maxsize=1)
def language() -> Language:
    """The WIT tree-sitter language (compiled from grammar/src into ``wit_ls._grammar``)."""
    return Language(_grammar.language())


def new_parser() -> Parser:
    return Parser(language())


def queries_dir() -> Path:
    """The folder holding ``highlights.scm`` and friends.

    An installed package carries a copy in ``wit_ls/queries``; a source checkout (editable
    install) reads ``grammar/queries`` beside the package.
    """
    from pathlib import Path

    packaged = Path(__file__).resolve().parent.parent / "queries"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "grammar" / "queries"


@cache
def query(name: str) -> Query:
    """A compiled query from :func:`queries_dir`, e.g. ``query("highlights")``."""
    text = (queries_dir() / f"{name}.scm").read_text(encoding="utf-8")
    return cast(Query, Query(language(), text))
