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


def _opened_abc(tmp_path: Path) -> tuple[Workspace, Path, list[Path], dict[Path, str]]:
    """A workspace with the package of A, B and C (``wit/a.wit``...) written and opened: the
    workspace, its folder, the three paths and their texts."""
    folder = tmp_path / "ws"
    (folder / "wit").mkdir(parents=True)
    paths = [folder / "wit" / name for name in ("a.wit", "b.wit", "c.wit")]
    bases = dict(zip(paths, (A, B, C), strict=True))
    for p, text in bases.items():
        p.write_text(text, encoding="utf-8")
    ws = Workspace()
    ws.add_folder(folder.as_uri(), folder.as_posix())
    for p, text in bases.items():
        ws.open(p.as_uri(), p.as_posix(), 1, text)
    return ws, folder, paths, bases


@pytest.mark.parametrize("seed", [1, 2])
def test_token_edits_in_a_large_package_equal_a_fresh_analysis(tmp_path: Path,
                                                               seed: int) -> None:
    ws, folder, paths, bases = _opened_abc(tmp_path)
    texts = {p: text.encode() for p, text in bases.items()}
    versions = dict.fromkeys(paths, 1)
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
    ws, folder, paths, bases = _opened_abc(tmp_path)
    texts = {p: text.encode() for p, text in bases.items()}
    versions = dict.fromkeys(paths, 1)
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


USER = ("package demo:http@0.2.0;\n\ninterface user {\n  use types.{fields0, method1, options2};\n"
        "  go: func(f: borrow<fields0>, m: method1) -> options2;\n}\n")


