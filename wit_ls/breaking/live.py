"""Breaking changes for the editor: the comparison of an older version (already analysed) with
the current one, placed on the items of the current text, plus the code-lens summaries and the
version bump the package header needs. Plain data out; offsets are character offsets into the
file texts of the new analysis."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from wit_ls.breaking.compare import Change, CompareOptions, Level, compare, compatible_update
from wit_ls.breaking.locate import SymbolIndex, SymbolLike, locate
from wit_ls.breaking.resolved import Json, Resolved, strip_version, version_of
from wit_ls.syntax.diagnostics import Diagnostic, Related, Severity
from wit_ls.syntax.semver import Version, VersionError, parse_version

DOCS = "https://github.com/wit-ls/wit-ls/blob/main/docs/breaking.md#rules"


@dataclass(frozen=True)
class Side:
    """One version as plain data: its resolve (the JSON shape of ``wasm-tools component wit
    --json``), its symbols (asked for only when something changed), and its file contents by
    path."""

    doc: Json
    load_symbols: Callable[[], Sequence[SymbolLike]]
    source: Callable[[str], bytes | None]

    @cached_property
    def symbols(self) -> Sequence[SymbolLike]:
        return self.load_symbols()

    @cached_property
    def resolved(self) -> Resolved:
        return Resolved(self.doc)

    @cached_property
    def index(self) -> SymbolIndex:
        return SymbolIndex(self.symbols)


@dataclass(frozen=True)
class LiveFinding:
    path: str
    start: int
    end: int
    code: str
    rule: str
    level: Level
    message: str
    # Whose code breaks: "importer", "exporter", "both" or "none".
    perspective: str
    url: str
    # A removal: what the old version had (its text), shown beside the enclosing item.
    old_text: str = ""


@dataclass(frozen=True)
class Lens:
    path: str
    start: int
    end: int
    title: str


@dataclass(frozen=True)
class VersionBump:
    """The package header at ``path`` (``start``..``end`` is its name, version included) needs
    ``suggested`` instead of ``current``."""

    path: str
    start: int
    end: int
    package: str
    current: str
    suggested: str
    reason: str
    # Where the version itself is (after the `@`).
    version_start: int = 0
    version_end: int = 0


@dataclass(frozen=True)
class LiveResult:
    findings: tuple[LiveFinding, ...] = ()
    lenses: tuple[Lens, ...] = ()
    bumps: tuple[VersionBump, ...] = ()
    # New items without any `@since` in a package that uses it: (path, offset of the item,
    # its indentation), where a version bump also adds `@since(version = ...)`.
    ungated: tuple[tuple[str, int, str], ...] = ()


def _counts(changes: list[Change]) -> tuple[int, int, int]:
    breaking = [c for c in changes if c.rule.cls in ("LINK", "SOURCE") and c.level != "info"]
    importers = sum(1 for c in breaking if c.rule.affects in ("importer", "both"))
    exporters = sum(1 for c in breaking if c.rule.affects in ("exporter", "both"))
    return len(breaking), importers, exporters


def next_version(old: str, breaking: bool) -> str | None:
    """The smallest version after ``old`` on a new track (``breaking``) or on the same one."""
    try:
        v = parse_version(old)
    except VersionError:
        return None
    if breaking:
        bumped = Version(v.major + 1, 0, 0) if v.major else Version(0, v.minor + 1, 0)
        if not v.major and not v.minor:
            bumped = Version(0, 0, v.patch + 1)
    elif v.pre:
        bumped = Version(v.major, v.minor, v.patch)
    else:
        bumped = Version(v.major, v.minor, v.patch + 1)
    return str(bumped)


def live_breaking(old: Side, new: Side, label: str,
                  options: CompareOptions | None = None) -> LiveResult:
    """Every change between ``old`` and ``new`` (all packages present in both), placed."""
    old_doc = old.doc
    changes = compare(old.resolved, new.resolved, None, options)
    if not changes:
        return LiveResult()
    new_symbols = new.symbols
    new_index = new.index
    findings: list[LiveFinding] = []
    ungated: list[tuple[str, int, str]] = []
    for change in changes:
        found = locate(new_index, change.subject)
        if found is None:
            continue
        symbol, exact = found
        if change.rule.name == "added-item-not-gated" and exact:
            spot = _gate_spot(new, symbol)
            if spot is not None:
                ungated.append(spot)
        old_text = ""
        if change.removed:
            previous = locate(old.index, change.subject)
            if previous is not None and previous[1]:
                data = old.source(previous[0].path)
                if data is not None:
                    start, end = previous[0].range
                    old_text = data[start:end].decode("utf-8", "replace")
        findings.append(LiveFinding(
            symbol.path, symbol.selection[0], symbol.selection[1], change.rule.id,
            change.rule.name, change.level, change.message,
            change.rule.affects if change.rule.cls in ("LINK", "SOURCE") else "none",
            DOCS, old_text))
    lenses: list[Lens] = []
    for symbol in new_symbols:
        if symbol.kind not in ("interface", "world") or "/" not in symbol.qualified:
            continue
        package, item = _strip(symbol.qualified).split("/", 1)
        mine = [c for c in changes if c.subject[:2] == (package, item)]
        total, importers, exporters = _counts(mine)
        if total:
            lenses.append(Lens(
                symbol.path, symbol.selection[0], symbol.selection[1],
                f"{total} breaking change{'s' if total != 1 else ''} since {label} "
                f"(importers: {importers}, exporters: {exporters})"))
    bumps = _bumps(old_doc, changes, new_symbols, new)
    return LiveResult(tuple(findings), tuple(lenses), tuple(bumps), tuple(ungated))


def _gate_spot(new: Side, symbol: SymbolLike) -> tuple[str, int, str] | None:
    """Where `@since(...)` goes before an item that has no gate at all."""
    data = new.source(symbol.path)
    if data is None:
        return None
    start = symbol.range[0]
    if b"@" in data[start:symbol.selection[0]]:
        return None
    line_start = data.rfind(b"\n", 0, start) + 1
    indent = data[line_start:start]
    if indent.strip():
        return None
    return symbol.path, start, indent.decode("utf-8", "replace")


def _strip(name: str) -> str:
    return "/".join(part.split("@", 1)[0] for part in name.split("/"))


def _bumps(old_doc: Json, changes: list[Change],
           symbols: Sequence[SymbolLike], new: Side) -> list[VersionBump]:
    packages = old_doc.get("packages", [])
    old_versions = {strip_version(str(p.get("name", ""))): version_of(str(p.get("name", "")))
                    for p in (packages if isinstance(packages, list) else [])
                    if isinstance(p, dict)}
    out: list[VersionBump] = []
    for symbol in symbols:
        if symbol.kind != "package":
            continue
        name, current = strip_version(symbol.qualified), version_of(symbol.qualified)
        previous = old_versions.get(name)
        if not previous or not current:
            continue
        mine = [c for c in changes if c.subject[:1] == (name,)]
        link = any(c.rule.cls == "LINK" for c in mine if c.rule.name != "world-import-added")
        significant = any(c.rule.cls in ("LINK", "SOURCE") for c in mine)
        try:
            old_v, new_v = parse_version(previous), parse_version(current)
        except VersionError:
            continue
        if link and compatible_update(previous, current):
            suggested = next_version(previous, True)
            reason = (f"link-breaking changes since {previous} need a new version track")
        elif significant and new_v <= old_v:
            suggested = next_version(previous, False)
            reason = f"the package changed since {previous}"
        else:
            continue
        if suggested is None or suggested == current:
            continue
        start, end = symbol.selection
        data = new.source(symbol.path)
        text = data[start:end] if data is not None else b""
        at = text.find(b"@")
        if at < 0:
            continue
        out.append(VersionBump(symbol.path, start, end, name, current, suggested, reason,
                               start + at + 1, end))
    return out


_SEVERITY = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFORMATION}
_WHO = {"importer": "importers", "exporter": "exporters", "both": "importers and exporters"}


def diagnostics(result: LiveResult, path: str, label: str) -> list[Diagnostic]:
    """The findings placed in ``path``, as diagnostics (code: the B-code; data: the rule, whose
    code breaks and the docs link; a removal carries the old text as related information)."""
    out: list[Diagnostic] = []
    for f in result.findings:
        if f.path != path:
            continue
        who = _WHO.get(f.perspective)
        message = f"{f.message} (breaks {who})" if who else f.message
        related: tuple[Related, ...] = ()
        if f.old_text:
            related = (Related(f.path, f.start, f.end, f"in {label}: {f.old_text.strip()}"),)
        out.append(Diagnostic(f.start, f.end, message, f.code, _SEVERITY[f.level], path,
                              related, (), {"url": f.url, "rule": f.rule,
                                            "perspective": f.perspective, "breaking": True}))
    return out
