"""The manifest reader (wit_ls.model.manifest_toml) reads ``deps.toml`` and ``wkg.toml`` without
``tomllib`` for the usual shapes: its result must be ``tomllib``'s, or the same error, on every
manifest of the corpus, on written cases, and on mutants of them (a character deleted, or one of
the characters TOML gives a meaning inserted)."""

from __future__ import annotations

import random

import pytest
import tomllib
from support.oracle import shared_dir

from wit_ls.model import manifest_toml

CASES = [
    "",
    "\n\n# only a comment\n",
    'io = "https://example.com/wasi-io/archive/v0.2.8.tar.gz"\n',
    'cli = "../cli/wit" # a path\nio="x"',
    '[overrides]\n"wasi:http" = { path = "../http" }\n',
    '"a" = { url = "u", sha256 = "s", sha512 = "t" }\n',
    'a = {}\nb = { }\n',
    "[ overrides ]   # comment\na = \"b\"\n",
    "\tkey\t=\t\"tab\tbed\"\t\n",
    # Not read here: tomllib decides (and rejects some).
    'a = "x"\na = "y"\n',
    '[t]\n[t]\n',
    'a = "x"\n[a]\n',
    'a.b = "x"\n',
    '[a.b]\n',
    "a = 'literal'\n",
    'a = "esc\\"aped"\n',
    'a = """multi\nline"""\n',
    'a = 1\n',
    'a = { path = "x", }\n',
    'a = { path = "x", path = "y" }\n',
    'a = "x" "y"\n',
    '[[array]]\n',
    'a = "x"\r\nb = "y"\r\n',
    'a = "caf\u00e9"\n',
    '[t] a = "x"\n',
    '= "x"\n',
    'a b = "x"\n',
    '"" = "empty key"\n',
    'a = ""\n',
    'a = "x\x01"\n',
    '# \x7f\n',
]


def _outcome(load: object, text: str) -> object:
    try:
        return ("ok", load(text))  # type: ignore[operator]
    except ValueError as err:
        return ("error", type(err).__name__)


def _manifests() -> list[str]:
    shared = shared_dir()
    if shared is None:
        return []
    paths = [*(shared / "corpus").rglob("deps.toml"), *(shared / "corpus").rglob("wkg.toml")]
    return sorted(p.read_text(encoding="utf-8") for p in paths if p.is_file())


@pytest.mark.parametrize("text", CASES)
def test_written_cases(text: str) -> None:
    assert _outcome(manifest_toml.loads, text) == _outcome(tomllib.loads, text)


def test_usual_shapes_are_read_without_tomllib() -> None:
    for text in CASES[:9]:
        assert manifest_toml._simple(text) == tomllib.loads(text)


@pytest.mark.skipif(shared_dir() is None, reason="needs ../shared/corpus")
def test_corpus_manifests_and_mutants() -> None:
    texts = _manifests()
    assert texts
    # The corpus's manifests are all of the usual shapes.
    assert all(manifest_toml._simple(t) == tomllib.loads(t) for t in texts)
    rng = random.Random(12)
    inserts = ['"', "'", "=", "{", "}", "[", "]", ",", ".", "#", "\\", "\n", " ", "a", "1", "\r",
               "\u00e9"]
    checked = 0
    for text in [*texts, *CASES]:
        for _ in range(60):
            at = rng.randrange(len(text) + 1)
            if rng.random() < 0.5 and text:
                mutant = text[:at] + text[at + 1:]
            else:
                mutant = text[:at] + rng.choice(inserts) + text[at:]
            assert _outcome(manifest_toml.loads, mutant) == _outcome(tomllib.loads, mutant), \
                repr(mutant)
            checked += 1
    assert checked > 1000
