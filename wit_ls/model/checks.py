"""Small, self-contained checks and helpers shared by the resolver: desugared function names,
strong-uniqueness keys, attribute (stability) rules and map keys."""

from __future__ import annotations

from wit_ls.model.items import Attribute, Func
from wit_ls.model.resolved import Stability
from wit_ls.syntax.semver import version_or_none as version_or_none  # the model's name for it

MAP_KEYS = frozenset(
    ["bool", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "char", "string"]
)
MAP_KEY_MESSAGE = (
    "invalid map key type: map keys must be bool, u8, u16, u32, u64, s8, s16, s32, s64, char, "
    "or string"
)


def function_name(func: Func, resource: str | None) -> str:
    """wit-parser's desugared name (wit-spec.md §1.4)."""
    label = func.name.text if func.name is not None else ""
    accessor = f"[{func.accessor}]" if func.accessor else ""
    if func.kind == "constructor":
        return f"[constructor]{resource}"
    if func.kind == "method":
        return f"[method]{accessor}{resource}.{label}"
    if func.kind == "static":
        return f"[static]{accessor}{resource}.{label}"
    return f"{accessor}{label}"


def function_kind(func: Func) -> str:
    """The ``kind`` of the JSON export (without the resource id)."""
    if func.kind == "constructor":
        return "constructor"
    if func.accessor:
        suffix = "getter" if func.accessor == "get" else "setter"
        return suffix if func.kind == "func" else f"{func.kind}-{suffix}"
    base = "freestanding" if func.kind == "func" else func.kind
    return f"async-{base}" if func.is_async else base


# Each name's keys, worked out once per process (names repeat: every WASI version declares the
# same ones); cleared when it grows past its bound.
_STRONG: dict[str, str] = {}
_KEYS: dict[str, tuple[str, ...]] = {}
_MAX_NAMES = 1 << 14


def strong_key(name: str) -> str:
    """``name`` as strong uniqueness compares it: case and hyphens ignored (``foo-bar`` and
    ``FooBar`` are the same name)."""
    key = _STRONG.get(name)
    if key is None:
        if len(_STRONG) >= _MAX_NAMES:
            _STRONG.clear()
        key = _STRONG[name] = name.lower().replace("-", "")
    return key


def uniqueness_keys(name: str) -> tuple[str, ...]:
    """Keys under which ``name`` must be strongly unique (case and hyphens ignored) in its
    scope."""
    keys = _KEYS.get(name)
    if keys is None:
        if len(_KEYS) >= _MAX_NAMES:
            _KEYS.clear()
        keys = _KEYS[name] = _uniqueness_keys(name)
    return keys


def _uniqueness_keys(name: str) -> tuple[str, ...]:
    lowered = strong_key(name)
    if "[" not in name or lowered.startswith("[constructor]"):
        return (lowered,)
    for prefix in ("[method]", "[static]"):
        if lowered.startswith(prefix):
            rest = lowered[len(prefix):]
            setter = rest.startswith("[set]")
            if rest.startswith(("[get]", "[set]")):
                rest = rest[5:]
            resource, _, label = rest.partition(".")
            key = ("[set]" if setter else "") + f"{resource}.{label}"
            if label == resource and not setter:
                return (key, resource)
            return (key,)
    if lowered.startswith("[get]"):
        return (lowered[5:],)
    return (lowered,)


def feature_active(stability: Stability, features: frozenset[str], all_features: bool) -> bool:
    return stability.kind != "unstable" or all_features or stability.feature in features


def stability_of(attributes: list[Attribute]) -> tuple[Stability, list[tuple[Attribute, str]]]:
    """The stability the attributes declare, and the conflicts wit-parser rejects (R24)."""
    problems: list[tuple[Attribute, str]] = []
    since = unstable = deprecated = None
    external = 0
    for attr in attributes:
        if attr.kind == "since":
            if since is not None:
                problems.append((attr, "cannot specify @since twice"))
            since = attr
        elif attr.kind == "unstable":
            if unstable is not None:
                problems.append((attr, "cannot specify @unstable twice"))
            unstable = attr
        elif attr.kind == "deprecated":
            if deprecated is not None:
                problems.append((attr, "cannot specify @deprecated twice"))
            deprecated = attr
        elif attr.kind == "external-id":
            external += 1
            if external > 1:
                problems.append((attr, "cannot specify @external-id twice"))
    if since is not None and unstable is not None:
        problems.append((since, "cannot specify both @since and @unstable"))
    if deprecated is not None and since is None and unstable is None:
        problems.append((deprecated, "cannot specify both @deprecated without @since or @unstable"))
    dep = deprecated.value if deprecated is not None else ""
    if since is not None:
        return Stability("stable", since=since.value, deprecated=dep), problems
    if unstable is not None:
        return Stability("unstable", feature=unstable.value, deprecated=dep), problems
    return Stability(), problems




def external_id(attributes: list[Attribute]) -> str | None:
    for attr in attributes:
        if attr.kind == "external-id":
            return attr.value
    return None
