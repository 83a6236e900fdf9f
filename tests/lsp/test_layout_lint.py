"""A lint pass after keystrokes that change no token reads the last analysis through the edits
(``wit_ls.model.moved``) instead of analysing the package again; its findings (every rule on)
must equal a fresh workspace's lint pass of the same trees. Random edits (mostly those, and
edits that change tokens, break the file and mend it) on two files of one package, the edited
file linted after each, as the server lints it: in passes that keep findings per item."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from lint.test_incremental import PACKAGE
from lsp.test_layout_edits import A, B, _edit, _key
from lsp.test_token_edits import _line_end_edit
from support.fresh import fresh_workspace

from wit_ls.lint.registry import RULES
from wit_ls.lsp import workspace as workspace_module
from wit_ls.lsp.workspace import Workspace
from wit_ls.model.api import Analysis, RootAnalysis
from wit_ls.model.moved import MovedAnalysis
from wit_ls.syntax import Diagnostic, SyntaxTree, TextEdit

# A second file for test_incremental's package, whose items use each other, deprecated and
# gated: names resolved across files and interfaces; and types too large for the ABI.
C = """package example:incr@0.2.0;

/// More.
@since(version = 0.2.0)
interface extra {
  use types.{rec, old, thing};
  @since(version = 0.2.0)
  paint: func(r: rec, o: old, t: borrow<thing>) -> result<rec, string>;
  /// Too large for the Canonical ABI (abi-size-limit, read through moved analyses).
  @since(version = 0.2.0)
  type samples = list<u64, 4294967295>;
  @since(version = 0.2.0)
  load: func(into: list<u64, 4294967295>, n: u32);
}
"""

CONFIG = "[lint]\nselect = [" + ", ".join(f'"{rule.name}"' for rule in RULES) + "]\n"


def _long_edit(rng: random.Random, text: str) -> tuple[int, int, str]:
    """Byte range and new text: a long run of blanks typed next to a blank, or one deleted
    (positions after it move far: past the names around it), else one of `_edit`'s."""
    data = text.encode("utf-8")
    if rng.random() < 0.5:
        runs = [(m.start(), m.end()) for m in re.finditer(rb"[ \n]{12,}", data)]
        if runs and rng.random() < 0.4:
            low, high = rng.choice(runs)
            return low + 1, high - 1, ""
        blanks = [i for i, b in enumerate(data) if b in b" \n"]
        if blanks:
            at = rng.choice(blanks)
            return at, at, rng.choice([" " * 40, "\n" * 12, " \n" * 9])
    return _edit(rng, text)


def _lint(ws: Workspace, path: Path) -> tuple[list[Diagnostic], object]:
    job = ws.lint_job(path.as_posix())
    assert job is not None
    job.run()
    assert job.error is None, job.error
    assert ws.finish_lint(job)
    assert job.findings is not None
    # What the server shows: the pass's findings, as the objects of the last pass where
    # equal (the forms of those sent are kept by object).
    return ws.lint_results[path.as_posix()], job.analysis


def _fresh(folder: Path, trees: dict[Path, SyntaxTree], path: Path) -> list[Diagnostic]:
    with fresh_workspace(folder, trees) as ws:
        return _lint(ws, path)[0]


def _answers(view: object, paths: list[Path]) -> list[object]:
    """What lint may ask the model about ``paths``: every name's target, and whether each
    target is referenced and what it aliases."""
    assert isinstance(view, (MovedAnalysis, Analysis))
    out: list[object] = []
    for p in paths:
        targets = dict(view.reference_targets(p.as_posix()))
        out.append(sorted(targets.items()))
        out.append([(loc, view.is_referenced(loc), view.alias_target(loc))
                    for loc in sorted(set(targets.values()))])
    return out


@pytest.mark.parametrize(("seed", "texts"), [(3, (A, B)), (4, (PACKAGE, C))])
def test_lint_after_layout_edits_equals_a_fresh_pass(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int,
        texts: tuple[str, str]) -> None:
    through_moves, _tokens = _lint_after_edits(tmp_path, monkeypatch, seed, texts,
                                                      _long_edit)
    # Lint read the moved analysis often (and the comparison covered it).
    assert through_moves > 30


