"""Read and write tree-sitter corpus files (grammar/test/corpus/*.txt) without the CLI.

A case is a header (a line of `=`, the name, optional `:attribute` lines, a line of `=`), the
input, a line of `-`, and the expected S-expression. Comparison ignores whitespace, as
`tree-sitter test` does, and ignores field names when the expected tree has none.

Run this module to rewrite the expected trees from the current grammar after reviewing the change:

    python tests/grammar/_corpus.py grammar/test/corpus/*.txt
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

HEADER = re.compile(r"^(={3,})[ \t]*$")
DIVIDER = re.compile(r"^(-{3,})[ \t]*$")
TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[()]|[^\s()"]+')


@dataclass
class Case:
    name: str
    input: str
    expected: str
    attributes: list[str] = field(default_factory=list)
    line: int = 0  # 1-based line of the header

    @property
    def skip(self) -> bool:
        return ":skip" in self.attributes

    @property
    def error(self) -> bool:
        return ":error" in self.attributes


def parse_corpus(text: str) -> list[Case]:
    lines = text.split("\n")
    cases: list[Case] = []
    i = 0
    while i < len(lines):
        if not HEADER.match(lines[i]):
            i += 1
            continue
        start = i
        i += 1
        name_lines, attributes = [], []
        while i < len(lines) and not HEADER.match(lines[i]):
            (attributes if lines[i].startswith(":") else name_lines).append(lines[i].strip())
            i += 1
        i += 1  # closing header line
        body_start = i
        while i < len(lines) and not HEADER.match(lines[i]):
            i += 1
        body = lines[body_start:i]
        # The divider is the last line of dashes in the body.
        divider = max((k for k, line in enumerate(body) if DIVIDER.match(line)), default=None)
        if divider is None:
            raise ValueError(f"case at line {start + 1} has no `---` divider")
        source = "\n".join(body[:divider])
        if source.startswith("\n"):
            source = source[1:]
        source = source.rstrip("\n")
        expected = "\n".join(body[divider + 1 :]).strip()
        cases.append(Case(" ".join(n for n in name_lines if n), source, expected, attributes, start + 1))
    return cases


def tokens(sexp: str, keep_fields: bool = True) -> list[str]:
    out = TOKEN.findall(sexp)
    if not keep_fields:
        out = [t for t in out if not (t.endswith(":") and not t.startswith('"'))]
    return out


def has_fields(sexp: str) -> bool:
    return any(t.endswith(":") and not t.startswith('"') for t in TOKEN.findall(sexp))


def same_tree(expected: str, actual: str) -> bool:
    keep = has_fields(expected)
    return tokens(expected, keep) == tokens(actual, keep)


def pretty(sexp: str) -> str:
    """Indent an S-expression the way `tree-sitter test` prints it (one node per line)."""
    out: list[str] = []
    depth = 0
    pending_field = ""
    toks = tokens(sexp)
    for k, tok in enumerate(toks):
        if tok == "(":
            out.append("\n" + "  " * depth + pending_field + "(")
            pending_field = ""
            depth += 1
        elif tok == ")":
            out.append(")")
            depth -= 1
        elif tok.endswith(":") and not tok.startswith('"'):
            pending_field = tok + " "
        else:
            prev = toks[k - 1] if k else ""
            out.append(tok if prev == "(" else " " + tok)
    return "".join(out).strip()


def render(cases: list[Case]) -> str:
    parts = []
    for case in cases:
        bar = "=" * 80
        header = "\n".join([bar, case.name, *case.attributes, bar])
        parts.append(f"{header}\n\n{case.input}\n\n{'-' * 80}\n\n{case.expected}\n")
    return "\n".join(parts)


def main(paths: list[str]) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    import tree_sitter as ts

    from wit_ls.syntax import language

    parser = ts.Parser(language())
    for path in map(Path, paths):
        cases = parse_corpus(path.read_text(encoding="utf-8"))
        for case in cases:
            if case.skip:
                continue
            tree = parser.parse(case.input.encode("utf-8"))
            case.expected = pretty(str(tree.root_node))
        path.write_text(render(cases), encoding="utf-8")
        print(f"updated {path} ({len(cases)} cases)")


if __name__ == "__main__":
    main(sys.argv[1:])
