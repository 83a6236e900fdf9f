"""Help that teaches the fix: a ``help`` note (and, where the fix is mechanical, the edits) for
the mistakes people make when they write WIT from a guide or an older toolchain's example.

The primary message of a diagnostic stays wit-parser's. :func:`with_help` returns the
diagnostics with ``data["help"]`` (one or two sentences) and, when certain, ``data["help_fix"]``
(``{"title": str, "edits": [[start, end, new_text], ...]}`` in UTF-8 byte offsets of the
diagnostic's file). The command line prints the note under the code frame; the language server
appends it to the message and offers the fix as a quick fix. Detection looks at the source
around the diagnostic, not at the wording of the message, so it survives message changes.
Never raises.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping, Sequence

from wit_ls.syntax import Diagnostic, Severity, SyntaxTree
from wit_ls.syntax.vocabulary import KEYWORDS

_IDENT = rb"%?[a-zA-Z][a-zA-Z0-9-]*"
_TOP_KEYWORDS = (b"resource", b"record", b"type", b"variant", b"enum", b"flags")
_OLD_FLOATS = {"float32": "f32", "float64": "f64"}

Help = tuple[str, dict[str, object] | None]


def _line_bounds(src: bytes, offset: int) -> tuple[int, int]:
    start = src.rfind(b"\n", 0, offset) + 1
    end = src.find(b"\n", offset)
    return start, len(src) if end == -1 else end


def _fix(title: str, *edits: tuple[int, int, str]) -> dict[str, object]:
    return {"title": title, "edits": [list(e) for e in edits]}


# What `_depth_at` looks at: a comment (a block comment runs to its `*/` or the end) or a brace.
_COMMENT_OR_BRACE = re.compile(rb"//[^\n]*|/\*.*?(?:\*/|\Z)|[{}]", re.DOTALL)


def _depth_at(src: bytes, offset: int) -> int:
    """Brace depth at ``offset``, ignoring comments (good enough for broken files). Text from
    ``offset`` on is not read: a comment it cuts ends there."""
    depth = 0
    for m in _COMMENT_OR_BRACE.finditer(src, 0, offset):
        c = m.group()
        if c == b"{":
            depth += 1
        elif c == b"}" and depth:
            depth -= 1
    return depth


def _item_end(src: bytes, start: int) -> int:
    """End of the item starting at ``start``: its matching ``}`` or its ``;``."""
    depth = 0
    for i in range(start, len(src)):
        c = src[i:i + 1]
        if c == b"{":
            depth += 1
        elif c == b"}":
            depth -= 1
            if depth == 0:
                return i + 1
        elif c == b";" and depth == 0:
            return i + 1
    return len(src)


def _enclosing_keyword(src: bytes, offset: int) -> bytes | None:
    """The keyword of the innermost ``{`` block around ``offset`` (``interface``, ``resource``,
    ``variant``, ...), from the text before its ``{``."""
    depth = 0
    i = offset - 1
    while i >= 0:
        c = src[i:i + 1]
        if c == b"}":
            depth += 1
        elif c == b"{":
            if depth == 0:
                line_start, _ = _line_bounds(src, i)
                m = re.match(rb"\s*(?:@\S+\s+)*([a-z]+)\b", src[line_start:i])
                return m.group(1) if m else None
            depth -= 1
        i -= 1
    return None


# ---- the mistakes -------------------------------------------------------------------------


def _static_before_name(src: bytes, diag: Diagnostic) -> Help | None:
    m = re.compile(rb"static\s+(" + _IDENT + rb")\s*:\s*func\b").match(src, diag.start)
    if m is None or _enclosing_keyword(src, diag.start) != b"resource":
        return None
    name = m.group(1).decode()
    return (f"`static` goes after the colon: `{name}: static func(...)`",
            _fix(f"Change to `{name}: static func`", (m.start(), m.end(), f"{name}: static func")))


def _top_level_blocks(src: bytes) -> list[tuple[str, int, int]]:
    """The top-level ``interface`` and ``world`` blocks: (name, offset after ``{``, end)."""
    out: list[tuple[str, int, int]] = []
    pattern = rb"(?m)^[ \t]*(?:@\S+\s+)*(?:interface|world)\s+(" + _IDENT + rb")\s*\{"
    for x in re.finditer(pattern, src):
        if _depth_at(src, x.start()) == 0:
            out.append((x.group(1).decode(), x.end(), _item_end(src, x.end() - 1)))
    return out


def _top_level_use(src: bytes, diag: Diagnostic) -> Help | None:
    line_start, line_end = _line_bounds(src, diag.start)
    m = re.compile(rb"\s*use\s+([^\s;{]+)\.\{([^}]*)\}\s*;?").match(src, line_start)
    if m is None or _depth_at(src, line_start) != 0:
        return None
    path = m.group(1).decode()
    listed = [n.strip() for n in m.group(2).decode().split(",") if n.strip()]
    names = ", ".join(listed)
    iface = path.split("/")[-1].split("@")[0]
    text = (f"names can only be imported inside an interface or a world; at the top level, "
            f"`use` names an interface: write `use {path};` here and `use {iface}.{{{names}}};` "
            f"inside the interface that needs them")
    # Where the names go: every interface or world that mentions them (with the ones it
    # mentions), or the only interface or world when none does.
    blocks = _top_level_blocks(src)
    targets: list[tuple[str, int, list[str]]] = []
    for block, body_start, body_end in blocks:
        body = src[body_start:body_end]
        used = [n for n in listed if re.search(
            rb"(?<![a-zA-Z0-9%-])%?" + re.escape(n.split(" as ")[-1].strip().encode())
            + rb"(?![a-zA-Z0-9-])", body)]
        if used:
            targets.append((block, body_start, used))
    if not targets and len(blocks) == 1:
        targets = [(blocks[0][0], blocks[0][1], listed)]
    if not targets:
        return text, None
    edits = [(m.start(), min(m.end(), line_end), f"use {path};")]
    edits += [(at, at, f"\n  use {iface}.{{{', '.join(used)}}};") for _, at, used in targets]
    where = ", ".join(f"`{block}`" for block, _, _ in targets)
    return text, _fix(f"Import `{names}` inside {where}", *edits)


def _top_level_item(src: bytes, diag: Diagnostic) -> Help | None:
    m = re.compile(rb"(" + rb"|".join(_TOP_KEYWORDS) + rb")\s+(" + _IDENT + rb")").match(
        src, diag.start)
    func = re.compile(rb"(" + _IDENT + rb")\s*:\s*(?:async\s+)?func\b").match(src, diag.start)
    # (The depth last: it reads the file from its start, for every syntax error.)
    if (m is None and func is None) or _depth_at(src, diag.start) != 0:
        return None
    what = m.group(1).decode() if m is not None else "func"
    text = (f"a `{what}` must live inside an `interface` (or a `world`): "
            f"`interface api {{ ... }}`")
    end = _item_end(src, diag.start)
    body = src[diag.start:end].decode("utf-8", "replace")
    taken = {x.decode() for x in re.findall(rb"interface\s+(" + _IDENT + rb")", src)}
    name = next(n for n in ("api", "types", "items", "definitions") if n not in taken)
    indented = "\n".join(("  " + line) if line.strip() else line for line in body.split("\n"))
    return text, _fix(f"Wrap it in `interface {name}`",
                      (diag.start, end, f"interface {name} {{\n{indented}\n}}"))


def _variant_payloads(src: bytes, diag: Diagnostic) -> Help | None:
    line_start, line_end = _line_bounds(src, diag.start)
    line = src[line_start:line_end]
    several = re.search(rb"(" + _IDENT + rb")\s*\(([^()]*,[^()]*)\)", line)
    inline = re.search(rb"(" + _IDENT + rb")\s*\{([^{}]*)\}", line) if several is None else None
    # (The block around last: it reads the text back to the `{` that opens it, the whole
    # file before a top-level error.)
    if (several is None and inline is None) or _enclosing_keyword(src, diag.start) != b"variant":
        return None
    if several is not None:
        types = ", ".join(t.strip() for t in several.group(2).decode().split(",") if t.strip())
        start = line_start + several.start(2)
        end = line_start + several.end(2)
        return (f"a case has one payload type: `{several.group(1).decode()}(tuple<{types}>)`, "
                f"or a record", _fix("Use a tuple", (start, end, f"tuple<{types}>")))
    if inline is not None:
        case = inline.group(1).decode()
        fields = inline.group(2).decode().strip()
        text = (f"a case cannot declare a record inline: declare `record {case} {{ {fields} }}` "
                f"beside the variant and write `{case}({case})`")
        variant = _enclosing_brace(src, diag.start)
        if variant is None:
            return text, None
        record = case
        defined = rb"(?:record|variant|enum|flags|resource|type|union)\s+%?"
        if re.search(defined + re.escape(case.encode()) + rb"(?![a-zA-Z0-9-])", src):
            record = f"{case}-payload"
        decl_start, _ = _line_bounds(src, variant)
        indent = re.match(rb"[ \t]*", src[decl_start:variant]).group(0).decode()  # type: ignore[union-attr]
        return text, _fix(f"Declare `record {record}` for the case",
                          (decl_start, decl_start, f"{indent}record {record} {{ {fields} }}\n\n"),
                          (line_start + inline.start(), line_start + inline.end(),
                           f"{case}({record})"))
    return None


def _enclosing_brace(src: bytes, offset: int) -> int | None:
    """Offset of the innermost unclosed ``{`` before ``offset``."""
    depth = 0
    for i in range(offset - 1, -1, -1):
        c = src[i:i + 1]
        if c == b"}":
            depth += 1
        elif c == b"{":
            if depth == 0:
                return i
            depth -= 1
    return None


def _named_results(src: bytes, diag: Diagnostic) -> Help | None:
    line_start, line_end = _line_bounds(src, diag.start)
    m = re.search(rb"->\s*\(([^()]*)\)", src[line_start:line_end])
    if m is None:
        return None
    fields = [f.strip() for f in m.group(1).decode().split(",") if f.strip()]
    types = [f.split(":", 1)[1].strip() for f in fields if ":" in f]
    if not types or len(types) != len(fields):
        return None
    new = types[0] if len(types) == 1 else f"tuple<{', '.join(types)}>"
    start = line_start + m.start(0) + 2
    return (f"named results were removed: a function returns one type, `-> {new}` "
            f"(or a record with named fields)",
            _fix(f"Return `{new}`", (start, line_start + m.end(0), f" {new}")))


def _missing_semicolon(src: bytes, diag: Diagnostic) -> Help | None:
    if not diag.message.startswith("expected ';'"):
        return None
    back = diag.start
    while back > 0 and src[back - 1:back] in (b" ", b"\t", b"\n", b"\r"):
        back -= 1
    if b"\n" not in src[back:diag.start]:
        return None  # not at a line break: some other token is out of place
    return ("every item ends with `;` (toolchains before WIT 1.0 ended them at the line break)",
            _fix("Insert missing `;`", (back, back, ";")))


def _split_top(text: str) -> list[str]:
    """``text`` split at the commas outside ``<...>`` and ``(...)``."""
    parts: list[str] = []
    depth = 0
    current = ""
    for c in text:
        if c in "<(":
            depth += 1
        elif c in ">)":
            depth -= 1
        if c == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += c
    parts.append(current)
    return [p.strip() for p in parts if p.strip()]


def _case_name(type_text: str, taken: set[str]) -> str:
    """A case name for a payload type: the type's words joined with hyphens (``list<u8>`` ->
    ``list-u8``), escaped with ``%`` when it is a keyword."""
    words = [w.lower() for w in re.findall(r"[a-zA-Z][a-zA-Z0-9]*", type_text)]
    name = "-".join(words) or "case"
    if name in KEYWORDS:
        name = "%" + name
    base, n = name, 2
    while name.lstrip("%") in taken:
        name, n = f"{base}{n}", n + 1
    taken.add(name.lstrip("%"))
    return name


def _union(src: bytes, diag: Diagnostic) -> Help | None:
    line_start, _ = _line_bounds(src, diag.start)
    m = re.compile(rb"([ \t]*)union(\s+" + _IDENT + rb"\s*)\{([^{}]*)\}").match(src, line_start)
    head = re.compile(rb"\s*union\s").match(src, line_start)
    if head is None:
        return None
    text = ("`union` was removed: use a `variant` with one case per type, "
            "e.g. `variant u { number(u32), text(string) }`")
    types = _split_top(m.group(3).decode()) if m is not None else []
    if m is None or not types:
        return text, None
    indent = m.group(1).decode()
    taken: set[str] = set()
    cases = "".join(f"{indent}  {_case_name(t, taken)}({t}),\n" for t in types)
    new = f"{indent}variant{m.group(2).decode()}{{\n{cases}{indent}}}"
    return text, _fix("Change to a `variant`", (m.start(), m.end(), new))


def _unknown_name(src: bytes, diag: Diagnostic, defined: Sequence[str]) -> Help | None:
    name = src[diag.start:diag.end].decode("utf-8", "replace").lstrip("%")
    if name in _OLD_FLOATS:
        new = _OLD_FLOATS[name]
        return f"`{name}` is now `{new}`", _fix(f"Change to `{new}`", (diag.start, diag.end, new))
    if name == "unit":
        line_start, line_end = _line_bounds(src, diag.start)
        m = re.search(rb"\s*->\s*unit\b", src[line_start:line_end])
        if m is not None:
            return ("`unit` was removed: a function without a result has no `->`",
                    _fix("Remove `-> unit`",
                         (line_start + m.start(), line_start + m.end(), "")))
        return "`unit` was removed: leave the type out", None
    key = name.lower().replace("-", "")
    same = sorted({d for d in defined if d.lower().replace("-", "") == key and d != name})
    if len(same) == 1:
        return (f"names differ only in case or hyphens: the defined one is `{same[0]}`",
                _fix(f"Change to `{same[0]}`", (diag.start, diag.end, same[0])))
    return None


_PACKAGE = re.compile(r"package '([^':]+:[^'@]+)(?:@([^']+))?' not found")


def _unknown_package(diag: Diagnostic, src: bytes) -> Help | None:
    m = _PACKAGE.search(diag.message)
    if m is None:
        return None
    wanted, version = m.group(1), m.group(2)
    known = [line.strip() for line in diag.message.split("\n")[1:] if line.strip()]
    versions = [k.split("@", 1)[1] for k in known if k.split("@", 1)[0] == wanted and "@" in k]
    how = (f"put `{wanted}` in `deps/` (a folder or file per package: `deps/<name>/*.wit`), "
           "for example with `wkg wit fetch` or `wit-deps`")
    if not versions:
        return how, None
    best = sorted(versions, key=_version_key)[-1]
    text = (f"did you mean `{wanted}@{best}`? `deps/` has "
            + ", ".join(f"`{wanted}@{v}`" for v in versions))
    if version is None:
        return text, None
    at = src.find(f"@{version}".encode(), diag.start, max(diag.end, diag.start + 1) + 200)
    if at == -1 or at > diag.end + 200:
        return text, None
    return text, _fix(f"Change to `@{best}`", (at + 1, at + 1 + len(version.encode()), best))


def _version_key(version: str) -> tuple[tuple[int, ...], int, str]:
    core, _, pre = version.partition("-")
    numbers = tuple(int(p) if p.isdigit() else 0 for p in core.split("."))
    return numbers, 0 if pre else 1, pre


def _missing_header(path: str) -> Help:
    folder = posixpath.basename(posixpath.dirname(path)) or "example"
    if folder in ("wit", "src"):
        folder = posixpath.basename(posixpath.dirname(posixpath.dirname(path))) or folder
    name = re.sub(r"[^a-z0-9]+", "-", folder.lower()).strip("-") or "example"
    if not name[0].isalpha():
        name = "pkg-" + name
    return (f"every package needs a header as its first item: `package example:{name};`",
            _fix(f"Add `package example:{name};`", (0, 0, f"package example:{name};\n\n")))


def _empty_type(src: bytes, diag: Diagnostic) -> Help | None:
    text = src[max(0, diag.start - 40):diag.end + 40]
    if b"record" in text:
        note = ("wit-parser rejects empty records: add a field, or use a "
                "`resource` for an opaque value")
        m = None
        for m in re.finditer(rb"record(\s+" + _IDENT + rb")\s*\{\s*\}", src):
            if m.start() <= diag.start < m.end() or m.start() <= diag.end <= m.end():
                break
        else:
            m = None
        if m is None:
            return note, None
        name = m.group(1).decode().strip()
        fix = _fix(f"Make `{name}` a resource (an opaque handle)",
                   (m.start(), m.end(), f"resource {name};"))
        fix["preferred"] = False  # a handle is not a value: the user may rather add a field
        return note, fix
    if b"flags" in text:
        return "flags need at least one flag", None
    return None


# ---- entry point --------------------------------------------------------------------------

_SYNTAX_RULES: tuple[Callable[[bytes, Diagnostic], Help | None], ...] = (
    _static_before_name, _top_level_use, _variant_payloads, _named_results, _union,
    _top_level_item, _missing_semicolon,
)


def help_for(diag: Diagnostic, tree: SyntaxTree | None, defined: Sequence[str] = ()) -> Help | None:
    """The help note (and fix) for one diagnostic, or None."""
    src = tree.source if tree is not None else b""
    try:
        if diag.code == "missing-package-header":
            return _missing_header(diag.path) if tree is not None else None
        if diag.code == "unknown-package":
            return _unknown_package(diag, src)
        if tree is None:
            return None
        if diag.code == "unknown-name":
            return _unknown_name(src, diag, defined)
        if diag.code == "too-many-flags":
            return "a `flags` type holds at most 32 flags: split it into several", None
        if diag.code == "empty-type":
            return _empty_type(src, diag)
        if diag.code == "syntax-error":
            for rule in _SYNTAX_RULES:
                found = rule(src, diag)
                if found is not None:
                    return found
    except (ValueError, IndexError, StopIteration):
        return None
    return None


def with_help(diagnostics: Sequence[Diagnostic], trees: Mapping[str, SyntaxTree],
              defined: Callable[[str], Sequence[str]] | None = None) -> list[Diagnostic]:
    """``diagnostics`` with help added to the errors that have some (copies; others as they
    are). ``defined(path)`` lists the names defined in the package of ``path``."""
    out: list[Diagnostic] = []
    given: set[tuple[str, int, str]] = set()  # one note per line, not one per follow-on error
    for diag in diagnostics:
        found = None
        if diag.severity == Severity.ERROR:
            names = defined(diag.path) if defined is not None and diag.code == "unknown-name" \
                else ()
            found = help_for(diag, trees.get(diag.path), names)
        if found is None:
            out.append(diag)
            continue
        text, fix = found
        tree = trees.get(diag.path)
        line = tree.source.count(b"\n", 0, diag.start) if tree is not None else 0
        if (diag.path, line, text) in given:
            out.append(diag)
            continue
        given.add((diag.path, line, text))
        data = dict(diag.data or {})
        data["help"] = text
        if fix is not None:
            data["help_fix"] = fix
        out.append(Diagnostic(diag.start, diag.end, diag.message, diag.code, diag.severity,
                              diag.path, diag.related, diag.tags, data))
    return out
