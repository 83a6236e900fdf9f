"""(e) Arbitrary text and random mutations of corpus files give diagnostics, never exceptions,
from the syntax layer and from the model."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.corpus import model_check
from support.mutants import mutate_text, seeds

from wit_ls.syntax import Diagnostic, parse

WIT_WORDS = [
    "package", "interface", "world", "use", "type", "record", "flags", "variant", "enum",
    "resource", "func", "import", "export", "include", "with", "as", "static", "constructor",
    "async", "list", "option", "result", "tuple", "map", "borrow", "own", "future", "stream",
    "u8", "u32", "string", "get", "set", "@since(version = 1.0.0)", "@unstable(feature = x)",
    "@deprecated(version = 0.1.0)", '@external-id("a\\u{41}")', "a:b", "a:b@1.0.0", "x",
    "%type", "{", "}", "(", ")", "<", ">", ",", ";", ":", ".", "->", "=", "/", "@", "*", "_",
    "\n", " ", "//", "/*", "*/", "\u202e", "\x0b", "é", "0", "4294967296", "-",
]

wit_like = st.lists(st.sampled_from(WIT_WORDS), max_size=60).map(" ".join)
any_text = st.one_of(st.text(max_size=200), wit_like,
                     st.binary(max_size=200).map(lambda b: b.decode("latin-1")))
QUICK = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _valid(diags: list[Diagnostic], size: int) -> None:
    for d in diags:
        assert isinstance(d, Diagnostic)
        assert 0 <= d.start <= d.end <= size, d
        assert d.message and d.code


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_text)
def test_syntax_layer_never_raises(text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    _valid(parse(data).diagnostics, len(data))


@QUICK
@given(st.binary(max_size=300))
def test_syntax_layer_never_raises_on_bytes(data: bytes) -> None:
    _valid(parse(data).diagnostics, len(data))


@QUICK
@given(any_text, st.booleans())
def test_model_never_raises(text: str, with_header: bool) -> None:
    body = ("package a:b;\n" if with_header else "") + text
    data = body.encode("utf-8", "surrogatepass")
    dep = b"package d:e;\ninterface i { type t = u8; }\n"
    for diag in model_check({"/wit/a.wit": data, "/wit/deps/d/d.wit": dep}, "/wit"):
        assert diag.message and diag.code
    model_check({"/one.wit": data}, "/one.wit")


SEEDS = seeds()


@pytest.mark.skipif(not SEEDS, reason="../shared/corpus absent")
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=2**32 - 1), st.integers(min_value=1, max_value=4))
def test_mutated_corpus_files_never_raise(seed: int, rounds: int) -> None:
    rng = random.Random(seed)
    base = rng.choice(SEEDS)
    files = dict(base.files)
    path = rng.choice(sorted(files))
    for _ in range(rounds):
        mutated = mutate_text(rng, files[path])
        if mutated is not None:
            files[path] = mutated[0]
    _valid(parse(files[path]).diagnostics, len(files[path]))
    for diag in model_check(files, base.root):
        assert diag.message and diag.code
