"""The run-time stand-ins of :mod:`wit_ls.light_typing` build what :mod:`typing` builds, and
the tree-sitter binding registered by :mod:`wit_ls.syntax.binding` is the package's own."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
import typing
from pathlib import Path

import pytest

from wit_ls import light_typing

PACKAGE = Path(__file__).resolve().parents[2] / "wit_ls"

BODY = '''
class Point(NamedTuple):
    """A point."""

    x: int
    y: "int"
    label: str = "origin"
    tags: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return self.x + self.y

    def moved(self, by: int) -> "Point":
        return self._replace(x=self.x + by)

    @classmethod
    def zero(cls) -> "Point":
        return cls(0, 0)
'''


def _build(named_tuple: object) -> type:
    space: dict[str, object] = {"NamedTuple": named_tuple, "__name__": "somewhere"}
    exec(BODY, space)
    return space["Point"]  # type: ignore[return-value]


def test_named_tuple_builds_the_class_typing_builds() -> None:
    ours, theirs = _build(light_typing.NamedTuple), _build(typing.NamedTuple)
    for attr in ("_fields", "_field_defaults", "__doc__", "__module__", "__qualname__",
                 "__name__"):
        assert getattr(ours, attr) == getattr(theirs, attr), attr
    assert [c.__name__ for c in ours.__mro__] == [c.__name__ for c in theirs.__mro__]
    a, b = ours(1, 2), theirs(1, 2)
    assert (repr(a), tuple(a), a.total, a.label, a._asdict()) == (
        repr(b), tuple(b), b.total, b.label, b._asdict())
    assert tuple(a.moved(3)) == tuple(b.moved(3)) and tuple(ours.zero()) == tuple(theirs.zero())
    assert a == (1, 2, "origin", ()) and hash(a) == hash(b)
    with pytest.raises(TypeError):
        ours(1)
    with pytest.raises(AttributeError):
        a.x = 5  # type: ignore[misc]


def _named_tuple_classes() -> list[tuple[str, str, list[str], int]]:
    """(module, class, annotated fields, number of defaults) of every ``class X(NamedTuple)``
    in a module that takes NamedTuple from light_typing at run time."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if "light_typing import" not in text or "NamedTuple" not in text:
            continue
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        for node in ast.parse(text).body:
            if isinstance(node, ast.ClassDef) and any(
                    isinstance(b, ast.Name) and b.id == "NamedTuple" for b in node.bases):
                fields = [s for s in node.body if isinstance(s, ast.AnnAssign)]
                found.append((module, node.name,
                              [f.target.id for f in fields if isinstance(f.target, ast.Name)],
                              sum(f.value is not None for f in fields)))
    return found


def test_the_package_named_tuples_have_their_annotated_fields() -> None:
    classes = _named_tuple_classes()
    assert len(classes) >= 8  # (the probe really found them)
    for module, name, fields, defaults in classes:
        made = getattr(importlib.import_module(module), name)
        assert issubclass(made, tuple) and list(made._fields) == fields, (module, name)
        assert len(made._field_defaults) == defaults, (module, name)
        assert made.__module__ == module and made.__qualname__ == name


def test_the_other_stand_ins() -> None:
    value = object()
    assert light_typing.cast("int", value) is value
    assert light_typing.Generic[str] is object

    class Reader(light_typing.Protocol):
        def read(self) -> bytes: ...

    assert Reader.__mro__[1:] == (light_typing.Protocol, object)


BINDING_PROBE = """
import sys
import wit_ls.syntax
import tree_sitter
print(tree_sitter.__file__ is not None and "typing" not in sys.modules)
print(" ".join(sorted(n for n in vars(tree_sitter) if n == "__version__" or n[:2] != "__")))
names = [n for n in vars(tree_sitter) if n[:1] != "_"]
print(all(getattr(tree_sitter, n) is getattr(tree_sitter._binding, n) for n in names))
# A name only the package's own __init__ defines: it runs, and the binding's names stay.
from tree_sitter import QueryPredicate
print(QueryPredicate.__module__, "QueryPredicate" in tree_sitter.__all__,
      all(getattr(tree_sitter, n) is getattr(tree_sitter._binding, n) for n in names))
"""

REAL_PROBE = """
import tree_sitter
print(" ".join(sorted(tree_sitter.__all__)))
"""


def test_the_binding_is_the_tree_sitter_package_without_its_typing_extras() -> None:
    def run(probe: str) -> list[str]:
        done = subprocess.run([sys.executable, "-S", "-c", probe], capture_output=True,
                              text=True, timeout=60, env=None, cwd=PACKAGE.parent,
                              check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout.splitlines()

    ours = run(f"import sys; sys.path[:0] = {_paths()!r}\n" + BINDING_PROBE)
    real = run(f"import sys; sys.path[:0] = {_paths()!r}\n" + REAL_PROBE)
    assert ours[0] == "True" and ours[2] == "True", ours
    assert ours[3] == "tree_sitter True True", ours
    # Every public name of tree_sitter but the type-hint-only protocol (and `_binding`).
    assert set(real[0].split()) - set(ours[1].split()) == {"QueryPredicate"}


def _paths() -> list[str]:
    import tree_sitter

    return [str(PACKAGE.parent), str(Path(tree_sitter.__file__).resolve().parents[1])]
