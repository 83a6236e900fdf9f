"""Rendering lint results: full, concise, json, sarif, github, gitlab, junit, statistics."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from wit_ls import __version__
from wit_ls.lint.registry import RULES, RULES_BY_NAME
from wit_ls.lint.rule import DOCS_URL
from wit_ls.syntax import Diagnostic, LineIndex, Severity

FORMATS = ("full", "concise", "json", "sarif", "github", "gitlab", "junit")
_LABEL = {Severity.ERROR: "error", Severity.WARNING: "warning",
          Severity.INFORMATION: "info", Severity.HINT: "hint"}


@dataclass(frozen=True)
class Entry:
    """One diagnostic with the display path (relative, posix) and the file's line index."""

    path: str
    index: LineIndex | None
    diagnostic: Diagnostic

    def position(self, offset: int, encoding: str = "utf-32") -> tuple[int, int]:
        """1-based (line, column)."""
        if self.index is None:
            return 1, 1
        line, col = self.index.position(offset, encoding)  # type: ignore[arg-type]
        return line + 1, col + 1

    @property
    def start(self) -> tuple[int, int]:
        return self.position(self.diagnostic.start)

    @property
    def end(self) -> tuple[int, int]:
        return self.position(self.diagnostic.end)

    @property
    def rule_code(self) -> str:
        data = self.diagnostic.data or {}
        return str(data.get("code", self.diagnostic.code))

    @property
    def fix(self) -> dict[str, object] | None:
        fix = (self.diagnostic.data or {}).get("fix")
        return fix if isinstance(fix, dict) else None

    def line_text(self, line: int) -> str:
        if self.index is None:
            return ""
        return self.index.line_text(line - 1).decode("utf-8", "replace").rstrip("\r")


def _fix_marker(entry: Entry) -> str:
    fix = entry.fix
    if fix is None:
        return ""
    return "[*] " if fix.get("applicability") == "safe" else "[-] "


def render(entries: Sequence[Entry], fmt: str, *, files: Sequence[str] = ()) -> str:
    if fmt == "concise":
        return _concise(entries)
    if fmt == "json":
        return json.dumps([_json_entry(e) for e in entries], indent=2) + "\n"
    if fmt == "sarif":
        return json.dumps(sarif(entries), indent=2) + "\n"
    if fmt == "github":
        return "".join(_github(e) + "\n" for e in entries)
    if fmt == "gitlab":
        return json.dumps([_gitlab(e, f) for e, f in zip(entries, fingerprints(entries),
                                                          strict=True)],
                          indent=2) + "\n"
    if fmt == "junit":
        return junit(entries, files)
    return _full(entries)


def summary(entries: Sequence[Entry]) -> str:
    if not entries:
        return "All checks passed!\n"
    safe = sum(1 for e in entries if e.fix and e.fix.get("applicability") == "safe")
    unsafe = sum(1 for e in entries if e.fix and e.fix.get("applicability") != "safe")
    text = f"Found {len(entries)} problem{'s' if len(entries) != 1 else ''}.\n"
    if safe:
        text += f"[*] {safe} fixable with `wit-ls lint --fix`.\n"
    if unsafe:
        text += f"[-] {unsafe} more fixable with `--fix --unsafe-fixes`.\n"
    return text


def _concise(entries: Sequence[Entry]) -> str:
    out = []
    for e in entries:
        line, col = e.start
        d = e.diagnostic
        out.append(f"{e.path}:{line}:{col}: {_LABEL[d.severity]} {e.rule_code} "
                   f"{_fix_marker(e)}{d.message} [{d.code}]\n")
    return "".join(out)


def _full(entries: Sequence[Entry]) -> str:
    out = []
    for e in entries:
        d = e.diagnostic
        line, col = e.start
        eline, ecol = e.end
        out.append(f"{e.path}:{line}:{col}: {_LABEL[d.severity]}[{d.code}] {e.rule_code}: "
                   f"{d.message}\n")
        text = e.line_text(line)
        gutter = len(str(line))
        out.append(f"{' ' * gutter} |\n{line} | {text}\n")
        width = (ecol - col) if eline == line else max(1, len(text) - col + 1)
        out.append(f"{' ' * gutter} | {' ' * (col - 1)}{'^' * max(1, width)}\n")
        fix = e.fix
        if fix is not None:
            kind = "safe fix" if fix.get("applicability") == "safe" else "unsafe fix"
            out.append(f"{' ' * gutter} = help ({kind}): {fix.get('message')}\n")
        url = (d.data or {}).get("url")
        if url:
            out.append(f"{' ' * gutter} = see: {url}\n")
        out.append("\n")
    return "".join(out)


