"""WIT fixtures that carry their own expectations (architecture.md, "Tests, as data").

A fixture is WIT text. It is either one file, or a workspace of several files, each started by a
header line ``//- /wit/api.wit`` (posix paths under a virtual root ``/``; a ``deps/`` folder
works as on disk). Inside the text:

* ``$0`` marks a cursor: it is removed and its byte offset recorded (``Fixture.cursor``).
* an *annotation* is a comment line made of carets (or ``|`` for an empty range) followed by a
  severity, a code in brackets and, optionally, a message::

      interface i { type t = foo; }
      //                     ^^^ error[unknown-type]: type `foo` does not exist

  The carets mark columns (code points) of the previous non-annotation line. A caret run that
  ends in ``...`` (``^^^...``) checks only where the range starts (for ranges that run on to
  later lines). ``@N`` before the severity gives the start column explicitly, for columns that
  ``//`` itself occupies: ``//^^^^^^^ @0 error[...]``.
  ``//! error[code]: message`` (no carets) expects a diagnostic anywhere in this file.
* severity words: ``error``, ``warn``/``warning``, ``info``, ``hint``.
* messages match exactly, except that ``...`` in an expected message matches any text; with no
  ``: message`` part the message is not compared.

Annotation lines are replaced by empty lines before analysis (so line numbers stay stable and
the annotations cannot become doc comments). :func:`check` runs a diagnostics function over the
fixture and compares the set of (path, range, severity, code, message) with the annotations.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from wit_ls.syntax import Diagnostic, Severity

DEFAULT_FILE = "/test.wit"

_FILE_HEADER = re.compile(r"^//-\s+(?P<path>/\S*)\s*$")
_ANNOTATION = re.compile(
    r"^(?P<lead>[ \t]*//)(?P<pad>[ \t]*)(?P<marks>\^+(?:\.\.\.)?|\|)"
    r"(?:[ \t]+@(?P<col>\d+))?[ \t]+(?P<rest>.*)$"
)
_FILE_ANNOTATION = re.compile(r"^[ \t]*//![ \t]+(?P<rest>.*)$")
_EXPECTATION = re.compile(
    r"^(?P<severity>error|warning|warn|info|hint)\[(?P<code>[A-Za-z0-9_.-]+)\]"
    r"(?::[ \t](?P<message>.*))?[ \t]*$"
)
CURSOR = "$0"

SEVERITIES = {
    "error": Severity.ERROR,
    "warn": Severity.WARNING,
    "warning": Severity.WARNING,
    "info": Severity.INFORMATION,
    "hint": Severity.HINT,
}
_SEVERITY_WORD = {
    Severity.ERROR: "error",
    Severity.WARNING: "warn",
    Severity.INFORMATION: "info",
    Severity.HINT: "hint",
}


class FixtureError(ValueError):
    """The fixture text itself is malformed (a bad annotation, two cursors, ...)."""


@dataclass(frozen=True)
class Expected:
    """One annotation: what a diagnostic must look like."""

    path: str
    start: int | None  # byte offset; None for a file-level annotation
    end: int | None  # byte offset; None when only the start is checked
    severity: Severity
    code: str
    message: str | None  # None: not compared; may contain "..." wildcards
    line: int  # 0-based line of the annotated source line (for messages)
    annotation_line: int  # 0-based line of the annotation itself, in its file

    def matches(self, diag: Diagnostic) -> bool:
        if _norm(diag.path) != self.path or diag.code != self.code:
            return False
        if diag.severity != self.severity:
            return False
        if self.start is not None and diag.start != self.start:
            return False
        if self.end is not None and diag.end != self.end:
            return False
        return self.message is None or message_matches(self.message, diag.message)


def message_matches(expected: str, actual: str) -> bool:
    """Exact, except that ``...`` in ``expected`` stands for any text (newlines included)."""
    if "..." not in expected:
        return expected == actual
    pattern = ".*".join(re.escape(part) for part in expected.split("..."))
    return re.fullmatch(pattern, actual, re.DOTALL) is not None


@dataclass
class Fixture:
    """A parsed fixture: file texts (annotations blanked, cursor removed) and expectations."""

    files: dict[str, str]
    expected: list[Expected] = field(default_factory=list)
    cursor: tuple[str, int] | None = None
    multi_file: bool = False

    @property
    def root(self) -> str:
        """What to analyse: the file of a one-file fixture, else the directory holding the
        package (the deepest folder containing every file outside ``deps/``)."""
        if not self.multi_file:
            return next(iter(self.files))
        main = [p for p in self.files if "deps" not in PurePosixPath(p).parts]
        dirs = [PurePosixPath(p).parent for p in (main or list(self.files))]
        common = PurePosixPath(os.path.commonpath([str(d) for d in dirs]))
        return str(common)

    @property
    def roots(self) -> list[str]:
        return [self.root]

    def text(self, path: str | None = None) -> str:
        return self.files[path or next(iter(self.files))]

    def materialize(self, directory: Path) -> Path:
        """Write the files under ``directory``; return the on-disk path of :attr:`root`."""
        for path, text in self.files.items():
            target = directory / path.lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8", "surrogateescape"))
        return directory / self.root.lstrip("/")

    def position(self, path: str, offset: int) -> tuple[int, int]:
        """0-based (line, code-point column) of a byte offset in ``path``."""
        data = self.files[path].encode("utf-8", "surrogateescape")
        before = data[:offset]
        line = before.count(b"\n")
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "surrogateescape"))
        return line, col


def _norm(path: str) -> str:
    if not path:
        return ""
    return "/" + path.replace(os.sep, "/").lstrip("/")


def _byte_offset(line_text: str, column: int) -> int:
    return len(line_text[:column].encode("utf-8", "surrogateescape"))


def _split_files(text: str) -> tuple[list[tuple[str, list[str]]], bool]:
    lines = text.split("\n")
    if not any(_FILE_HEADER.match(line) for line in lines):
        return [(DEFAULT_FILE, lines)], False
    files: list[tuple[str, list[str]]] = []
    for number, line in enumerate(lines):
        header = _FILE_HEADER.match(line)
        if header:
            files.append((header.group("path"), []))
        elif files:
            files[-1][1].append(line)
        elif line.strip():
            raise FixtureError(f"line {number + 1}: text before the first `//- /path` header")
    names = [p for p, _ in files]
    if len(set(names)) != len(names):
        raise FixtureError("a file appears twice in the fixture")
    return files, True


def parse_fixture(text: str) -> Fixture:
    """Parse fixture text into files, cursor and expectations (see the module docs)."""
    parts, multi = _split_files(text)
    return _parse_parts(parts, multi)


def _parse_parts(parts: list[tuple[str, list[str]]], multi: bool) -> Fixture:
    fixture = Fixture(files={}, multi_file=multi)
    for path, lines in parts:
        out: list[str] = []
        last_code_line: int | None = None
        pending: list[tuple[int, re.Match[str], str]] = []
        for number, raw in enumerate(lines):
            line = raw
            if CURSOR in line:
                if fixture.cursor is not None or line.count(CURSOR) > 1:
                    raise FixtureError("more than one `$0` cursor")
                column = line.index(CURSOR)
                line = line.replace(CURSOR, "", 1)
                offset = sum(len(x.encode("utf-8", "surrogateescape")) + 1 for x in out)
                fixture.cursor = (path, offset + _byte_offset(line, column))
            ann = _ANNOTATION.match(line)
            file_ann = _FILE_ANNOTATION.match(line)
            expectation = None
            if ann:
                expectation = _EXPECTATION.match(ann.group("rest"))
            elif file_ann:
                expectation = _EXPECTATION.match(file_ann.group("rest"))
                if expectation is None:
                    raise FixtureError(f"{path}:{number + 1}: bad file annotation {line!r}")
            if expectation is None:
                out.append(line)
                last_code_line = number
                continue
            out.append("")
            if file_ann:
                fixture.expected.append(_expected(path, None, None, expectation, number, number))
                continue
            if last_code_line is None:
                raise FixtureError(f"{path}:{number + 1}: annotation with no line above it")
            pending.append((number, ann, last_code_line))  # type: ignore[arg-type]
        fixture.files[path] = "\n".join(out)
        line_starts = [0]
        for line in out:
            line_starts.append(line_starts[-1] + len(line.encode("utf-8", "surrogateescape")) + 1)
        for number, ann, target in pending:
            marks = ann.group("marks")
            target_text = out[target]
            if ann.group("col") is not None:
                column = int(ann.group("col"))
            else:
                column = len(ann.group("lead")) + len(ann.group("pad"))
            start_only = marks.endswith("...")
            width = 0 if marks == "|" else len(marks.removesuffix("..."))
            if column + width > len(target_text) + 1:
                raise FixtureError(
                    f"{path}:{number + 1}: carets run past the end of line {target + 1}"
                )
            base = line_starts[target]
            start = base + _byte_offset(target_text, column)
            end = None if start_only else base + _byte_offset(target_text, column + width)
            exp = _EXPECTATION.match(ann.group("rest"))
            assert exp is not None
            fixture.expected.append(_expected(path, start, end, exp, target, number))
    return fixture


def _expected(path: str, start: int | None, end: int | None, m: re.Match[str], line: int,
              annotation_line: int) -> Expected:
    return Expected(
        path=path, start=start, end=end, severity=SEVERITIES[m.group("severity")],
        code=m.group("code"), message=m.group("message"), line=line,
        annotation_line=annotation_line,
    )


# ---------------------------------------------------------------------------------------------
# Diagnostics functions


DiagnosticsFn = Callable[[Fixture], Iterable[Diagnostic]]


def model_diagnostics(
    fixture: Fixture,
    *,
    features: Iterable[str] = (),
    all_features: bool = False,
    manifest_deps: bool = True,
) -> list[Diagnostic]:
    """Run the semantic model over the fixture in an in-memory file system."""
    from wit_ls.model import Options, analyze
    from wit_ls.model.fs import MemoryFileSystem

    fs = MemoryFileSystem(
        {p: t.encode("utf-8", "surrogateescape") for p, t in fixture.files.items()})
    options = Options(features=frozenset(features), all_features=all_features,
                      manifest_deps=manifest_deps)
    return list(analyze(fs, fixture.roots, options).diagnostics)


def syntax_diagnostics(fixture: Fixture) -> list[Diagnostic]:
    """The syntax layer's diagnostics of every file of the fixture."""
    from wit_ls.syntax import parse

    out: list[Diagnostic] = []
    for path, text in fixture.files.items():
        data = text.encode("utf-8", "surrogateescape")
        out.extend(d.with_path(path) for d in parse(data).diagnostics)
    return out


