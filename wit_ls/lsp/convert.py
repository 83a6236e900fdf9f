"""Every conversion between our data (UTF-8 byte offsets, plain dataclasses) and LSP types,
honouring the negotiated position encoding (utf-16 by default, utf-8, utf-32)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Sequence
from typing import cast

from cattrs import Converter as CattrsConverter
from lsprotocol import types as lsp
from pygls.uris import from_fs_path, to_fs_path

from wit_ls.features.common import FileEdit
from wit_ls.features.semantic_tokens import SemanticToken
from wit_ls.features.structure import FoldingRange
from wit_ls.features.symbols import DocSymbol, WorkspaceSymbol
from wit_ls.lsp import first_forms
from wit_ls.model.api import Location
from wit_ls.syntax import Diagnostic, Encoding, LineIndex, Severity

LineIndexOf = Callable[[str], LineIndex | None]

# How many nested ranges one selection-range answer holds at most.
MAX_SELECTION_DEPTH = 100


def path_of(uri: str) -> str | None:
    """A file URI as a normalised posix path (None for other schemes)."""
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    if path is None:
        return None
    return os.path.normpath(path).replace("\\", "/")


def uri_of(path: str) -> str:
    uri = from_fs_path(path)
    return uri if uri is not None else "file://" + path


def encoding_of(kind: object) -> Encoding:
    value = getattr(kind, "value", kind)
    if value == "utf-8":
        return "utf-8"
    if value == "utf-32":
        return "utf-32"
    return "utf-16"


SYMBOL_KINDS: dict[str, lsp.SymbolKind] = {
    kind: lsp.SymbolKind(number) for kind, number in first_forms.SYMBOL_KINDS.items()}

COMPLETION_KINDS: dict[str, lsp.CompletionItemKind] = {
    "keyword": lsp.CompletionItemKind.Keyword,
    "snippet": lsp.CompletionItemKind.Snippet,
    "interface": lsp.CompletionItemKind.Interface,
    "world": lsp.CompletionItemKind.Module,
    "package": lsp.CompletionItemKind.Module,
    "type": lsp.CompletionItemKind.TypeParameter,
    "primitive": lsp.CompletionItemKind.Keyword,
    "record": lsp.CompletionItemKind.Struct,
    "variant": lsp.CompletionItemKind.Enum,
    "enum": lsp.CompletionItemKind.Enum,
    "flags": lsp.CompletionItemKind.Enum,
    "resource": lsp.CompletionItemKind.Class,
    "function": lsp.CompletionItemKind.Function,
    "attribute": lsp.CompletionItemKind.Property,
    "value": lsp.CompletionItemKind.Value,
}


class _Form:
    """One diagnostic's LSP form and, once sent, its JSON form (unstructured, and as text)."""

    __slots__ = ("json", "lsp", "text")

    def __init__(self, item: lsp.Diagnostic) -> None:
        self.lsp = item
        self.json: object = None
        self.text: str | None = None


# What an LSP diagnostic is made of, by value: its range (line, column pairs in the session's
# encoding), severity, code, message, tags, related information (each converted) and data.
_FormKey = tuple[object, ...]