def _json_entry(e: Entry) -> dict[str, object]:
    d = e.diagnostic
    line, col = e.start
    eline, ecol = e.end
    data = d.data or {}
    return {
        "code": e.rule_code,
        "name": d.code,
        "category": data.get("category"),
        "severity": _LABEL[d.severity],
        "message": d.message,
        "filename": e.path,
        "location": {"row": line, "column": col},
        "end_location": {"row": eline, "column": ecol},
        "range": {"start": d.start, "end": d.end},
        "fix": e.fix,
        "url": data.get("url"),
        "tags": list(d.tags),
    }


def fingerprints(entries: Sequence[Entry]) -> list[str]:
    """One fingerprint per entry, unique within the run and stable when unrelated lines
    move: the rule, the file, the finding's own source line, the text it covers and the
    message, plus an ordinal among entries that share all of those (the second identical
    `@since` line of a file). Line numbers play no part."""
    import hashlib

    seen: Counter[str] = Counter()
    out: list[str] = []
    for e in entries:
        line, _ = e.start
        text = e.line_text(line).strip()
        d = e.diagnostic
        covered = ""
        if e.index is not None:
            covered = e.index.source[d.start:d.end].decode("utf-8", "replace")
        key = f"{d.code}\0{e.path}\0{text}\0{covered}\0{d.message}"
        seen[key] += 1
        # (surrogateescape: a file name that is not UTF-8 hashes as its bytes)
        data = f"{key}\0{seen[key]}".encode("utf-8", "surrogateescape")
        out.append(hashlib.sha256(data).hexdigest())
    return out


def _sarif_level(severity: Severity) -> str:
    return {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(severity, "note")


def _rule_markdown(name: str) -> str:
    from wit_ls.lint.docs import rule_markdown

    rule = RULES_BY_NAME.get(name)
    return rule_markdown(rule) if rule is not None else ""


def sarif(entries: Sequence[Entry]) -> dict[str, object]:
    rules: list[dict[str, object]] = []
    index_of: dict[str, int] = {}
    for rule in RULES:
        index_of[rule.name] = len(rules)
        level = rule.default_level if rule.default_level != "off" else rule.strict_level
        rules.append({
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": rule.what},
            "help": {"text": rule.what + "\n\n" + rule.why,
                     "markdown": _rule_markdown(rule.name)},
            "helpUri": rule.url,
            "defaultConfiguration": {
                "level": _sarif_level({"error": Severity.ERROR, "warn": Severity.WARNING}.get(
                    level, Severity.INFORMATION)),
                "enabled": rule.default_level != "off",
            },
            "properties": {"tags": [rule.category], "precision": "high"},
        })
    extra: dict[str, int] = {}
    results = []
    for e, fingerprint in zip(entries, fingerprints(entries), strict=True):
        d = e.diagnostic
        if d.code in index_of:
            rule_id, rule_index = e.rule_code, index_of[d.code]
        else:  # syntax and model errors, internal errors
            if d.code not in extra:
                extra[d.code] = len(rules)
                rules.append({
                    "id": d.code, "name": d.code,
                    "shortDescription": {"text": f"WIT {d.code.replace('-', ' ')}"},
                    "fullDescription": {"text": "An error reported by the WIT parser or "
                                                "resolver; it cannot be suppressed."},
                    "helpUri": DOCS_URL,
                    "defaultConfiguration": {"level": "error"},
                    "properties": {"tags": ["correctness"]},
                })
            rule_id, rule_index = d.code, extra[d.code]
        line, col = e.position(d.start, "utf-16")
        eline, ecol = e.position(d.end, "utf-16")
        if (eline, ecol) <= (line, col):
            eline, ecol = line, col + 1
        result: dict[str, object] = {
            "ruleId": rule_id,
            "ruleIndex": rule_index,
            "level": _sarif_level(d.severity),
            "message": {"text": d.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": _artifact(e.path),
                "region": {"startLine": line, "startColumn": col, "endLine": eline,
                           "endColumn": ecol},
            }}],
            "partialFingerprints": {"witLsFingerprint/v2": fingerprint},
        }
        fix = e.fix
        if fix is not None and e.index is not None:
            replacements = []
            for edit in fix.get("edits", []):  # type: ignore[attr-defined]
                sl, sc = e.position(int(edit["start"]), "utf-16")
                el, ec = e.position(int(edit["end"]), "utf-16")
                replacements.append({
                    "deletedRegion": {"startLine": sl, "startColumn": sc, "endLine": el,
                                      "endColumn": ec},
                    "insertedContent": {"text": edit["new_text"]},
                })
            result["fixes"] = [{"description": {"text": str(fix.get("message"))},
                                "artifactChanges": [{"artifactLocation": _artifact(e.path),
                                                     "replacements": replacements}]}]
        results.append(result)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "wit-ls", "version": __version__, "semanticVersion": __version__,
                "informationUri": DOCS_URL.rsplit("/blob/", 1)[0], "rules": rules,
            }},
            "automationDetails": {"id": "wit-ls/lint/"},
            "columnKind": "utf16CodeUnits",
            "originalUriBaseIds": {"%SRCROOT%": {"description": {
                "text": "The directory wit-ls lint ran in (the repository root)."}}},
            "results": results,
        }],
    }


