"""Completion that imports, on real packages: does wasm-tools accept what it writes?

    python bench/auto_import_oracle.py [--per-body 3] [--max 400] [--seed 1]

For every package root of ../shared/corpus/real that has a `deps/` folder and passes
`wasm-tools component wit` as it is, and for every interface and world body of its own files,
a probe is typed at the end of the body (`zz-probe: func(p: |);`, in a world `import
zz-probe: func(p: |);`, with the body's `@unstable` gate when it has one) and completion is
asked at the cursor. Up to ``--per-body`` of the items
that import a type (chosen at random, seeded) are each chosen: the label replaces the cursor,
the `use` edit is applied, and the package goes to `wasm-tools component wit`. Prints how many
of the completed texts it accepts, and the first rejections with wasm-tools' message.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import _paths  # noqa: F401  (tests/support on sys.path)
from support.oracle import run_oracle, run_oracle_many, shared_dir, wasm_tools
from tree_sitter import Node

from wit_ls.features.auto_import import import_edits
from wit_ls.features.common import FeatureContext
from wit_ls.features.completion import complete
from wit_ls.model import MemoryFileSystem, Options, analyze
from wit_ls.syntax import parse


def _roots(real: Path) -> list[Path]:
    roots = sorted({deps.parent for deps in real.rglob("deps") if deps.is_dir()
                    and "deps" not in deps.parent.relative_to(real).parts})
    return [root for root in roots if run_oracle(root).ok]


def _cases(root: Path, per_body: int, rng: random.Random) -> list[tuple[str, bytes]]:
    """(file, completed text) pairs for one package root."""
    files = {str(p): p.read_bytes() for p in root.rglob("*.wit")}
    own = [p for p in sorted(files) if "/deps/" not in p[len(str(root)):]]
    out: list[tuple[str, bytes]] = []
    for path in own:
        tree = parse(files[path])
        bodies = [n for n in _walk(tree.root) if n.type in ("interface_body", "world_body")]
        for body in bodies:
            if body.parent is None or body.parent.type not in ("interface_item", "world_item"):
                continue
            # In an `@unstable` item the probe carries the same gate, as its author would.
            gates = " ".join(tree.node_text(a) for a in body.parent.named_children
                             if a.type == "attribute" and tree.node_text(a).startswith(
                                 "@unstable"))
            probe = ("\n  " + (gates + " " if gates else "")
                     + ("import zz-probe: func(p: " if body.type == "world_body"
                        else "zz-probe: func(p: "))
            at = body.end_byte - 1
            data = files[path]
            text = data[:at] + probe.encode() + b");\n" + data[at:]
            cursor = at + len(probe.encode())
            memory = {**files, path: text}
            ctx = FeatureContext(path, parse(text), lambda memory=memory: analyze(
                MemoryFileSystem(memory), [str(root)], Options()))
            result = complete(ctx, cursor)
            items = [i for i in result.items if i.auto_import is not None]
            for item in rng.sample(items, min(per_body, len(items))):
                assert item.auto_import is not None
                edits = import_edits(ctx, result.replace_start, item.auto_import)
                done = text[:result.replace_start] + item.label.encode() + text[
                    result.replace_end:]
                for edit in sorted(edits, key=lambda e: -e.start):
                    done = done[:edit.start] + edit.new_text.encode() + done[edit.end:]
                out.append((path, done))
    return out


def _walk(node: Node) -> Iterator[Node]:
    yield node
    for child in node.children:
        yield from _walk(child)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-body", type=int, default=3)
    parser.add_argument("--max", type=int, default=400)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    shared = shared_dir()
    if shared is None or wasm_tools() is None:
        print("needs ../shared/corpus/real and wasm-tools")
        return
    rng = random.Random(args.seed)
    real = shared / "corpus" / "real"
    roots = _roots(real)
    with tempfile.TemporaryDirectory() as tmp:
        jobs: list[dict[str, object]] = []
        shown: list[tuple[Path, str]] = []
        for number, root in enumerate(roots):
            for path, done in _cases(root, args.per_body, rng):
                if len(jobs) >= args.max:
                    break
                copy = Path(tmp) / f"{number}-{len(jobs)}"
                shutil.copytree(root, copy, symlinks=False)
                target = copy / Path(path).relative_to(root)
                target.write_bytes(done)
                jobs.append({"path": copy})
                shown.append((target, path))
        verdicts = run_oracle_many(jobs)
        accepted = sum(v.ok for v in verdicts)
        print(f"{len(roots)} package roots with deps/; {len(jobs)} completions that import")
        print(f"wasm-tools accepts {accepted}/{len(jobs)} completed texts")
        rejected = [(v, path) for v, (_target, path) in zip(verdicts, shown, strict=True)
                    if not v.ok]
        for verdict, path in rejected[:5]:
            print(f"--- {path}\n{verdict.first_message}")


if __name__ == "__main__":
    main()