class JsonText:
    """A value of a message that is sent as this JSON text (made by us, without lsprotocol's
    objects and the converter's walk over them: for a large answer, such as the document
    symbols of a 20,000-line file, those took most of its time). See
    :meth:`DiagnosticForms.install`."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _wire_data(diag: Diagnostic) -> dict[str, object] | None:
    """``diag.data`` as sent: a lint fix's edits with offsets counted from the diagnostic's
    start (so that a finding the text before it moved keeps its form, see
    :class:`DiagnosticForms`; :meth:`Converter.diagnostic_in` counts them back)."""
    data = diag.data
    if not data:
        return None
    fix = data.get("fix")
    if "rule" not in data or not isinstance(fix, dict) or not isinstance(
            fix.get("edits"), list):
        return dict(data)
    at = diag.start
    edits = [{**e, "start": e["start"] - at, "end": e["end"] - at}
             if isinstance(e, dict) and isinstance(e.get("start"), int)
             and isinstance(e.get("end"), int) else e for e in fix["edits"]]
    return {**data, "fix": {**fix, "edits": edits}}


_PLAIN = (str, int, float, bool, type(None))


def _data_key(diag: Diagnostic) -> object:
    """A hashable stand-in for ``_wire_data(diag)``: equal for equal data as sent."""
    data = diag.data
    if not data:
        return None
    out: list[object] = []
    for key, value in data.items():
        if isinstance(value, _PLAIN):
            out.append((key, value))
            continue
        if key == "fix" and "rule" in data and isinstance(value, dict) and value.keys() <= {
                "message", "applicability", "edits"} and isinstance(value.get("edits"), list):
            at = diag.start
            edits: list[object] = []
            for e in value["edits"]:
                if not (isinstance(e, dict) and e.keys() == {"start", "end", "new_text"}
                        and isinstance(e["start"], int) and isinstance(e["end"], int)
                        and isinstance(e["new_text"], str)):
                    return repr(_wire_data(diag))
                edits.append((e["start"] - at, e["end"] - at, e["new_text"]))
            out.append((key, value.get("message"), value.get("applicability"), tuple(edits)))
            continue
        return repr(_wire_data(diag))
    return tuple(out)


def _data_in(data: dict[str, object], start: int) -> dict[str, object]:
    """The inverse of :func:`_wire_data` for a client-sent diagnostic starting at ``start``."""
    fix = data.get("fix")
    if "rule" not in data or not isinstance(fix, dict) or not isinstance(
            fix.get("edits"), list):
        return data
    edits = [{**e, "start": e["start"] + start, "end": e["end"] + start}
             if isinstance(e, dict) and isinstance(e.get("start"), int)
             and isinstance(e.get("end"), int) else e for e in fix["edits"]]
    return {**data, "fix": {**fix, "edits": edits}}


class DiagnosticForms:
    """The LSP and JSON forms of the diagnostics of each file's last answer, so that a later
    answer (the next keystroke's, or the same keystroke's with fresh lint findings) converts
    only the diagnostics that changed. Keyed by value after conversion of positions: a finding
    whose text moved to another line or column is another key. The JSON form is made by the
    protocol's converter (:meth:`install`) the first time a form is sent, and its JSON text
    is spliced into the messages that carry it (:meth:`dumps`)."""

    def __init__(self) -> None:
        self._by_path: dict[str, dict[_FormKey, _Form]] = {}
        # id() of each kept LSP form (kept alive by ``_by_path``, so ids are not reused).
        self._by_id: dict[int, _Form] = {}
        # While :meth:`dumps` runs: the JSON texts of the kept forms in the message, each
        # standing in it as a placeholder string no other value holds (a per-process nonce).
        self._sending: list[str] | None = None
        nonce = os.urandom(8).hex()
        self._placeholder = f"\x00wit-ls-form-{nonce}-"
        self._placeholders = re.compile(r'"\\u0000wit-ls-form-' + nonce + r'-(\d+)\\u0000"')

    def dumps(self, data: object, default: Callable[[object], object]) -> str:
        """``json.dumps(data, default=default)``, with the kept forms' JSON texts made once."""
        self._sending = []
        try:
            body = json.dumps(data, default=default)
        finally:
            texts, self._sending = self._sending, None
        if not texts:
            return body
        return self._placeholders.sub(lambda m: texts[int(m.group(1))], body)

    def install(self, converter: CattrsConverter) -> None:
        """Make ``converter`` unstructure the kept forms once each."""
        plain = cast("Callable[[lsp.Diagnostic], object]",
                     converter.get_unstructure_hook(lsp.Diagnostic))

        def unstructure(item: lsp.Diagnostic) -> object:
            form = self._by_id.get(id(item))
            if form is None or form.lsp is not item:
                return plain(item)
            if form.json is None:
                form.json = plain(item)
            sending = self._sending
            if sending is None:
                return form.json
            if form.text is None:
                form.text = json.dumps(form.json)
            sending.append(form.text)
            return f"{self._placeholder}{len(sending) - 1}\x00"

        converter.register_unstructure_hook(lsp.Diagnostic, unstructure)

        def unstructure_text(value: JsonText) -> object:
            sending = self._sending
            if sending is None:
                return json.loads(value.text)
            sending.append(value.text)
            return f"{self._placeholder}{len(sending) - 1}\x00"

        converter.register_unstructure_hook(JsonText, unstructure_text)

    def clear(self) -> None:
        self._by_path.clear()
        self._by_id.clear()

    def forget(self, path: str) -> None:
        for form in self._by_path.pop(path, {}).values():
            self._by_id.pop(id(form.lsp), None)

    def answer(self, path: str, keyed: list[tuple[_FormKey, Diagnostic]],
               make: Callable[[Diagnostic], lsp.Diagnostic]) -> list[lsp.Diagnostic]:
        """The LSP forms of one answer for ``path``: kept ones where the key is known, new
        ones made by ``make``; what this answer does not use is dropped."""
        old = self._by_path.get(path, {})
        new: dict[_FormKey, _Form] = {}
        out: list[lsp.Diagnostic] = []
        for key, diag in keyed:
            form = new.get(key)
            if form is None:
                form = old.pop(key, None)
                if form is None:
                    form = _Form(make(diag))
                    self._by_id[id(form.lsp)] = form
                new[key] = form
            out.append(form.lsp)
        for form in old.values():
            self._by_id.pop(id(form.lsp), None)
        self._by_path[path] = new
        return out


