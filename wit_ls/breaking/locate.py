"""Where a finding is: the symbol of the model that a change's subject names (package,
interface or world, item, member), or the nearest enclosing one."""

from __future__ import annotations

from wit_ls.model import Analysis
from wit_ls.model.symbols import Symbol


def _strip(name: str) -> str:
    return "/".join(part.split("@", 1)[0] for part in name.split("/"))


def _matches(symbol: Symbol, want: tuple[str, ...]) -> bool:
    container = _strip(symbol.container)
    qualified = _strip(symbol.qualified)
    if len(want) == 1:
        return symbol.kind == "package" and qualified == want[0]
    if len(want) == 2:
        return symbol.kind in ("interface", "world") and qualified == f"{want[0]}/{want[1]}"
    if container != f"{want[0]}/{want[1]}":
        return False
    if len(want) == 4:
        return qualified == f"{want[2]}.{want[3]}"
    if symbol.kind in ("field", "case", "flag", "param"):
        return False
    return symbol.name == want[2] or qualified.endswith("#" + want[2]) or qualified == want[2]


def locate(analysis: Analysis, subject: tuple[str, ...],
           symbols: list[Symbol] | None = None) -> tuple[Symbol, bool] | None:
    """The symbol of the deepest part of ``subject`` found, and whether it is the whole
    subject (False: an enclosing item, as for a removal)."""
    pool = symbols if symbols is not None else analysis.all_symbols()
    for depth in range(len(subject), 0, -1):
        want = subject[:depth]
        for symbol in pool:
            if _matches(symbol, want):
                return symbol, depth == len(subject)
    return None
