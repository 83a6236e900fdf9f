"""Lint configuration: discovery, parsing with located errors, presets and selectors.

Discovery is :func:`wit_ls.model.project_config.find_config`, which every command and the
server share (re-exported here). Schema::

    features = ["clocks-timezone"]     # @unstable features to enable
    all-features = false
    exclude = ["**/deps/**"]           # paths the CLI skips (this is the default)

    [lint]
    preset = "recommended"             # minimal | recommended | strict | wasi
    select = ["ALL"]                   # names, codes, code prefixes (WIT2), categories, ALL
    extend-select = ["missing-docs"]
    ignore = ["name-stutter"]

    [lint.rules]                       # per-rule level: error | warn | info | hint | off
    string-error = "error"

    [lint.per-file-ignores]            # glob (relative to the config's folder) -> rules
    "wit/legacy/*.wit" = ["style"]

    [lint.options.too-many-params]     # rule options
    max = 5

    [breaking]
    against = "origin/main"            # the older version the editor compares with
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from wit_ls.lint.rule import CATEGORIES, LEVELS, Level, Rule
from wit_ls.model.checks import version_or_none
from wit_ls.model.project_config import CONFIG_NAMES as CONFIG_NAMES
from wit_ls.model.project_config import find_config as find_config

PRESETS = ("minimal", "recommended", "strict", "wasi")
DEFAULT_EXCLUDE = ("**/deps/**",)
_TOP_KEYS = {"lint", "features", "all-features", "exclude", "version", "format", "breaking",
             "server"}
_LINT_KEYS = {"preset", "select", "extend-select", "ignore", "rules", "per-file-ignores",
              "options"}
_WASI_ERRORS = ("since-missing", "missing-docs", "unstable-feature-naming")


class FileSystem(Protocol):
    """What configuration discovery needs of a file system (a subset of
    ``wit_ls.model.fs.FileSystem``; ``wit_ls.host.disk.DiskFileSystem`` is the disk)."""

    def read_bytes(self, path: str) -> bytes: ...

    def is_dir(self, path: str) -> bool: ...

    def is_file(self, path: str) -> bool: ...


class ConfigError(Exception):
    """A configuration problem with its location (path, 1-based line and column)."""

    def __init__(self, message: str, path: str = "", line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column

    def __str__(self) -> str:
        where = self.path or "<config>"
        if self.line:
            where += f":{self.line}:{self.column or 1}"
        return f"{where}: {self.message}"


@dataclass
class LintConfig:
    preset: str = "recommended"
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    levels: dict[str, str] = field(default_factory=dict)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    options: dict[str, dict[str, object]] = field(default_factory=dict)
    features: frozenset[str] = frozenset()
    all_features: bool = False
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    # `[breaking] against`: the git revision or folder the editor compares with.
    breaking_against: str | None = None
    path: str | None = None  # the file it came from
    root: str | None = None  # folder that per-file-ignores and exclude globs are relative to

    def with_overrides(
        self,
        *,
        preset: str | None = None,
        select: list[str] | None = None,
        extend_select: Iterable[str] = (),
        ignore: Iterable[str] = (),
    ) -> LintConfig:
        """Command-line flags over the file (CLI > config)."""
        return replace(
            self,
            preset=preset or self.preset,
            select=select if select is not None else self.select,
            extend_select=[*self.extend_select, *extend_select],
            ignore=[*self.ignore, *ignore],
        )

    def effective_levels(self, rules: Mapping[str, Rule],
                         path: str | None = None) -> dict[str, Level]:
        """Rule name -> level for ``path`` (rules that are off are left out).

        Raises ConfigError for an unknown preset, selector or level."""
        levels = preset_levels(self.preset, rules)
        if self.select is not None:
            chosen = resolve_selectors(self.select, rules, "select")
            for name, rule in rules.items():
                levels[name] = _enabled_level(rule, levels[name]) if name in chosen else "off"
        for name in resolve_selectors(self.extend_select, rules, "extend-select"):
            levels[name] = _enabled_level(rules[name], levels[name])
        for name in resolve_selectors(self.ignore, rules, "ignore"):
            levels[name] = "off"
        for selector, level in self.levels.items():
            if level not in LEVELS:
                raise ConfigError(f"unknown level `{level}` for `{selector}`; expected one of "
                                  + ", ".join(LEVELS), self.path or "")
            for name in resolve_selectors([selector], rules, "rules"):
                levels[name] = level  # type: ignore[assignment,unused-ignore]
        if path is not None:
            rel = self.relative(path)
            for glob, selectors in self.per_file_ignores.items():
                if glob_match(rel, glob):
                    for name in resolve_selectors(selectors, rules, "per-file-ignores"):
                        levels[name] = "off"
        return {k: v for k, v in levels.items() if v != "off"}

    def relative(self, path: str) -> str:
        """``path`` relative to the config's folder (posix), when it is inside it."""
        norm = posixpath.normpath(path.replace("\\", "/"))
        if self.root is not None:
            root = posixpath.normpath(self.root.replace("\\", "/"))
            if posixpath.isabs(norm) == posixpath.isabs(root):
                rel = posixpath.relpath(norm, root)
                if not rel.startswith(".."):
                    return rel
        return norm

    def excluded(self, path: str) -> bool:
        rel = self.relative(path)
        return any(glob_match(rel, g) for g in self.exclude)


