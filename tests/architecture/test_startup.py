"""`wit-ls check` stays light: the modules it loads must not include the language server's
dependencies or the heavier standard-library modules avoided on purpose (see
docs/architecture.md, "Start-up cost of the command line")."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "greeter" / "wit"

FORBIDDEN = ("pygls", "lsprotocol", "dataclasses", "pathlib", "shutil", "urllib", "ipaddress",
             # typing's names come from wit_ls.light_typing at run time, tree_sitter's binding
             # through wit_ls.syntax.binding; importlib (and the warnings it loads) only where a
             # command or a lazy model name is looked up by name.
             "typing", "importlib", "warnings", "contextlib")

# Run without `site` (-S), so that an editable install's import hook cannot load modules before
# the probe starts: the package and tree_sitter are put on the path by hand. Modules loaded by
# the bare interpreter do not count.
PROBE = """
import gc
import sys
sys.path[:0] = sys.argv[2:]
before = set(sys.modules)
collections = []
from wit_ls.cli import main
gc.callbacks.append(lambda phase, info: collections.append(info) if phase == "stop" else None)
code = main(["check", sys.argv[1]])
print(len(collections))
print(" ".join(sorted(set(sys.modules) - before)))
"""


def test_check_imports_stay_light(tmp_path: Path) -> None:
    import tree_sitter

    import wit_ls

    # The example with a dependency manifest of the usual shape (read without tomllib).
    package = tmp_path / "wit"
    shutil.copytree(EXAMPLE, package)
    (package / "deps.toml").write_text('io = "https://example.invalid/io.tar.gz"\n')
    paths = [str(Path(wit_ls.__file__).resolve().parents[1]),
             str(Path(tree_sitter.__file__).resolve().parents[1])]
    done = subprocess.run([sys.executable, "-S", "-c", PROBE, str(package), *paths],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    loaded = set(done.stdout.split("\n")[-2].split())
    # A check of one package root runs without the cyclic collector (its modules' objects and
    # its analysis live to the end), and reads its manifest without tomllib.
    assert done.stdout.split("\n")[-3] == "0", done.stdout
    assert "tomllib" not in loaded
    # One root: no recording of its dependencies' resolution for other roots.
    assert "wit_ls.model.shared_deps" not in loaded
    assert "wit_ls.model.api" in loaded  # the probe really ran a check
    assert not [m for m in loaded if m.split(".")[0] in FORBIDDEN], sorted(
        m for m in loaded if m.split(".")[0] in FORBIDDEN)
    assert not loaded & ON_ERRORS_ONLY, sorted(loaded & ON_ERRORS_ONLY)
    # Ordinary `check` arguments are read without argparse (and its gettext and locale).
    assert not loaded & {"argparse", "gettext", "locale", "wit_ls.cli.parser"}, sorted(loaded)


# Modules a check of a package without errors has no use for: the syntax-error messages and
# the first-error walk (loaded for a file with an ERROR or MISSING node), the order of several
# diagnostics (wit-parser's) and the JSON replay of `resolve --json`, help notes.
ON_ERRORS_ONLY = {"wit_ls.syntax.errors", "wit_ls.syntax.describe", "wit_ls.syntax.first_error",
                  "wit_ls.model.error_order", "wit_ls.model.toposort",
                  "wit_ls.model.json_arena", "wit_ls.model.json_first_pass",
                  "wit_ls.model.json_replay", "wit_ls.model.teach"}


FMT_PROBE = """
import sys
from wit_ls.cli import main
code = main(["fmt", "--check", sys.argv[1]])
print(" ".join(sorted(sys.modules)))
"""


def test_fmt_does_not_load_the_linter() -> None:
    # `wit-ls fmt` reads the configuration file through `wit_ls.lint.config`; importing it must
    # not load the lint engine and its rules.
    done = subprocess.run([sys.executable, "-c", FMT_PROBE, str(EXAMPLE)], capture_output=True,
                          text=True, timeout=60)
    loaded = set(done.stdout.split("\n")[-2].split())
    assert "wit_ls.fmt.printer" in loaded, done.stderr  # the probe really formatted
    assert "wit_ls.lint.config" in loaded
    assert not [m for m in loaded if m.startswith(("wit_ls.lint.engine", "wit_ls.lint.rules"))]


SERVE_PROBE = """
import sys
from wit_ls.lsp.server import create_server
from wit_ls.lsp.workspace import Workspace
server = create_server()
ws: Workspace = server.ws
path = sys.argv[1] + "/greeter.wit"
ws.open("file://" + path, path, 1, open(path, encoding="utf-8").read())
found = ws.diagnostics_for(path, "previous")
print(" ".join(sorted(sys.modules)))
"""


def test_the_server_answers_first_without_lint_or_breaking() -> None:
    # The server's first diagnostics (syntax and model) need neither the lint rules nor the
    # breaking-change comparison: they load later, in the lint pass, off the first answer's path.
    done = subprocess.run([sys.executable, "-c", SERVE_PROBE, str(EXAMPLE)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    loaded = set(done.stdout.split("\n")[-2].split())
    assert "wit_ls.model.api" in loaded and "wit_ls.lsp.handlers" in loaded, done.stderr
    assert not [m for m in loaded if m.startswith(
        ("wit_ls.lint.engine", "wit_ls.lint.rules", "wit_ls.breaking"))], sorted(
        m for m in loaded if m.startswith(("wit_ls.lint.", "wit_ls.breaking")))


# The light first answer (wit_ls.lsp.first_answer) over a whole session's start: initialize,
# initialized, didOpen (and, for a client that pulls, its pull), then the end of the input;
# what it loaded, and what it sent.
FIRST_ANSWER_PROBE = """
import io, json, sys, tempfile
sys.path[:0] = sys.argv[3:]
before = set(sys.modules)
from wit_ls.lsp.first_answer import FirstAnswer
path = sys.argv[1] + "/greeter.wit"
pull = sys.argv[2] == "pull"
caps = {"textDocument": {"diagnostic": {}}, "workspace": {"diagnostics": {
    "refreshSupport": True}}} if pull else {}
