"""Runs the rules over files, applies suppressions and reports the meta rules."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from wit_ls.lint.context import FileFacts, LintContext, PackageIndex, file_facts
from wit_ls.lint.registry import RULES_BY_NAME, category_table, resolution_table
from wit_ls.lint.rule import (
    LEVEL_SEVERITY,
    Applicability,
    CheckFn,
    Finding,
    Fix,
    FixEdit,
    Level,
    Rule,
)
from wit_ls.lint.rules._edits import remove_lines
from wit_ls.lint.suppression import Directive, RuleRef, parse_directives
from wit_ls.model.fs import normalize
from wit_ls.syntax import Diagnostic, Severity, SyntaxTree

if TYPE_CHECKING:
    from wit_ls.lint.incremental import ItemCache
    from wit_ls.model.moved import AnalysisView

INTERNAL_ERROR = "internal-error"
_META = ("unused-suppression", "invalid-suppression", "suppression-in-docs")


class LintCancelled(Exception):
    """Raised out of a lint run whose ``stop`` answered true (between two rules or files):
    the caller no longer wants its findings (the editor's text changed meanwhile)."""


# How many findings of one rule are collected between two questions to ``stop``.
_STOP_EVERY = 64


def _check_stop(stop: Callable[[], bool] | None) -> None:
    if stop is not None and stop():
        raise LintCancelled


def to_diagnostic(path: str, rule: Rule, level: Level, finding: Finding) -> Diagnostic:
    data: dict[str, object] = {
        "rule": rule.name,
        "code": rule.code,
        "category": rule.category,
        "url": rule.url,
        "level": level,
    }
    if finding.fix is not None:
        data["fix"] = finding.fix.to_data()
    return Diagnostic(
        finding.start, finding.end, finding.message, rule.name, LEVEL_SEVERITY[level], path,
        tags=tuple(dict.fromkeys(finding.tags or rule.tags)), data=data,
    )


def internal_error(path: str, rule: str, err: BaseException) -> Diagnostic:
    return Diagnostic(
        0, 0, f"internal error in rule `{rule}`: {type(err).__name__}: {err} (please report "
              "this; the rule was skipped for this file)",
        INTERNAL_ERROR, Severity.ERROR, path, data={"rule": rule},
    )


def lint_context(ctx: LintContext, levels: Mapping[str, Level],
                 stop: Callable[[], bool] | None = None,
                 items: ItemCache | None = None) -> list[Diagnostic]:
    """Run the enabled rules over one file and apply its suppression comments. ``stop`` is
    asked before each rule and every few findings; when it answers true the run ends with
    :class:`LintCancelled`. ``items``: the findings of the item rules kept from the last run
    over this file (see :mod:`wit_ls.lint.incremental`), reused where still valid and
    updated."""
    resolve = resolution_table()
    out: list[Diagnostic] = []
    try:
        directives = parse_directives(ctx, resolve, category_table())
    except Exception as err:  # never let broken input become a traceback
        directives = []
        out.append(internal_error(ctx.path, "suppressions", err))
    line_of = ctx.tree.line_index.line_of
    found: list[tuple[Rule, Level, Finding]] = []
    by_unit = _item_findings(ctx, levels, stop, items)
    parts: Mapping[str, tuple[object, CheckFn]] = {}
    if by_unit is not None:
        from wit_ls.lint.incremental import ITEM_PARTS as parts
    for name, level in levels.items():
        rule = RULES_BY_NAME.get(name)
        if rule is None or (rule.category == "meta" and name in _META):
            continue
        check = rule.check
        if by_unit is not None and name in by_unit:
            found.extend((rule, level, finding) for finding in by_unit[name])
            if name not in parts:
                continue
            check = parts[name][1]  # the part that reads package-wide facts
        _check_stop(stop)
        try:
            for count, finding in enumerate(check(ctx), 1):
                found.append((rule, level, finding))
                if count % _STOP_EVERY == 0:  # a rule with many findings is stopped midway
                    _check_stop(stop)
        except LintCancelled:
            raise
        except Exception as err:
            out.append(internal_error(ctx.path, name, err))

    def suppressed(rule: str, start: int, mark: bool) -> bool:
        if not directives:  # most files: no line to look up
            return False
        line = line_of(start)
        hit = False
        for directive in directives:
            ref = directive.covers(rule, line)
            if ref is not None:
                if not mark:
                    return True
                ref.used = True
                hit = True
        return hit

    # The diagnostics of the last run's findings, by finding (kept findings are the same
    # objects where their item did not move): made again only for new findings.
    made = items.diagnostics if items is not None else {}
    now: dict[int, tuple[Finding, Rule, Diagnostic]] = {}
    for rule, level, finding in found:
        if not suppressed(rule.name, finding.start, True):
            known = made.get(id(finding))
            if known is not None and known[0] is finding and known[1] is rule:
                diag = known[2]
            else:
                diag = to_diagnostic(ctx.path, rule, level, finding)
            now[id(finding)] = (finding, rule, diag)
            out.append(diag)
    if items is not None:
        items.diagnostics = now
    try:
        meta = list(_meta_findings(ctx, directives, levels))
    except Exception as err:
        meta = []
        out.append(internal_error(ctx.path, "suppressions", err))
    for name, finding in meta:
        if not suppressed(name, finding.start, False):
            out.append(to_diagnostic(ctx.path, RULES_BY_NAME[name], levels[name], finding))
    out.sort(key=lambda d: (d.start, d.end, d.code))
    return out


def _item_findings(ctx: LintContext, levels: Mapping[str, Level],
                   stop: Callable[[], bool] | None,
                   items: ItemCache | None) -> dict[str, list[Finding]] | None:
    """The findings of the enabled item rules, by rule, through the item cache; None
    without a cache, in a file with syntax errors, or when a rule failed (the rules then run
    whole)."""
    if items is None or ctx.tree.root.has_error:
        return None
    from wit_ls.lint.incremental import ITEM_PARTS, ITEM_RULES, lint_units

    rules = [(rule, level) for name, level in levels.items()
             if (name in ITEM_RULES or name in ITEM_PARTS)
             and (rule := RULES_BY_NAME.get(name)) is not None]
    found = lint_units(ctx, rules, items, lambda: _check_stop(stop))
    if found is None:
        items.entries.clear()
        return None
    out: dict[str, list[Finding]] = {rule.name: [] for rule, _ in rules}
    for rule, _level, finding in found:
        out[rule.name].append(finding)
    return out


def _meta_findings(ctx: LintContext, directives: list[Directive],
                   levels: Mapping[str, Level]) -> Iterable[tuple[str, Finding]]:
    if "invalid-suppression" in levels:
        for d in directives:
            for start, end, message in d.problems:
                yield "invalid-suppression", Finding(start, end, message)
            for ref in d.rules:
                if ref.rule is None:
                    yield "invalid-suppression", Finding(
                        ref.start, ref.end,
                        f"unknown rule `{ref.token}` in suppression (see `wit-ls rules`)")
    if "suppression-in-docs" in levels:
        for d in directives:
            target = ctx.comment_becomes_docs_of(d.comment)
            if target is None:
                continue
            name = target.child_by_field_name("name")
            what = f"`{ctx.text(name)}`" if name is not None else "the next item"
            yield "suppression-in-docs", Finding(
                d.comment.start_byte, d.comment.end_byte,
                f"wit-parser makes this comment part of the docs of {what}; put it between the "
                "item's gates and the item, or as `/* ... */` inside the item's line",
                _move_fix(ctx, d),
            )
    if "unused-suppression" in levels:
        for d in directives:
            valid = [r for r in d.rules if r.rule is not None]
            unused = [r for r in valid if not r.used
                      and any(m in levels and m not in _META for m in r.members)]
            if not unused:
                continue
            whole = len(unused) == len(d.rules)
            for ref in unused:
                yield "unused-suppression", Finding(
                    ref.start, ref.end,
                    f"unused suppression: no `{ref.rule}` finding here",
                    _remove_ref_fix(ctx, d, ref, whole), tags=("unnecessary",),
                )


def _remove_ref_fix(ctx: LintContext, d: Directive, ref: RuleRef, whole: bool) -> Fix:
    # A suppression that wit-parser folds into an item's docs is part of the package's
    # meaning (its docs): changing it is unsafe.
    applicability: Applicability = (
        "unsafe" if ctx.comment_becomes_docs_of(d.comment) is not None else "safe")
    if whole:
        comment = d.comment
        return Fix("Remove the suppression comment",
                   (remove_lines(ctx.tree, comment.start_byte, comment.end_byte),),
                   applicability)
    source = ctx.source
    start, end = ref.start, ref.end
    after = source[end:]
    m = re.match(rb"\s*,\s*", after)
    if m:
        end += m.end()
    else:
        before = source[: start]
        m2 = re.search(rb",\s*$", before)
        if m2:
            start = m2.start()
    return Fix(f"Remove `{ref.token}` from the suppression", (FixEdit(start, end, ""),),
               applicability)


def _move_fix(ctx: LintContext, d: Directive) -> Fix | None:
    comment = d.comment
    text = ctx.text(comment)
    nxt = ctx.next_token_offset(comment.end_byte)
    index = ctx.tree.line_index
    if not d.trailing and ctx.source[nxt : nxt + 1] == b"@":
        item = ctx.docs_target_at(nxt)
        if item is None:
            return None
        first = next((c for c in item.children if c.type not in ("attribute", "line_comment",
                                                                  "block_comment",
                                                                  "doc_comment")), None)
        if first is None:
            return None
        line_start = index.line_start(index.line_of(first.start_byte))
        indent = ctx.source[line_start : first.start_byte].decode("utf-8", "replace")
        if indent.strip():
            return None
        return Fix("Move the suppression after the gates", (
            remove_lines(ctx.tree, comment.start_byte, comment.end_byte),
            FixEdit(line_start, line_start, f"{indent}{text}\n"),
        ), "unsafe")
    if d.trailing and comment.type == "line_comment" and "*/" not in text:
        # `f: func(); // wit-ls: ...`  ->  `f: func() /* wit-ls: ... */;`
        before = ctx.source[: comment.start_byte].rstrip()
        if not before.endswith(b";"):
            return None
        semi = len(before) - 1
        body = text.lstrip("/").strip()
        return Fix("Turn it into a block comment inside the item", (
            FixEdit(semi, semi, f" /* {body} */"),
            FixEdit(len(before), comment.end_byte, ""),
        ), "unsafe")
    return None


def lint_package(
    trees: Mapping[str, SyntaxTree],
    levels_for: Mapping[str, Mapping[str, Level]],
    *,
    analysis: AnalysisView | None = None,
    options: Mapping[str, Mapping[str, object]] | None = None,
    features: frozenset[str] = frozenset(),
    facts_cache: dict[str, FileFacts] | None = None,
    item_cache: dict[str, ItemCache] | None = None,
    stop: Callable[[], bool] | None = None,
) -> dict[str, list[Diagnostic]]:
    """Lint the files of one package (one folder) together; ``levels_for[path]`` are the
    enabled rules of each file; only the files in ``levels_for`` are linted (the others are
    context: an editor lints the edited file of a package of thousands). Names are resolved by
    the model: ``analysis`` when it was made from these very texts (with their ``deps/``), else
    the model run over the texts alone. ``facts_cache`` (by path) keeps each file's facts
    for the next run while its tree is the same object (an editor re-lints after each edit),
    and, for a later error-free tree of the file, its nodes by type per top-level unit of
    unchanged text (see :mod:`wit_ls.lint.kept_nodes`).
    ``item_cache`` (by path) keeps the findings of the rules that look at one top-level item
    for the next run (see :mod:`wit_ls.lint.incremental`).
    ``stop``: asked between files and rules; the run raises :class:`LintCancelled` once it
    answers true (an editor stops a lint pass of text that changed since)."""
    facts: dict[str, FileFacts] = {}
    out: dict[str, list[Diagnostic]] = {}
    for path, tree in trees.items():
        cached = facts_cache.get(path) if facts_cache is not None else None
        if cached is not None and cached.tree is tree:
            facts[path] = cached
            continue
        _check_stop(stop)
        check = None if stop is None else lambda: _check_stop(stop)
        try:
            if facts_cache is not None and not tree.root.has_error:
                from wit_ls.lint.kept_nodes import kept_facts

                facts[path] = kept_facts(tree, cached, check)
            else:
                facts[path] = file_facts(tree, check)
            if facts_cache is not None:
                facts_cache[path] = facts[path]
        except LintCancelled:
            raise
        except Exception as err:
            out[path] = [internal_error(path, "parse", err)]
    linted = {p: t for p, t in trees.items() if p in facts}
    model, model_paths = package_analysis(linted, analysis, features)
    index = PackageIndex(linted, facts, model, model_paths)
    try:
        for path in facts:
            if path not in levels_for:
                continue
            ctx = LintContext(path, trees[path], index.analysis, facts=facts[path], index=index,
                              options=options, features=features)
            levels = levels_for.get(path, {})
            items = None
            if item_cache is not None:
                from wit_ls.lint.incremental import ItemCache, cache_key

                key = cache_key(levels, options, features, linted)
                items = item_cache.get(path)
                if items is None or items.key != key:
                    items = item_cache[path] = ItemCache(key)
            out[path] = lint_context(ctx, levels, stop, items)
    finally:
        index.drop_contexts()
    return out


def package_analysis(trees: Mapping[str, SyntaxTree], analysis: AnalysisView | None,
                     features: frozenset[str] = frozenset()) -> tuple[AnalysisView, dict[str, str]]:
    """The model's analysis of the package and the path it gives each file: ``analysis``
    when it saw exactly these texts, else the model run over the texts in memory (a package
    without its ``deps/``: names into them stay unresolved)."""
    if analysis is not None:
        paths = {path: normalize(path) for path in trees}
        known = analysis.files
        if all((seen := known.get(paths[path])) is not None and seen.source == tree.source
               for path, tree in trees.items()):
            return analysis, paths
    from wit_ls.model.api import Options, analyze
    from wit_ls.model.fs import MemoryFileSystem
    from wit_ls.model.loader import FileCache

    # Relative names (``input.wit``) get a root of their own, so that the model's paths are
    # exactly these.
    paths = {path: posixpath.join("/", normalize(path)) for path in trees}
    files = {paths[path]: tree.source for path, tree in trees.items()}
    roots = sorted({posixpath.dirname(path) for path in files})
    return analyze(MemoryFileSystem(files), roots, Options(features=features),
                   FileCache(docs=False)), paths