@pytest.mark.parametrize("seed", [5, 6])
def test_keystrokes_inside_one_big_interface_equal_a_fresh_analysis(
        tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that is mostly one big interface (as wasi-http's `types.wit` is): keystrokes
    inside it keep the lowering of its members the edit did not touch (`model.relower`), and
    those answered from the last analysis compare only the members around the edit
    (`token_moves._inside_moved`). Every answer must equal a fresh workspace's (no lowering
    kept, every diagnostic computed anew), and both shortcuts must be taken often."""
    from support.big_interface import big_interface

    from wit_ls.model import token_moves

    folder = tmp_path / "ws"
    (folder / "wit").mkdir(parents=True)
    big, user = folder / "wit" / "types.wit", folder / "wit" / "user.wit"
    bases = {big: big_interface(6), user: USER}
    for p, text in bases.items():
        p.write_text(text, encoding="utf-8")
    ws = Workspace()
    ws.add_folder(folder.as_uri(), folder.as_posix())
    for p, text in bases.items():
        ws.open(p.as_uri(), p.as_posix(), 1, text)
        ws.diagnostics_for(p.as_posix(), "previous")
    inside = {True: 0, False: 0, None: 0}
    original = token_moves._inside_moved

    def counted(*args: object) -> bool | None:
        found = original(*args)  # type: ignore[arg-type]
        inside[found] += 1
        return found

    monkeypatch.setattr(token_moves, "_inside_moved", counted)
    text = bases[big].encode()
    rng = random.Random(seed)
    for version in range(2, 202):
        if ws.documents[big.as_posix()].tree.root.has_error and rng.random() < 0.3:
            text = bases[big].encode()
            ws.change(big.as_posix(), version, [bases[big]])
        else:
            start, end, new = (_line_end_edit if rng.random() < 0.6 else _edit)(rng, text)
            text = text[:start] + new + text[end:]
            ws.change(big.as_posix(), version, [TextEdit(start, end, new)])
        got = {p: ws.diagnostics_for(p.as_posix(), "previous") for p in (big, user)}
        trees = {p: ws.documents[p.as_posix()].tree for p in (big, user)}
        current = rng.random() < 0.25
        symbols = repr(ws.analysis_for(big.as_posix()).document_symbols(
            big.as_posix())) if current else ""
        expected, fresh_symbols = _fresh(folder, trees, big)
        for p in (big, user):
            assert _key(got[p]) == _key(expected[p]), (p.name, text.decode("utf-8", "replace"))
        if current:
            assert symbols == fresh_symbols, text.decode("utf-8", "replace")
    assert inside[True] > 25, inside
    assert inside[False] + inside[None] > 5, inside


# Edits that change declarations inside one interface or world of A, B or C (a needle and what
# it becomes, at one of its places): new and renamed cases, fields and types, a record renamed
# under its users, gates, handles of non-resources, a `use` added or commented out (a new or
# lost dependency), a world's imports and exports changed, a letter at a line's end.
DECLARATION_EDITS = [
    (b"{ none", b"{ none, extra"), (b"{ none", b"{ nonx"), (b"a: u32,", b"a: u32, z: u8,"),
    (b"a: u32,", b""), (b"{ read, write }", b"{ read, write, exec }"),
    (b"{ red, green }", b"{ red, red }"), (b"record rec-", b"record recx-"),
    (b"borrow<res-", b"borrow<rec-"), (b"constructor(x: u32);", b"constructor(x: u32) -> u8;"),
    (b"  run-", b"  type extra = u8;\n  run-"), (b"-> result<u32, string>;", b"-> result<u32, s>;"),
    (b"  record rec-", b"  @unstable(feature = f)\n  record rec-"),
    (b"  record rec-", b"  @since(version = 9.0.0)\n  record rec-"),
    (b"  use ", b"  use a0.{rec-a0};\n  use "), (b"  use ", b"  // "),
    (b"  use ", b"  use a6.{rec-a6};\n  use "), (b"import a0;", b"import a1;"),
    (b"export b5;", b"export b4;"), (b"  import b2;", b"  import b2;\n  import b3;"),
    (b"rec-a1);", b"rec-a2);"), (b"tuple<u8, ", b"tuple<borrow<res-x>, "),
    (b" }\n", b"x }\n"), (b";\n", b";x\n"),
]


def _declaration_edit(rng: random.Random, data: bytes) -> tuple[int, int, bytes] | None:
    """One of :data:`DECLARATION_EDITS` at one of its needle's places in ``data``, as the one
    edit between the text before and after (None when its needle is not there)."""
    needle, replacement = rng.choice(DECLARATION_EDITS)
    places = [i for i in range(len(data)) if data.startswith(needle, i)]
    if not places:
        return None
    at = rng.choice(places)
    new = data[:at] + replacement + data[at + len(needle):]
    prefix = 0
    while prefix < min(len(data), len(new)) and data[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while (suffix < min(len(data), len(new)) - prefix
           and data[len(data) - 1 - suffix] == new[len(new) - 1 - suffix]):
        suffix += 1
    return prefix, len(data) - suffix, new[prefix:len(new) - suffix]


@pytest.mark.parametrize("seed", [7, 8])
def test_declaration_edits_inside_one_interface_equal_a_fresh_analysis(
        tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Edits that change the declarations inside one interface or world of a package of many
    interfaces over three files are answered by resolving again only that item and the items
    whose answers depend on it (`wit_ls.model.reresolve`: kept objects for the others; the
    items that name a changed one resolved again while its surface changed). Every answer
    (every file's diagnostics, help notes included) must equal a fresh workspace's, and so
    must the analysis made when one is asked for. Both the answers that resolve the changed
    item alone and those that resolve its users again must be taken often."""
    from wit_ls.model import reresolve

    ws, folder, paths, bases = _opened_abc(tmp_path)
    texts = {p: text.encode() for p, text in bases.items()}
    versions = dict.fromkeys(paths, 1)
    for p in paths:
        ws.diagnostics_for(p.as_posix(), "previous")
    taken = {"answered": 0, "fell back": 0, "users again": 0}
    original = reresolve.reresolved_diagnostics
    replace = reresolve._Reuse._replace

    def counted(*args: object) -> list[Diagnostic] | None:
        found = original(*args)  # type: ignore[arg-type]
        taken["answered" if found is not None else "fell back"] += 1
        return found

    def replaced(self: reresolve._Reuse, *args: object) -> None:
        taken["users again"] += 1
        replace(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(reresolve, "reresolved_diagnostics", counted)
    monkeypatch.setattr(reresolve._Reuse, "_replace", replaced)
    rng = random.Random(seed)
    for _step in range(200):
        target = rng.choice(paths)
        versions[target] += 1
        edit = _declaration_edit(rng, texts[target])
        if edit is None or rng.random() < 0.25:
            texts[target] = bases[target].encode()
            ws.change(target.as_posix(), versions[target], [bases[target]])
        else:
            start, end, new = edit
            texts[target] = texts[target][:start] + new + texts[target][end:]
            ws.change(target.as_posix(), versions[target], [TextEdit(start, end, new)])
        got = {p: ws.diagnostics_for(p.as_posix(), "previous")
               for p in sorted(paths, key=lambda p: p != target)}
        trees = {p: ws.documents[p.as_posix()].tree for p in paths}
        current = rng.random() < 0.3
        symbols = repr(ws.analysis_for(target.as_posix()).document_symbols(
            target.as_posix())) if current else ""
        expected, fresh_symbols = _fresh(folder, trees, target)
        for p in paths:
            assert _key(got[p]) == _key(expected[p]), (p.name, texts[p].decode("utf-8", "replace"))
        if current:
            assert symbols == fresh_symbols, texts[target].decode("utf-8", "replace")
    assert taken["answered"] > 40, taken
    assert taken["users again"] > 20, taken


DEPS = ("package bench:deps@1.0.0;\n\ninterface da {\n  record t-a { x: u32 }\n}\n\n"
        "interface dc {\n  record t-c { x: u32 }\n}\n\n"
        "interface db {\n  use dc.{t-c};\n  f: func(x: t-c);\n}\n\n"
        "world dw {\n  export db;\n  export da;\n}\n")


@pytest.mark.parametrize("edit", [b"  use da.{t-a};\n", b"  type t-d = u8;\n"])
def test_a_dependency_gained_through_another_interface_reaches_the_world(
        tmp_path: Path, edit: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    """`dc` starts (or does not) to use `da`: `db`, which uses `dc`, then depends on `da`
    through it, though nothing `db` itself declares changed, and the world exporting `db`
    before `da` reports that it depends on `da` in incompatible ways. Resolving only what
    depends on the change (`wit_ls.model.reresolve`) must reach the world through `db`
    (what an item shows others includes the interfaces it depends on, transitively); the
    answer must equal a fresh workspace's, and come without analysing the package whole."""
    from wit_ls.model import reresolve

    folder = tmp_path / "ws"
    folder.mkdir()
    path = folder / "d.wit"
    path.write_text(DEPS, encoding="utf-8")
    ws = Workspace()
    ws.add_folder(folder.as_uri(), folder.as_posix())
    ws.open(path.as_uri(), path.as_posix(), 1, DEPS)
    assert ws.diagnostics_for(path.as_posix(), "previous") == []
    answers: list[bool] = []
    original = reresolve.reresolved_diagnostics

    def counted(*args: object) -> list[Diagnostic] | None:
        found = original(*args)  # type: ignore[arg-type]
        answers.append(found is not None)
        return found

    monkeypatch.setattr(reresolve, "reresolved_diagnostics", counted)
    at = DEPS.encode().index(b"  record t-c")
    ws.change(path.as_posix(), 2, [TextEdit(at, at, edit)])
    got = ws.diagnostics_for(path.as_posix(), "previous")
    expected, _ = _fresh(folder, {path: ws.documents[path.as_posix()].tree}, path)
    assert _key(got) == _key(expected[path])
    assert [d.code for d in got] == (["incompatible-export"] if b"da" in edit else [])
    assert answers == [True]
