"""Syntax errors as data: every ERROR and MISSING node of a tree becomes one diagnostic whose
message says what was expected and what was found, e.g. "expected ';' after the type alias,
found '}'"."""

from __future__ import annotations

from tree_sitter import Language, Node, Tree

from wit_ls.syntax.describe import (
    CONSTRUCT_NAMES,
    describe_kind,
    describe_text,
    join_alternatives,
)
from wit_ls.syntax.diagnostics import Diagnostic
from wit_ls.syntax.strings import literal_problem
from wit_ls.syntax.vocabulary import COMMENT_NODES, PRIMITIVE_TYPES, TYPE_KEYWORDS

_MAX_ALTERNATIVES = 6


def _context(node: Node) -> str:
    """Name of the innermost construct around ``node`` ("the record"), or ""."""
    parent = node.parent
    while parent is not None:
        name = CONSTRUCT_NAMES.get(parent.type)
        if name:
            return name
        parent = parent.parent
    return ""


def _first_leaf(node: Node) -> Node:
    while node.child_count:
        node = node.children[0]
    return node


def _previous_leaf(node: Node) -> Node | None:
    """The token before ``node`` (skipping comments), or None at the start of the file."""
    current: Node | None = node
    while current is not None:
        sibling = current.prev_sibling
        while sibling is not None and sibling.type in COMMENT_NODES:
            sibling = sibling.prev_sibling
        if sibling is not None:
            while sibling.child_count:
                last = sibling.children[-1]
                if last.type in COMMENT_NODES and last.prev_sibling is not None:
                    last = last.prev_sibling
                sibling = last
            return sibling
        current = current.parent
    return None


def _state_after(language: Language, leaf: Node | None) -> int:
    """The parse state after ``leaf``; inside an ERROR node tree-sitter records 0 there, so
    recompute it from the state before the token."""
    if leaf is None:
        return 1
    state = leaf.next_parse_state
    if state == 0 and leaf.parse_state:
        state = language.next_state(leaf.parse_state, leaf.grammar_id)
    return state


def _expected_kinds(language: Language, leaf: Node | None) -> set[str]:
    """The grammar symbols accepted after ``leaf`` (or at the start of a file)."""
    state = _state_after(language, leaf)
    iterator = language.lookahead_iterator(state)
    if iterator is None:
        return set()
    names: set[str] = set()
    for symbol in iterator.symbols():
        name = language.node_kind_for_id(symbol)
        if not name or name in COMMENT_NODES or name == "ERROR" or name.startswith("_"):
            continue
        if not language.node_kind_is_visible(symbol):
            continue
        names.add(name)
    return names


# Where an item, a member or a type must start, wit-parser names what it wanted in words of its
# own (wit-spec.md §2.2, P1-P5, P7); users search for these phrases.
_POSITION_BY_PARENT = {
    "source_file": "expected `world`, `interface` or `use`",
    "package_body": "expected `world`, `interface` or `use`",
    "world_body": "expected `import`, `export`, `include`, `use`, or type definition",
    "interface_body": "expected `type`, `resource` or `func`",
    "resource_body": "expected `constructor` or identifier",
}


def _known_position(
    kinds: set[str], error: Node | None = None, prev: Node | None = None
) -> str | None:
    if len(kinds) > 40:
        # Tree-sitter's error state accepts everything; judge by where the error sits.
        parent = error.parent if error is not None else None
        if parent is None:
            return None
        if parent.type == "list_type" and prev is not None and prev.type == ",":
            return "expected fixed-length"
        return _POSITION_BY_PARENT.get(parent.type)
    if {"import", "export", "include"} <= kinds:
        return "expected `import`, `export`, `include`, `use`, or type definition"
    if {"interface", "world", "package"} <= kinds:
        return "expected `world`, `interface` or `use`"
    if "constructor" in kinds:
        return "expected `constructor` or identifier"
    if {"record", "resource", "type", "identifier"} <= kinds:
        return "expected `type`, `resource` or `func`"
    if len(kinds & TYPE_KEYWORDS) >= 5:
        return "expected a type"
    if "integer" in kinds:
        return "expected fixed-length"
    return None


def expected_after(language: Language, leaf: Node | None) -> list[str]:
    """What the grammar accepts after ``leaf`` (or at the start of a file), described."""
    kinds = _expected_kinds(language, leaf)
    if not kinds:
        return []
    described: list[str] = []
    if len(kinds & TYPE_KEYWORDS) >= 5:
        # "bool, u8, u16, ..." reads worse than what it means.
        kinds -= TYPE_KEYWORDS | {"identifier"}
        described.append("a type")
    if kinds & PRIMITIVE_TYPES and len(kinds) > _MAX_ALTERNATIVES:
        kinds -= PRIMITIVE_TYPES
    order = ["end", ";", "}", ")", ">", ",", "{", "(", "<", ":", "=", ".", "->", "@", "/"]
    ranked = sorted(kinds, key=lambda k: (order.index(k) if k in order else len(order), k))
    described.extend(describe_kind(k) for k in ranked if k != "end" or len(ranked) == 1)
    return described


def _expected_message(language: Language, leaf: Node | None) -> str:
    alternatives = expected_after(language, leaf)
    if not alternatives:
        return "unexpected input"
    if len(alternatives) > _MAX_ALTERNATIVES:
        return "unexpected input"
    return "expected " + join_alternatives(alternatives)


def _show(ch: str) -> str:
    return ch if ch.isprintable() else "\\u{" + f"{ord(ch):x}" + "}"


