"""What an analysis is asked to do, apart from its inputs (kept out of :mod:`wit_ls.model.api`
so that a front door can build it without importing the model)."""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: see wit_ls.light_typing
if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from wit_ls.light_typing import NamedTuple


class Options(NamedTuple):
    features: frozenset[str] = frozenset()
    all_features: bool = False
    manifest_deps: bool = True
