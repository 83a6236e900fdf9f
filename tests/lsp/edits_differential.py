"""The server's incremental answers on your own folder of package roots, after random edits,
compared with a fresh analysis of the same text.

    python tests/lsp/edits_differential.py DIR [--edits N] [--seed S] [SUBSET ...]

Each subfolder and each ``.wit`` file of DIR is a package root (as for
``tests/model/conformance.py --roots DIR``). Each root is copied to a temporary folder, its own
``.wit`` files (not ``deps/``) are opened in two workspaces as an editor would, and N random
edits (default 40) are made to them, one at a time: a name written over with another name
of the file, a line deleted or doubled, letters, keywords and punctuation typed at the end of a
token or anywhere, one byte typed over, a few bytes deleted, whitespace and comment text, and
now and then the file put back as it was. After each edit:

* the first workspace (never linted, as the server's fast first answer) must give every open
  file the same diagnostics, and the edited file the same symbols, reference targets,
  resolved JSON and usage lens places, as a fresh workspace made from the same trees; the
  places of the usage lenses and of the definitions, found without making the symbols, must
  be the symbols' (in both);
* the second workspace goes as the server does: a first answer without fresh lint findings
  after each edit, and after about half of them (a pause in typing) a lint pass of each file
  edited since the last one (in the server's lint job, reusing the findings and facts kept
  from the passes before); each such file's diagnostics with lint findings must equal a fresh
  workspace's full pass, and the nodes by type the pass kept for it (per top-level item,
  ``wit_ls.lint.kept_nodes``) a walk of its tree.

It prints one line per difference or internal error and the totals; the exit code is 1 when
there is a problem. Nothing in DIR is changed.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

from support.fresh import fresh_workspace  # noqa: E402
from support.random_edits import token_end  # noqa: E402
from tree_sitter import Node  # noqa: E402

from wit_ls.features.common import flatten_symbols  # noqa: E402
from wit_ls.lint.context import walk  # noqa: E402
from wit_ls.lsp.workspace import Workspace  # noqa: E402
from wit_ls.model.resolved import Loc  # noqa: E402
from wit_ls.syntax import Diagnostic, TextEdit  # noqa: E402

TYPED = ["x", "e", "-", "1", "A", "u32", "record", "interface", "world", ";", ",", "{", "}",
         "<", ">", "(", ")", ":", "@", "%", "func", " use ", "\n}\n", "type t = u8;", "/// d\n",
         ".", "/", "*", " ", "\n", "\t", "// c\n", "/* c */", "borrow<", "result<", "é"]


def _key(diags: list[Diagnostic]) -> list[tuple[object, ...]]:
    return [(d.start, d.end, d.message, d.code, d.severity, d.path, d.related, d.tags,
             sorted((k, repr(v)) for k, v in (d.data or {}).items())) for d in diags]


WORD = re.compile(rb"%?[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


def _edit(rng: random.Random, data: bytes) -> tuple[int, int, bytes]:
    roll = rng.random()
    words = list(WORD.finditer(data)) if roll < 0.3 else []
    if roll < 0.2 and words:
        # A name (or keyword) written over with another one of the file's: references move
        # from one definition to another, uses become unused or used again.
        old = rng.choice(words)
        return old.start(), old.end(), rng.choice(words).group()
    if roll < 0.3 and data:
        # A whole line deleted (a `use`, a member, a header) or doubled.
        at = data.rfind(b"\n", 0, rng.randrange(len(data))) + 1
        end = data.find(b"\n", at)
        end = len(data) if end < 0 else end + 1
        return (at, end, b"") if rng.random() < 0.7 else (at, at, data[at:end])
    if roll < 0.6 and data:
        at = token_end(rng, data)
        return at, at, rng.choice(TYPED).encode()
    if roll < 0.75 and data:
        at = rng.randrange(len(data))
        return at, at + 1, rng.choice(b"xyz-;,{}<: ").to_bytes(1, "big")
    if data:
        at = rng.randrange(len(data))
        return at, min(len(data), at + rng.randint(1, 8)), b""
    return 0, 0, b"package a:b;\n"


DEFINED = re.compile(rb"^[ \t]+(?:record|variant|enum|flags|type|resource) (%?[a-z][a-z0-9-]*)",
                     re.M)
CASES = re.compile(rb"^[ \t]+(?:variant|enum|flags) %?[a-z][a-z0-9-]* \{", re.M)
MEMBER = re.compile(rb"^[ \t]+[@%a-z][^\n]*\n", re.M)
ITEM = re.compile(rb"^(?:interface|world) (%?[a-z][a-z0-9-]*)", re.M)


def _declaration_edit(rng: random.Random, data: bytes) -> tuple[int, int, bytes] | None:
    """An edit that changes the declarations inside one interface or world and leaves the
    others as they were (what `wit_ls.model.reresolve` answers without resolving the package
    whole): a type renamed (its users lose it), a case added, a new alias of one of the
    file's names or a new `use` of one of its interfaces before a member; None when the file
    has no such place."""
    roll = rng.random()
    if roll < 0.35:
        found = list(DEFINED.finditer(data))
        if found:
            name = rng.choice(found)
            return name.end(1), name.end(1), rng.choice([b"x", b"-new", b"2"])
    if roll < 0.5:
        found = list(CASES.finditer(data))
        if found:
            at = rng.choice(found).end()
            return at, at, rng.choice([b" zz-case,", b" zz-case(u8),", b" none,"])
    members = list(MEMBER.finditer(data))
    if not members:
        return None
    at = rng.choice(members).start()
    words = [m.group() for m in WORD.finditer(data)]
    items = [m.group(1) for m in ITEM.finditer(data)]
    if roll < 0.8 or not items:
        return at, at, b"  type zz-alias = " + rng.choice(words) + b";\n"
    return at, at, b"  use " + rng.choice(items) + b".{" + rng.choice(words) + b"};\n"


def _utf8_boundary(data: bytes, at: int) -> int:
    """``at`` moved back to the start of the UTF-8 character holding it (an editor's edits
    never split one)."""
    while 0 < at < len(data) and (data[at] & 0xC0) == 0x80:
        at -= 1
    return at


def _answers(ws: Workspace, paths: list[Path], edited: Path) -> list[object]:
    out: list[object] = [_key(ws.diagnostics_for(p.as_posix(), "previous")) for p in paths]
    analysis = ws.analysis_for(edited.as_posix())
    out.append(repr(analysis.document_symbols(edited.as_posix())))
    out.append(sorted(analysis.reference_targets(edited.as_posix()).items()))
    out.append(repr(analysis.resolve_json()))
    out.append(_places(analysis, edited.as_posix()))
    return out


_LENS_KINDS = frozenset(["interface", "type", "record", "variant", "enum", "flags", "resource"])


def _places(analysis: Any, path: str) -> list[object]:
    """Where the usage lenses of ``path`` go and the definitions going to a definition
    searches, found without making the symbols; raises when they are not the symbols'."""
    declared = sorted(analysis.declared_types(path))
    symbols = sorted((Loc(path, *s.selection), s.kind)
                     for s in flatten_symbols(analysis.document_symbols(path))
                     if s.path == path and s.kind in _LENS_KINDS)
    if declared != symbols:
        raise AssertionError(f"declared types {declared} != the symbols' {symbols}")
    for root in analysis._roots:
        found = sorted(loc for locs in root.defs_by_path.values() for loc in locs)
        if found != sorted(root.by_loc):
            raise AssertionError("the definitions' places are not the symbols'")
    return declared


