"""The shared corpora as test cases: wit-parser's tests/ui suite and the real-world corpus.

Paths are kept relative to the corpus folder (``tests/ui/x.wit``), which is also the working
directory for ``wasm-tools``, so both tools report the same path strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from wit_ls.syntax import Diagnostic

# wit-parser messages of its lexer and parser (wit-spec.md §2.1, §2.2).
SYNTAX_MESSAGES = re.compile(
    r"^(expected |unexpected character|identifiers must have characters|invalid character in "
    r"identifier|unterminated block comment|Input contains bidirectional|Codepoint .* is "
    r"discouraged|Control code|invalid list size|type nesting too deep|package nesting too deep|"
    r"cannot place attributes on nested packages|unknown attribute|invalid leading zero|"
    r"unexpected end of input|empty identifier segment|invalid string|trailing tokens)"
)


@dataclass(frozen=True)
class SuiteCase:
    """One input as wit-parser's ``tests/all.rs`` feeds it (a file or a directory)."""

    rel: str  # relative to the corpus folder, e.g. tests/ui/parse-fail/bad-list.wit
    expected_error: bool  # the harness's expectation (parse-fail/)
    recorded: str  # verdicts.tsv: "ok" or "error"
    recorded_message: str

    @property
    def is_dir(self) -> bool:
        return not self.rel.endswith((".wit", ".wat", ".wasm", ".md"))

    @property
    def is_wit(self) -> bool:
        return self.is_dir or self.rel.endswith(".wit")


def suite_cases(corpus: Path) -> list[SuiteCase]:
    """Every case of tests/ui and tests/ui/parse-fail, with its recorded verdict."""
    recorded: dict[str, tuple[str, str]] = {}
    tsv = corpus / "verdicts.tsv"
    if tsv.exists():
        from support.oracle import read_tsv

        for row in read_tsv(tsv):
            recorded[row["path"]] = (row["verdict"], row.get("first_error_line", ""))
    cases = []
    for folder, expect_error in (("tests/ui", False), ("tests/ui/parse-fail", True)):
        base = corpus / folder
        for entry in sorted(base.iterdir()):
            name = entry.name
            if entry.is_dir():
                if name == "parse-fail":
                    continue
            elif not name.endswith((".wit", ".wat", ".wasm", ".md")):
                continue
            rel = f"{folder}/{name}"
            verdict, message = recorded.get(rel, ("", ""))
            cases.append(SuiteCase(rel, expect_error, verdict, message))
    return cases


def read_tree(base: Path, rel: str, suffixes: tuple[str, ...] = (".wit",)) -> dict[str, bytes]:
    """{relative posix path: bytes} of ``rel`` (a file) or of every matching file under it."""
    path = base / rel
    if path.is_file():
        return {rel: path.read_bytes()}
    out = {}
    for file in sorted(path.rglob("*")):
        if file.is_file() and file.name.endswith(suffixes):
            out[file.relative_to(base).as_posix()] = file.read_bytes()
    return out


def error_lines(source: dict[str, bytes], diagnostics: list[Diagnostic]) -> set[tuple[str, int]]:
    """{(path, 1-based line)} of every error."""
    out = set()
    for diag in diagnostics:
        if diag.severity != 1:
            continue
        data = source.get(diag.path.lstrip("/")) or source.get(diag.path)
        line = data[: diag.start].count(b"\n") + 1 if data is not None else 0
        out.add((diag.path.lstrip("/"), line))
    return out


def model_check(files: dict[str, bytes], root: str, *, features: frozenset[str] = frozenset(),
                all_features: bool = False, manifest_deps: bool = True) -> list[Diagnostic]:
    """The semantic model over an in-memory copy of ``files``."""
    from wit_ls.model import Options, analyze
    from wit_ls.model.fs import MemoryFileSystem

    options = Options(features=features, all_features=all_features, manifest_deps=manifest_deps)
    return list(analyze(MemoryFileSystem(files), [root], options).diagnostics)
