"""Lowering after an edit keeps the last lowering of every declaration, member and resource
method whose text and docs the edit did not change: as they were before the edit, moved
copies after it (`wit_ls.model.shift`). Over random edits inside one big interface (tokens
typed and deleted, the file broken and mended, docs and attributes edited), the result must
equal a lowering from scratch, field by field, with docs and without."""

from __future__ import annotations

import random

import pytest
from support.big_interface import big_interface
from support.random_edits import token_end

from wit_ls.model import lower as lowering
from wit_ls.model import shift
from wit_ls.model.items import FileItems, Interface, TypeDef
from wit_ls.syntax import TextEdit, apply_edits, parse

BASE = big_interface(8).encode()
TYPED = [b"x", b"-", b";", b",", b"}", b"{", b"<", b">", b" u32", b"use ", b"func", b"\n",
         b"(", b")", b":", b"@", b"%", b"/// more docs\n", b"// plain\n", b"/*", b"*/",
         b"resource r;", b"type t = u8;"]


def _edit(rng: random.Random, data: bytes) -> tuple[int, int, bytes]:
    """Mostly at the end of a token; in a comment; over a version's digit; a deletion."""
    roll = rng.random()
    if roll < 0.5:
        at = token_end(rng, data)
        return at, at, rng.choice(TYPED)
    if roll < 0.65:
        # Inside a comment (its text, or its `///` marker).
        starts = [i for i in range(len(data) - 3) if data[i:i + 2] in (b"//", b"/*")]
        at = rng.choice(starts) + rng.randint(0, 6)
        if rng.random() < 0.3:
            return at, min(len(data), at + 1), b""
        return at, at, rng.choice([b"a", b" ", b"/", b"*", b"\n", b"x y"])
    if roll < 0.75:
        # Over a version's digit (a gate's, a `use`'s, the package's).
        digits = [i for i in range(len(data) - 1) if data[i:i + 1].isdigit()
                  and data[i + 1:i + 2] in (b".", b")", b";", b" ")]
        at = rng.choice(digits)
        return at, at + 1, rng.choice([b"1", b"9", b"x", b""])
    at = rng.randrange(len(data))
    return at, min(len(data), at + rng.randint(1, 8)), b""


def _members(items: FileItems) -> list[object]:
    return [m for i in items.decls.interfaces for m in i.members]


@pytest.mark.parametrize("seed", [11, 12])
def test_kept_lowering_equals_a_fresh_one(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    moved = [0]
    real = shift.interface_member

    def counted(item: object, by: int) -> object:
        moved[0] += 1
        return real(item, by)  # type: ignore[arg-type]

    monkeypatch.setattr(shift, "interface_member", counted)
    rng = random.Random(seed)
    path = f"reuse-{seed}/types.wit"
    tree = parse(BASE)
    last = {docs: lowering.lower(tree, path, docs) for docs in (True, False)}
    same = broken = 0
    for _step in range(200):
        if tree.root.has_error and rng.random() < 0.1:
            tree = apply_edits(tree, [TextEdit(0, len(tree.source), BASE)])
        else:
            start, end, text = _edit(rng, tree.source)
            tree = apply_edits(tree, [TextEdit(start, end, text)])
        broken += tree.root.has_error
        for docs in (True, False):
            got = lowering.lower(tree, path, docs)
            fresh = lowering._Lowerer(tree, path, with_docs=docs).file()
            assert got == fresh, (docs, tree.source.decode("utf-8", "replace"))
            before = {id(m) for m in _members(last[docs])}
            same += sum(id(m) in before for m in _members(got))
            last[docs] = got
    # Edits broke the file often, and most members were kept each time: as they were (before
    # the edit) or moved (after it).
    assert 30 < broken < 190
    assert same > 200 * 2 * 10
    assert moved[0] > 200 * 2 * 10


def test_an_edit_inside_one_member_relowers_that_member_only() -> None:
    path = "reuse-one/types.wit"
    tree = parse(BASE)
    before = lowering.lower(tree, path)
    at = BASE.index(b"clone: func() -> fields5;") + len(b"clone")
    after = lowering.lower(apply_edits(tree, [TextEdit(at, at, b"x")]), path)
    old = next(i for i in before.decls.interfaces if i.name and i.name.text == "types")
    new = next(i for i in after.decls.interfaces if i.name and i.name.text == "types")
    assert isinstance(new, Interface) and len(new.members) == len(old.members)
    changed = [n for o, n in zip(old.members, new.members, strict=True) if o != n]
    # Only the resource holding the edit differs (the members after it are moved copies,
    # equal to a fresh lowering, see above); of its methods only the one edited was lowered.
    assert [m.name.text for m in changed[:1] if isinstance(m, TypeDef)] == ["fields5"]
    assert all(o.start + 1 == n.start for o, n in zip(old.members, new.members, strict=True)
               if o.start > at)
    kept = [m for m in new.members if any(m is o for o in old.members)]
    assert len(kept) == sum(1 for m in old.members if m.end <= at)


@pytest.mark.parametrize("seed", [13, 14])
def test_lowering_from_a_remembered_older_one_equals_a_fresh_one(seed: int) -> None:
    """An editor answering from an older analysis (`wit_ls.model.reresolve`) lowers the text
    now from that analysis' lowering (`lower.remember`), not from the last one made: that was
    of a text edited elsewhere since. The result must equal a lowering from scratch, and keep
    (mostly) the remembered lowering's members before the edit as they were."""
    rng = random.Random(seed)
    path = f"remember-{seed}/types.wit"
    base = parse(BASE)
    same = total = 0
    for _step in range(60):
        for docs in (True, False):
            kept = lowering.lower(base, path, docs)
            # Another text lowered since (an edit somewhere else, since undone).
            start, end, text = _edit(rng, base.source)
            lowering.lower(apply_edits(base, [TextEdit(start, end, text)]), path, docs)
            start, end, text = _edit(rng, base.source)
            now = apply_edits(base, [TextEdit(start, end, text)])
            lowering.remember(path, docs, base.source, kept)
            got = lowering.lower(now, path, docs)
            assert got == lowering._Lowerer(now, path, with_docs=docs).file(), (
                docs, now.source.decode("utf-8", "replace"))
            before = {id(m) for m in _members(kept) if m.end < start}
            same += len(before & {id(m) for m in _members(got)})
            total += len(before)
    # (A broken file may be parsed differently just before the edit: most, not all.)
    assert same > 0.8 * total > 1000