def glob_match(path: str, glob: str) -> bool:
    """``fnmatch`` over posix paths, where ``**/`` may also match nothing."""
    path = path.replace("\\", "/")
    if fnmatch.fnmatchcase(path, glob):
        return True
    if glob.startswith("**/") and fnmatch.fnmatchcase(path, glob[3:]):
        return True
    return "/**/" in glob and fnmatch.fnmatchcase(path, glob.replace("/**/", "/"))


def _enabled_level(rule: Rule, current: str) -> Level:
    if current != "off":
        return current  # type: ignore[return-value]
    return rule.default_level if rule.default_level != "off" else rule.strict_level


def preset_levels(preset: str, rules: Mapping[str, Rule]) -> dict[str, Level]:
    if preset not in PRESETS:
        raise ConfigError(f"unknown preset `{preset}`; expected one of " + ", ".join(PRESETS))
    out: dict[str, Level] = {}
    for name, rule in rules.items():
        level: Level = rule.default_level
        if preset == "minimal" and rule.category not in ("correctness", "meta"):
            level = "off"
        elif preset in ("strict", "wasi"):
            if level == "off":
                level = rule.strict_level
            elif level == "info":
                level = "warn"
        if preset == "wasi" and name in _WASI_ERRORS:
            level = "error"
        out[name] = level
    return out


def resolve_selectors(selectors: Iterable[str], rules: Mapping[str, Rule], where: str) -> set[str]:
    out: set[str] = set()
    for raw in selectors:
        sel = raw.strip()
        found = select_rules(sel, rules)
        if found is None:
            raise ConfigError(f"unknown rule selector `{sel}` in `{where}` (expected a rule "
                              "name, a code such as WIT201, a code prefix, a category or ALL)")
        out |= found
    return out


def select_rules(selector: str, rules: Mapping[str, Rule]) -> set[str] | None:
    if selector == "ALL":
        return set(rules)
    if selector in rules:
        return {selector}
    if selector in CATEGORIES:
        return {n for n, r in rules.items() if r.category == selector}
    by_code = {n for n, r in rules.items() if r.code == selector.upper()}
    if by_code:
        return by_code
    if re.fullmatch(r"WIT\d{1,2}", selector.upper()):
        found = {n for n, r in rules.items() if r.code.startswith(selector.upper())}
        return found or None
    return None


# ---- files ----------------------------------------------------------------------------------
# The lint layer does not touch the disk: callers hand in a file system (``wit_ls.model.fs``
# protocol: ``is_file``, ``read_bytes``); the CLI and the server pass the disk one.


