"""Dependencies resolved once and replayed for every root that vendors the same ones
(``wit_ls.model.shared_deps``): a root whose dependencies were replayed ends in the resolver
state that resolving them itself gives, object for object (paths, ids, references,
diagnostics, the bookkeeping that ``resolve --json`` reads), and roots whose dependencies differ
in any input are resolved on their own."""

from __future__ import annotations

from typing import Any

import pytest

from wit_ls.model.api import Options, analyze
from wit_ls.model.fs import MemoryFileSystem
from wit_ls.model.items import _Record
from wit_ls.model.loader import FileCache, SharedFileCache, SourceFile
from wit_ls.model.resolved import RFunc, RInterface, RMember, RPackage, RType, RWorld, WItem
from wit_ls.model.resolver import Reference, Resolver
from wit_ls.syntax import Diagnostic

IO = """package wasi:io@0.2.0;

interface error {
  resource error { to-debug-string: func() -> string; }
}

interface poll {
  resource pollable { block: func(); }
  poll: func(in: list<borrow<pollable>>) -> list<u32>;
}

interface streams {
  use error.{error};
  use poll.{pollable};
  variant stream-error { last-operation-failed(error), closed }
  resource input-stream {
    read: func(len: u64) -> result<list<u8>, stream-error>;
    subscribe: func() -> pollable;
  }
}

world imports {
  import streams;
  import poll;
}
"""

CLOCKS = """package wasi:clocks@0.2.0;

/// Wall clock time.
interface wall-clock {
  record datetime { seconds: u64, nanoseconds: u32 }
  now: func() -> datetime;
}

interface monotonic-clock {
  use wasi:io/poll@0.2.0.{pollable};
  subscribe-duration: func(when: u64) -> pollable;
}

world imports {
  import wall-clock;
  import monotonic-clock;
}
"""

# Not used by the roots' own packages (resolved after them): anonymous types, an inline
# interface, an `include`, a nested package, a gated function, and errors of its own (a
# duplicate item, a type cycle, a `use` of an interface that does not exist).
EXTRA = """package demo:extra;

interface tools {
  use wasi:io/streams@0.2.0.{input-stream, stream-error};
  use demo:inner/q.{thing};
  use missing.{nothing};
  type pairs = list<tuple<u8, string>>;
  type a = b;
  type b = a;
  record info { name: option<string>, size: result<u64, stream-error>, t: thing }
  copy: func(s: borrow<input-stream>) -> result<pairs, stream-error>;
  resource cursor {
    constructor(at: u64);
    next: func() -> option<info>;
  }
  @unstable(feature = shiny)
  shiny: func() -> option<list<u8>>;
}

interface dup {}
interface dup {}

world all {
  use tools.{pairs};
  include wasi:clocks/imports@0.2.0;
  import tools;
  import inline: interface {
    use tools.{info};
    get: func() -> info;
  }
  export run: func() -> result;
}

package demo:inner {
  interface q {
    flags thing { a, b }
  }
}
"""

APP = """package demo:app{n};

interface api {{
  use wasi:io/streams@0.2.0.{{input-stream}};
  use wasi:clocks/wall-clock@0.2.0.{{datetime}};
  get: func(s: borrow<input-stream>) -> datetime;
  {extra}
}}

world w {{
  include wasi:clocks/imports@0.2.0;
  import wasi:io/poll@0.2.0;
  export api;
}}
{nested}"""

NESTED = """
package demo:own{n} {{
  interface z {{ use wasi:io/poll@0.2.0.{{pollable}}; }}
}}
"""


def _root(files: dict[str, str], root: str, n: int, deps: dict[str, str],
          extra: str = "", nested: bool = False, more: str = "") -> None:
    files[f"{root}/app.wit"] = APP.format(n=n, extra=extra,
                                          nested=NESTED.format(n=n) if nested else more)
    for name, text in deps.items():
        files[f"{root}/deps/{name}"] = text


