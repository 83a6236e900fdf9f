"""``wit-ls rules``: list the lint rules, or print one rule's documentation."""

from __future__ import annotations

import argparse
import json
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", nargs="?", metavar="NAME",
                        help="a rule name or code: print its documentation")
    parser.add_argument("--format", choices=["table", "json"], default="table",
                        help="output format (default: table)")


def _data(rule: object) -> dict[str, object]:
    from wit_ls.lint.config import PRESETS, preset_levels
    from wit_ls.lint.registry import RULES_BY_NAME
    from wit_ls.lint.rule import Rule

    assert isinstance(rule, Rule)
    return {
        "name": rule.name, "code": rule.code, "category": rule.category,
        "default_level": rule.default_level, "fix": rule.fix, "summary": rule.summary,
        "presets": {p: preset_levels(p, RULES_BY_NAME)[rule.name] for p in PRESETS},
        "tags": list(rule.tags), "options": dict(rule.options), "url": rule.url,
        "what": rule.what, "why": rule.why, "bad": rule.bad, "good": rule.good,
        "fix_doc": rule.fix_doc,
    }


def run(args: argparse.Namespace) -> int:
    from wit_ls.lint.docs import rule_markdown
    from wit_ls.lint.registry import RULES, lookup

    if args.name:
        rule = lookup(args.name)
        if rule is None:
            print(f"wit-ls: unknown rule `{args.name}` (see `wit-ls rules`)", file=sys.stderr)
            return 2
        if args.format == "json":
            sys.stdout.write(json.dumps(_data(rule), indent=2) + "\n")
        else:
            sys.stdout.write(rule_markdown(rule, "#"))
        return 0
    if args.format == "json":
        sys.stdout.write(json.dumps([_data(r) for r in RULES], indent=2) + "\n")
        return 0
    rows = [("CODE", "NAME", "CATEGORY", "DEFAULT", "FIX", "SUMMARY")]
    rows += [(r.code, r.name, r.category, r.default_level, r.fix, r.summary) for r in RULES]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    for row in rows:
        cells = [c.ljust(w) for c, w in zip(row, widths, strict=False)]
        sys.stdout.write("  ".join(cells) + "  " + row[5] + "\n")
    return 0