def _letters(rng: random.Random, text: str) -> tuple[int, int, str]:
    """Mostly a letter typed at a line end, or a line's last byte deleted (`_line_end_edit`:
    the file breaks and its declarations stay what they were), or a trailing comma typed or
    deleted after a list's last member (the file stays valid, its declarations as they were:
    every model answer after it is a moved one), else one of `_long_edit`'s."""
    roll = rng.random()
    if roll < 0.3:
        return _long_edit(rng, text)
    if roll < 0.55:
        data = text.encode("utf-8")
        commas = [m.start() for m in re.finditer(rb",\s*[})>]", data)]
        lasts = [m.start() + 1 for m in re.finditer(rb"[A-Za-z0-9>)](?=\s*})", data)]
        if commas and (not lasts or rng.random() < 0.4):
            at = rng.choice(commas)
            return at, at + 1, ""
        if lasts:
            at = rng.choice(lasts)
            return at, at, ","
    start, end, new = _line_end_edit(rng, text.encode("utf-8"))
    return start, end, new.decode()


@pytest.mark.parametrize(("seed", "texts"), [(5, (A, B)), (6, (PACKAGE, C))])
def test_lint_after_keystrokes_that_keep_the_declarations_equals_a_fresh_pass(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int,
        texts: tuple[str, str]) -> None:
    """After a token-changing keystroke that leaves the file's declarations as they were, at
    moved positions (``wit_ls.model.token_moves``), lint reads the last analysis through that
    edit too."""
    through_moves, through_tokens = _lint_after_edits(tmp_path, monkeypatch, seed, texts,
                                                      _letters)
    assert through_tokens > 40, (through_moves, through_tokens)


def _lint_after_edits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int,
                      texts: tuple[str, str],
                      edit: Callable[[random.Random, str], tuple[int, int, str]],
                      ) -> tuple[int, int]:
    """Random edits, the edited file linted after each and compared with a fresh pass; how
    many passes read the moved analysis, and how many of them through a token-changing
    edit."""
    folder = tmp_path / "ws"
    (folder / "wit").mkdir(parents=True)
    (folder / "wit-ls.toml").write_text(CONFIG, encoding="utf-8")
    paths = [folder / "wit" / "a.wit", folder / "wit" / "b.wit"]
    bases = dict(zip(paths, texts, strict=True))
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
    current = dict(bases)
    versions = {p: 1 for p in paths}
    for p, text in current.items():
        ws.open(p.as_uri(), p.as_posix(), 1, text)
    rng = random.Random(seed)
    through_moves = through_tokens = 0
    for _step in range(250):
        target = paths[0] if rng.random() < 0.75 else paths[1]
        versions[target] += 1
        broken = ws.documents[target.as_posix()].tree.root.has_error
        if rng.random() < (0.4 if broken else 0.05):
            current[target] = bases[target]
            ws.change(target.as_posix(), versions[target], [bases[target]])
        else:
            start, end, new = edit(rng, current[target])
            data = current[target].encode("utf-8")
            changed = data[:start] + new.encode() + data[end:]
            current[target] = changed.decode("utf-8", "replace")
            if current[target].encode("utf-8") != changed:
                current[target] = bases[target]  # cut a character in two: start again
                ws.change(target.as_posix(), versions[target], [bases[target]])
            else:
                ws.change(target.as_posix(), versions[target], [TextEdit(start, end,
                                                                         new.encode())])
        # The server's first answer (from the moved analysis when it can), then the pass.
        ws.diagnostics_for(target.as_posix(), "previous")
        before = len(analysed)
        got, seen = _lint(ws, target)
        if isinstance(seen, MovedAnalysis):
            through_moves += 1
            through_tokens += bool(ws._pending)
            assert len(analysed) == before  # the package was not analysed again
        trees = {q: ws.documents[q.as_posix()].tree for q in paths}
        assert _key(got) == _key(_fresh(folder, trees, target)), (target.name, current[target])
        if isinstance(seen, MovedAnalysis) and ws._pending:
            # (Checked directly: lint asks only some of these about a broken file.)
            with fresh_workspace(folder, trees) as fresh:
                expected = _answers(fresh.analysis_for(target.as_posix()), paths)
            assert _answers(seen, paths) == expected, (target.name, current[target])
    return through_moves, through_tokens
