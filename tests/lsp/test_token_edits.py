"""Keystrokes that change tokens in a large package of many interfaces (letters typed into
names, keywords, punctuation, tokens deleted; the file breaks and mends) are analysed
incrementally: the edited file is reparsed from its last tree, its top-level declarations
before the edit keep their last lowering, the lexical checks of a broken file look only at its
broken items' identifiers. Every answer must equal a fresh analysis of the same trees, with
nothing carried over (no earlier lowering to reuse, every syntax diagnostic computed anew):
1,000 random edits over three files of one package, each file's diagnostics and the edited
file's symbols compared after each edit."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from support.fresh import fresh_workspace
from support.random_edits import token_end

from wit_ls.lsp.workspace import Workspace
from wit_ls.syntax import Diagnostic, SyntaxTree, TextEdit


def _interfaces(prefix: str, count: int, first_used: str | None) -> str:
    """``count`` interfaces, each using a type of the one before it (the first one
    ``first_used``'s), with records, variants, enums, flags, resources, aliases, gates and
    functions."""
    out: list[str] = []
    previous = first_used
    for i in range(count):
        name = f"{prefix}{i}"
        use = f"  use {previous}.{{rec-{previous}}};\n" if previous else ""
        gate = "@since(version = 1.0.0)\n" if i % 4 == 1 else ""
        out.append(
            f"/// Interface {name}.\n{gate}interface {name} {{\n{use}"
            f"  /// A record.\n  record rec-{name} {{ a: u32, b: string, c: list<u8> }}\n"
            f"  variant var-{name} {{ none, some(rec-{name}) }}\n"
            f"  enum color-{name} {{ red, green }}\n"
            f"  flags perms-{name} {{ read, write }}\n"
            f"  type alias-{name} = tuple<u8, option<rec-{name}>>;\n"
            f"  resource res-{name} {{\n    constructor(x: u32);\n"
            f"    get: func() -> rec-{name};\n    make: static func() -> res-{name};\n  }}\n"
            f"  run-{name}: func(r: rec-{name}, v: borrow<res-{name}>) -> result<u32, string>;\n"
            "}\n\n")
        previous = name
    return "".join(out)


A = "package bench:many@1.0.0;\n\n" + _interfaces("a", 8, None)
B = "// Second file.\npackage bench:many@1.0.0;\n\n" + _interfaces("b", 6, "a7")
C = ("package bench:many@1.0.0;\n\nuse a3 as third;\n\n"
     "world app {\n  import a0;\n  import third;\n  export b5;\n"
     "  export go: func(x: u32) -> string;\n}\n\n"
     "world plugin {\n  include app;\n  import b2;\n  use a1.{rec-a1};\n"
     "  export handle: func(r: rec-a1);\n}\n")

# Edits that change tokens: letters into or after names, keywords, punctuation, whole tokens.
TYPED = ["x", "e", "-", "_", "1", "A", "u32", "record", "interface", ";", ",", "{", "}", "<",
         ">", "(", ")", ":", "@", "%", "func", " use ", "\n}\n", "type t = u8;", "/// d\n", "."]


def _key(diags: list[Diagnostic]) -> list[tuple[object, ...]]:
    return [(d.start, d.end, d.message, d.code, d.severity, d.path, d.related, d.tags,
             sorted((k, repr(v)) for k, v in (d.data or {}).items())) for d in diags]


def _fresh(folder: Path, trees: dict[Path, SyntaxTree],
           edited: Path) -> tuple[dict[Path, list[Diagnostic]], str]:
    """A fresh workspace's diagnostics of every file and symbols of ``edited``, from the same
    trees (support.fresh)."""
    with fresh_workspace(folder, trees) as ws:
        diags = {p: ws.diagnostics_for(p.as_posix(), "previous") for p in trees}
        symbols = repr(ws.analysis_for(edited.as_posix()).document_symbols(edited.as_posix()))
    return diags, symbols


def _edit(rng: random.Random, data: bytes) -> tuple[int, int, bytes]:
    """A byte range and its new text: a token typed at the end of a top-level item or of a
    token (or anywhere), one byte typed over, or a few bytes deleted."""
    roll = rng.random()
    ends = [i for i in range(1, len(data)) if data[i:i + 2] == b"}\n"
            and data[i - 1:i] == b"\n"]
    if roll < 0.25 and ends:
        # At the end of a top-level item (just before, at or after its closing brace), where
        # the declarations kept from the last lowering end.
        at = rng.choice(ends) + rng.choice((-1, 0, 1, 2))
        if rng.random() < 0.3:
            return at, at + 1, b""
        return at, at, rng.choice(TYPED).encode()
    if roll < 0.45:
        # One byte typed over (a name's letter, a keyword's, punctuation): nothing moves, so
        # every declaration keeps its place and only its text tells it changed.
        at = rng.randrange(len(data))
        return at, at + 1, rng.choice(b"xyz-;,{}<").to_bytes(1, "big")
    if roll < 0.8:
        at = token_end(rng, data)
        return at, at, rng.choice(TYPED).encode()
    at = rng.randrange(len(data))
    return at, min(len(data), at + rng.randint(1, 6)), b""


@pytest.mark.parametrize("seed", [1, 2])
def test_token_edits_in_a_large_package_equal_a_fresh_analysis(tmp_path: Path,
                                                               seed: int) -> None:
    folder = tmp_path / "ws"
    (folder / "wit").mkdir(parents=True)
    paths = [folder / "wit" / name for name in ("a.wit", "b.wit", "c.wit")]
    bases = dict(zip(paths, (A, B, C), strict=True))
    for p, text in bases.items():
        p.write_text(text, encoding="utf-8")
    ws = Workspace()
    ws.add_folder(folder.as_uri(), folder.as_posix())
    texts = {p: text.encode() for p, text in bases.items()}
    versions = dict.fromkeys(paths, 1)
    for p, text in bases.items():
        ws.open(p.as_uri(), p.as_posix(), 1, text)
    rng = random.Random(seed)
    broken_answers = 0
    for _step in range(400):
        target = rng.choice([paths[0], paths[0], paths[1], paths[2]])
        versions[target] += 1
        broken = ws.documents[target.as_posix()].tree.root.has_error
        if rng.random() < (0.15 if broken else 0.02):
            texts[target] = bases[target].encode()
            ws.change(target.as_posix(), versions[target], [bases[target]])
        else:
            start, end, new = _edit(rng, texts[target])
            texts[target] = texts[target][:start] + new + texts[target][end:]
            ws.change(target.as_posix(), versions[target], [TextEdit(start, end, new)])
        got = {p: ws.diagnostics_for(p.as_posix(), "previous")
               for p in sorted(paths, key=lambda p: p != target)}
        symbols = repr(ws.analysis_for(target.as_posix()).document_symbols(target.as_posix()))
        trees = {p: ws.documents[p.as_posix()].tree for p in paths}
        assert trees[target].source == texts[target]
        broken_answers += trees[target].root.has_error
        expected, fresh_symbols = _fresh(folder, trees, target)
        for p in paths:
            assert _key(got[p]) == _key(expected[p]), (p.name, texts[p].decode("utf-8", "replace"))
        assert symbols == fresh_symbols, texts[target].decode("utf-8", "replace")
    # Both kinds of answers were compared, often: broken files and mended ones.
    assert 80 < broken_answers < 360


def _line_end_edit(rng: random.Random, data: bytes) -> tuple[int, int, bytes]:
    """A letter (or a few) typed at the end of a line, or the last byte of a line deleted:
    what typing at the end of a line of a large package does (the file mostly breaks, and the
    declarations stay what they were)."""
    ends = [i for i in range(1, len(data)) if data[i:i + 1] == b"\n" and data[i - 1:i] != b"\n"]
    at = rng.choice(ends)
    if rng.random() < 0.2:
        return at - 1, at, b""
    return at, at, rng.choice([b"x", b"x", b"e", b"1", b"-", b"xy", b";", b","])


@pytest.mark.parametrize("seed", [3, 4])
def test_keystrokes_answered_from_the_last_analysis_equal_a_fresh_one(
        tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Token-changing keystrokes whose file keeps its lowering at moved places are answered
    from the last analysis, without resolving again (`Workspace._pending`), over several
    keystrokes before anything asks for a current analysis: each answer (every file's
    diagnostics, help notes included) must equal a fresh workspace's, and so must the analysis
    made when one is asked for. The moved answers must be taken often (else this tests
    nothing)."""
    folder = tmp_path / "ws"
    (folder / "wit").mkdir(parents=True)
    paths = [folder / "wit" / name for name in ("a.wit", "b.wit", "c.wit")]
    bases = dict(zip(paths, (A, B, C), strict=True))
    for p, text in bases.items():
        p.write_text(text, encoding="utf-8")
    ws = Workspace()
    ws.add_folder(folder.as_uri(), folder.as_posix())
    texts = {p: text.encode() for p, text in bases.items()}
    versions = dict.fromkeys(paths, 1)
    for p, text in bases.items():
        ws.open(p.as_uri(), p.as_posix(), 1, text)
    for p in paths:
        ws.diagnostics_for(p.as_posix(), "previous")
    answered = {True: 0, False: 0}
    original = Workspace._token_diagnostics

    def counted(self: Workspace, *args: object) -> list[Diagnostic] | None:
        found = original(self, *args)  # type: ignore[arg-type]
        answered[found is not None] += 1
        return found

    monkeypatch.setattr(Workspace, "_token_diagnostics", counted)
    rng = random.Random(seed)
    for _step in range(300):
        target = rng.choice([paths[0], paths[0], paths[1], paths[2]])
        versions[target] += 1
        broken = ws.documents[target.as_posix()].tree.root.has_error
        roll = rng.random()
        if roll < (0.1 if broken else 0.01):
            texts[target] = bases[target].encode()
            ws.change(target.as_posix(), versions[target], [bases[target]])
        else:
            start, end, new = (_line_end_edit if roll < 0.7 else _edit)(rng, texts[target])
            texts[target] = texts[target][:start] + new + texts[target][end:]
            ws.change(target.as_posix(), versions[target], [TextEdit(start, end, new)])
        got = {p: ws.diagnostics_for(p.as_posix(), "previous")
               for p in sorted(paths, key=lambda p: p != target)}
        trees = {p: ws.documents[p.as_posix()].tree for p in paths}
        current = rng.random() < 0.2
        symbols = repr(ws.analysis_for(target.as_posix()).document_symbols(
            target.as_posix())) if current else ""
        expected, fresh_symbols = _fresh(folder, trees, target)
        for p in paths:
            assert _key(got[p]) == _key(expected[p]), (p.name, texts[p].decode("utf-8", "replace"))
        if current:
            assert symbols == fresh_symbols, texts[target].decode("utf-8", "replace")
    assert answered[True] > 150, answered
    assert answered[False] > 20, answered
