"""What an analysis is asked to do, apart from its inputs (kept out of :mod:`wit_ls.model.api`
so that a front door can build it without importing the model)."""

from __future__ import annotations

from typing import NamedTuple


class Options(NamedTuple):
    features: frozenset[str] = frozenset()
    all_features: bool = False
    manifest_deps: bool = True
