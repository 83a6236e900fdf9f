"""The lint package's entry points (re-exported lazily by :mod:`wit_ls.lint`; see its docs)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from wit_ls.lint.config import (
    ConfigError,
    FileSystem,
    LintConfig,
    config_for,
    find_config,
    load_config,
)
from wit_ls.lint.engine import INTERNAL_ERROR, lint_package
from wit_ls.lint.fixes import (
    CodeAction,
    apply_fix_groups,
    code_actions,
    select_fixes,
    suppress_file_edits,
    suppress_line_edits,
)
from wit_ls.lint.registry import RULES, RULES_BY_NAME, lookup
from wit_ls.lint.rule import Finding, Fix, FixEdit, Rule
from wit_ls.syntax import Diagnostic, SyntaxTree, parse

if TYPE_CHECKING:
    from wit_ls.lint.context import FileFacts
    from wit_ls.lint.incremental import ItemCache
    from wit_ls.model.moved import AnalysisView

__all__ = [
    "INTERNAL_ERROR",
    "RULES",
    "CodeAction",
    "ConfigError",
    "Finding",
    "Fix",
    "FixEdit",
    "LintConfig",
    "Rule",
    "add_suppressions",
    "code_actions",
    "config_for_file",
    "find_config",
    "fix_text",
    "is_vendored",
    "lint",
    "lint_text",
    "load_config",
    "lookup",
    "suppress_file_edits",
    "suppress_line_edits",
    "with_overrides",
]


def config_for_file(path: str, fs: FileSystem) -> LintConfig:
    """The configuration for ``path`` (absolute; nearest config file, else defaults), read
    through ``fs`` (``wit_ls.host.disk.DiskFileSystem()`` for the disk). Raises ConfigError
    with the file and line of the problem."""
    return config_for(path, fs)


def with_overrides(config: LintConfig | None, *, preset: str | None = None,
                   rules: Mapping[str, str] | None = None) -> LintConfig:
    """``config`` (or the defaults) with an editor's settings on top: a preset and per-rule
    levels (``{"string-error": "error"}``; names or codes). Raises ConfigError for an unknown
    preset, rule or level."""
    from dataclasses import replace

    from wit_ls.lint.config import PRESETS
    from wit_ls.lint.rule import LEVELS

    base = config or LintConfig()
    if preset is not None and preset not in PRESETS:
        raise ConfigError(f"unknown preset `{preset}`; expected one of " + ", ".join(PRESETS))
    levels = dict(base.levels)
    for name, level in (rules or {}).items():
        if lookup(name) is None:
            raise ConfigError(f"unknown rule `{name}` in the lint settings")
        if level not in LEVELS:
            raise ConfigError(f"unknown level `{level}` for `{name}`")
        levels[name] = level
    return replace(base, preset=preset or base.preset, levels=levels)


def is_vendored(path: str, config: LintConfig | None = None) -> bool:
    """A file under a ``deps/`` folder, or one the configuration's ``exclude`` globs skip."""
    parts = path.replace("\\", "/").split("/")[:-1]
    if "deps" in parts:
        return True
    return config is not None and config.root is not None and config.excluded(path)


def lint(
    path: str,
    tree: SyntaxTree,
    *,
    config: LintConfig | None = None,
    package_trees: Mapping[str, SyntaxTree] | None = None,
    analysis: AnalysisView | None = None,
    facts_cache: dict[str, FileFacts] | None = None,
    item_cache: dict[str, ItemCache] | None = None,
    stop: Callable[[], bool] | None = None,
) -> list[Diagnostic]:
    """Lint one file (see the module docs); none for a vendored file (:func:`is_vendored`).
    ``facts_cache``, ``item_cache`` and ``stop``: see
    :func:`~wit_ls.lint.engine.lint_package`."""
    if is_vendored(path, config):
        return []
    config = config or LintConfig()
    levels = config.effective_levels(RULES_BY_NAME, path)
    trees = dict(package_trees or {})
    trees[path] = tree
    result = lint_package(trees, {path: levels}, analysis=analysis, options=config.options,
                          features=config.features, facts_cache=facts_cache,
                          item_cache=item_cache, stop=stop)
    return result.get(path, [])


def lint_text(text: str | bytes, path: str = "input.wit", *,
              config: LintConfig | None = None) -> list[Diagnostic]:
    return lint(path, parse(text), config=config)


def fix_text(
    text: str | bytes,
    path: str = "input.wit",
    config: LintConfig | None = None,
    *,
    unsafe: bool = False,
    package_trees: Mapping[str, SyntaxTree] | None = None,
    max_rounds: int = 10,
) -> tuple[bytes, int]:
    """Apply fixes to one file until none applies (at most ``max_rounds`` rounds).
    Returns the new text and the number of fixes applied."""
    source = text.encode("utf-8") if isinstance(text, str) else text
    total = 0
    for _ in range(max_rounds):
        tree = parse(source)
        diags = lint(path, tree, config=config, package_trees=package_trees)
        groups = select_fixes(diags, unsafe)
        if not groups:
            break
        new, count = apply_fix_groups(source, groups)
        if count == 0 or new == source:
            break
        source = new
        total += count
    return source, total


_META_RULES = frozenset({"unused-suppression", "invalid-suppression", "suppression-in-docs"})


def add_suppressions(
    text: str | bytes,
    path: str = "input.wit",
    config: LintConfig | None = None,
    *,
    package_trees: Mapping[str, SyntaxTree] | None = None,
    analysis: AnalysisView | None = None,
) -> tuple[bytes, int]:
    """Add a suppression comment for every finding of the file, each on its own line where
    wit-parser does not make it documentation (``// wit-ls: ignore-file[rule]`` at the end of
    the file where no such place exists). Returns the new text and the number of findings
    suppressed."""
    source = text.encode("utf-8") if isinstance(text, str) else text
    trees = dict(package_trees or {})
    tree = parse(source)
    total = 0
    pending = [d for d in lint(path, tree, config=config, package_trees=trees,
                               analysis=analysis)
               if d.code not in _META_RULES and d.code != INTERNAL_ERROR]
    for _ in range(len(pending) + 1):
        if not pending:
            break
        first = pending[0]
        edits = suppress_line_edits(first, tree) or suppress_file_edits(first, tree)
        new, applied = apply_fix_groups(source, [list(edits)])
        if not applied or new == source:
            break
        source, tree = new, parse(new)
        total += 1
        before = len(pending)
        pending = [d for d in lint(path, tree, config=config, package_trees=trees)
                   if d.code not in _META_RULES and d.code != INTERNAL_ERROR]
        if len(pending) >= before:
            break  # the suppression did not take: stop rather than loop
    return source, total
