"""Best-practice lint rules for WIT.

API for the language server and other callers (all offsets are UTF-8 byte offsets)::

    from wit_ls.lint import lint, code_actions, config_for_file, ConfigError

    config = config_for_file(path, fs)      # nearest wit-ls.toml / .wit-ls.toml / pyproject
                                            # (raises ConfigError: show its str(), use LintConfig())
    diags = lint(path, tree, config=config, package_trees={p: t, ...}, analysis=analysis)

* ``lint(path, tree, *, config=None, package_trees=None, analysis=None)`` returns
  :class:`wit_ls.syntax.Diagnostic` objects for one file: ``code`` is the rule name
  (``unused-use``), ``severity`` the configured level, ``tags`` holds ``"unnecessary"`` /
  ``"deprecated"`` where they apply, and ``data`` is JSON-serialisable::

      {"rule": "unused-use", "code": "WIT204", "category": "style", "level": "warn",
       "url": "https://.../docs/rules.md#unused-use",
       "fix": {"message": "...", "applicability": "safe" | "unsafe",
               "edits": [{"start": 10, "end": 20, "new_text": "..."}]}}   # when fixable

  ``package_trees`` are the other files of the same package (the folder), needed by rules
  that look across files (unused-use, semver-duplicate-dependency, ...); ``analysis`` is the
  :class:`wit_ls.model.Analysis` of the package with its ``deps/``, whose references the rules
  read (without it, or when it saw other texts, the files given are analysed in memory and
  names into ``deps/`` stay unresolved). A rule that
  crashes yields one ``internal-error`` diagnostic instead of raising. Syntax errors are not
  included (the server reports those from the syntax layer).
* ``code_actions(diagnostic, tree)`` returns :class:`CodeAction` objects (title, edits as
  :class:`wit_ls.syntax.TextEdit`, ``preferred`` for safe fixes, ``applicability``
  ``safe | unsafe | suppression``): the diagnostic's fix, "Suppress `rule` on this line" (placed
  where wit-parser does not turn the comment into docs) and "Suppress `rule` in this file".
* ``config_for_file(path, fs)`` needs a file system (``wit_ls.host.disk.DiskFileSystem()``
  or the server's overlay): this layer does not touch the disk. A broken file raises
  :class:`ConfigError`; ``str(err)`` is ``path:line:col: message`` for the user, and the
  defaults (``LintConfig()``) apply meanwhile. ``with_overrides(config, preset=..,
  rules={name: level})`` puts editor settings on top.
* ``is_vendored(path, config=None)``: whether ``path`` is vendored code that lint leaves alone
  (a file under a ``deps/`` folder, or excluded by the configuration's ``exclude`` globs).
  ``lint()`` returns no findings for such a file, so the editor shows none for a dependency
  the user opened by going to a definition, as ``wit-ls lint`` skips ``deps/``.
* ``add_suppressions(text, path, config)`` suppresses every finding of the file where it is
  (``wit-ls lint --add-suppressions``: a baseline, so CI can start strict on new code).
* ``fix_text(text, path, config, unsafe=False)`` applies fixes until none is left (what
  ``wit-ls lint --fix`` does for one file).
* ``RULES`` / ``lookup(name_or_code)``: the registry; each :class:`Rule` carries its name,
  code, category, default level, fix availability and docs.

Importing this package loads nothing else: each name is imported from its module on first use,
so that ``wit_ls.lint.config`` (which the formatter reads) does not load the engine and the
rules.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wit_ls.lint.api import (
        INTERNAL_ERROR as INTERNAL_ERROR,
    )
    from wit_ls.lint.api import (
        RULES as RULES,
    )
    from wit_ls.lint.api import (
        CodeAction as CodeAction,
    )
    from wit_ls.lint.api import (
        ConfigError as ConfigError,
    )
    from wit_ls.lint.api import (
        Finding as Finding,
    )
    from wit_ls.lint.api import (
        Fix as Fix,
    )
    from wit_ls.lint.api import (
        FixEdit as FixEdit,
    )
    from wit_ls.lint.api import (
        LintConfig as LintConfig,
    )
    from wit_ls.lint.api import (
        Rule as Rule,
    )
    from wit_ls.lint.api import (
        add_suppressions as add_suppressions,
    )
    from wit_ls.lint.api import (
        code_actions as code_actions,
    )
    from wit_ls.lint.api import (
        config_for_file as config_for_file,
    )
    from wit_ls.lint.api import (
        find_config as find_config,
    )
    from wit_ls.lint.api import (
        fix_text as fix_text,
    )
    from wit_ls.lint.api import (
        is_vendored as is_vendored,
    )
    from wit_ls.lint.api import (
        lint as lint,
    )
    from wit_ls.lint.api import (
        lint_text as lint_text,
    )
    from wit_ls.lint.api import (
        load_config as load_config,
    )
    from wit_ls.lint.api import (
        lookup as lookup,
    )
    from wit_ls.lint.api import (
        suppress_file_edits as suppress_file_edits,
    )
    from wit_ls.lint.api import (
        suppress_line_edits as suppress_line_edits,
    )
    from wit_ls.lint.api import (
        with_overrides as with_overrides,
    )

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


def __getattr__(name: str) -> object:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value: object = getattr(import_module("wit_ls.lint.api"), name)
    globals()[name] = value
    return value
