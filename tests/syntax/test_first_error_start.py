"""The first-error walk starts late: after the last clean top-level item before the first
broken one, and inside that item's body after its last clean member (and inside a broken
resource's body after its last clean method), reading on from there as wit-parser would. The
diagnostics of a broken file must be byte for byte those of a walk from the top of the file:
over random breakages of one big interface (a token deleted, a stray token typed, the file
cut short), of worlds, resources and nested packages."""

from __future__ import annotations

import random

import pytest
from support.big_interface import big_interface

from wit_ls.syntax import Diagnostic, first_error, parse
from wit_ls.syntax.first_error import first_syntax_error, walk_start

BASE = big_interface(3)
STRAYS = ["}", "{", "x", ";", ":", "func", "->", "<", ">", "(", ")", ",", "@", "=", "use",
          "resource", "interface", "static", "1.0.0", "\"s\"", "%", "/", "as", "-"]


def _key(found: list[Diagnostic]) -> list[tuple[object, ...]]:
    return [(d.start, d.end, d.message, d.code, d.severity, d.related) for d in found]


def _broken(rng: random.Random, text: str) -> str:
    tokens = [i for i in range(1, len(text)) if text[i - 1] in " \n({<:;,." and
              text[i] not in " \n"]
    roll = rng.random()
    at = rng.choice(tokens)
    if roll < 0.4:
        end = at
        while end < len(text) and text[end] not in " \n;,(){}<>:":
            end += 1
        return text[:at] + text[max(end, at + 1):]  # a token deleted
    if roll < 0.85:
        return text[:at] + rng.choice(STRAYS) + " " + text[at:]
    return text[:at]  # cut short


@pytest.mark.parametrize("seed", range(4))
def test_walk_from_the_broken_member_equals_a_walk_from_the_top(
        seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    late = 0
    for _ in range(150):
        text = _broken(rng, BASE)
        if rng.random() < 0.3:
            text = _broken(rng, text)
        parsed = parse(text)
        got = parse(text).diagnostics
        start, inside = walk_start(parsed.root, parsed.source,
                                        min((d.start for d in got), default=len(text)))
        late += bool(inside)
        with monkeypatch.context() as patched:
            patched.setattr(first_error, "walk_start", lambda *_args: (0, ()))
            expected = parse(text).diagnostics
        assert _key(got) == _key(expected), text
        # The walk alone, wherever it starts, finds what a walk from the top finds.
        assert first_syntax_error(text, start, inside) == first_syntax_error(text), text
    # Most walks started inside a body.
    assert late > 75


def test_a_walk_starts_after_the_last_clean_method_of_a_broken_resource() -> None:
    text = BASE.replace("clone: func() -> fields1;", "clone: func() -> fields1")
    parsed = parse(text)
    first = parsed.diagnostics[0]
    start, inside = walk_start(parsed.root, parsed.source, first.start)
    assert inside == ("interface", "resource")
    assert text[:start].endswith("%set: func(name: string, value: list<u8>) -> result<_, io-error>;")
    assert first.message == "expected ';', found `@`"
    assert text.encode()[first.start:first.end] == b"@"