# ---------------------------------------------------------------------------------------------
# Comparison


@dataclass
class Mismatch:
    missing: list[Expected]
    unexpected: list[Diagnostic]

    def __bool__(self) -> bool:
        return bool(self.missing or self.unexpected)


def compare(fixture: Fixture, diagnostics: Sequence[Diagnostic]) -> Mismatch:
    """Pair expectations with diagnostics (one to one); return what is left on each side."""
    remaining = list(diagnostics)
    missing: list[Expected] = []
    # Exact expectations first, so that loose ones ("...", file-level) take what is left.
    order = sorted(fixture.expected, key=lambda e: (e.start is None, e.end is None,
                                                    e.message is None or "..." in e.message))
    for exp in order:
        for index, diag in enumerate(remaining):
            if exp.matches(diag):
                del remaining[index]
                break
        else:
            missing.append(exp)
    return Mismatch(missing, remaining)


def _describe_range(fixture: Fixture, path: str, start: int | None, end: int | None) -> str:
    if start is None or path not in fixture.files:
        return f"{path}"
    line, col = fixture.position(path, start)
    text = f"{path}:{line + 1}:{col + 1}"
    if end is not None:
        eline, ecol = fixture.position(path, min(end, len(fixture.files[path].encode())))
        text += f"-{eline + 1}:{ecol + 1}" if eline != line else f"-{ecol + 1}"
    else:
        text += "-..."
    return text