class Converter:
    """Conversions for one session (one negotiated encoding)."""

    def __init__(self, encoding: Encoding, line_index_of: LineIndexOf,
                 code_descriptions: bool = False,
                 forms: DiagnosticForms | None = None) -> None:
        self.encoding = encoding
        self._line_index_of = line_index_of
        # Whether the client shows a link to a diagnostic's documentation (codeDescription).
        self.code_descriptions = code_descriptions
        # Where the forms of answered diagnostics are kept (None: convert every time).
        self.forms = forms
        if forms is not None:
            forms.clear()
        # Per path: the line index of its last answer and each diagnostic's key there.
        self._keys: dict[str, tuple[LineIndex, dict[int, tuple[Diagnostic, _FormKey]]]] = {}

    # ---- positions ----------------------------------------------------------------------

    def position(self, index: LineIndex, offset: int) -> lsp.Position:
        line, col = index.position(offset, self.encoding)
        return lsp.Position(line=line, character=col)

    def range(self, index: LineIndex, start: int, end: int) -> lsp.Range:
        return lsp.Range(start=self.position(index, start),
                         end=self.position(index, max(start, end)))

    def offset(self, index: LineIndex, position: lsp.Position) -> int:
        return index.offset(position.line, position.character, self.encoding)

    def offsets(self, index: LineIndex, rng: lsp.Range) -> tuple[int, int]:
        start = self.offset(index, rng.start)
        end = self.offset(index, rng.end)
        return (start, end) if start <= end else (end, start)

    def location(self, loc: Location) -> lsp.Location | None:
        index = self._line_index_of(loc.path)
        if index is None:
            return None
        return lsp.Location(uri=uri_of(loc.path), range=self.range(index, loc.start, loc.end))

    def locations(self, locs: Sequence[Location]) -> list[lsp.Location]:
        out: list[lsp.Location] = []
        for loc in locs:
            converted = self.location(loc)
            if converted is not None:
                out.append(converted)
        return out

    # ---- diagnostics --------------------------------------------------------------------

    def diagnostic(self, index: LineIndex, diag: Diagnostic) -> lsp.Diagnostic:
        related: list[lsp.DiagnosticRelatedInformation] = []
        for rel in diag.related:
            loc = self.location(Location(rel.path, rel.start, rel.end))
            if loc is not None:
                related.append(lsp.DiagnosticRelatedInformation(location=loc, message=rel.message))
        tags = [
            lsp.DiagnosticTag.Unnecessary if t == "unnecessary" else lsp.DiagnosticTag.Deprecated
            for t in diag.tags if t in ("unnecessary", "deprecated")
        ]
        data = _wire_data(diag) or {}
        url = data.get("url")
        description = (lsp.CodeDescription(href=url)
                       if self.code_descriptions and isinstance(url, str) and url else None)
        help_text = data.get("help")
        message = f"{diag.message}\n\nhelp: {help_text}" if isinstance(help_text, str) \
            else diag.message
        return lsp.Diagnostic(
            range=self.range(index, diag.start, diag.end),
            message=message,
            severity=lsp.DiagnosticSeverity(int(diag.severity)),
            code=diag.code or None,
            code_description=description,
            source="wit-ls",
            related_information=related or None,
            tags=tags or None,
            data=data or None,
        )

    def diagnostics(self, index: LineIndex, diags: Sequence[Diagnostic],
                    path: str | None = None) -> list[lsp.Diagnostic]:
        """The LSP forms of ``diags``; given the ``path`` they are the answer for, unchanged
        diagnostics of that path's last answer reuse their forms (see :class:`DiagnosticForms`)."""
        if path is None or self.forms is None:
            return [self.diagnostic(index, d) for d in diags]
        # The keys of the path's last answer, by diagnostic: the same diagnostic in the same
        # text (the same line index) has the same key, unless its related information points
        # into other files (whose text may have changed since).
        last = self._keys.get(path)
        known = last[1] if last is not None and last[0] is index else {}
        keys: dict[int, tuple[Diagnostic, _FormKey]] = {}
        keyed: list[tuple[_FormKey, Diagnostic]] = []
        for diag in diags:
            found = known.get(id(diag))
            if found is not None and found[0] is diag:
                key = found[1]
            else:
                key = self._form_key(index, diag)
            if not diag.related:
                keys[id(diag)] = (diag, key)
            keyed.append((key, diag))
        self._keys[path] = (index, keys)
        return self.forms.answer(path, keyed, lambda d: self.diagnostic(index, d))

    def forget(self, path: str) -> None:
        """Drop what is kept for the answers for ``path`` (closed)."""
        self._keys.pop(path, None)
        if self.forms is not None:
            self.forms.forget(path)

    def _form_key(self, index: LineIndex, diag: Diagnostic) -> _FormKey:
        enc = self.encoding
        related: list[object] = []
        for rel in diag.related:
            rel_index = self._line_index_of(rel.path)
            if rel_index is None:
                related.append(None)
            else:
                related.append((rel.path, rel_index.position(rel.start, enc),
                                rel_index.position(max(rel.start, rel.end), enc), rel.message))
        return (index.position(diag.start, enc), index.position(max(diag.start, diag.end), enc),
                int(diag.severity), diag.code, diag.message, tuple(diag.tags), tuple(related),
                _data_key(diag))

    def diagnostic_in(self, index: LineIndex, diag: lsp.Diagnostic, path: str) -> Diagnostic:
        """A client-sent diagnostic (code action context) back in byte offsets."""
        start, end = self.offsets(index, diag.range)
        severity = Severity(int(diag.severity)) if diag.severity is not None else Severity.ERROR
        data = diag.data if isinstance(diag.data, dict) else {}
        return Diagnostic(start, end, diag.message, str(diag.code or ""), severity, path,
                          data=_data_in(cast("dict[str, object]", data), start))

    # ---- structure ----------------------------------------------------------------------

    @staticmethod
    def folding_range(rng: FoldingRange) -> lsp.FoldingRange:
        kind = {"comment": lsp.FoldingRangeKind.Comment, "imports": lsp.FoldingRangeKind.Imports}
        return lsp.FoldingRange(start_line=rng.start_line, end_line=rng.end_line,
                                kind=kind.get(rng.kind, lsp.FoldingRangeKind.Region))

    def selection_range(self, index: LineIndex, chain: list[tuple[int, int]]) -> lsp.SelectionRange:
        """The chain as nested ranges, at most :data:`MAX_SELECTION_DEPTH` deep (the innermost
        ones and the outermost): each level is one level of recursion for the serialisers on
        both sides, and 500 nested types once made ours fail with RecursionError."""
        if len(chain) > MAX_SELECTION_DEPTH:
            chain = [*chain[:MAX_SELECTION_DEPTH - 1], chain[-1]]
        result: lsp.SelectionRange | None = None
        for start, end in reversed(chain):
            result = lsp.SelectionRange(range=self.range(index, start, end), parent=result)
        assert result is not None
        return result

    def document_symbol(self, index: LineIndex, sym: DocSymbol) -> lsp.DocumentSymbol:
        rng = self.range(index, sym.start, sym.end)
        sel = self.range(index, sym.sel_start, sym.sel_end)
        return lsp.DocumentSymbol(
            name=sym.name,
            kind=SYMBOL_KINDS.get(sym.kind, lsp.SymbolKind.Variable),
            range=rng,
            selection_range=sel,
            detail=sym.detail or None,
            tags=[lsp.SymbolTag.Deprecated] if sym.deprecated else None,
            children=[self.document_symbol(index, c) for c in sym.children] or None,
        )

    def document_symbols_json(self, index: LineIndex, syms: Sequence[DocSymbol]) -> JsonText:
        """The :meth:`document_symbol` of each of ``syms`` as the JSON text the protocol's
        converter makes of them (the same keys in the same order; the tests compare them),
        made as the light first answer makes them (:func:`first_forms.document_symbols`)."""
        return JsonText(json.dumps(first_forms.document_symbols(index, syms, self.encoding)))

    def flat_symbols(self, index: LineIndex, uri: str, syms: Sequence[DocSymbol],
                     container: str | None = None) -> list[lsp.SymbolInformation]:
        out: list[lsp.SymbolInformation] = []
        for sym in syms:
            out.append(lsp.SymbolInformation(
                name=sym.name, kind=SYMBOL_KINDS.get(sym.kind, lsp.SymbolKind.Variable),
                location=lsp.Location(uri=uri, range=self.range(index, sym.start, sym.end)),
                container_name=container,
                tags=[lsp.SymbolTag.Deprecated] if sym.deprecated else None))
            out.extend(self.flat_symbols(index, uri, sym.children, sym.name))
        return out

    def workspace_symbol(self, sym: WorkspaceSymbol) -> lsp.WorkspaceSymbol | None:
        loc = self.location(Location(sym.path, sym.start, sym.end))
        if loc is None:
            return None
        return lsp.WorkspaceSymbol(
            name=sym.name, kind=SYMBOL_KINDS.get(sym.kind, lsp.SymbolKind.Variable),
            location=loc, container_name=sym.container or None,
            tags=[lsp.SymbolTag.Deprecated] if sym.deprecated else None)

    # ---- semantic tokens ----------------------------------------------------------------

    def semantic_data(self, index: LineIndex, tokens: Sequence[SemanticToken]) -> list[int]:
        """Relative encoding; tokens spanning lines are split (no multiline token support)."""
        return first_forms.semantic_data(index, tokens, self.encoding)

    def semantic_rows(self, index: LineIndex, tokens: Sequence[SemanticToken]
                      ) -> list[tuple[int, int, int, int, int]]:
        """(line, column, length, type, modifiers) of each token, in the negotiated units,
        each on one line (see :meth:`semantic_data`)."""
        return first_forms.semantic_rows(index, tokens, self.encoding)

    # ---- edits --------------------------------------------------------------------------

    def text_edit(self, index: LineIndex, edit: FileEdit) -> lsp.TextEdit:
        return lsp.TextEdit(range=self.range(index, edit.start, edit.end), new_text=edit.new_text)

    def workspace_edit(self, edits: Sequence[FileEdit], versions: dict[str, int],
                       document_changes: bool, annotations: bool,
                       confirm_label: str = "Edit a dependency") -> lsp.WorkspaceEdit:
        """Group edits by file; with ``document_changes``, versioned edits (annotated when the
        edit needs confirmation and the client supports change annotations)."""
        by_path: dict[str, list[FileEdit]] = {}
        for edit in edits:
            by_path.setdefault(edit.path, []).append(edit)
        if not document_changes:
            changes: dict[str, list[lsp.TextEdit]] = {}
            for path, group in by_path.items():
                index = self._line_index_of(path)
                if index is None:
                    continue
                changes[uri_of(path)] = [self.text_edit(index, e) for e in group]
            return lsp.WorkspaceEdit(changes=changes)
        doc_changes: list[lsp.TextDocumentEdit] = []
        used_annotation = False
        for path, group in by_path.items():
            index = self._line_index_of(path)
            if index is None:
                continue
            converted: list[lsp.TextEdit | lsp.AnnotatedTextEdit] = []
            for e in group:
                if annotations and e.needs_confirmation:
                    used_annotation = True
                    converted.append(lsp.AnnotatedTextEdit(
                        range=self.range(index, e.start, e.end), new_text=e.new_text,
                        annotation_id="dependency"))
                else:
                    converted.append(self.text_edit(index, e))
            doc_changes.append(lsp.TextDocumentEdit(
                text_document=lsp.OptionalVersionedTextDocumentIdentifier(
                    uri=uri_of(path), version=versions.get(path)),
                edits=converted))
        change_annotations = None
        if used_annotation:
            change_annotations = {"dependency": lsp.ChangeAnnotation(
                label=confirm_label, needs_confirmation=True,
                description="This edit changes a file of a dependency (deps/).")}
        return lsp.WorkspaceEdit(document_changes=doc_changes,
                                 change_annotations=change_annotations)
