"""(d) Differential mutation test: mutants of corpus inputs (tests/support/mutants.py), judged by
wasm-tools and by wit-ls.

* the syntax layer never reports an error in a mutant wasm-tools accepts, and reports one in
  (almost) every mutant wasm-tools rejects with a lexer or parser error;
* the model's verdict (any error or none) equals wasm-tools' in >= 98% of the mutants.

CI runs a few hundred; ``python bench/mutants.py`` runs 2,000 and prints the agreement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import pytest
from support.corpus import SYNTAX_MESSAGES, model_check
from support.mutants import Mutant, generate, run_oracle_on
from support.oracle import corpus_dir, wasm_tools

from wit_ls.syntax import parse

CI_COUNT = 300
_CONTEXT = re.compile(r"^(?:failed to [^:]*: [^:\n]*: )+")

pytestmark = [
    pytest.mark.skipif(corpus_dir("wasm-tools-tests") is None and corpus_dir("real") is None,
                       reason="../shared/corpus absent"),
    pytest.mark.skipif(wasm_tools() is None, reason="wasm-tools not installed"),
]


@dataclass
class Tally:
    total: int = 0
    syntax_false_positive: list[str] = field(default_factory=list)
    syntax_cases: int = 0
    syntax_missed: list[str] = field(default_factory=list)
    model_compared: int = 0
    model_disagree: list[str] = field(default_factory=list)

    def render(self) -> str:
        lines = [f"mutants: {self.total}"]
        lines.append(f"  syntax layer errors where wasm-tools accepts: "
                     f"{len(self.syntax_false_positive)}")
        hit = self.syntax_cases - len(self.syntax_missed)
        lines.append(f"  lexer/parser rejections seen by the syntax layer: "
                     f"{hit}/{self.syntax_cases}")
        if self.model_compared:
            agree = self.model_compared - len(self.model_disagree)
            lines.append(f"  model verdict agreement: {agree}/{self.model_compared} "
                         f"({100 * agree / self.model_compared:.1f}%)")
        for label, items in (("SYNTAX-FP", self.syntax_false_positive),
                             ("SYNTAX-MISS", self.syntax_missed),
                             ("MODEL", self.model_disagree)):
            lines += [f"  {label} {item}" for item in items]
        return "\n".join(lines)


def judge(mutants: list[Mutant], *, with_model: bool) -> Tally:
    tally = Tally(total=len(mutants))
    for m in mutants:
        assert m.oracle is not None
        core = _CONTEXT.sub("", m.oracle.first_message)
        syntax_errors = [f"{p}: {d.message}" for p, data in m.files.items()
                         if p.endswith(".wit") for d in parse(data).diagnostics]
        if m.oracle.ok and syntax_errors:
            tally.syntax_false_positive.append(f"{m.description}: {syntax_errors[0]}")
        if not m.oracle.ok and SYNTAX_MESSAGES.match(core):
            # Only errors of files the oracle read count (it skips some, e.g. nested deps/).
            tally.syntax_cases += 1
            if not syntax_errors:
                tally.syntax_missed.append(f"{m.description}: wasm-tools {core!r}")
        if with_model:
            tally.model_compared += 1
            try:
                diags = model_check(m.files, m.root)
            except Exception as err:
                tally.model_disagree.append(f"{m.description}: CRASH {type(err).__name__}: {err}")
                continue
            errors = [d for d in diags if d.severity == 1]
            if bool(errors) == m.oracle.ok:
                ours = errors[0].message if errors else "ok"
                theirs = "ok" if m.oracle.ok else core
                tally.model_disagree.append(
                    f"{m.description}: wasm-tools {theirs!r}, wit-ls {ours!r}")
    return tally


@lru_cache(maxsize=1)
def ci_mutants() -> tuple[Mutant, ...]:
    mutants = generate(CI_COUNT)
    run_oracle_on(mutants)
    return tuple(mutants)


def test_syntax_layer_agrees_with_wasm_tools_on_mutants() -> None:
    mutants = list(ci_mutants())
    assert len(mutants) == CI_COUNT
    tally = judge(mutants, with_model=False)
    print("\n" + tally.render())
    rejected = sum(1 for m in mutants if m.oracle is not None and not m.oracle.ok)
    assert rejected > CI_COUNT // 4, "mutants should break many inputs"
    assert len(tally.syntax_false_positive) <= CI_COUNT // 100, tally.render()
    assert len(tally.syntax_missed) <= max(1, tally.syntax_cases // 20), tally.render()


def test_model_verdicts_agree_with_wasm_tools_on_mutants() -> None:
    tally = judge(list(ci_mutants()), with_model=True)
    print("\n" + tally.render())
    agree = tally.model_compared - len(tally.model_disagree)
    assert agree / tally.model_compared >= 0.98, tally.render()
