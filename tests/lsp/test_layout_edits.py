"""Keystrokes that change no token (whitespace typed or deleted between tokens, text typed
inside a comment) are answered from the last analysis with its positions moved, without
analysing the package again; the answer must equal a fresh analysis of the new text. A
thousand random edits (those, and edits that change tokens, break the file and mend it) on
two open files of one package, each file's answer compared with a fresh workspace's after each
(2,000 comparisons)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from support.fresh import fresh_workspace

from wit_ls.lsp import workspace as workspace_module
from wit_ls.lsp.workspace import Workspace
from wit_ls.model.api import RootAnalysis
from wit_ls.syntax import Diagnostic, SyntaxTree, TextEdit

A = """// Licence text.
package example:app@1.0.0;

/// The types.
interface types {
  /// A point.
  record point { x: u32, y: u32 }
  @since(version = 1.0.0)
  type old = u8;
  type legacy = float32;
  enum color { red, green }
  resource blob {
    constructor(size: u32);
    read: func(n: u32) -> list<u8>;
  }
  // a comment   with   spaces
  area: func(p: point) -> u64;
  /* block
     comment */
  flags perms { read, write }
}

world app {
  import types;
  export run: func(s: string) -> result<_, string>;
}
"""

B = """/// Other docs.
package example:app@1.0.0;

interface extra {
  use types.{point, color};
  variant shape { dot(point), none }
  paint: func(c: color, s: shape);
}

world app {}
"""

BLANKS = [" ", "\n", "\t", "  ", "\n\n", " \n"]
COMMENT_PIECES = ["x", " ", "record", "a b", "*", "/", "\n", "é", "\t"]
PIECES = ["x", "}", "{", ";", "// c\n", "/// d\n", "u32", ",", "(", "<", "@", "%", "\"", "/*"]


def _key(diags: list[Diagnostic]) -> list[tuple[object, ...]]:
    return [(d.start, d.end, d.message, d.code, d.severity, d.path, d.related, d.tags,
             sorted((k, repr(v)) for k, v in (d.data or {}).items())) for d in diags]


def _fresh(folder: Path, trees: dict[Path, SyntaxTree], path: Path) -> list[Diagnostic]:
    """A fresh workspace's diagnostics of ``path``, from the same trees (support.fresh)."""
    with fresh_workspace(folder, trees) as ws:
        return ws.diagnostics_for(path.as_posix(), "previous")


def _edit(rng: random.Random, text: str) -> tuple[int, int, str]:
    """Byte range and new text: mostly whitespace typed or deleted somewhere."""
    data = text.encode("utf-8")
    roll = rng.random()
    if roll < 0.4:
        at = rng.randrange(len(data) + 1)
        return at, at, rng.choice(BLANKS)
    if roll < 0.55:
        # Inside or next to a comment: words, and what could end or open one.
        spans = [m.span() for m in re.finditer(rb"//[^\n]*|/\*.*?\*/", data, re.S)]
        if spans:
            low, high = rng.choice(spans)
            at = rng.randint(low, high)
            if rng.random() < 0.3 and at < high:
                return at, at + 1, ""
            return at, at, rng.choice(COMMENT_PIECES)
    if roll < 0.8:
        blanks = [i for i, b in enumerate(data) if b in b" \t\n"]
        if blanks:
            at = rng.choice(blanks)
            return at, at + 1, ""
    if roll < 0.92:
        at = rng.randrange(len(data) + 1)
        return at, at, rng.choice(PIECES)
    at = rng.randrange(len(data) + 1)
    return at, min(len(data), at + rng.randint(1, 4)), ""


def test_layout_edits_are_answered_from_the_last_analysis_and_equal_a_fresh_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "ws"
    (folder / "wit").mkdir(parents=True)
    paths = [folder / "wit" / "a.wit", folder / "wit" / "b.wit"]
    bases = {paths[0]: A, paths[1]: B}
    for p, text in bases.items():
        p.write_text(text, encoding="utf-8")
    analysed: list[str] = []
    original = workspace_module.analyze_root

    def counting(*args: object, **kwargs: object) -> RootAnalysis:
        analysed.append(str(args[1]))
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(workspace_module, "analyze_root", counting)
    ws = Workspace()
    ws.add_folder(folder.as_uri(), folder.as_posix())
    texts = dict(bases)
    versions = {p: 1 for p in paths}
    for p, text in texts.items():
        ws.open(p.as_uri(), p.as_posix(), 1, text)
    rng = random.Random(12)
    answered_without_analysis = 0
    for _step in range(1000):
        target = paths[0] if rng.random() < 0.75 else paths[1]
        versions[target] += 1
        broken = ws.documents[target.as_posix()].tree.root.has_error
        if rng.random() < (0.4 if broken else 0.05):
            texts[target] = bases[target]
            ws.change(target.as_posix(), versions[target], [bases[target]])
        else:
            start, end, new = _edit(rng, texts[target])
            data = texts[target].encode("utf-8")
            texts[target] = (data[:start] + new.encode() + data[end:]).decode("utf-8", "replace")
            if texts[target].encode("utf-8") != data[:start] + new.encode() + data[end:]:
                texts[target] = bases[target]  # cut a character in two: start again
                ws.change(target.as_posix(), versions[target], [bases[target]])
            else:
                ws.change(target.as_posix(), versions[target],
                          [TextEdit(start, end, new.encode())])
        for p in sorted(paths, key=lambda p: p != target):
            before = len(analysed)
            got = ws.diagnostics_for(p.as_posix(), "previous")
            # The edited file's package changed: only the moved answer needs no analysis.
            answered_without_analysis += p == target and len(analysed) == before
            trees = {q: ws.documents[q.as_posix()].tree for q in paths}
            assert trees[p].source.decode("utf-8") == texts[p]
            assert _key(got) == _key(_fresh(folder, trees, p)), (p.name, texts[p])
    # The moved answers were used, often (and the comparison above covered them).
    assert answered_without_analysis > 120
