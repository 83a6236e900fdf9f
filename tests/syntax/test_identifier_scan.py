"""The identifier tests a check runs without regular expressions (`valid_identifier` for one
identifier, `valid_word` for the tail of a run of identifier characters) accept exactly what
the rule's regular expression accepts."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from wit_ls.syntax.lexical import IDENTIFIER, valid_identifier, valid_word

# Letters of both cases, digits, the separator and the characters that are never in one.
ALPHABET = "aAbZz09-_%"
WORD = re.compile(f"[0-9-]*(?:{IDENTIFIER.removeprefix('%?')})?")


@settings(max_examples=3000)
@given(st.text(ALPHABET, max_size=12))
@example("")
@example("%")
@example("a--b")
@example("a-")
@example("-a")
@example("aB")
@example("Ab-1-c")
@example("AB-1-C")
@example("a-1B")
@example("9a")
def test_valid_identifier_is_the_regular_expression(text: str) -> None:
    assert valid_identifier(text.encode()) == bool(re.fullmatch(IDENTIFIER, text)), text


@settings(max_examples=3000)
@given(st.text(ALPHABET.replace("%", ""), max_size=12))
@example("")
@example("--")
@example("1-a")
@example("1-A-b")
@example("12-")
@example("-a-")
@example("4from")
def test_valid_word_is_the_regular_expression(text: str) -> None:
    assert valid_word(text.encode()) == bool(WORD.fullmatch(text)), text
