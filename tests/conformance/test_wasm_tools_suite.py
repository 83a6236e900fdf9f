"""Conformance with wit-parser's own test suite (../shared/corpus/wasm-tools-tests/tests/ui).

Every top-level file or directory of tests/ui and tests/ui/parse-fail is fed as wit-parser's
``tests/all.rs`` feeds it (feature ``active`` enabled) to the live oracle and to wit-ls:

* (a) the semantic model: same verdict (any error or none) in >= 99% of the cases, and where
  both report an error, an error of the model on the oracle's (file, line) in >= 95%;
* (c) the syntax layer: for every parse-fail case whose oracle error is a lexer or parser error
  (wit-spec.md §2.1/§2.2), ``wit-ls parse --check`` reports an error on the same line in >= 90%.

Run ``python tests/conformance/test_wasm_tools_suite.py`` to print the figures and every
disagreement (pytest prints them with ``-s``).
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from support.corpus import (
    SYNTAX_MESSAGES,
    SuiteCase,
    error_lines,
    model_check,
    read_tree,
    suite_cases,
)
from support.oracle import OracleResult, corpus_dir, run_oracle_many, wasm_tools, wit_ls_command

CORPUS = corpus_dir("wasm-tools-tests")
FEATURES = ("active",)
_CONTEXT = re.compile(r"^(?:failed to [^:]*: [^:\n]*: )+")

needs_corpus = pytest.mark.skipif(CORPUS is None, reason="../shared/corpus/wasm-tools-tests absent")
needs_oracle = pytest.mark.skipif(wasm_tools() is None, reason="wasm-tools not installed")


def core_message(result: OracleResult) -> str:
    """The oracle's first message without wit-parser's "failed to parse package: DIR: " context."""
    return _CONTEXT.sub("", result.first_message)


@lru_cache(maxsize=1)
def oracle_results() -> dict[str, OracleResult]:
    assert CORPUS is not None
    cases = suite_cases(CORPUS)
    jobs = [{"path": c.rel, "features": FEATURES, "cwd": CORPUS} for c in cases]
    return dict(zip([c.rel for c in cases], run_oracle_many(jobs), strict=True))


def _cases() -> list[SuiteCase]:
    assert CORPUS is not None
    return suite_cases(CORPUS)


# ---------------------------------------------------------------------------------------------
# The oracle agrees with its own recording (guards this harness: paths, features, parsing).


@needs_corpus
@needs_oracle
def test_live_oracle_matches_recorded_verdicts() -> None:
    results = oracle_results()
    cases = _cases()
    assert len(cases) == 224
    differ = [c.rel for c in cases if c.recorded and (results[c.rel].ok != (c.recorded == "ok"))]
    assert not differ, f"live wasm-tools disagrees with verdicts.tsv on {differ}"
    # Recorded first lines are the live ones (context prefix included).
    for case in cases:
        if case.recorded == "error":
            assert results[case.rel].first_message == case.recorded_message, case.rel


# ---------------------------------------------------------------------------------------------
# (c) the syntax layer, through `wit-ls parse --check`


@dataclass
class SyntaxReport:
    total: int
    hits: list[str]
    misses: list[tuple[str, str, str]]  # (case, oracle location + message, what wit-ls said)

    @property
    def rate(self) -> float:
        return len(self.hits) / self.total if self.total else 1.0

    def render(self) -> str:
        lines = [f"parse --check on lexer/parser parse-fail cases: {len(self.hits)}/{self.total} "
                 f"same line ({100 * self.rate:.1f}%)"]
        for case, oracle, ours in self.misses:
            lines.append(f"  MISS {case}\n       wasm-tools: {oracle}\n       wit-ls:     {ours}")
        return "\n".join(lines)


_CHECK_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<message>.*)$")


def syntax_report() -> SyntaxReport:
    assert CORPUS is not None
    results = oracle_results()
    chosen = [c for c in _cases() if c.expected_error and not results[c.rel].ok
              and SYNTAX_MESSAGES.match(core_message(results[c.rel]))]
    proc = subprocess.run([*wit_ls_command(), "parse", "--check", *[c.rel for c in chosen]],
                          cwd=CORPUS, capture_output=True, text=True, check=False)
    reported: dict[tuple[str, int], list[str]] = {}
    by_file: dict[str, list[str]] = {}
    for line in proc.stdout.splitlines():
        m = _CHECK_LINE.match(line)
        if m:
            reported.setdefault((m["path"], int(m["line"])), []).append(m["message"])
            by_file.setdefault(m["path"], []).append(f"{m['line']}:{m['col']}: {m['message']}")
    hits, misses = [], []
    for case in chosen:
        res = results[case.rel]
        where = f"{res.path}:{res.line}:{res.column}: {core_message(res)}"
        if (res.path, res.line) in reported:
            hits.append(case.rel)
        else:
            ours = [f"{p}:{x}" for p, xs in by_file.items()
                    if p == case.rel or p.startswith(case.rel + "/") for x in xs]
            misses.append((case.rel, where, "; ".join(ours) or "no error"))
    return SyntaxReport(len(chosen), hits, misses)


@needs_corpus
@needs_oracle
def test_parse_check_reports_lexer_and_parser_errors_on_the_same_line() -> None:
    report = syntax_report()
    print("\n" + report.render())
    assert report.total >= 20, "the selection of lexer/parser cases looks wrong"
    assert report.rate >= 0.90, report.render()


# ---------------------------------------------------------------------------------------------
# (a) the semantic model


@dataclass
class ModelReport:
    compared: int
    verdict_agree: int
    both_error: int
    line_agree: int
    disagreements: list[str]
    skipped: list[str]

    def render(self) -> str:
        v = 100 * self.verdict_agree / max(1, self.compared)
        l_ = 100 * self.line_agree / max(1, self.both_error)
        lines = [f"model vs wasm-tools on tests/ui: verdict {self.verdict_agree}/{self.compared} "
                 f"({v:.1f}%), same line {self.line_agree}/{self.both_error} ({l_:.1f}%)"]
        lines += [f"  {d}" for d in self.disagreements]
        lines += [f"  skipped {s}" for s in self.skipped]
        return "\n".join(lines)


def model_report() -> ModelReport:
    assert CORPUS is not None
    results = oracle_results()
    report = ModelReport(0, 0, 0, 0, [], [])
    for case in _cases():
        if not case.is_wit:
            report.skipped.append(f"{case.rel} (not WIT text)")
            continue
        # Every file, as wasm-tools sees it (deps/ may hold .wat and .wasm packages).
        files = read_tree(CORPUS, case.rel, ("",))
        res = results[case.rel]
        try:
            diags = model_check(files, case.rel, features=frozenset(FEATURES))
        except Exception as err:  # a crash is a disagreement, not a harness failure
            report.compared += 1
            report.disagreements.append(f"CRASH {case.rel}: {type(err).__name__}: {err}")
            continue
        errors = [d for d in diags if d.severity == 1]
        report.compared += 1
        if bool(errors) == (not res.ok):
            report.verdict_agree += 1
        else:
            ours = errors[0].message if errors else "ok"
            theirs = "ok" if res.ok else core_message(res)
            report.disagreements.append(
                f"VERDICT {case.rel}: wasm-tools {theirs!r}, wit-ls {ours!r}")
            continue
        if res.ok:
            continue
        report.both_error += 1
        if res.line is None or (res.path, res.line) in error_lines(files, errors):
            report.line_agree += 1
        else:
            ours = sorted(error_lines(files, errors))[:3]
            report.disagreements.append(
                f"LINE {case.rel}: wasm-tools {res.path}:{res.line} {core_message(res)!r}, "
                f"wit-ls {ours} {errors[0].message!r}")
    return report


@needs_corpus
@needs_oracle
def test_model_agrees_with_wasm_tools_on_the_suite() -> None:
    report = model_report()
    print("\n" + report.render())
    assert report.compared >= 220
    assert report.verdict_agree / report.compared >= 0.99, report.render()
    assert report.line_agree / max(1, report.both_error) >= 0.95, report.render()


if __name__ == "__main__":
    if CORPUS is None or wasm_tools() is None:
        sys.exit("needs ../shared/corpus/wasm-tools-tests and wasm-tools")
    print(syntax_report().render())
    print(model_report().render())