def _linted(ws: Workspace, path: Path) -> list[object]:
    """The diagnostics with fresh lint findings of ``path``, as the server computes them after
    a pause in typing (its lint job; see ``WitLanguageServer.fresh_lint``)."""
    if not ws.lint_is_fresh(path.as_posix()):
        job = ws.lint_job(path.as_posix())
        assert job is not None
        job.run()
        assert ws.finish_lint(job)
    return [_key(ws.diagnostics_for(path.as_posix(), "lint-cached")), _kept_nodes(ws, path)]


def _kept_nodes(ws: Workspace, path: Path) -> object:
    """Where the nodes of each type are, by the facts the lint pass kept for ``path`` (per
    top-level item, reused between passes: ``wit_ls.lint.kept_nodes``), else by a walk."""
    tree = ws.documents[path.as_posix()].tree
    walked = walk(tree.root)
    facts = ws._lint_facts.get(path.as_posix())
    kept = facts.by_type if facts is not None and facts.tree is tree else walked
    return _spans(kept, walked)


def _spans(kept: Mapping[str, list[Node]], walked: Mapping[str, list[Node]]) -> object:
    return {kind: [(n.start_byte, n.end_byte) for n in kept.get(kind, [])] for kind in walked}


def _compare(where: str, what: str, got: list[object], expected: list[object],
             problems: list[str]) -> bool:
    if got == expected:
        return True
    which = next(i for i, (a, b) in enumerate(zip(got, expected, strict=True)) if a != b)
    problems.append(f"{where}: {what} {which} differs from a fresh analysis:\n"
                    f"  incremental {str(got[which])[:400]}\n"
                    f"  fresh       {str(expected[which])[:400]}")
    return False


