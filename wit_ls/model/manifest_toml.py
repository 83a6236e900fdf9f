"""Read a dependency manifest (``deps.toml``, ``wkg.toml``) as ``tomllib.loads`` does, without
importing ``tomllib`` for the usual shapes.

Importing ``tomllib`` (with the ``datetime`` and ``string`` modules and the patterns it compiles)
costs a ``wit-ls check`` process more than parsing every manifest of a package. Manifests are
nearly always lines of ``key = "text"`` or ``key = { path = "text" }`` with comments and a table
header or two, so those shapes are read here; any other text (another value type, an escape, a
dotted key, a duplicate key, a control character) goes to ``tomllib``, whose
result (or error) stands. Within the shapes read here the result equals ``tomllib``'s
(tests/model/test_manifest_toml.py compares them on every manifest of the corpus and mutants).
"""

from __future__ import annotations

import sys

# The control characters TOML allows nowhere but in escapes (a carriage return too: a line
# ending "\r\n" is left to tomllib). Without them the shapes below mean the same to TOML.
_CONTROL = frozenset(chr(c) for c in [*range(0x20), 0x7F]) - {"\t", "\n"}
_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_SPACE = " \t"


class _Other(Exception):
    """Text outside the shapes read here: ``tomllib`` decides."""


def loads(text: str) -> dict[str, object]:
    """``tomllib.loads(text)``: the same result, or the same exception type."""
    try:
        return _simple(text)
    except _Other:
        pass
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    result: dict[str, object] = tomllib.loads(text)
    return result


def _simple(text: str) -> dict[str, object]:
    if not _CONTROL.isdisjoint(text):
        raise _Other
    root: dict[str, object] = {}
    table = root
    for raw in text.split("\n"):
        line = raw.strip(_SPACE)
        if not line or line[0] == "#":
            continue
        if line[0] == "[":
            name, rest = _key(line[1:].lstrip(_SPACE))
            rest = rest.lstrip(_SPACE)
            if not rest.startswith("]") or name in root:
                raise _Other
            _end(rest[1:])
            table = {}
            root[name] = table
            continue
        key, rest = _key(line)
        rest = rest.lstrip(_SPACE)
        if not rest.startswith("="):
            raise _Other
        value, rest = _value(rest[1:].lstrip(_SPACE))
        _end(rest)
        if key in table:
            raise _Other
        table[key] = value
    return root


def _end(rest: str) -> None:
    """Only spaces and a comment may follow on the line."""
    rest = rest.lstrip(_SPACE)
    if rest and rest[0] != "#":
        raise _Other


def _key(text: str) -> tuple[str, str]:
    """A bare or quoted (escape-free) key at the start of ``text``, and what follows it."""
    if text.startswith('"'):
        name, rest = _string(text)
    else:
        end = 0
        while end < len(text) and text[end] in _BARE:
            end += 1
        if end == 0:
            raise _Other
        name, rest = text[:end], text[end:]
    if rest.lstrip(_SPACE).startswith("."):
        raise _Other  # a dotted key
    return name, rest


def _string(text: str) -> tuple[str, str]:
    """A one-line basic string without escapes at the start of ``text``."""
    close = text.find('"', 1)
    if close < 0 or text[:1] != '"' or text.startswith('"""'):
        raise _Other
    body = text[1:close]
    if "\\" in body:
        raise _Other
    return body, text[close + 1:]


def _value(text: str) -> tuple[object, str]:
    if text.startswith('"'):
        return _string(text)
    if not text.startswith("{"):
        raise _Other
    table: dict[str, object] = {}
    rest = text[1:].lstrip(_SPACE)
    if rest.startswith("}"):
        return table, rest[1:]
    while True:
        key, rest = _key(rest)
        rest = rest.lstrip(_SPACE)
        if not rest.startswith("=") or key in table:
            raise _Other
        value, rest = _string(rest[1:].lstrip(_SPACE))
        table[key] = value
        rest = rest.lstrip(_SPACE)
        if rest.startswith("}"):
            return table, rest[1:]
        if not rest.startswith(","):
            raise _Other
        rest = rest[1:].lstrip(_SPACE)
