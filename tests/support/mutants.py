"""Mutants of corpus inputs for differential testing against wasm-tools.

A mutant is a small edit of an input wasm-tools accepts: delete, duplicate or swap tokens,
rename an identifier (everywhere or once), change a version, or drop a ``deps/`` entry. The
generator is deterministic for a given seed and corpus.
"""

from __future__ import annotations

import random
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from support.corpus import read_tree, suite_cases
from support.oracle import OracleResult, corpus_dir, read_tsv, run_oracle

_TOKEN = re.compile(
    rb"(?P<ws>\s+)|(?P<comment>//[^\n]*|/\*.*?\*/)|(?P<version>\d+\.\d+\.\d+(?:-[A-Za-z0-9.-]+)?)"
    rb"|(?P<id>%?[A-Za-z_][A-Za-z0-9_-]*)|(?P<num>\d+)|(?P<arrow>->)|(?P<punct>[^\s])",
    re.S,
)
_NAMES = [b"foo", b"bar", b"x", b"result", b"u32", b"Foo", b"a-b", b"wasi", b"io", b"type",
          b"streams", b"t", b"r"]


@dataclass
class Mutant:
    source: str  # the corpus input it came from
    root: str  # relative path handed to both tools (a file or a directory)
    files: dict[str, bytes]
    description: str
    oracle: OracleResult | None = field(default=None, repr=False)


@dataclass
class Seed:
    root: str
    files: dict[str, bytes]


def seeds() -> list[Seed]:
    """Accepted inputs: tests/ui cases and real-corpus file rows and small directories.

    Paths are prefixed with the corpus name so the two corpora cannot collide.
    """
    out: list[Seed] = []
    suite = corpus_dir("wasm-tools-tests")
    if suite is not None:
        for case in suite_cases(suite):
            if case.is_wit and case.recorded == "ok":
                files = read_tree(suite, case.rel)
                out.append(Seed(f"suite/{case.rel}", {f"suite/{k}": v for k, v in files.items()}))
    real = corpus_dir("real")
    if real is not None:
        for row in read_tsv(real / "verdicts.tsv"):
            if row["verdict"] != "ok":
                continue
            files = read_tree(real, row["path"])
            if sum(len(v) for v in files.values()) > 60_000:
                continue
            out.append(Seed(f"real/{row['path']}", {f"real/{k}": v for k, v in files.items()}))
    return out


def _tokens(data: bytes) -> list[tuple[str, int, int]]:
    return [(m.lastgroup or "", m.start(), m.end()) for m in _TOKEN.finditer(data)]


def mutate_text(rng: random.Random, data: bytes) -> tuple[bytes, str] | None:
    tokens = [t for t in _tokens(data) if t[0] not in ("ws", "comment")]
    if len(tokens) < 3:
        return None
    kind = rng.choice(["delete", "duplicate", "swap", "rename-all", "rename-one", "version",
                       "delete", "rename-one"])
    if kind == "version":
        versions = [t for t in tokens if t[0] == "version"]
        if not versions:
            kind = "delete"
        else:
            _, s, e = rng.choice(versions)
            parts = data[s:e].split(b".")
            i = rng.randrange(3)
            digits = re.match(rb"\d+", parts[i])
            assert digits is not None
            bumped = int(digits.group()) + rng.choice([1, 1, 9])
            parts[i] = str(bumped).encode() + parts[i][digits.end():]
            new = b".".join(parts)
            return data[:s] + new + data[e:], f"version {data[s:e]!r}->{new!r} at {s}"
    if kind in ("rename-all", "rename-one"):
        ids = [t for t in tokens if t[0] == "id"]
        if not ids:
            return None
        _, s, e = rng.choice(ids)
        old = data[s:e]
        new = rng.choice([*_NAMES, old.upper(), old + b"2"])
        if kind == "rename-one":
            return data[:s] + new + data[e:], f"rename {old!r}->{new!r} at {s}"
        pattern = re.compile(rb"(?<![A-Za-z0-9_%-])" + re.escape(old) + rb"(?![A-Za-z0-9_-])")
        return pattern.sub(new, data), f"rename all {old!r}->{new!r}"
    index = rng.randrange(len(tokens))
    _, s, e = tokens[index]
    if kind == "delete":
        return data[:s] + data[e:], f"delete {data[s:e]!r} at {s}"
    if kind == "duplicate":
        return data[:e] + b" " + data[s:e] + data[e:], f"duplicate {data[s:e]!r} at {s}"
    if index + 1 >= len(tokens):
        return None
    _, s2, e2 = tokens[index + 1]
    return (data[:s] + data[s2:e2] + data[e:s2] + data[s:e] + data[e2:],
            f"swap {data[s:e]!r} {data[s2:e2]!r} at {s}")


def generate(count: int, seed: int = 20261125) -> list[Mutant]:
    rng = random.Random(seed)
    pool = seeds()
    if not pool:
        return []
    out: list[Mutant] = []
    attempts = 0
    while len(out) < count and attempts < count * 20:
        attempts += 1
        base = rng.choice(pool)
        files = dict(base.files)
        deps = sorted({k.split("/deps/", 1)[0] + "/deps/" + k.split("/deps/", 1)[1].split("/")[0]
                       for k in files if "/deps/" in k})
        if deps and rng.random() < 0.08:
            gone = rng.choice(deps)
            files = {k: v for k, v in files.items() if not (k == gone or k.startswith(gone + "/"))}
            out.append(Mutant(base.root, base.root, files, f"drop {gone}"))
            continue
        path = rng.choice(sorted(files))
        mutated = mutate_text(rng, files[path])
        if mutated is None or mutated[0] == files[path]:
            continue
        files[path] = mutated[0]
        out.append(Mutant(base.root, base.root, files, f"{path}: {mutated[1]}"))
    return out


def run_oracle_on(mutants: list[Mutant], workers: int = 4) -> None:
    """Fill in ``mutant.oracle`` (wasm-tools on a materialised copy), in parallel."""

    def one(mutant: Mutant) -> None:
        with tempfile.TemporaryDirectory(prefix="wit-ls-mutant-") as tmp:
            base = Path(tmp)
            for rel, data in mutant.files.items():
                target = base / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            if not (base / mutant.root).exists():
                (base / mutant.root).mkdir(parents=True)
            mutant.oracle = run_oracle(mutant.root, cwd=base)

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, mutants))
