"""In a file without syntax errors lowering reads each distinct attribute text once (its parts
kept by text) and stops at an item's first child that is neither an attribute nor a comment.
The items must be those the node-by-node reading gives: compared on written cases and on every
corpus file."""

from __future__ import annotations

import pytest
from support.oracle import corpus_wit_files, shared_dir

from wit_ls.model import lower as lower_module
from wit_ls.model.lower import lower
from wit_ls.syntax import parse

CASES = [
    # The same texts at other offsets, in interfaces, worlds and members; spaces inside.
    "package a:b@1.0.0;\n@since(version = 1.0.0)\ninterface i {\n"
    "  @since(version = 1.0.0)\n  f: func();\n  @since( version=1.0.0 )\n  g: func();\n"
    "  @unstable(feature = x) @since(version = 1.0.0) record r { a: u32 }\n}\n"
    "@since(version = 1.0.0)\nworld w {\n  @since(version = 1.0.0)\n  import i;\n"
    "  @since(version = 1.0.0) export f: func();\n}\n",
    # Comments between attributes, a deprecated pair, an attribute without arguments.
    "package a:b;\ninterface i {\n  @since(version = 1.0.0) /* x */ // y\n"
    "  /// doc\n  @deprecated(version = 2.0.0)\n  f: func();\n  @unknown\n  g: func();\n}\n",
    # A string value (escapes decoded) and unusual arguments, kept for the model to report.
    '@external-id("a\\u{41}b")\npackage a:b;\ninterface i {\n  @since(version = 1.0.0, x = y)\n'
    '  f: func();\n  @since()\n  g: func();\n  @since(feature = 1.0.0)\n  h: func();\n}\n',
]


def _node_by_node(tree: object, monkeypatch: pytest.MonkeyPatch) -> object:
    """Lowering with the text memo off: as for a file with a syntax error."""
    original = lower_module._Lowerer.__init__

    def init(self: lower_module._Lowerer, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        self.clean = False

    with monkeypatch.context() as patch:
        patch.setattr(lower_module._Lowerer, "__init__", init)
        return lower(tree, "", True)  # type: ignore[arg-type]


def _same(text: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = parse(text)
    if tree.tree.root_node.has_error:
        return
    lower_module._ATTRIBUTE_PARTS.clear()
    first = lower(tree, "", True)
    again = lower(tree, "", True)  # (every text known now)
    reference = _node_by_node(tree, monkeypatch)
    assert first == reference and again == reference, text.decode("utf-8", "replace")


@pytest.mark.parametrize("text", CASES)
def test_attributes_by_text(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = parse(text)
    assert not tree.tree.root_node.has_error
    assert "Attribute(" in repr(lower(tree, "", True))  # (the case really has attributes)
    _same(text.encode(), monkeypatch)


@pytest.mark.skipif(shared_dir() is None, reason="needs ../shared (the corpus)")
def test_attributes_by_text_over_the_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    files = corpus_wit_files()
    assert len(files) > 100
    for path in files:
        _same(path.read_bytes(), monkeypatch)
