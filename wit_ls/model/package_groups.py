"""The independent package groups of a package root, so that a front door may analyse each
group on its own (in another process) and still report what one analysis of the whole root
would.

wit-parser resolves every package of a root's ``deps/``, used or not, and links a reference to
a package by its exact name (``namespace:name@version``). The model links the same way
(`Resolver._foreign_package`). So packages that no chain of references connects to the root's
package are resolved exactly as they would be without it: they form groups of their own.

The groups are found *before* anything is parsed, by a cheap scan of each file's bytes for
names of the form ``ns:name`` (package headers and references, with the version written after
them), links over-approximated: a name in a comment links too. A scan can still miss a link
(a reference written with spaces or comments between its parts): :func:`parts_agree` checks
each group's analysis afterwards, and only a split whose groups found no diagnostic, define no
package twice and name no package another group defines stands for the whole.
"""

from __future__ import annotations

import posixpath
import re

from wit_ls.model.fs import FileSystem, normalize
from wit_ls.model.loader import FileCache, Load, Loader

TYPE_CHECKING = False  # not typing's: see wit_ls.light_typing
if TYPE_CHECKING:
    from wit_ls.model.api import RootAnalysis

# `:name`, an optional `/item` and an optional `@version`, written without spaces (the usual
# form; a reference written otherwise is caught by `parts_agree`). Scanning from the colon
# lets the regular expression engine skip ahead to each colon; the namespace before it is
# matched on the reversed bytes before the colon (a search for an identifier ending at the
# colon would try every start before it).
_AFTER_COLON = re.compile(
    rb":(%?[A-Za-z][A-Za-z0-9-]*)(?:/%?[A-Za-z][A-Za-z0-9-]*)?(?:@([0-9][0-9A-Za-z.+-]*))?")
_REVERSED_NAMESPACE = re.compile(rb"[A-Za-z0-9-]*[A-Za-z]%?")


class Unit:
    """What the loader reads as one piece: the root folder or one ``deps/`` entry (a folder or
    a file), with its ``.wit`` files."""

    __slots__ = ("files", "path")

    def __init__(self, path: str, files: list[str]) -> None:
        self.path = path
        self.files = files


def root_units(fs: FileSystem, root: str, cache: FileCache) -> list[Unit] | None:
    """The units of a directory root, the root folder first, asking ``fs`` what the loader
    asks (see `wit_ls.model.loader.load_root`); None when the root is not a folder, a folder
    cannot be listed, or ``deps/`` holds a package encoded as a component (decoding one looks
    at the packages read before it)."""
    root = normalize(root)
    if not fs.is_dir(root):
        return None
    loader = Loader(fs, cache)
    scratch = Load(root)
    files = loader.wit_files(scratch, root)
    if files is None:
        return None
    units = [Unit(root, files)]
    deps_dir = posixpath.join(root, "deps")
    if not fs.is_dir(deps_dir):
        return units
    try:
        names = sorted(fs.list_dir(deps_dir))
    except OSError:
        return None
    for name in names:
        full = posixpath.join(deps_dir, name)
        if fs.is_dir(full):
            entry = loader.wit_files(scratch, full)
            if entry is None:
                return None
            units.append(Unit(full, entry))
        elif name.endswith(".wit"):
            units.append(Unit(full, [full]))
        elif name.endswith((".wasm", ".wat")):
            return None
    return units


def package_names(data: bytes) -> tuple[set[bytes], set[bytes]]:
    """The packages ``data`` may define and those it may name: every ``ns:name`` or
    ``ns:name@version`` written in it, as the model keys packages (`UsePath.package_key`),
    after the word ``package`` (a header, nested or not) and elsewhere (a reference
    ``ns:name/item@version``, or a name in a comment)."""
    defined: set[bytes] = set()
    named: set[bytes] = set()
    for match in _AFTER_COLON.finditer(data):
        colon = match.start()
        before = _REVERSED_NAMESPACE.match(data[max(0, colon - 128):colon][::-1])
        if before is None:
            continue
        namespace = before.group()[::-1]
        key = namespace.lstrip(b"%") + b":" + match.group(1).lstrip(b"%")
        version = match.group(2)
        if version:
            # (A version before `.{` in `use ns:name/item@1.0.0.{...}` takes the dot; a `-` or
            # `+` with nothing after it is no part of a version, see `wit_ls.syntax.semver`.)
            key += b"@" + version.rstrip(b".-+")
        start = colon - len(namespace)
        if data[max(0, start - 16):start].rstrip().endswith(b"package"):
            defined.add(key)
        else:
            named.add(key)
    return defined, named


def independent_groups(fs: FileSystem, units: list[Unit]) -> list[tuple[list[str], int]] | None:
    """``units`` in groups that no package name links (a unit that names a package is linked
    to every unit that may define it), each with its bytes of source: the group of the root
    folder (the first unit) first, the others in the order of their first unit. None when a
    file cannot be read (the loader reports it)."""
    parent = list(range(len(units)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    sizes = [0] * len(units)
    definers: dict[bytes, int] = {}
    mentions: list[tuple[int, set[bytes]]] = []
    for index, unit in enumerate(units):
        named: set[bytes] = set()
        for path in unit.files:
            try:
                data = fs.read_bytes(path)
            except OSError:
                return None
            sizes[index] += len(data)
            defines, names = package_names(data)
            named |= names
            for key in defines:
                other = definers.setdefault(key, index)
                if other != index:
                    parent[find(index)] = find(other)
        mentions.append((index, named))
    for index, named in mentions:
        for key in named:
            definer = definers.get(key)
            if definer is not None:
                parent[find(index)] = find(definer)
    groups: dict[int, tuple[list[str], list[int]]] = {}
    for index, unit in enumerate(units):
        paths, size = groups.setdefault(find(index), ([], [0]))
        paths.append(unit.path)
        size[0] += sizes[index]
    return [(paths, size[0]) for paths, size in groups.values()]


# What a front door needs of one group's analysis to tell whether the split stands: how many
# diagnostics it found, the packages it defines, the packages they name.
Summary = tuple[int, list[str], list[str]]


def summary(part: RootAnalysis) -> Summary:
    """The :data:`Summary` of one group's analysis (plain data, to send between processes)."""
    defined: list[str] = []
    named: set[str] = set()
    if part.result is not None:
        resolver = part.result.resolver
        for info in resolver.infos:
            defined.append(info.package.key)
            named.update(resolver.foreign_keys(info))
    return len(part.diagnostics), defined, sorted(named)


def parts_agree(summaries: list[Summary]) -> bool:
    """Whether the groups' analyses stand for one analysis of the whole root, which then finds
    no diagnostic: none found any, no package is defined twice (within or across groups),
    and no group names a package it does not define itself."""
    seen: set[str] = set()
    for count, defined, named in summaries:
        if count:
            return False
        own = set(defined)
        if len(own) != len(defined) or own & seen or not own.issuperset(named):
            return False
        seen |= own
    return True


def load_analysis_modules() -> None:
    """Import the modules an analysis imports on first use, so that processes forked
    afterwards find them imported (each would import them again)."""
    import wit_ls.model.api
    import wit_ls.model.checks
    import wit_ls.model.worlds
    import wit_ls.syntax.skip_comments  # noqa: F401