def _artifact(path: str) -> dict[str, str]:
    if PurePosixPath(path).is_absolute():
        return {"uri": PurePosixPath(path).as_uri()}
    return {"uri": path, "uriBaseId": "%SRCROOT%"}


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def _github(e: Entry) -> str:
    d = e.diagnostic
    command = {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(d.severity, "notice")
    line, col = e.start
    eline, ecol = e.end
    props = (f"title={_gh_escape(f'wit-ls ({e.rule_code} {d.code})', True)},"
             f"file={_gh_escape(e.path, True)},line={line},col={col},"
             f"endLine={eline},endColumn={ecol}")
    return f"::{command} {props}::{_gh_escape(f'{e.rule_code} {d.message}')}"


def _gitlab(e: Entry, fingerprint: str) -> dict[str, object]:
    import hashlib

    d = e.diagnostic
    line, col = e.start
    eline, ecol = e.end
    severity = {Severity.ERROR: "critical", Severity.WARNING: "major",
                Severity.INFORMATION: "minor"}.get(d.severity, "info")
    return {
        "description": f"{e.rule_code} {d.message}",
        "check_name": d.code,
        "fingerprint": hashlib.md5(fingerprint.encode("utf-8", "surrogateescape"),
                                   usedforsecurity=False).hexdigest(),
        "severity": severity,
        "location": {"path": e.path, "positions": {"begin": {"line": line, "column": col},
                                                   "end": {"line": eline, "column": ecol}}},
    }


def junit(entries: Sequence[Entry], files: Sequence[str]) -> str:
    from xml.sax.saxutils import escape, quoteattr

    by_file: dict[str, list[Entry]] = {f: [] for f in files}
    for e in entries:
        by_file.setdefault(e.path, []).append(e)
    failures = len(entries)
    tests = sum(max(1, len(items)) for items in by_file.values())  # the suites' own counts
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n',
           f'<testsuites name="wit-ls lint" tests="{tests}" '
           f'failures="{failures}" errors="0">\n']
    for path, items in by_file.items():
        out.append(f'  <testsuite name={quoteattr(path)} tests="{max(1, len(items))}" '
                   f'failures="{len(items)}" errors="0" skipped="0">\n')
        if not items:
            out.append(f'    <testcase name="wit-ls lint" classname={quoteattr(path)}/>\n')
        for e in items:
            d = e.diagnostic
            line, col = e.start
            name = f"{e.rule_code} {d.code} at {line}:{col}"
            out.append(f'    <testcase name={quoteattr(name)} classname={quoteattr(path)} '
                       f'file={quoteattr(path)} line="{line}">\n')
            out.append(f'      <failure message={quoteattr(d.message)} '
                       f'type={quoteattr(_LABEL[d.severity])}>'
                       f'{escape(f"{path}:{line}:{col}: {d.message}")}</failure>\n')
            out.append("    </testcase>\n")
        out.append("  </testsuite>\n")
    out.append("</testsuites>\n")
    return "".join(out)


def statistics(entries: Sequence[Entry]) -> str:
    counts = Counter((e.rule_code, e.diagnostic.code) for e in entries)
    fixable = {(e.rule_code, e.diagnostic.code) for e in entries
               if e.fix and e.fix.get("applicability") == "safe"}
    width = max((len(str(c)) for c in counts.values()), default=1)
    lines = [
        f"{count:>{width}}\t{code}\t{'[*]' if (code, name) in fixable else '[ ]'}\t{name}"
        for (code, name), count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return "\n".join(lines) + ("\n" if lines else "") + summary(entries)
