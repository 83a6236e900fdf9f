"""The identifier tests a check runs without regular expressions (`valid_identifier` for one
identifier, `valid_word` for the tail of a run of identifier characters) accept exactly what
the rule's regular expression accepts; `words_valid`, the check over all the words of a file,
agrees with `valid_word` on each, and takes its fast path on upper-case segments."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from wit_ls.syntax import lexical, parse
from wit_ls.syntax.lexical import IDENTIFIER, valid_identifier, valid_word, words_valid

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


@settings(max_examples=3000)
@given(st.sets(st.text(ALPHABET.replace("%", ""), min_size=1, max_size=8), max_size=5))
@example({"HTTP-request-denied", "HTTPS", "method"})
@example({"HTTP-request-URI-invalid", "aB"})
@example({"a1B", "x"})
@example({"1Ab"})
@example({"1-A-b", "9"})
@example({"a-", "B"})
@example({"a--B"})
@example({"A_b"})
def test_words_valid_is_valid_word_on_each(texts: set[str]) -> None:
    words = {t.encode() for t in texts} - {b"-", b"_"}
    joined = b" " + b" ".join(words) + b" "
    assert words_valid(joined, words) == all(valid_word(w) for w in words), texts


# Files whose identifiers hold upper-case segments (wasi-http's `types.wit` has `HTTP`,
# `HTTP-request-URI-invalid`): their text alone shows every identifier valid, without a look at
# each word.
UPPER_CASE = [
    "package wasi:http;\ninterface types {\n  variant scheme { HTTP, HTTPS, other(string) }\n"
    "  variant error-code { HTTP-request-denied, HTTP-request-URI-invalid,\n"
    "    HTTP-request-body-size(option<u64>) }\n}\n",
    "package a:b;\ninterface i { type T-1-u = u8; type A9 = u8; }\n",
]


@pytest.mark.parametrize("text", UPPER_CASE)
def test_upper_case_segments_take_the_fast_path(text: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    def looked_at(word: bytes) -> bool:
        raise AssertionError(f"the word {word!r} was checked by itself")

    monkeypatch.setattr(lexical, "valid_word", looked_at)
    assert lexical._identifiers_valid(parse(text).tree, text.encode())