messages = [
    {"jsonrpc": "2.0", "id": 1, "method": "initialize",
     "params": {"processId": None, "capabilities": caps,
                "workspaceFolders": [{"uri": "file://" + sys.argv[1], "name": "w"}]}},
    {"jsonrpc": "2.0", "method": "initialized", "params": {}},
    {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": "file://" + path, "languageId": "wit", "version": 1,
        "text": open(path, encoding="utf-8").read()}}}]
if pull:
    messages.append({"jsonrpc": "2.0", "id": 2, "method": "textDocument/diagnostic",
                     "params": {"textDocument": {"uri": "file://" + path}}})
out = io.BytesIO()
with tempfile.TemporaryFile() as stdin:
    for m in messages:
        body = json.dumps(m).encode()
        stdin.write(b"Content-Length: %d\\r\\n\\r\\n" % len(body) + body)
    stdin.seek(0)
    takeover = FirstAnswer(out).run(stdin.fileno())
print(len(takeover.published), len(takeover.reports), takeover.reason)
print(" ".join(sorted(set(sys.modules) - before)))
"""


@pytest.mark.parametrize("client", ["push", "pull"])
def test_the_first_answer_needs_neither_pygls_nor_lsprotocol(client: str) -> None:
    import tree_sitter

    import wit_ls

    paths = [str(Path(wit_ls.__file__).resolve().parents[1]),
             str(Path(tree_sitter.__file__).resolve().parents[1])]
    done = subprocess.run([sys.executable, "-S", "-c", FIRST_ANSWER_PROBE, str(EXAMPLE),
                           client, *paths], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.split("\n")
    # It published the first diagnostics, or answered the pull.
    assert lines[-3].startswith("1 0 " if client == "push" else "0 1 "), done.stdout
    loaded = set(lines[-2].split())
    assert "wit_ls.model.api" in loaded, done.stdout
    heavy = ("pygls", "lsprotocol", "cattrs", "attrs", "attr", "asyncio", "urllib", "ipaddress",
             "tomllib", "subprocess", "wit_ls.lint.engine",
             "wit_ls.lint.rules", "wit_ls.breaking")
    assert not [m for m in loaded if m.startswith(heavy)], sorted(
        m for m in loaded if m.startswith(heavy))


LINT_PROBE = """
import sys
from wit_ls.cli import main
code = main(["lint", *sys.argv[1:]])
print(" ".join(sorted(sys.modules)))
"""


def test_lint_of_one_package_records_no_shared_resolutions(tmp_path: Path) -> None:
    # Recording dependencies' resolutions for replay cost a lint of one large package 7%;
    # only a second package (or a re-analysis after fixes) can use the recording.
    first, second = tmp_path / "one" / "wit", tmp_path / "two" / "wit"
    shutil.copytree(EXAMPLE, first)
    shutil.copytree(EXAMPLE, second)

    def loaded(*folders: Path) -> set[str]:
        done = subprocess.run([sys.executable, "-c", LINT_PROBE, *map(str, folders)],
                              capture_output=True, text=True, timeout=60)
        assert "wit_ls.lint" in done.stdout, done.stderr  # the probe really linted
        return set(done.stdout.split("\n")[-2].split())

    assert "wit_ls.model.shared_deps" not in loaded(first)
    assert "wit_ls.model.shared_deps" in loaded(first, second)