DEPS = {"io/io.wit": IO, "clocks/clocks.wit": CLOCKS, "extra/extra.wit": EXTRA}


def _monorepo() -> tuple[MemoryFileSystem, list[str]]:
    files: dict[str, str] = {}
    _root(files, "/r/a/wit", 0, DEPS)
    # (Own packages of other sizes: the ids of the dependencies resolved after them move.)
    _root(files, "/r/b/wit", 1, DEPS, extra="put: func(x: float32);\n  record more { x: u32 }")
    # One file of deps/ differs.
    _root(files, "/r/c/wit", 2, {**DEPS, "extra/extra.wit": EXTRA.replace("a, b", "a, b, c")})
    # The same deps at another version (the root's uses follow).
    other = {k: v.replace("0.2.0", "0.2.1") for k, v in DEPS.items()}
    files["/r/d/wit/app.wit"] = APP.format(n=3, extra="", nested="").replace("0.2.0", "0.2.1")
    for name, text in other.items():
        files[f"/r/d/wit/deps/{name}"] = text
    # Own files with a nested package (the dependencies' package ids move by one).
    _root(files, "/r/e/wit", 4, DEPS, nested=True)
    _root(files, "/r/f/wit", 5, DEPS, nested=True)
    # A dependency naming a package that is missing: never shared (its error lists the root's
    # own package among the known ones).
    _root(files, "/r/g/wit", 6, {**DEPS, "lost/lost.wit": "package demo:lost;\n"
                                 "interface l { use demo:nowhere/x.{y}; }\n"})
    _root(files, "/r/h/wit", 7, {**DEPS, "lost/lost.wit": "package demo:lost;\n"
                                 "interface l { use demo:nowhere/x.{y}; }\n"})
    # A dependency naming the root's own package: never shared.
    for n, root in ((8, "/r/i/wit"), (9, "/r/j/wit")):
        _root(files, root, n, {**DEPS, "back/back.wit": "package demo:back;\n"
                               f"interface k {{ use demo:app{n}/api.{{input-stream}}; }}\n"})
    _root(files, "/r/k/wit", 10, DEPS, more="interface more {}\nworld more-w {}\n")
    return MemoryFileSystem(files), sorted({p.split("/wit/")[0] + "/wit" for p in files})


def _plain(value: Any, seen: dict[int, int]) -> Any:
    """``value`` as plain data: arena objects by id, shared objects marked where met again."""
    if value is None or isinstance(value, (str, int, float)):
        return value
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return (type(value).__name__, *(_plain(v, seen) for v in value))
    if isinstance(value, (list, tuple)):
        return [_plain(v, seen) for v in value]
    if isinstance(value, dict):
        return [(_plain(k, seen), _plain(v, seen)) for k, v in value.items()]
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(v, seen) for v in value)
    if isinstance(value, (RType, RInterface, RWorld, RPackage)):
        return (type(value).__name__, value.id)
    if isinstance(value, SourceFile):
        return ("file", value.path)
    if isinstance(value, _Record):
        return ("syntax", repr(value))
    if isinstance(value, Diagnostic):
        return ("diagnostic", value.path, value.start, value.end, value.message, value.code,
                str(value.severity), _plain(value.related, seen), _plain(value.data, seen))
    if isinstance(value, (RFunc, WItem, RMember, Reference)):
        if id(value) in seen:
            return ("same", seen[id(value)])
        seen[id(value)] = len(seen)
        return _slots(value, seen)
    raise AssertionError(f"no plain form for {value!r}")


def _slots(value: Any, seen: dict[int, int]) -> Any:
    names = [n for cls in type(value).__mro__ for n in getattr(cls, "__slots__", ())]
    return (type(value).__name__, [(n, _plain(getattr(value, n), seen)) for n in sorted(names)])


