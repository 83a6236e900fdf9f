"""Breaking-change detection between two versions of a WIT package.

Works on resolved WIT in the JSON shape of ``wasm-tools component wit --json`` (what
``wit_ls.model.Analysis.resolve_json()`` returns), so it is plain data in, plain data out.
"""

from __future__ import annotations

from wit_ls.breaking.catalogue import RULES, RULES_BY_ID, BreakingRule
from wit_ls.breaking.compare import (
    Change,
    CompareOptions,
    WorldVerdict,
    compare,
    compatible_update,
    describe,
    track,
    world_verdicts,
)

__all__ = [
    "RULES",
    "RULES_BY_ID",
    "BreakingRule",
    "Change",
    "CompareOptions",
    "WorldVerdict",
    "compare",
    "compatible_update",
    "describe",
    "track",
    "world_verdicts",
]