def _root(rel: str, source: Path, edits: int, seed: int, problems: list[str],
          declarations: float = 0.0) -> int:
    """Edit one root; returns how many answers were compared. ``declarations``: the share of
    edits that change declarations inside one interface or world (see
    :func:`_declaration_edit`)."""
    compared = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "ws"
        if source.is_file():
            folder.mkdir()
            shutil.copyfile(source, folder / source.name)
        else:
            shutil.copytree(source, folder, symlinks=False)
        paths = sorted(p for p in folder.rglob("*.wit")
                       if "deps" not in p.relative_to(folder).parts)
        if not paths:
            return 0
        bases = {p: p.read_bytes() for p in paths}
        try:
            for data in bases.values():
                data.decode("utf-8")
        except UnicodeDecodeError:
            return 0
        if any(b"\0" in data for data in bases.values()):
            return 0
        texts = dict(bases)
        versions = dict.fromkeys(paths, 1)
        spaces = (Workspace(), Workspace())
        for ws in spaces:
            ws.add_folder(folder.as_uri(), folder.as_posix())
            for p in paths:
                ws.open(p.as_uri(), p.as_posix(), 1, bases[p].decode("utf-8"))
        rng = random.Random(f"{seed}:{rel}")
        first, server = spaces
        dirty: set[Path] = set()
        for step in range(edits):
            target = rng.choice(paths)
            versions[target] += 1
            roll = rng.random()
            declared = _declaration_edit(rng, texts[target]) if roll < declarations else None
            if roll >= declarations and roll < declarations + 0.05:
                texts[target] = bases[target]
                change: TextEdit | str = bases[target].decode("utf-8")
            else:
                start, end, new = declared or _edit(rng, texts[target])
                start = _utf8_boundary(texts[target], start)
                end = max(start, _utf8_boundary(texts[target], end))
                texts[target] = texts[target][:start] + new + texts[target][end:]
                change = TextEdit(start, end, new)
            where = f"{rel} step {step} {target.relative_to(folder)}"
            try:
                for ws in spaces:
                    ws.change(target.as_posix(), versions[target], [change])
                got = _answers(first, paths, target)
                trees = {p: first.documents[p.as_posix()].tree for p in paths}
                with fresh_workspace(folder, trees) as fresh:
                    expected = _answers(fresh, paths, target)
                compared += 1
                if not _compare(where, "answer", got, expected, problems):
                    return compared
                server.diagnostics_for(target.as_posix(), "previous")
                dirty.add(target)
                if rng.random() < 0.5:
                    continue
                for path in sorted(dirty):
                    got = _linted(server, path)
                    trees = {p: server.documents[p.as_posix()].tree for p in paths}
                    with fresh_workspace(folder, trees) as fresh:
                        expected = [_key(fresh.diagnostics_for(path.as_posix(), "run"))]
                    walked = walk(trees[path].root)
                    expected.append(_spans(walked, walked))
                    compared += 1
                    if not _compare(f"{where} (lint of {path.relative_to(folder)})",
                                    "lint answer", got, expected, problems):
                        return compared
                dirty.clear()
            except Exception:
                problems.append(f"{where}: {traceback.format_exc(limit=3).strip()}")
                return compared
    return compared


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("subset", nargs="*", help="only these roots (names in DIR)")
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--declarations", type=float, default=0.3,
                        help="the share of edits that change declarations inside one "
                             "interface or world (default 0.3)")
    args = parser.parse_intermixed_args(argv)
    from wit_ls.model import reresolve

    reused = {True: 0, False: 0}
    original = reresolve.reresolved_diagnostics

    def counted(*args: Any) -> list[Diagnostic] | None:
        found = original(*args)
        reused[found is not None] += 1
        return found

    reresolve.reresolved_diagnostics = counted
    roots = sorted(p.name for p in args.dir.iterdir()
                   if p.is_dir() or p.suffix == ".wit")
    if args.subset:
        roots = [r for r in roots if r in set(args.subset)]
    problems: list[str] = []
    compared = 0
    for n, rel in enumerate(roots, 1):
        before = len(problems)
        compared += _root(rel, args.dir / rel, args.edits, args.seed, problems,
                          args.declarations)
        for line in problems[before:]:
            print(line, flush=True)
        if n % 25 == 0:
            print(f"... {n}/{len(roots)} roots, {compared} answers compared, "
                  f"{len(problems)} problems", flush=True)
    print(f"{len(roots)} roots, {compared} answers compared, {len(problems)} problems; "
          f"{reused[True]} answers resolved only the changed items again "
          f"({reused[False]} fell back to the whole package)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