def _state(res: Resolver) -> dict[str, Any]:
    """Everything a resolver holds once it has run, as plain data."""
    seen: dict[int, int] = {}
    r = res.r
    arena_ids = {id(o): (type(o).__name__, o.id) for o in [*r.interfaces, *r.worlds]}
    return {
        "packages": [_slots(p, seen) for p in r.packages],
        "interfaces": [_slots(i, seen) for i in r.interfaces],
        "worlds": [_slots(w, seen) for w in r.worlds],
        "types": [_slots(t, seen) for t in r.types],
        "references": _plain(res.references, seen),
        "diagnostics": _plain(res.diagnostics, seen),
        "infos": [(i.package.id, _plain(i.items, seen), _plain(i.file_scopes, seen),
                   _plain(i.anon, seen), _plain(i.foreign_kinds, seen),
                   _plain(i.foreign_type_gates, seen)) for i in res.infos],
        "ast": (_plain(res.ast_interface, seen), _plain(res.ast_world, seen)),
        "state": sorted((arena_ids[k], v) for k, v in res.state.items()),
        "sets": (sorted(res.cyclic_types), sorted(res.broken_uses)),
        "missing": _plain(res.missing_packages, seen),
        "by_key": sorted((k, p.id) for k, p in res.by_key.items()),
    }


@pytest.mark.parametrize("options", [Options(), Options(frozenset({"shiny"}))],
                         ids=["plain", "features"])
def test_replayed_dependencies_leave_the_resolver_as_resolving_them_does(
        options: Options) -> None:
    fs, roots = _monorepo()
    cache = SharedFileCache(docs=False)
    assert cache.resolutions is not None
    for root in roots:
        shared = analyze(fs, [root], options, cache)
        alone = analyze(fs, [root], options, FileCache(docs=False))
        assert shared.diagnostics == alone.diagnostics, root
        assert _state(shared.resolvers()[0]) == _state(alone.resolvers()[0]), root
        assert shared.resolve_json() == alone.resolve_json(), root
    # b and k replay a's recording, f replays e's; c, d, e (other inputs) record their own;
    # g to j share nothing.
    assert cache.resolutions.replayed == 3
    assert len(cache.resolutions) == 4


def test_errors_in_replayed_dependencies_are_at_each_roots_own_copy() -> None:
    fs, _ = _monorepo()
    cache = SharedFileCache(docs=False)
    found = {root: [d for d in analyze(fs, [root], Options(), cache).diagnostics
                    if "/deps/" in d.path] for root in ("/r/a/wit", "/r/b/wit")}
    assert {d.code for d in found["/r/b/wit"]} >= {"duplicate-item", "type-cycle",
                                                   "unknown-name"}
    for root, diagnostics in found.items():
        for d in diagnostics:
            assert d.path == f"{root}/deps/extra/extra.wit"
            assert all(x.path == d.path for x in d.related)
    assert [(d.start, d.message) for d in found["/r/a/wit"]] == [
        (d.start, d.message) for d in found["/r/b/wit"]]


def test_recordings_are_bounded() -> None:
    files: dict[str, str] = {}
    roots = []
    for n in range(6):  # six different versions of the same dependencies
        root = f"/r/v{n}/wit"
        files[f"{root}/app.wit"] = APP.format(n=n, extra="", nested="").replace(
            "0.2.0", f"0.2.{n}")
        for name, text in DEPS.items():
            files[f"{root}/deps/{name}"] = text.replace("0.2.0", f"0.2.{n}")
        roots.append(root)
    fs = MemoryFileSystem(files)
    cache = SharedFileCache(docs=False)
    assert cache.resolutions is not None
    cache.resolutions.limit = 2
    for root in roots:
        analyze(fs, [root], Options(), cache)
    assert len(cache.resolutions) == 2
    analyze(fs, [roots[-1]], Options(), cache)  # still kept: replayed
    analyze(fs, [roots[0]], Options(), cache)  # dropped long ago: recorded again
    assert cache.resolutions.replayed == 1
