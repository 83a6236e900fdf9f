"""Typed settings: from ``initializationOptions`` or the ``wit`` section of
``workspace/configuration``, validated, with defaults; problems are reported, not fatal.

Shape (as the VS Code extension sends it)::

    {"features": ["name", ...], "allFeatures": false, "readOutsideWorkspace": false,
     "lint": {"preset": "recommended", "rules": {"rule-name": "warn"}},
     "breaking": {"against": "origin/main"}, "codeLens": {"references": true}}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

LEVELS = ("error", "warn", "info", "hint", "off")


@dataclass(frozen=True)
class Settings:
    features: tuple[str, ...] = ()
    all_features: bool = False
    lint_preset: str | None = None
    lint_rules: tuple[tuple[str, str], ...] = ()
    # Follow deps/ symlinks and deps.toml/wkg.toml paths that lead outside the workspace.
    read_outside_workspace: bool = False
    # `breaking.against`: a git revision or a folder holding the older version.
    breaking_against: str | None = None
    # The "imported by ... / N references" code lenses over interfaces and types.
    reference_lenses: bool = True
    # Extra: the debounce before recomputing diagnostics after a change, in milliseconds.
    diagnostics_delay_ms: int = field(default=0, compare=False)

    def lint_config(self) -> dict[str, Any]:
        return {"preset": self.lint_preset, "rules": dict(self.lint_rules)}


def parse_settings(raw: object) -> tuple[Settings, list[str]]:
    """Settings from a raw JSON value, and a list of problems (each falls back to a default)."""
    problems: list[str] = []
    if raw is None:
        return Settings(), problems
    if not isinstance(raw, Mapping):
        return Settings(), [f"settings must be an object, got {type(raw).__name__}"]
    # Accept the object itself or one nested under "wit".
    if "wit" in raw and isinstance(raw["wit"], Mapping) and not (
            {"features", "allFeatures", "readOutsideWorkspace", "lint", "breaking"} & set(raw)):
        raw = raw["wit"]
        assert isinstance(raw, Mapping)
    features: tuple[str, ...] = ()
    value = raw.get("features", [])
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        features = tuple(value)
    elif value is not None:
        problems.append("`features` must be a list of strings; using none")
    all_features = False
    value = raw.get("allFeatures", False)
    if isinstance(value, bool):
        all_features = value
    elif value is not None:
        problems.append("`allFeatures` must be true or false; using false")
    preset: str | None = None
    rules: dict[str, str] = {}
    lint = raw.get("lint", {})
    if lint is None:
        lint = {}
    if not isinstance(lint, Mapping):
        problems.append("`lint` must be an object; using the defaults")
        lint = {}
    value = lint.get("preset")
    if value is None or isinstance(value, str):
        preset = value
    else:
        problems.append("`lint.preset` must be a string; using the default preset")
    value = lint.get("rules", {})
    if isinstance(value, Mapping):
        for name, level in value.items():
            if not isinstance(name, str) or level not in LEVELS:
                problems.append(
                    f"`lint.rules.{name}` must be one of {', '.join(LEVELS)}; ignoring it")
            else:
                rules[name] = level
    elif value is not None:
        problems.append("`lint.rules` must be an object; ignoring it")
    outside = raw.get("readOutsideWorkspace", False)
    if not isinstance(outside, bool):
        problems.append("`readOutsideWorkspace` must be true or false; using false")
        outside = False
    against: str | None = None
    breaking = raw.get("breaking", {})
    if isinstance(breaking, Mapping):
        value = breaking.get("against")
        if isinstance(value, str) and value.strip():
            against = value.strip()
        elif not (value is None or isinstance(value, str)):
            problems.append("`breaking.against` must be a git revision or a folder; ignoring it")
    elif breaking is not None:
        problems.append("`breaking` must be an object; ignoring it")
    reference_lenses = True
    lenses = raw.get("codeLens", {})
    value = lenses.get("references", True) if isinstance(lenses, Mapping) else None
    if isinstance(value, bool):
        reference_lenses = value
    else:
        problems.append("`codeLens.references` must be true or false; using true")
    delay = raw.get("diagnosticsDelay", 0)
    delay_ms = delay if isinstance(delay, int) and 0 <= delay <= 5000 else 0
    return Settings(features, all_features, preset, tuple(sorted(rules.items())),
                    outside, against, reference_lenses, delay_ms), problems
