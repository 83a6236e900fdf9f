"""The editor features, the formatter and rename on your own folder of package roots, with
wasm-tools as the judge where there is one.

    python tests/features/roots_differential.py DIR [--renames N] [--no-fmt] [SUBSET]

Each subfolder and each ``.wit`` file of DIR is a package root (as for
``tests/model/conformance.py --roots DIR``). For every root it checks that:

* every editor feature (hover, definition, type definition, references, highlights,
  completion, type hierarchy, selection ranges, folding, symbols, semantic tokens, inlay hints,
  links, code lenses, code actions) answers at every token boundary of the root's own files
  without raising;
* formatting a copy of the root (``wit-ls fmt --include-deps``) leaves
  ``wasm-tools component wit --json`` of it unchanged, and a second ``fmt --check`` finds
  nothing to change;
* ``wit-ls lint`` of it ends with exit code 0 or 1, without an internal error;
* in a root wasm-tools accepts, N seeded random renames (default 3 per file) leave a package
  wasm-tools still accepts.

It prints one line per problem and the totals; the exit code is 1 when there is a problem.
Nothing in DIR is changed (copies are made in a temporary folder).
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

from tree_sitter import Node

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

from support.features import RootOnDisk, edited_files  # noqa: E402
from support.oracle import wasm_tools  # noqa: E402

from wit_ls.features import (  # noqa: E402
    code_actions,
    completion,
    hierarchy,
    hints,
    hover,
    navigation,
    semantic_tokens,
    structure,
    symbols,
    usage,
)
from wit_ls.features.common import FeatureContext  # noqa: E402
from wit_ls.syntax import SyntaxTree  # noqa: E402

NEW_NAME = "zz-renamed"


class Report:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.calls = self.renames = self.formatted = 0

    def guard(self, what: str, call: Callable[[], object]) -> object:
        self.calls += 1
        try:
            return call()
        except Exception:
            self.problems.append(f"{what}: {traceback.format_exc(limit=2).strip()}")
            return None


def _leaves(tree: SyntaxTree) -> list[Node]:
    out: list[Node] = []
    stack = [tree.root]
    while stack:
        node = stack.pop()
        if node.child_count == 0:
            out.append(node)
        stack.extend(node.children)
    return out


def _accepted(tool: str, path: Path) -> tuple[bool, str]:
    done = subprocess.run([tool, "component", "wit", str(path)], capture_output=True,
                          text=True, check=False)
    return done.returncode == 0, done.stderr


def _features(report: Report, files: dict[str, bytes], trees: dict[str, SyntaxTree],
              ctxs: dict[str, FeatureContext]) -> None:
    for path, ctx in ctxs.items():
        _file_features(report, path, ctx, trees[path], len(files[path]))


def _file_features(report: Report, path: str, ctx: FeatureContext, tree: SyntaxTree,
                   size: int) -> None:
    for name, call in (
        ("folding", lambda: structure.folding_ranges(tree)),
        ("symbols", lambda: symbols.document_symbols(tree)),
        ("semantic tokens", lambda: semantic_tokens.semantic_tokens(tree)),
        ("inlay hints", lambda: hints.inlay_hints(ctx, 0, size)),
        ("links", lambda: hints.document_links(ctx)),
        ("code lenses", lambda: usage.usage_lenses(ctx)),
        ("code actions", lambda: code_actions.code_actions(
            ctx, 0, size, ctx.analysis.diagnostics_for(path))),
    ):
        report.guard(f"{path}: {name}", call)
    offsets = sorted({n.start_byte for n in _leaves(tree)} | {size})
    at_offset: tuple[tuple[str, Callable[[int], object]], ...] = (
        ("hover", lambda o: hover.hover(ctx, o)),
        ("definition", lambda o: navigation.definition(ctx, o)),
        ("type definition", lambda o: navigation.type_definition(ctx, o)),
        ("references", lambda o: navigation.references(ctx, o, True)),
        ("highlights", lambda o: navigation.highlights(ctx, o)),
        ("completion", lambda o: completion.complete(ctx, o)),
        ("type hierarchy", lambda o: hierarchy.prepare(ctx, o)),
    )
    for offset in offsets:
        for name, feature in at_offset:
            report.guard(f"{path}:{offset}: {name}", lambda f=feature, o=offset: f(o))
    report.guard(f"{path}: selection ranges", lambda: structure.selection_ranges(tree, offsets))


def _renames(report: Report, tool: str, rel: str, files: dict[str, bytes],
             trees: dict[str, SyntaxTree], ctxs: dict[str, FeatureContext], per_file: int,
             scratch: Path) -> None:
    picker = random.Random(rel)
    for path, ctx in ctxs.items():
        names = [n for n in _leaves(trees[path]) if n.type == "identifier"]
        for ident in picker.sample(names, min(per_file, len(names))):
            result = report.guard(f"{path}:{ident.start_byte}: rename", lambda c=ctx, i=ident: (
                navigation.rename(c, i.start_byte, NEW_NAME, None, True)))
            if not isinstance(result, navigation.RenameResult) or result.error is not None:
                continue
            report.renames += 1
            out = scratch / f"rename-{report.renames}"
            for name, data in edited_files(files, result.edits).items():
                (out / name).parent.mkdir(parents=True, exist_ok=True)
                (out / name).write_bytes(data)
            ok, stderr = _accepted(tool, out / rel)
            if not ok:
                old = trees[path].node_text(ident)
                first = stderr.strip().splitlines()[0] if stderr.strip() else ""
                report.problems.append(f"{path}:{ident.start_byte}: renaming `{old}` made the "
                                       f"package invalid: {first}")
            shutil.rmtree(out)


def _fmt(report: Report, tool: str, root: Path, scratch: Path) -> None:
    copy = scratch / "fmt" / root.name
    if root.is_dir():
        shutil.copytree(root, copy, symlinks=False)
    else:
        copy.parent.mkdir(parents=True)
        shutil.copy(root, copy)

    def resolved() -> bytes:
        return subprocess.run([tool, "component", "wit", "--json", str(copy)],
                              capture_output=True, check=False).stdout

    wit_ls = [sys.executable, "-m", "wit_ls"]
    before = resolved()
    first = subprocess.run([*wit_ls, "fmt", "--include-deps", str(copy)], capture_output=True,
                           text=True, check=False)
    if "Traceback" in first.stderr:
        report.problems.append(f"{root.name}: fmt failed: {first.stderr.strip()[-300:]}")
    report.formatted += 1
    if resolved() != before:
        report.problems.append(f"{root.name}: formatting changed wasm-tools' --json output")
    again = subprocess.run([*wit_ls, "fmt", "--check", "--include-deps", str(copy)],
                           capture_output=True, text=True, check=False)
    if first.returncode == 0 and again.returncode != 0:
        report.problems.append(f"{root.name}: a second fmt would change the formatted files")
    lint = subprocess.run([*wit_ls, "lint", str(copy)], capture_output=True, text=True,
                          check=False)
    if lint.returncode > 1 or "internal-error" in lint.stdout or "Traceback" in lint.stderr:
        report.problems.append(f"{root.name}: lint ended with {lint.returncode}: "
                               f"{(lint.stdout + lint.stderr).strip()[-300:]}")
    shutil.rmtree(scratch / "fmt")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("subset", nargs="?", default="")
    parser.add_argument("--renames", type=int, default=3, help="renames per file (default 3)")
    parser.add_argument("--no-fmt", action="store_true", help="skip fmt and lint")
    args = parser.parse_args()
    tool = wasm_tools()
    if tool is None:
        print("wasm-tools not found (install the dev dependencies)", file=sys.stderr)
        return 2
    base: Path = args.dir.resolve()
    roots = sorted(p for p in base.iterdir()
                   if (p.is_dir() or p.suffix == ".wit") and args.subset in p.name)
    report = Report()
    with tempfile.TemporaryDirectory() as temporary:
        scratch = Path(temporary)
        for root in roots:
            rel = root.name
            loaded = RootOnDisk(base, rel)
            files, trees, ctxs = loaded.files, loaded.trees, loaded.contexts
            _features(report, files, trees, ctxs)
            if args.renames and _accepted(tool, root)[0]:
                _renames(report, tool, rel, files, trees, ctxs, args.renames, scratch)
            if not args.no_fmt:
                _fmt(report, tool, root, scratch)
    for problem in report.problems:
        print(problem)
    print(f"roots: {len(roots)}; feature calls: {report.calls}; renames checked with wasm-tools: "
          f"{report.renames}; formatted and re-resolved: {report.formatted}; problems: "
          f"{len(report.problems)}")
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
