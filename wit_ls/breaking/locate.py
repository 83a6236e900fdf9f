"""Where a finding is: the symbol (as the model lists them) that a change's subject names
(package, interface or world, item, member), or the nearest enclosing one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class SymbolLike(Protocol):
    """What is needed of a symbol of the model (``wit_ls.model.symbols.Symbol``)."""

    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def range(self) -> tuple[int, int]: ...
    @property
    def selection(self) -> tuple[int, int]: ...
    @property
    def qualified(self) -> str: ...
    @property
    def container(self) -> str: ...


def _strip(name: str) -> str:
    return "/".join(part.split("@", 1)[0] for part in name.split("/"))


class SymbolIndex:
    """Symbols by the subject keys they answer to (the first symbol wins, in list order)."""

    def __init__(self, symbols: Sequence[SymbolLike]) -> None:
        self.by_key: dict[tuple[str, ...], SymbolLike] = {}
        for symbol in symbols:
            for key in _keys(symbol):
                self.by_key.setdefault(key, symbol)


def _keys(symbol: SymbolLike) -> list[tuple[str, ...]]:
    qualified = _strip(symbol.qualified)
    if symbol.kind == "package":
        return [(qualified,)]
    keys: list[tuple[str, ...]] = []
    if symbol.kind in ("interface", "world") and "/" in qualified:
        package, item = qualified.split("/", 1)
        keys.append((package, item))
    container = _strip(symbol.container)
    if "/" not in container:
        return keys
    package, owner = container.split("/", 1)
    # Members: `item.member`.
    keys.append((package, owner, "\0member", qualified))
    if symbol.kind not in ("field", "case", "flag", "param"):
        keys.append((package, owner, symbol.name))
        keys.append((package, owner, qualified))
        if "#" in qualified:
            keys.append((package, owner, qualified.rsplit("#", 1)[1]))
    return keys


def locate(index: SymbolIndex, subject: tuple[str, ...]) -> tuple[SymbolLike, bool] | None:
    """The symbol of the deepest part of ``subject`` found, and whether it is the whole
    subject (False: an enclosing item, as for a removal)."""
    for depth in range(len(subject), 0, -1):
        want = subject[:depth]
        if depth == 4:
            key: tuple[str, ...] = (want[0], want[1], "\0member", f"{want[2]}.{want[3]}")
        else:
            key = want
        found = index.by_key.get(key)
        if found is not None:
            return found, depth == len(subject)
    return None
