"""The server's incremental answers on your own folder of package roots, after random edits,
compared with a fresh analysis of the same text.

    python tests/lsp/edits_differential.py DIR [--edits N] [--seed S] [SUBSET ...]

Each subfolder and each ``.wit`` file of DIR is a package root (as for
``tests/model/conformance.py --roots DIR``). Each root is copied to a temporary folder, its own
``.wit`` files (not ``deps/``) are opened in two workspaces as an editor would, and N random
edits (default 40) are made to them, one at a time: letters, keywords and punctuation typed at
the end of a token or anywhere, one byte typed over, a few bytes deleted, whitespace and
comment text, and now and then the file put back as it was. After each edit:

* the first workspace (never linted, as the server's fast first answer) must give every open
  file the same diagnostics, and the edited file the same symbols, reference targets and
  resolved JSON, as a fresh workspace made from the same trees;
* the second workspace lints every file after each edit (its findings kept per item from the
  edits before); its diagnostics with lint findings must equal a fresh workspace's full pass.

It prints one line per difference or internal error and the totals; the exit code is 1 when
there is a problem. Nothing in DIR is changed.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

from support.fresh import fresh_workspace  # noqa: E402
from support.random_edits import token_end  # noqa: E402

from wit_ls.lsp.workspace import Workspace  # noqa: E402
from wit_ls.syntax import Diagnostic, TextEdit  # noqa: E402

TYPED = ["x", "e", "-", "1", "A", "u32", "record", "interface", "world", ";", ",", "{", "}",
         "<", ">", "(", ")", ":", "@", "%", "func", " use ", "\n}\n", "type t = u8;", "/// d\n",
         ".", "/", "*", " ", "\n", "\t", "// c\n", "/* c */", "borrow<", "result<", "é"]


def _key(diags: list[Diagnostic]) -> list[tuple[object, ...]]:
    return [(d.start, d.end, d.message, d.code, d.severity, d.path, d.related, d.tags,
             sorted((k, repr(v)) for k, v in (d.data or {}).items())) for d in diags]


def _edit(rng: random.Random, data: bytes) -> tuple[int, int, bytes]:
    roll = rng.random()
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


def _utf8_boundary(data: bytes, at: int) -> int:
    """``at`` moved back to the start of the UTF-8 character holding it (an editor's edits
    never split one)."""
    while 0 < at < len(data) and (data[at] & 0xC0) == 0x80:
        at -= 1
    return at


def _answers(ws: Workspace, paths: list[Path], edited: Path, lint: str) -> list[object]:
    out: list[object] = [_key(ws.diagnostics_for(p.as_posix(), lint)) for p in paths]
    if lint == "previous":
        analysis = ws.analysis_for(edited.as_posix())
        out.append(repr(analysis.document_symbols(edited.as_posix())))
        out.append(sorted(analysis.reference_targets(edited.as_posix()).items()))
        out.append(repr(analysis.resolve_json()))
    return out


def _root(rel: str, source: Path, edits: int, seed: int, problems: list[str]) -> int:
    """Edit one root; returns how many answers were compared."""
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
        for step in range(edits):
            target = rng.choice(paths)
            versions[target] += 1
            if rng.random() < 0.05:
                texts[target] = bases[target]
                change: TextEdit | str = bases[target].decode("utf-8")
            else:
                start, end, new = _edit(rng, texts[target])
                start = _utf8_boundary(texts[target], start)
                end = max(start, _utf8_boundary(texts[target], end))
                texts[target] = texts[target][:start] + new + texts[target][end:]
                change = TextEdit(start, end, new)
            where = f"{rel} step {step} {target.relative_to(folder)}"
            try:
                for ws in spaces:
                    ws.change(target.as_posix(), versions[target], [change])
                for ws, lint in zip(spaces, ("previous", "run"), strict=True):
                    got = _answers(ws, paths, target, lint)
                    trees = {p: ws.documents[p.as_posix()].tree for p in paths}
                    with fresh_workspace(folder, trees) as fresh:
                        expected = _answers(fresh, paths, target, lint)
                    compared += 1
                    if got != expected:
                        which = next(i for i, (a, b) in enumerate(zip(got, expected,
                                                                      strict=True)) if a != b)
                        problems.append(f"{where}: {lint} answer {which} differs from a fresh "
                                        f"analysis:\n  incremental {str(got[which])[:400]}\n"
                                        f"  fresh       {str(expected[which])[:400]}")
                        return compared
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
    args = parser.parse_intermixed_args(argv)
    roots = sorted(p.name for p in args.dir.iterdir()
                   if p.is_dir() or p.suffix == ".wit")
    if args.subset:
        roots = [r for r in roots if r in set(args.subset)]
    problems: list[str] = []
    compared = 0
    for n, rel in enumerate(roots, 1):
        before = len(problems)
        compared += _root(rel, args.dir / rel, args.edits, args.seed, problems)
        for line in problems[before:]:
            print(line, flush=True)
        if n % 25 == 0:
            print(f"... {n}/{len(roots)} roots, {compared} answers compared, "
                  f"{len(problems)} problems", flush=True)
    print(f"{len(roots)} roots, {compared} answers compared, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
