"""Syntax-only features: folding ranges, selection ranges, the syntax tree as text."""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from wit_ls.syntax import SyntaxTree

_FOLDABLE = frozenset([
    "package_body", "interface_body", "world_body", "record_body", "flags_body", "variant_body",
    "enum_body", "resource_body", "include_names", "use_names", "param_list",
])


@dataclass(frozen=True)
class FoldingRange:
    """Lines ``start_line`` to ``end_line`` (0-based, inclusive) fold; ``kind`` is
    "region", "comment" or "imports"."""

    start_line: int
    end_line: int
    kind: str = "region"


def _folds_of_children(tree: SyntaxTree, node: Node, out: list[FoldingRange]) -> list[Node]:
    """Add the folds ``node``'s children make among themselves (runs of comments and of
    `use`s, foldable bodies) to ``out``; the children to look into."""
    index = tree.line_index
    comment_run: list[Node] = []
    use_run: list[Node] = []

    def flush_comments() -> None:
        if len(comment_run) > 1 or (comment_run and comment_run[0].type == "block_comment"):
            first = index.line_of(comment_run[0].start_byte)
            last = index.line_of(comment_run[-1].end_byte)
            if last > first:
                out.append(FoldingRange(first, last, "comment"))
        comment_run.clear()

    def flush_uses() -> None:
        if len(use_run) > 1:
            first = index.line_of(use_run[0].start_byte)
            last = index.line_of(use_run[-1].end_byte)
            if last > first:
                out.append(FoldingRange(first, last, "imports"))
        use_run.clear()

    inner: list[Node] = []
    for child in node.children:
        kind = child.type
        if kind in ("line_comment", "doc_comment", "block_comment"):
            if comment_run and (
                index.line_of(child.start_byte) > index.line_of(comment_run[-1].end_byte) + 1
            ):
                flush_comments()
            comment_run.append(child)
            continue
        flush_comments()
        if kind in ("use_item", "toplevel_use"):
            use_run.append(child)
        elif child.is_named:
            flush_uses()
        if kind in _FOLDABLE:
            first = index.line_of(child.start_byte)
            last = index.line_of(child.end_byte)
            # Keep the closing bracket visible.
            if last - 1 > first:
                out.append(FoldingRange(first, last - 1))
        if child.child_count:
            inner.append(child)
    flush_comments()
    flush_uses()
    return inner


def top_folds(tree: SyntaxTree) -> list[FoldingRange]:
    """The folds the root's children make among themselves (see :func:`node_folds`)."""
    out: list[FoldingRange] = []
    _folds_of_children(tree, tree.root, out)
    return out


def node_folds(tree: SyntaxTree, node: Node) -> list[FoldingRange]:
    """The folds inside ``node`` (they depend on its text alone), in no order: with
    :func:`top_folds` and those of each of the root's other children, the file's."""
    out: list[FoldingRange] = []
    stack = [node]
    while stack:
        stack.extend(_folds_of_children(tree, stack.pop(), out))
    return out


def folding_ranges(tree: SyntaxTree) -> list[FoldingRange]:
    out = node_folds(tree, tree.root)
    out.sort(key=lambda r: (r.start_line, r.end_line, r.kind))
    return out


def selection_ranges(tree: SyntaxTree, offsets: list[int]) -> list[list[tuple[int, int]]]:
    """For each offset, the ranges from innermost to outermost (each strictly larger)."""
    results: list[list[tuple[int, int]]] = []
    root = tree.root
    for offset in offsets:
        target = root.descendant_for_byte_range(offset, offset)
        # The path from the root down (`Node.parent` walks down from the root on every call,
        # so climbing a chain of parents costs depth squared on deeply nested types).
        path: list[Node] = [root]
        while target is not None and path[-1] != target:
            child = path[-1].child_with_descendant(target)
            if child is None:
                break
            path.append(child)
        chain: list[tuple[int, int]] = []
        for node in reversed(path):
            rng = (node.start_byte, node.end_byte)
            if node.type == "source_file":
                rng = (0, len(tree.source))
            last = chain[-1] if chain else None
            if last is None or (rng != last and rng[0] <= last[0] and rng[1] >= last[1]):
                chain.append(rng)
        if not chain:
            chain = [(offset, offset)]
        results.append(chain)
    return results


def syntax_tree_text(tree: SyntaxTree) -> str:
    """The tree as an indented S-expression with 1-based line:column (code points) ranges."""
    index = tree.line_index
    out: list[str] = []
    # An explicit stack: trees of broken or generated files can be thousands of levels deep.
    stack: list[tuple[Node, int, str | None]] = [(tree.root, 0, None)]
    while stack:
        node, depth, field = stack.pop()
        if not node.is_named and not node.is_missing:
            continue
        sl, sc = index.position(node.start_byte, "utf-32")
        el, ec = index.position(node.end_byte, "utf-32")
        label = f"{field}: " if field else ""
        kind = f"MISSING {node.type}" if node.is_missing else node.type
        line = f"{'  ' * depth}{label}({kind} [{sl + 1}:{sc + 1}-{el + 1}:{ec + 1}]"
        if node.child_count == 0 and node.type != "ERROR":
            line += f" {tree.node_text(node)!r}"
        out.append(line + ")")
        children = [(child, depth + 1, node.field_name_for_child(i))
                    for i, child in enumerate(node.children)]
        stack.extend(reversed(children))
    return "\n".join(out) + "\n"