def render_expected(fixture: Fixture, exp: Expected) -> str:
    where = _describe_range(fixture, exp.path, exp.start, exp.end)
    msg = "" if exp.message is None else f": {exp.message}"
    return f"{where}: {_SEVERITY_WORD[exp.severity]}[{exp.code}]{msg}"


def render_diagnostic(fixture: Fixture, diag: Diagnostic) -> str:
    path = _norm(diag.path)
    where = _describe_range(fixture, path, diag.start, diag.end)
    return f"{where}: {_SEVERITY_WORD[diag.severity]}[{diag.code}]: {diag.message}"


def annotate(fixture: Fixture, diagnostics: Iterable[Diagnostic]) -> str:
    """The fixture's text with ``diagnostics`` written as annotations (a suggestion to paste
    when writing a new fixture; never used to produce expected values automatically)."""
    out: list[str] = []
    by_path: dict[str, list[Diagnostic]] = {}
    for diag in diagnostics:
        by_path.setdefault(_norm(diag.path), []).append(diag)
    for path, text in fixture.files.items():
        if fixture.multi_file:
            out.append(f"//- {path}")
        lines = text.split("\n")
        notes: dict[int, list[str]] = {}
        for diag in by_path.get(path, []):
            line, col = fixture.position(path, diag.start)
            eline, ecol = fixture.position(path, diag.end)
            width = (ecol - col) if eline == line else len(lines[line]) - col
            marks = "|" if width == 0 else "^" * width + ("..." if eline != line else "")
            sev = _SEVERITY_WORD[diag.severity]
            body = f"{sev}[{diag.code}]: {diag.message.splitlines()[0] if diag.message else ''}"
            if col >= 2:
                note = "//" + " " * (col - 2) + marks + " " + body
            else:
                note = "//" + marks + f" @{col} " + body
            notes.setdefault(line, []).append(note)
        for index, line in enumerate(lines):
            out.append(line)
            out.extend(notes.get(index, []))
    return "\n".join(out)


