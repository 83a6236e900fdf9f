"""Semantic versions with the rules and messages of Rust's ``semver`` crate, which wit-parser
uses for package versions, versioned paths, ``@since`` and ``@deprecated``."""

from __future__ import annotations

_ALNUM_DASH = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-")
_PARTS = ("major", "minor", "patch")


class Version:
    """A parsed semantic version (immutable by convention; equality includes build metadata,
    as in the semver crate)."""

    __slots__ = ("build", "major", "minor", "patch", "pre")

    def __init__(
        self,
        major: int,
        minor: int,
        patch: int,
        pre: tuple[str, ...] = (),
        build: tuple[str, ...] = (),
    ) -> None:
        self.major = major
        self.minor = minor
        self.patch = patch
        self.pre = pre
        self.build = build

    def _fields(self) -> tuple[int, int, int, tuple[str, ...], tuple[str, ...]]:
        return (self.major, self.minor, self.patch, self.pre, self.build)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Version) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return f"Version({self})"

    def __str__(self) -> str:
        text = f"{self.major}.{self.minor}.{self.patch}"
        if self.pre:
            text += "-" + ".".join(self.pre)
        if self.build:
            text += "+" + ".".join(self.build)
        return text

    def _pre_key(self) -> tuple[object, ...]:
        if not self.pre:
            return (1,)
        key: list[object] = [0]
        for part in self.pre:
            key.append((0, int(part), "") if part.isdigit() else (1, 0, part))
        return tuple(key)

    def track(self) -> str:
        """The canonical version track, the versions that cargo's default (caret) requirement
        on this one accepts, pre-release tags left aside: ``1.2.3 -> 1``, ``0.2.6 -> 0.2``,
        ``0.0.1 -> 0.0.1``, ``0.3.0-rc-1 -> 0.3``."""
        if self.major:
            return str(self.major)
        if self.minor:
            return f"0.{self.minor}"
        return f"0.0.{self.patch}"

    def sort_key(self) -> tuple[object, ...]:
        return (self.major, self.minor, self.patch, self._pre_key(), self.build)

    def __lt__(self, other: Version) -> bool:
        return self.sort_key() < other.sort_key()

    def __le__(self, other: Version) -> bool:
        return self.sort_key() <= other.sort_key()

    def __gt__(self, other: Version) -> bool:
        return self.sort_key() > other.sort_key()

    def __ge__(self, other: Version) -> bool:
        return self.sort_key() >= other.sort_key()


class VersionError(ValueError):
    """A version the semver crate rejects; ``offset`` is the byte offset within the text."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


def _describe(ch: str) -> str:
    return f"unexpected character {ch!r}" if ch else "unexpected end of input"


def _number(text: str, pos: int, part: str) -> tuple[int, int]:
    start = pos
    while pos < len(text) and text[pos].isdigit() and text[pos].isascii():
        pos += 1
    if pos == start:
        ch = text[pos] if pos < len(text) else ""
        if ch:
            raise VersionError(
                f"unexpected character {ch!r} while parsing {part} version number", pos
            )
        raise VersionError(
            "empty string, expected a semver version"
            if part == "major" and not text
            else f"unexpected end of input while parsing {part} version number",
            pos,
        )
    digits = text[start:pos]
    if len(digits) > 1 and digits[0] == "0":
        raise VersionError(f"invalid leading zero in {part} version number", start)
    value = int(digits)
    if value > 2**64 - 1:
        raise VersionError(f"value of {part} version number exceeds u64::MAX", start)
    return value, pos


def _identifiers(text: str, pos: int, what: str) -> tuple[tuple[str, ...], int]:
    parts: list[str] = []
    while True:
        start = pos
        while pos < len(text) and text[pos] in _ALNUM_DASH:
            pos += 1
        part = text[start:pos]
        if not part:
            ch = text[pos] if pos < len(text) else ""
            if ch:
                raise VersionError(
                    f"unexpected character {ch!r} after {what} identifier"
                    if parts
                    else f"empty identifier segment in {what}",
                    pos,
                )
            raise VersionError(f"empty identifier segment in {what}", pos)
        if what == "pre-release" and part.isdigit() and len(part) > 1 and part[0] == "0":
            raise VersionError("invalid leading zero in pre-release identifier", start)
        parts.append(part)
        if pos < len(text) and text[pos] == ".":
            pos += 1
            continue
        return tuple(parts), pos


def parse_version(text: str) -> Version:
    """Parse ``text`` as the semver crate does; raise :class:`VersionError` with its message."""
    if not text:
        raise VersionError("empty string, expected a semver version", 0)
    values: list[int] = []
    pos = 0
    for index, part in enumerate(_PARTS):
        value, pos = _number(text, pos, part)
        values.append(value)
        if index < 2:
            if pos >= len(text):
                raise VersionError(
                    f"unexpected end of input while parsing {_PARTS[index]} version number", pos
                )
            if text[pos] != ".":
                raise VersionError(
                    f"unexpected character {text[pos]!r} after {part} version number", pos
                )
            pos += 1
    pre: tuple[str, ...] = ()
    build: tuple[str, ...] = ()
    if pos < len(text) and text[pos] == "-":
        pre, pos = _identifiers(text, pos + 1, "pre-release")
    if pos < len(text) and text[pos] == "+":
        build, pos = _identifiers(text, pos + 1, "build metadata")
    if pos < len(text):
        after = (
            "build metadata"
            if build
            else ("pre-release identifier" if pre else "patch version number")
        )
        raise VersionError(f"unexpected character {text[pos]!r} after {after}", pos)
    return Version(values[0], values[1], values[2], pre, build)


def spanned_version(text: str) -> str:
    """The part of a version's text wit-parser hands to semver (and keeps as the version): it
    eats a `-` (pre-release) or `+` (build) prefix but extends the version only over the
    identifiers after it, so a prefix with nothing after it (`1.0.0-`, `1.0.0-rc+`) is not part
    of the version: `a:b@1.0.0-` is the package `a:b@1.0.0`."""
    if text.endswith("+"):
        text = text[:-1]
    if text.endswith("-") and text.count("-") == 1 and "+" not in text:
        text = text[:-1]
    return text


_VERSIONS: dict[str, Version | None] = {}


def version_or_none(text: str | None) -> Version | None:
    """The parsed version, or None when empty or invalid (memoised: the same few versions
    recur on every gate of a package)."""
    if not text:
        return None
    try:
        return _VERSIONS[text]
    except KeyError:
        pass
    try:
        found: Version | None = parse_version(text)
    except VersionError:
        found = None
    if len(_VERSIONS) > 4096:
        _VERSIONS.clear()
    _VERSIONS[text] = found
    return found