def load_config(path: str, fs: FileSystem) -> LintConfig:
    """Read and check one configuration file. Raises ConfigError with the location."""
    try:
        text = fs.read_bytes(path).decode("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"cannot read the configuration: {err}", path) from err
    return parse_config(text, path, pyproject=posixpath.basename(path) == "pyproject.toml",
                        root=posixpath.dirname(path) or ".")


def parse_config(text: str, path: str = "wit-ls.toml", *, pyproject: bool = False,
                 root: str | None = None) -> LintConfig:
    # Imported here: the server's first answer reads no configuration file (usually).
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib  # type: ignore[no-redef,import-not-found,unused-ignore]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(err))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(err))
        line, col = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
        raise ConfigError(f"invalid TOML: {message}", path, line, col) from err
    prefix = ""
    if pyproject:
        data = data.get("tool", {}).get("wit-ls", {})
        prefix = "tool.wit-ls."
    checker = _Checker(text, path, prefix)
    return checker.build(data, root)


class _Checker:
    def __init__(self, text: str, path: str, prefix: str) -> None:
        self.lines = text.splitlines()
        self.path = path
        self.prefix = prefix

    def error(self, key: str, message: str) -> ConfigError:
        line, col = self.locate(key)
        return ConfigError(message, self.path, line, col)

    def locate(self, key: str) -> tuple[int, int]:
        """Best-effort line of ``key`` (the last dotted part) in the text."""
        last = key.split(".")[-1]
        patterns = [
            re.compile(r"^\s*\[\s*" + re.escape(self.prefix + key).replace(r"\.", r"\s*\.\s*")),
            re.compile(r"^\s*(\"" + re.escape(last) + r"\"|" + re.escape(last) + r")\s*="),
            re.compile(re.escape(last)),
        ]
        for pattern in patterns:
            for number, line in enumerate(self.lines, 1):
                m = pattern.search(line)
                if m:
                    return number, m.start() + 1 + (len(line) - len(line.lstrip())
                                                     if m.start() == 0 else 0)
        return 0, 0

    def strings(self, value: Any, key: str) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(key, f"`{key}` must be a list of strings")
        return list(value)

    def build(self, data: Mapping[str, Any], root: str | None) -> LintConfig:
        cfg = LintConfig(path=self.path, root=root)
        for key in data:
            if key not in _TOP_KEYS:
                raise self.error(key, f"unknown key `{key}`; expected one of "
                                 + ", ".join(sorted(_TOP_KEYS)))
        if "features" in data:
            cfg.features = frozenset(self.strings(data["features"], "features"))
        if "all-features" in data:
            if not isinstance(data["all-features"], bool):
                raise self.error("all-features", "`all-features` must be true or false")
            cfg.all_features = data["all-features"]
        if "exclude" in data:
            cfg.exclude = tuple(self.strings(data["exclude"], "exclude"))
        cfg.breaking_against = self.breaking(data.get("breaking", {}))
        lint = data.get("lint", {})
        if not isinstance(lint, dict):
            raise self.error("lint", "`lint` must be a table")
        for key in lint:
            if key not in _LINT_KEYS:
                raise self.error(f"lint.{key}", f"unknown key `lint.{key}`; expected one of "
                                 + ", ".join(sorted(_LINT_KEYS)))
        if "preset" in lint:
            if lint["preset"] not in PRESETS:
                raise self.error("preset", f"unknown preset `{lint['preset']}`; expected one of "
                                 + ", ".join(PRESETS))
            cfg.preset = lint["preset"]
        if "select" in lint:
            cfg.select = self.strings(lint["select"], "select")
        if "extend-select" in lint:
            cfg.extend_select = self.strings(lint["extend-select"], "extend-select")
        if "ignore" in lint:
            cfg.ignore = self.strings(lint["ignore"], "ignore")
        rules = lint.get("rules", {})
        if not isinstance(rules, dict):
            raise self.error("lint.rules", "`lint.rules` must be a table of rule = level")
        for name, level in rules.items():
            if level not in LEVELS:
                raise self.error(name, f"level of `{name}` must be one of " + ", ".join(LEVELS))
            cfg.levels[name] = level
        pfi = lint.get("per-file-ignores", {})
        if not isinstance(pfi, dict):
            raise self.error("lint.per-file-ignores", "`per-file-ignores` must be a table")
        for glob, sels in pfi.items():
            cfg.per_file_ignores[glob] = self.strings(sels, glob)
        options = lint.get("options", {})
        if not isinstance(options, dict) or not all(isinstance(v, dict) for v in options.values()):
            raise self.error("lint.options", "`lint.options` must hold one table per rule")
        cfg.options = {k: dict(v) for k, v in options.items()}
        self.validate(cfg)
        return cfg

    def breaking(self, table: Any) -> str | None:
        if not isinstance(table, dict):
            raise self.error("breaking", "`breaking` must be a table")
        for key in table:
            if key != "against":
                raise self.error(f"breaking.{key}",
                                 f"unknown key `breaking.{key}`; expected `against`")
        against = table.get("against")
        if against is None:
            return None
        if not isinstance(against, str) or not against.strip():
            raise self.error("breaking.against",
                             "`breaking.against` must be a git revision or a folder")
        return against.strip()

    def validate(self, cfg: LintConfig) -> None:
        from wit_ls.lint.registry import RULES_BY_NAME

        checks: list[tuple[str, list[str]]] = [
            ("select", cfg.select or []), ("extend-select", cfg.extend_select),
            ("ignore", cfg.ignore), *[(g, s) for g, s in cfg.per_file_ignores.items()],
            *[(name, [name]) for name in cfg.levels],
        ]
        for key, selectors in checks:
            for sel in selectors:
                if select_rules(sel.strip(), RULES_BY_NAME) is None:
                    raise self.error(key, f"unknown rule selector `{sel}` (expected a rule name, "
                                     "a code such as WIT201, a code prefix, a category or ALL)")
        for name, table in cfg.options.items():
            rule = RULES_BY_NAME.get(name)
            if rule is None:
                raise self.error(name, f"options for unknown rule `{name}`")
            for key, value in table.items():
                self.check_option(rule, key, value)

    def check_option(self, rule: Rule, key: str, value: object) -> None:
        """An option's name, type and range, against the rule's declared default."""
        where = f"lint.options.{rule.name}.{key}"
        if key not in rule.options:
            known = ", ".join(f"`{k}`" for k in rule.options) or "none"
            raise self.error(where, f"unknown option `{key}` for `{rule.name}` (options: {known})")
        default = rule.options[key]
        if isinstance(default, bool):
            if not isinstance(value, bool):
                raise self.error(where, f"`{key}` of `{rule.name}` must be true or false")
        elif isinstance(default, int):
            if not isinstance(value, int) or isinstance(value, bool):
                raise self.error(where, f"`{key}` of `{rule.name}` must be an integer")
            if value < 0:
                raise self.error(where, f"`{key}` of `{rule.name}` must be 0 or more, not "
                                 f"{value}")
        elif isinstance(default, list):
            self.strings(value, where)
        elif isinstance(default, str):
            if not isinstance(value, str):
                raise self.error(where, f"`{key}` of `{rule.name}` must be a string")
            choices = rule.option_choices.get(key)
            if choices is not None and value not in choices:
                raise self.error(where, f"`{key}` of `{rule.name}` must be one of "
                                 + ", ".join(f"`{c}`" for c in choices))
            if rule.name == "missing-package-version" and version_or_none(value) is None:
                raise self.error(where, f"`{key}` of `{rule.name}` must be a semver version")
            if rule.name == "large-list-prefer-stream":
                try:
                    re.compile(value)
                except re.error as err:
                    raise self.error(where, f"`{key}` of `{rule.name}` is not a valid regular "
                                     f"expression: {err}") from err


def config_for(path: str, fs: FileSystem, explicit: str | None = None) -> LintConfig:
    """The configuration that applies to ``path`` (absolute): ``explicit`` when given, else the
    nearest file, else the defaults. Raises ConfigError."""
    if explicit:
        return load_config(explicit, fs)
    found = find_config(path, fs)
    if found is None:
        return LintConfig()
    return load_config(found, fs)
