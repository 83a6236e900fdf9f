"""py-tree-sitter's compiled binding, loaded without its package's ``__init__``.

``tree_sitter/__init__.py`` re-exports the names of its compiled module ``tree_sitter._binding``
and defines one ``typing.Protocol`` for type hints (``QueryPredicate``, which this package does
not use); importing :mod:`typing` for it costs every ``wit-ls check`` process about 12M
instructions (see :mod:`wit_ls.light_typing`). Importing this module (the first thing
:mod:`wit_ls.syntax` does) therefore registers a ``tree_sitter`` package module that holds the
binding's public names, found and loaded by the ordinary import machinery, unless
``tree_sitter`` is already imported. ``from tree_sitter import Node`` then gives the same
classes as ever; any other name (``QueryPredicate``) runs the package's own ``__init__`` first,
so that a program importing both wit_ls and tree_sitter sees the whole package. Should anything
go wrong, the package is imported as usual.
"""

from __future__ import annotations

import sys


def _register() -> None:
    if "tree_sitter" in sys.modules:
        return
    spec = None
    for finder in sys.meta_path:
        find = getattr(finder, "find_spec", None)
        spec = find("tree_sitter", None) if find is not None else None
        if spec is not None:
            break
    if spec is None or not spec.submodule_search_locations:
        return
    package = type(sys)("tree_sitter")
    vars(package).update(__spec__=spec, __path__=list(spec.submodule_search_locations),
                         __package__="tree_sitter", __file__=spec.origin)
    sys.modules["tree_sitter"] = package
    try:
        __import__("tree_sitter._binding")
        _binding = sys.modules["tree_sitter._binding"]
    except Exception:  # pragma: no cover - an unusual installation: the ordinary import
        del sys.modules["tree_sitter"]
        sys.modules.pop("tree_sitter._binding", None)
        return
    public = [*(n for n in vars(_binding) if not n.startswith("_")), "__version__"]
    for name in public:
        setattr(package, name, getattr(_binding, name))

    def whole(name: str) -> object:
        # A name the binding does not hold: run the package's own __init__ (once) and look
        # again.
        vars(package).pop("__getattr__", None)
        loader = spec.loader if spec is not None else None
        if loader is not None:
            loader.exec_module(package)
        return getattr(package, name)

    vars(package)["__getattr__"] = whole


_register()
