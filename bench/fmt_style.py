"""Canonical style: ``wit-ls fmt`` applied to what ``wasm-tools component wit DIR`` prints.

    python bench/fmt_style.py [--show N]

For every package of the corpus that wasm-tools accepts (both verdicts.tsv files, `ok`), the
printed text is formatted twice:

1. with an unlimited line width: the result must equal the printed text after the deliberate
   differences of docs/formatting.md, applied here by independent text rules (an empty body
   `{` + `}` on the next line becomes `{}`; runs of blank lines become one; no blank lines at
   the end of the file);
2. with the default width (100): every changed block of lines must contain a line of the
   printed text that is over the width.

Prints the share of packages with no other change, and the first differences otherwise.
"""

from __future__ import annotations

import argparse
import difflib
import sys

import _paths  # noqa: F401
from fmt.canonical import accepted_packages, deliberate, printed
from support.oracle import corpus_dir, wasm_tools

from wit_ls.fmt import FormatOptions, format_text

WIDTH = 100


def over_width_hunks_only(expected: str, formatted: str) -> bool:
    old = expected.splitlines()
    new = formatted.splitlines()
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag != "equal" and not any(len(line) > WIDTH for line in old[i1:i2]):
            return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", type=int, default=3, help="differences to print")
    args = parser.parse_args()
    tool = wasm_tools()
    if tool is None or corpus_dir("real") is None:
        print("needs wasm-tools and ../shared/corpus")
        return 2
    total = clean = wrapped = 0
    failures: list[tuple[str, str, str]] = []
    unprinted = 0
    for path in accepted_packages():
        text = printed(tool, path)
        if text is None:
            unprinted += 1
            continue
        total += 1
        expected = deliberate(text)
        unlimited = format_text(text, FormatOptions(line_width=10**9))
        formatted = format_text(text, FormatOptions(line_width=WIDTH))
        ok = unlimited == expected and over_width_hunks_only(expected, formatted)
        if ok:
            clean += 1
            wrapped += formatted != expected
        else:
            failures.append((path, expected, unlimited if unlimited != expected else formatted))
    for path, expected, got in failures[: args.show]:
        print(f"== {path}")
        diff = difflib.unified_diff(expected.splitlines(True), got.splitlines(True), n=1)
        sys.stdout.writelines(list(diff)[:40])
    print(f"packages printed by wasm-tools: {total} (not printable: {unprinted})")
    print(f"no change beyond the deliberate differences and over-width lines: {clean}/{total} "
          f"= {100 * clean / max(total, 1):.1f}% ({wrapped} of them with lines wrapped)")
    return 0 if clean * 100 >= 99 * total else 1


if __name__ == "__main__":
    raise SystemExit(main())