class FixtureMismatch(AssertionError):
    pass


def check(
    text: str | Fixture,
    diagnostics: DiagnosticsFn | None = None,
    *,
    only: Callable[[Diagnostic], bool] | None = None,
) -> Fixture:
    """Assert that ``diagnostics(fixture)`` equals the fixture's annotations.

    ``diagnostics`` defaults to the semantic model (:func:`model_diagnostics`); pass
    :func:`syntax_diagnostics`, or a lint engine's function, to check something else. ``only``
    drops diagnostics a test is not about (for example ``lambda d: d.code == "unused-use"``).
    """
    fixture = text if isinstance(text, Fixture) else parse_fixture(text)
    run = diagnostics or model_diagnostics
    found = [d for d in run(fixture) if only is None or only(d)]
    mismatch = compare(fixture, found)
    if mismatch:
        lines = ["diagnostics differ from the annotations"]
        for exp in mismatch.missing:
            lines.append(f"  - expected  {render_expected(fixture, exp)}")
        for diag in mismatch.unexpected:
            lines.append(f"  + got       {render_diagnostic(fixture, diag)}")
        matched = len(fixture.expected) - len(mismatch.missing)
        lines.append(f"  ({matched} of {len(fixture.expected)} annotations matched)")
        lines.append("actual diagnostics as annotations:")
        lines.append(annotate(fixture, found))
        raise FixtureMismatch("\n".join(lines))
    return fixture


def load(path: Path) -> Fixture:
    """A fixture from a ``.wit`` file, or from a folder (each file under it becomes a file of
    the workspace, its path relative to the folder)."""
    if path.is_dir():
        parts = [
            ("/" + file.relative_to(path).as_posix(),
             file.read_bytes().decode("utf-8", "surrogateescape").split("\n"))
            for file in sorted(p for p in path.rglob("*") if p.is_file())
        ]
        return _parse_parts(parts, True)
    return parse_fixture(path.read_bytes().decode("utf-8", "surrogateescape"))
