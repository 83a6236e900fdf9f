"""The paths of a package that name foreign packages, in the order wit-parser visits them.

Kept apart from :mod:`wit_ls.model.error_order` (loaded only when there are errors to order):
every resolution asks for this order, to give each foreign interface or world the kind of
the first path naming it (see ``Resolver._first_foreign_kinds``)."""

from __future__ import annotations

from collections.abc import Iterator

from wit_ls.model.items import (
    Declarations,
    Extern,
    Include,
    Interface,
    TopUse,
    Use,
    UsePath,
    World,
)

TYPE_CHECKING = False  # not typing's: see wit_ls.light_typing
if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from wit_ls.light_typing import NamedTuple


class Mention(NamedTuple):
    """A path naming a foreign package, in wit-parser's visiting order."""

    path: str
    use_path: UsePath
    kind: str  # "interface" | "world"


def foreign_mentions(decls: list[tuple[str, Declarations]]) -> Iterator[Mention]:
    """The paths of a package in the order wit-parser visits them (``for_each_path``): per file
    and item; in a world its ``use``s and ``include``s as written, then the imports, then the
    exports (the ``use``s of an inline interface, or the path)."""
    for path, d in decls:
        for item in d.order:
            if isinstance(item, World):
                externs: list[Extern] = []
                for m in item.members:
                    if isinstance(m, Use):
                        yield Mention(path, m.path, "interface")
                    elif isinstance(m, Include):
                        yield Mention(path, m.path, "world")
                    elif isinstance(m, Extern) and m.direction == "import":
                        externs.append(m)
                externs.extend(m for m in item.members
                               if isinstance(m, Extern) and m.direction == "export")
                for m in externs:
                    if m.interface is not None:
                        for u in m.interface.members:
                            if isinstance(u, Use):
                                yield Mention(path, u.path, "interface")
                    elif m.path is not None:
                        yield Mention(path, m.path, "interface")
            elif isinstance(item, Interface):
                for u in item.members:
                    if isinstance(u, Use):
                        yield Mention(path, u.path, "interface")
            elif isinstance(item, TopUse):
                yield Mention(path, item.path, "interface")
