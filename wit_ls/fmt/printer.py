"""A token-stream printer: walks the leaves of the syntax tree (comments included) and decides
the whitespace before each one from the tokens and the nodes around it."""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from wit_ls.syntax import SyntaxTree, parse

# Bodies laid out one member per line.
BLOCK_BODIES = frozenset(
    [
        "package_body",
        "interface_body",
        "world_body",
        "resource_body",
        "record_body",
        "variant_body",
        "enum_body",
        "flags_body",
    ]
)
# Bodies whose members are separated by commas.
COMMA_BODIES = frozenset(["record_body", "variant_body", "enum_body", "flags_body"])
COMMENTS = frozenset(["line_comment", "block_comment", "doc_comment"])
# Parents in which `:` joins a package path (`wasi:io/streams`) rather than naming a type.
PATH_NODES = frozenset(["use_path", "package_name"])


@dataclass(frozen=True)
class FormatOptions:
    indent: str = "  "
    # Keep at most this many blank lines where the source had blank lines.
    max_blank_lines: int = 1


def _leaves(root: Node) -> list[Node]:
    out: list[Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.child_count == 0 or node.type in COMMENTS:
            if node.end_byte > node.start_byte or node.type in COMMENTS:
                out.append(node)
        else:
            stack.extend(reversed(node.children))
    return out


def _parent_type(node: Node) -> str:
    parent = node.parent
    return parent.type if parent is not None else ""


# Lists laid out one element per line when the source already spreads them over lines.
EXPANDABLE = frozenset(["param_list", "use_names", "include_names"])

# Node ids of the expandable lists that span lines in the file being formatted.
_expanded: set[int] = set()


def _find_expanded(root: Node) -> set[int]:
    found: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type in EXPANDABLE and node.start_point.row != node.end_point.row:
            found.add(node.id)
        stack.extend(node.children)
    return found


def _is_block_open(node: Node) -> bool:
    parent = node.parent
    if parent is None or node.type not in ("{", "(") or parent.children[0] != node:
        return False
    return parent.type in BLOCK_BODIES or parent.id in _expanded


def _is_block_close(node: Node) -> bool:
    parent = node.parent
    if parent is None or node.type not in ("}", ")") or parent.children[-1] != node:
        return False
    return parent.type in BLOCK_BODIES or parent.id in _expanded


def _is_comma_list(node: Node | None) -> bool:
    return node is not None and (node.type in COMMA_BODIES or node.id in _expanded)


def _ends_item(node: Node) -> bool:
    """A `;` or `}` that ends a member of a block body or a top-level item."""
    if node.type == ";":
        return True
    if node.type == "}":
        parent = node.parent
        return (
            parent is not None
            and (parent.type in BLOCK_BODIES or parent.type in ("include_names",))
            and _is_item_end(parent)
        )
    return False


def _is_item_end(body: Node) -> bool:
    """Whether the `}` of ``body`` is the last token of an item (interface, world, record,
    resource with a body, inline interface, include ... with)."""
    item = body.parent
    return item is not None and item.children[-1] == body


def _space_between(prev: Node, node: Node) -> str:
    """The in-line separator between two tokens on the same line."""
    p, n = prev.type, node.type
    pp, np_ = _parent_type(prev), _parent_type(node)
    if n in (",", ";", ")", ">"):
        return ""
    if p in ("(", "<", "@"):
        return ""
    if n == "(" or n == "<":
        return ""
    if n == ":":
        return ""
    if p == ":":
        return "" if pp in PATH_NODES else " "
    if n in ("/", "@") and np_ in PATH_NODES | {"package_name"}:
        return ""
    if p == "/" and pp in PATH_NODES:
        return ""
    if n == "@" and np_ == "attribute":
        return " " if p not in ("(",) else ""
    if n == "." or p == ".":
        return ""
    if p == "{" and pp == "use_names":
        return ""
    if n == "}" and np_ == "use_names":
        return ""
    if p == "{" and n == "}":
        return ""
    return " "


def format_tree(tree: SyntaxTree, options: FormatOptions | None = None) -> str | None:
    """Format a parsed file; ``None`` when it has syntax errors."""
    opts = options or FormatOptions()
    if tree.root.has_error:
        return None
    source = tree.source
    _expanded.clear()
    _expanded.update(_find_expanded(tree.root))
    leaves = _leaves(tree.root)
    out: list[str] = []
    depth = 0
    prev: Node | None = None
    pending_newline = False  # the next token starts a new line
    for node in leaves:
        text = source[node.start_byte : node.end_byte].decode("utf-8")
        if node.type in COMMENTS and text.startswith("//"):
            text = text.rstrip()
        if prev is None:
            out.append(text)
            prev = node
            pending_newline = node.type in COMMENTS and text.startswith("//")
            continue
        if _is_block_close(node):
            body = node.parent
            opened = body.children[0] if body is not None else None
            if opened is not None and prev == opened:
                # An empty body stays `{}`.
                depth = max(0, depth - 1)
                out.append("}")
                prev = node
                pending_newline = _ends_item(node)
                continue
            depth = max(0, depth - 1)
            # A multi-line comma body gets a trailing comma.
            if (
                body is not None
                and _is_comma_list(body)
                and prev.type != ","
                and (prev.type not in COMMENTS)
            ):
                out.append(",")
            pending_newline = True
        gap = source[prev.end_byte : node.start_byte]
        source_lines = gap.count(b"\n")
        same_line_comment = node.type in COMMENTS and source_lines == 0
        if same_line_comment:
            out.append(" " + text)
        elif pending_newline or (node.type in COMMENTS and source_lines > 0):
            blank = min(max(source_lines - 1, 0), opts.max_blank_lines)
            if _is_block_close(node) or (prev is not None and _is_block_open(prev)):
                blank = 0
            elif _ends_top_level_item(prev):
                blank = max(blank, 1)
            out.append("\n" * (blank + 1) + opts.indent * depth + text)
        else:
            out.append(_space_between(prev, node) + text)
        # What follows this token?
        pending_newline = False
        if node.type in COMMENTS:
            pending_newline = (
                text.startswith("//") or source_lines > 0 or _next_on_new_line(node, source)
            )
        elif _is_block_open(node):
            depth += 1
            pending_newline = True
        elif (
            _ends_item(node)
            or _ends_attribute(node)
            or (node.type == "," and _is_comma_list(node.parent))
            or (_is_block_close(node) and _parent_type(node) in BLOCK_BODIES)
        ):
            pending_newline = True
        prev = node
    text = "".join(out).rstrip() + "\n"
    if text.strip() == "":
        return ""
    return text


def _ends_attribute(node: Node) -> bool:
    parent = node.parent
    while parent is not None and parent.type in ("attribute_arguments",):
        parent = parent.parent
    return (parent is not None and parent.type == "attribute" and parent.children[-1] == node) or (
        node.parent is not None
        and node.parent.type == "attribute_arguments"
        and node.parent.parent is not None
        and node.parent.parent.children[-1] == node.parent
        and node.parent.children[-1] == node
    )


def _ends_top_level_item(node: Node) -> bool:
    """The last token of an item directly in a file or a nested package body."""
    if node.type in COMMENTS:
        return False
    current = node
    while current.parent is not None:
        parent = current.parent
        if parent.type in ("source_file", "package_body"):
            return current.type not in ("{", "}")
        if parent.children[-1] != current:
            return False
        current = parent
    return False


def _next_on_new_line(node: Node, source: bytes) -> bool:
    following = node.next_sibling
    if following is None:
        return True
    return b"\n" in source[node.end_byte : following.start_byte]


def format_source(source: str | bytes, options: FormatOptions | None = None) -> str | None:
    """Format WIT source text; ``None`` when it has syntax errors."""
    return format_tree(parse(source), options)
