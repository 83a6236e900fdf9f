"""A regular expression compiled on first use. Python compiles a pattern in Python code (a
pattern with Unicode ranges costs about as much as parsing a small file), so patterns that only
some inputs need (a non-ASCII file, an unusual identifier) are not compiled by every
`wit-ls check` process at import."""

from __future__ import annotations

import re
from collections.abc import Iterator

TYPE_CHECKING = False  # not typing's: see wit_ls.light_typing
if TYPE_CHECKING:
    from typing import AnyStr, Generic
else:
    from wit_ls.light_typing import AnyStr, Generic


class LazyPattern(Generic[AnyStr]):
    __slots__ = ("_compiled", "_flags", "_source")

    def __init__(self, source: AnyStr, flags: int = 0) -> None:
        self._source: AnyStr = source
        self._flags = flags
        self._compiled: re.Pattern[AnyStr] | None = None

    @property
    def compiled(self) -> re.Pattern[AnyStr]:
        if self._compiled is None:
            self._compiled = re.compile(self._source, self._flags)
        return self._compiled

    def search(self, string: AnyStr, pos: int = 0) -> re.Match[AnyStr] | None:
        return self.compiled.search(string, pos)

    def fullmatch(self, string: AnyStr, pos: int = 0) -> re.Match[AnyStr] | None:
        return self.compiled.fullmatch(string, pos)

    def finditer(self, string: AnyStr) -> Iterator[re.Match[AnyStr]]:
        return self.compiled.finditer(string)

    def sub(self, repl: AnyStr, string: AnyStr) -> AnyStr:
        return self.compiled.sub(repl, string)
