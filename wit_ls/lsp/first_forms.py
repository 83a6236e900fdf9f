"""The JSON the server's first answer is made of, written without pygls or lsprotocol: the
framing of a message, file URIs and paths (only the plain ones, where the conversion cannot
differ from pygls'), the ``initialize`` result and diagnostics as
:meth:`wit_ls.lsp.convert.Converter.diagnostic` makes them, serialised as pygls serialises
them (key order and all), so that the bytes sent are the bytes the pygls server would send.

Whatever these functions cannot make exactly, they refuse (:class:`Unsure`), and the first
answer is then left to the pygls server (see :mod:`wit_ls.lsp.first_answer`).
``tests/lsp/test_first_answer.py`` compares every form with pygls' own."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Sequence

from wit_ls.lsp.first_capabilities import CAPABILITIES
from wit_ls.syntax import Diagnostic, Encoding, LineIndex

TYPE_CHECKING = False  # not typing's: see wit_ls.light_typing
if TYPE_CHECKING:
    from wit_ls.features.semantic_tokens import SemanticToken
    from wit_ls.features.structure import FoldingRange
    from wit_ls.features.symbols import DocSymbol

CONTENT_TYPE = "application/vscode-jsonrpc; charset=utf-8"


class Unsure(Exception):
    """The light path cannot make this form exactly as the pygls server would."""


def frame(body: str) -> bytes:
    """A message as pygls frames it (its Content-Length counts characters: bodies are ASCII,
    ``json.dumps`` escapes everything else)."""
    return (f"Content-Length: {len(body)}\r\nContent-Type: {CONTENT_TYPE}\r\n\r\n"
            + body).encode("utf-8")


def response(msg_id: int | str, result: object) -> str:
    return json.dumps({"id": msg_id, "jsonrpc": "2.0", "result": result})


def notification(method: str, params: object) -> str:
    return json.dumps({"params": params, "method": method, "jsonrpc": "2.0"})


def editor_text(text: str) -> str:
    """``text`` with lone surrogates (which JSON can carry) replaced by U+FFFD: one UTF-16 unit
    each, as the client counts them, and valid UTF-8 for us."""
    return _SURROGATE.sub("\ufffd", text)


_SURROGATE = re.compile("[\ud800-\udfff]")

# A path with no host (UNC) part and no drive letter, whose URI is "file://" and the path
# percent-encoded; and a URI that may hold one (no parameters, query or fragment).
_PLAIN_PATH = re.compile(r"/(?!/)(?![A-Za-z]:)[^\x00]*")
_PLAIN_URI = re.compile(r"file:///(?!/)[^;?#]*")


# Characters a URI path holds as they are (urllib's `quote` leaves them, `unquote` has none).
_UNQUOTED = re.compile(r"[A-Za-z0-9/._~-]*")


def path_of(uri: str) -> str:
    """The normalised path of a ``file:///`` URI without a host or drive letter, as
    :func:`wit_ls.lsp.convert.path_of` makes it."""
    path = ""
    if _PLAIN_URI.fullmatch(uri):
        path = uri[7:]
        if "%" in path:  # urllib (and the ipaddress module it loads) only when needed
            from urllib.parse import unquote

            path = unquote(path)
    if _PLAIN_PATH.fullmatch(path) is None:
        raise Unsure(f"a URI the light path does not convert: {uri[:200]!r}")
    return os.path.normpath(path).replace("\\", "/")


def uri_of(path: str) -> str:
    """The URI of a path without a host or drive letter, as
    :func:`wit_ls.lsp.convert.uri_of` makes it."""
    if _PLAIN_PATH.fullmatch(path) is None:
        raise Unsure(f"a path the light path does not convert: {path[:200]!r}")
    if _UNQUOTED.fullmatch(path):
        return "file://" + path
    from urllib.parse import quote

    return "file://" + quote(path)


def initialize_result(encoding: Encoding, prepare_rename: bool, will_save: tuple[bool, bool],
                      version: str) -> object:
    """The ``initialize`` result the pygls server answers with (pygls' capabilities builder
    over the server's handler tables; :mod:`wit_ls.lsp.first_capabilities` holds its answer
    for a client with no capabilities), for the negotiated position encoding, whether the
    client supports ``prepareRename``, and whether it states ``willSave`` and
    ``willSaveWaitUntil`` under ``textDocument.synchronization`` (pygls then answers false)."""
    capabilities = json.loads(CAPABILITIES)
    sync = capabilities.get("textDocumentSync") if isinstance(capabilities, dict) else None
    if not isinstance(capabilities, dict) or not isinstance(sync, dict) or "save" not in sync:
        raise Unsure("the kept capabilities are not of the expected shape")
    capabilities["positionEncoding"] = encoding
    save = sync.pop("save")
    for stated, key in zip(will_save, ("willSave", "willSaveWaitUntil"), strict=True):
        if stated:
            sync[key] = False
    sync["save"] = save
    if prepare_rename:
        capabilities["renameProvider"] = {"prepareProvider": True}
    return {"capabilities": capabilities, "serverInfo": {"name": "wit-ls", "version": version}}


def _plain(value: object, depth: int = 0) -> bool:
    """A JSON value that cattrs and ``json`` render alike (no tuples, no objects)."""
    if value is None or isinstance(value, str | bool | int | float):
        return True
    if depth > 20:
        return False
    if isinstance(value, list):
        return all(_plain(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v, depth + 1) for k, v in value.items())
    return False


def _range(index: LineIndex, start: int, end: int, encoding: Encoding) -> object:
    line, col = index.position(start, encoding)
    end_line, end_col = index.position(max(start, end), encoding)
    return {"start": {"line": line, "character": col},
            "end": {"line": end_line, "character": end_col}}


def diagnostic(index: LineIndex, diag: Diagnostic, encoding: Encoding,
               code_descriptions: bool,
               line_index_of: Callable[[str], LineIndex | None]) -> dict[str, object]:
    """What :meth:`Converter.diagnostic` makes of ``diag``, as the protocol's converter
    unstructures it (fields in lsprotocol's order, absent ones left out)."""
    related: list[object] = []
    for rel in diag.related:
        rel_index = line_index_of(rel.path)
        if rel_index is not None:
            related.append({"location": {"uri": uri_of(rel.path),
                                         "range": _range(rel_index, rel.start, rel.end,
                                                         encoding)},
                            "message": rel.message})
    tags = [1 if t == "unnecessary" else 2 for t in diag.tags
            if t in ("unnecessary", "deprecated")]
    data: dict[str, object] = dict(diag.data) if diag.data else {}
    if not _plain(data):
        raise Unsure("diagnostic data that is not plain JSON")
    url = data.get("url")
    help_text = data.get("help")
    message = f"{diag.message}\n\nhelp: {help_text}" if isinstance(help_text, str) \
        else diag.message
    out: dict[str, object] = {"range": _range(index, diag.start, diag.end, encoding),
                              "message": message, "severity": int(diag.severity)}
    if diag.code:
        out["code"] = diag.code
    if code_descriptions and isinstance(url, str) and url:
        out["codeDescription"] = {"href": url}
    out["source"] = "wit-ls"
    if tags:
        out["tags"] = tags
    if related:
        out["relatedInformation"] = related
    if data:
        out["data"] = data
    return out


# The fields of a diagnostic a pulled report's result id is made from (as the pygls server
# makes it: :meth:`WitLanguageServer.report_id`): its range's four numbers, message, code
# and severity.
ReportKey = tuple[int, int, int, int, str, str | int | None, int | None]


def report_id(keys: Sequence[ReportKey]) -> str:
    """The result id of a pulled report holding diagnostics with these keys: equal keys, equal
    ids, so that a client pulling again with an unchanged report's id is told `unchanged`."""
    import hashlib  # only where reports are pulled

    return hashlib.sha1(repr(list(keys)).encode()).hexdigest()[:16]


def report_key(item: dict[str, object]) -> ReportKey:
    """The key of a diagnostic made by :func:`diagnostic`."""
    rng = item["range"]
    assert isinstance(rng, dict)
    start, end = rng["start"], rng["end"]
    message, code, severity = item["message"], item.get("code"), item.get("severity")
    assert isinstance(message, str) and (code is None or isinstance(code, str | int))
    assert severity is None or isinstance(severity, int)
    return (start["line"], start["character"], end["line"], end["character"], message, code,
            severity)


def document_report(items: Sequence[dict[str, object]], previous: str | None) -> object:
    """The pygls server's answer to ``textDocument/diagnostic`` (see
    :func:`wit_ls.lsp.lifecycle.document_diagnostic`): unchanged when ``previous`` is the id
    of these items, else the full report."""
    result_id = report_id([report_key(item) for item in items])
    if previous == result_id:
        return {"resultId": result_id, "kind": "unchanged"}
    return {"items": list(items), "kind": "full", "resultId": result_id}


def publish_diagnostics(uri: str, version: int, items: Sequence[dict[str, object]]) -> str:
    return notification("textDocument/publishDiagnostics",
                        {"uri": uri, "diagnostics": list(items), "version": version})


# ---- answers from the syntax tree alone -------------------------------------------------------

# The protocol's SymbolKind of each kind of document symbol (the pygls server's converter
# makes its table from this one); any other kind is a Variable (13).
SYMBOL_KINDS: dict[str, int] = {
    "package": 4, "interface": 11, "world": 2, "type": 26, "record": 23, "variant": 10,
    "enum": 10, "flags": 10, "resource": 5, "function": 12, "method": 6, "static": 6,
    "constructor": 9, "getter": 7, "setter": 7, "field": 8, "case": 22, "flag": 22,
    "param": 13, "import": 2, "export": 2, "include": 2,
}
VARIABLE = 13
_FOLDING_KINDS = {"comment": "comment", "imports": "imports"}


def document_symbols(index: LineIndex, syms: Sequence[DocSymbol],
                     encoding: Encoding) -> list[dict[str, object]]:
    """What :meth:`Converter.document_symbol` makes of each of ``syms``, unstructured (fields
    in lsprotocol's order, absent ones left out). Both servers' nested symbols are made by
    this."""
    position = index.position
    kinds = SYMBOL_KINDS

    def rng(start: int, end: int) -> dict[str, dict[str, int]]:
        line, col = position(start, encoding)
        end_line, end_col = position(max(start, end), encoding)
        return {"start": {"line": line, "character": col},
                "end": {"line": end_line, "character": end_col}}

    def one(sym: DocSymbol) -> dict[str, object]:
        out: dict[str, object] = {"name": sym.name, "kind": kinds.get(sym.kind, VARIABLE),
                                  "range": rng(sym.start, sym.end),
                                  "selectionRange": rng(sym.sel_start, sym.sel_end)}
        if sym.detail:
            out["detail"] = sym.detail
        if sym.deprecated:
            out["tags"] = [1]
        if sym.children:
            out["children"] = [one(c) for c in sym.children]
        return out

    return [one(sym) for sym in syms]


def offsets(index: LineIndex, rng: object, encoding: Encoding) -> tuple[int, int] | None:
    """The byte offsets of a protocol range, ordered, as :meth:`Converter.offsets` makes them;
    None for a value of another shape than the protocol's converter takes without a
    question (objects with exactly the fields, unsigned integers as ``int``)."""
    if not isinstance(rng, dict) or set(rng) != {"start", "end"}:
        return None
    found: list[int] = []
    for position in (rng["start"], rng["end"]):
        if not isinstance(position, dict) or set(position) != {"line", "character"}:
            return None
        line, character = position["line"], position["character"]
        if type(line) is not int or type(character) is not int or not (
                0 <= line < 2**31 and 0 <= character < 2**31):
            return None
        found.append(index.offset(line, character, encoding))
    start, end = found
    return (start, end) if start <= end else (end, start)


def folding_range(rng: FoldingRange) -> dict[str, object]:
    """What :meth:`Converter.folding_range` makes of ``rng``, unstructured."""
    return {"startLine": rng.start_line, "endLine": rng.end_line,
            "kind": _FOLDING_KINDS.get(rng.kind, "region")}


def semantic_data(index: LineIndex, tokens: Sequence[SemanticToken],
                  encoding: Encoding) -> list[int]:
    """The relative encoding of ``tokens`` in ``encoding``'s units; tokens spanning lines are
    split (no multiline token support). Both servers' semantic tokens are made by this."""
    from wit_ls.features.semantic_tokens import encode

    return encode(semantic_rows(index, tokens, encoding))


def semantic_rows(index: LineIndex, tokens: Sequence[SemanticToken],
                  encoding: Encoding) -> list[tuple[int, int, int, int, int]]:
    """(line, column, length, type, modifiers) of each token, in ``encoding``'s units, each
    on one line (see :func:`semantic_data`)."""
    rows: list[tuple[int, int, int, int, int]] = []
    for tok in tokens:
        first = index.line_of(tok.start)
        last = index.line_of(tok.end)
        typ, mods = tok.type_index, tok.modifier_bits
        for line in range(first, last + 1):
            start = tok.start if line == first else index.line_start(line)
            end = tok.end if line == last else index.line_end(line)
            if end <= start:
                continue
            _, col = index.position(start, encoding)
            if encoding == "utf-8":
                length = end - start
            else:
                _, end_col = index.position(end, encoding)
                length = end_col - col
            if length > 0:
                rows.append((line, col, length, typ, mods))
    return rows