def _stray_character(text: str) -> str | None:
    """wit-parser's "unexpected character" for a token no WIT token starts with."""
    if not text:
        return None
    ch = text[0]
    if ch.isalnum() or ch in '_%-"' or ch in "=,:.;(){}<>*@/+" or ch.isspace():
        return None
    return ch


def _open_string(source: bytes, leaf: Node) -> Diagnostic | None:
    """wit-parser's lexer error for a quote that starts no whole string token (the grammar's
    string token stops at the end of its line; wit-parser's lexer reads on and rejects the
    line break, or the end of the file), or None when the literal it starts is valid."""
    problem = literal_problem(source, leaf.start_byte)
    if problem is None:
        return None
    at = problem[0]
    return Diagnostic(at, min(at + 1, len(source)), problem[1], "invalid-string")


def syntax_errors(tree: Tree, source: bytes) -> list[Diagnostic]:
    """One diagnostic per ERROR or MISSING node, in source order."""
    language = tree.language
    out: list[Diagnostic] = []
    if not tree.root_node.has_error:
        return out
    cursor = tree.walk()
    stack_done = False
    while not stack_done:
        node = cursor.node
        assert node is not None
        descend = node.has_error and not node.is_error and not node.is_missing
        if node.is_missing:
            out.append(_missing(node, source))
        elif node.is_error:
            out.append(_error(language, node, source))
        if descend and cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                stack_done = True
                break
    return out


def _next_leaf(node: Node) -> Node | None:
    """The token after ``node`` (skipping comments), or None at the end of the file."""
    current: Node | None = node
    while current is not None:
        sibling = current.next_sibling
        while sibling is not None and (sibling.type in COMMENT_NODES or sibling.is_missing):
            sibling = sibling.next_sibling
        if sibling is not None:
            return _first_leaf(sibling)
        current = current.parent
    return None


def _found(source: bytes, leaf: Node | None) -> str:
    if leaf is None:
        return "eof"
    text = source[leaf.start_byte : leaf.end_byte].decode("utf-8", "replace")
    return describe_text(text.split()[0] if text.strip() else "")


def _missing(node: Node, source: bytes) -> Diagnostic:
    kind = node.type
    what = describe_kind(kind) if kind else "a token"
    if node.is_named and kind not in ("identifier", "version", "integer", "string"):
        what = "a type" if kind.endswith("_type") else f"{kind.replace('_', ' ')}"
    context = _context(node)
    parent = node.parent
    last = parent is not None and parent.children and parent.children[-1] == node
    message = f"expected {what}"
    if parent is not None and parent.type == "named_type":
        message = "expected a type"
    elif kind == "integer":
        message = "expected fixed-length"
    elif context:
        message += f" after {context}" if last else f" in {context}"
    following = _next_leaf(node)
    message += f", found {_found(source, following)}"
    # Like wit-parser, point at the token found instead (at the end of the file for eof).
    if following is None:
        return Diagnostic(len(source), len(source), message, "syntax-error")
    return Diagnostic(
        following.start_byte,
        max(following.end_byte, following.start_byte + 1),
        message,
        "syntax-error",
    )


def _leaves(node: Node) -> list[Node]:
    out: list[Node] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.child_count == 0:
            if current.type not in COMMENT_NODES:
                out.append(current)
        else:
            stack.extend(reversed(current.children))
    return out


def _valid_after(language: Language, leaf: Node | None) -> set[int]:
    state = _state_after(language, leaf)
    if state == 0:
        return set()
    iterator = language.lookahead_iterator(state)
    return set(iterator.symbols()) if iterator is not None else set()


def _error(language: Language, node: Node, source: bytes) -> Diagnostic:
    leaves = _leaves(node)
    if not leaves:
        return Diagnostic(node.start_byte, node.start_byte + 1, "unexpected input", "syntax-error")
    for leaf in leaves:
        text = source[leaf.start_byte : leaf.end_byte].decode("utf-8", "replace")
        if text.startswith('"') and leaf.type != "string":
            open_string = _open_string(source, leaf)
            if open_string is not None:
                return open_string
        stray = _stray_character(text)
        if stray is not None:
            start = leaf.start_byte
            return Diagnostic(
                start,
                start + len(stray.encode("utf-8")),
                f"unexpected character '{_show(stray)}'",
                "unexpected-character",
            )
    # The offending token: the first leaf that the grammar does not accept after the token
    # before it (an ERROR node often wraps a valid prefix).
    prev = _previous_leaf(node)
    culprit = leaves[0]
    for leaf in leaves:
        if leaf.is_error or leaf.grammar_id not in _valid_after(language, prev):
            culprit = leaf
            break
        prev = leaf
    else:
        # Every token inside was acceptable: the problem is what follows the ERROR node.
        following = _next_leaf(node)
        if following is None:
            known = _known_position(_expected_kinds(language, prev), node, prev)
            message = known or _expected_message(language, prev)
            if message == "unexpected input":
                message = "unexpected eof"
            else:
                message += ", found eof"
            return Diagnostic(len(source), len(source), message, "syntax-error")
        culprit = following
    context = _context(culprit)
    found = _found(source, culprit)
    known = _known_position(_expected_kinds(language, prev), node, prev)
    if known is not None:
        end = max(culprit.end_byte, culprit.start_byte + 1)
        return Diagnostic(culprit.start_byte, end, f"{known}, found {found}", "syntax-error")
    message = _expected_message(language, prev)
    if message == "unexpected input":
        message = f"unexpected {found}" + (f" in {context}" if context else "")
    else:
        message += (f" in {context}" if context else "") + f", found {found}"
    end = max(culprit.end_byte, culprit.start_byte + 1)
    return Diagnostic(culprit.start_byte, end, message, "syntax-error")
