"""Run-time stand-ins for the few :mod:`typing` names the ``wit-ls check`` path needs.

Importing :mod:`typing` costs every ``wit-ls check`` process about 12M instructions (some 4% of
a check of wasi-http), and ``typing.NamedTuple`` compiles every field's annotation on top. The
modules a check loads therefore import the typing names they use at run time like this::

    TYPE_CHECKING = False  # (mypy reads any TYPE_CHECKING name as true)
    if TYPE_CHECKING:
        from typing import NamedTuple, cast
    else:
        from wit_ls.light_typing import NamedTuple, cast

so that mypy sees :mod:`typing` and the interpreter sees these. Each behaves as its
:mod:`typing` namesake does for the way this package uses it: ``NamedTuple`` builds the same
:func:`collections.namedtuple` class (fields in annotation order, defaults, methods, docstring),
``cast`` returns its value, ``Protocol`` is a plain base class (no ``isinstance`` checks
against protocols here), ``Generic[...]`` is :class:`object`.
``tests/architecture/test_startup.py`` checks that a check does not import :mod:`typing`, and
``tests/architecture/test_light_typing.py`` that these classes equal what :mod:`typing` builds.
"""

from __future__ import annotations

from collections import namedtuple

_NOT_COPIED = frozenset(("__module__", "__qualname__", "__annotations__", "__dict__",
                         "__weakref__", "__slots__"))


def cast(_type: object, value: object) -> object:
    return value


class _NamedTupleMeta(type):
    def __new__(mcs, name: str, bases: tuple[type, ...],
                namespace: dict[str, object]) -> type:
        if not bases:  # the base class below
            return super().__new__(mcs, name, bases, namespace)
        fields = list(namespace.get("__annotations__", {}))  # type: ignore[call-overload]
        defaults = [namespace[f] for f in fields if f in namespace]
        made: type = namedtuple(name, fields, defaults=defaults,  # type: ignore[misc]
                                module=str(namespace["__module__"]))
        made.__qualname__ = str(namespace.get("__qualname__", name))
        for key, value in namespace.items():
            if key not in _NOT_COPIED and key not in fields:
                setattr(made, key, value)
        return made


class NamedTuple(metaclass=_NamedTupleMeta):
    """``class X(NamedTuple): a: int`` builds ``collections.namedtuple("X", ["a"])``."""


class Protocol:
    __slots__ = ()


class Generic:
    __slots__ = ()

    def __class_getitem__(cls, _item: object) -> type:
        return object


AnyStr = TypeVar = None
