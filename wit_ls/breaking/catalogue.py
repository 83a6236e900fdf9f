"""The breaking-change rules: stable IDs, names, the class of break and who it affects.

Classes (see docs/breaking.md): ``LINK`` (component type checking fails), ``SOURCE`` (still
links, but generated bindings or dependent WIT stop compiling), ``POLICY`` (the versioning
contract of ``@since``/``@deprecated`` and package versions is broken).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

BreakClass = Literal["LINK", "SOURCE", "POLICY", "INFO"]
# Whose code breaks: "importer" (callers), "exporter" (implementers), "both", or "none".
Affects = Literal["importer", "exporter", "both", "none"]


@dataclass(frozen=True)
class BreakingRule:
    id: str
    name: str
    cls: BreakClass
    affects: Affects
    summary: str


_RULES = [
    BreakingRule("B102", "interface-removed", "LINK", "importer", "an interface was removed"),
    BreakingRule("B104", "world-removed", "LINK", "both", "a world was removed"),
    BreakingRule(
        "B105",
        "world-import-removed",
        "LINK",
        "both",
        "a world no longer imports something; components built for it break",
    ),
    BreakingRule(
        "B106",
        "world-export-added",
        "LINK",
        "both",
        "a world now requires an export that existing components lack",
    ),
    BreakingRule(
        "B107",
        "world-export-removed",
        "SOURCE",
        "importer",
        "a world no longer exports something that hosts may call",
    ),
    BreakingRule(
        "B108",
        "world-import-added",
        "INFO",
        "none",
        "a world imports something new; hosts must provide it",
    ),
    BreakingRule(
        "B109",
        "world-item-direction-changed",
        "LINK",
        "both",
        "an item moved between the imports and the exports of a world",
    ),
    BreakingRule(
        "B110",
        "world-item-target-changed",
        "LINK",
        "both",
        "a world item now refers to a different interface or has another type",
    ),
    BreakingRule(
        "B201",
        "function-added",
        "LINK",
        "exporter",
        "a function was added; existing implementations lack it",
    ),
    BreakingRule("B202", "function-removed", "LINK", "importer", "a function was removed"),
    BreakingRule(
        "B203", "function-param-count-changed", "LINK", "both", "a parameter was added or removed"
    ),
    BreakingRule(
        "B204",
        "function-param-renamed",
        "LINK",
        "both",
        "a parameter was renamed (names are part of the function type)",
    ),
    BreakingRule(
        "B205", "function-param-type-changed", "LINK", "both", "a parameter's type changed"
    ),
    BreakingRule(
        "B206",
        "function-result-changed",
        "LINK",
        "both",
        "a function's result was added, removed or changed",
    ),
    BreakingRule(
        "B207",
        "function-async-changed",
        "LINK",
        "both",
        "a function became async or stopped being async",
    ),
    BreakingRule(
        "B301",
        "type-added",
        "LINK",
        "exporter",
        "a type was added to an interface; existing implementations do not export it",
    ),
    BreakingRule("B302", "type-removed", "LINK", "importer", "a type was removed"),
    BreakingRule(
        "B303",
        "type-kind-changed",
        "LINK",
        "both",
        "a type changed its kind (e.g. record to variant) or an alias its target",
    ),
    BreakingRule(
        "B304",
        "type-moved",
        "SOURCE",
        "both",
        "a type is now defined in another interface and brought in with `use`",
    ),
    BreakingRule("B401", "record-field-added", "LINK", "both", "a record field was added"),
    BreakingRule("B402", "record-field-removed", "LINK", "both", "a record field was removed"),
    BreakingRule("B403", "record-field-renamed", "LINK", "both", "a record field was renamed"),
    BreakingRule(
        "B404",
        "record-field-reordered",
        "LINK",
        "both",
        "record fields were reordered (order is part of the type)",
    ),
    BreakingRule(
        "B405", "record-field-type-changed", "LINK", "both", "a record field's type changed"
    ),
    BreakingRule("B501", "variant-case-added", "LINK", "both", "a variant case was added"),
    BreakingRule(
        "B502",
        "variant-case-changed",
        "LINK",
        "both",
        "a variant case was removed, renamed or reordered",
    ),
    BreakingRule(
        "B503",
        "variant-case-payload-changed",
        "LINK",
        "both",
        "a variant case's payload was added, removed or changed",
    ),
    BreakingRule("B504", "enum-case-added", "LINK", "both", "an enum case was added"),
    BreakingRule(
        "B505",
        "enum-case-changed",
        "LINK",
        "both",
        "an enum case was removed, renamed or reordered",
    ),
    BreakingRule(
        "B506",
        "flags-member-changed",
        "LINK",
        "both",
        "flags were added, removed, renamed or reordered",
    ),
    BreakingRule(
        "B601",
        "resource-method-added",
        "LINK",
        "exporter",
        "a resource gained a method, static function or constructor",
    ),
    BreakingRule(
        "B602",
        "resource-method-removed",
        "LINK",
        "importer",
        "a resource lost a method, static function or constructor",
    ),
    BreakingRule(
        "B603",
        "resource-method-kind-changed",
        "LINK",
        "both",
        "a resource function changed between method and static",
    ),
    BreakingRule(
        "B604",
        "constructor-changed",
        "LINK",
        "both",
        "a constructor's parameters changed or it became (in)fallible",
    ),
    BreakingRule("B606", "resource-removed", "LINK", "both", "a resource was removed"),
    BreakingRule(
        "B701", "since-changed", "POLICY", "both", "an existing item's `@since` version changed"
    ),
    BreakingRule(
        "B702",
        "stable-to-unstable",
        "POLICY",
        "both",
        "a stable item became `@unstable` or lost its gate",
    ),
    BreakingRule(
        "B703",
        "added-item-not-gated",
        "POLICY",
        "both",
        "an item added in a versioned package has no `@since` for the new version",
    ),
    BreakingRule(
        "B704",
        "removed-without-deprecation",
        "POLICY",
        "both",
        "an item was removed without being `@deprecated` first",
    ),
    BreakingRule(
        "B705",
        "breaking-within-track",
        "POLICY",
        "both",
        "a link-breaking change without a new major (or 0.x minor) version",
    ),
    BreakingRule(
        "B706",
        "version-not-bumped",
        "POLICY",
        "both",
        "the package changed but its version did not increase",
    ),
    BreakingRule("B708", "deprecation-added", "INFO", "none", "an item was deprecated"),
]

RULES: dict[str, BreakingRule] = {rule.name: rule for rule in _RULES}
RULES_BY_ID: dict[str, BreakingRule] = {rule.id: rule for rule in _RULES}
