"""After a keystroke in a package's own files, the editor replays its deps/ packages' resolution
from the analysis before instead of resolving them again (`wit_ls.model.shared_deps`). Every
answer must equal a fresh analysis of the same trees, which resolves them itself: random edits
of the package's own file (the file breaks and mends), then of a file in deps/ (no replay
there), comparing each file's diagnostics, where each name points, every symbol and the
resolved packages after each edit."""

from __future__ import annotations

import random
from pathlib import Path

from support.fresh import fresh_workspace
from support.random_edits import token_end

from wit_ls.lsp.workspace import Workspace
from wit_ls.syntax import SyntaxTree, TextEdit

OWN = """package my:app@1.0.0;

interface handler {
    use wasi:streams/types@0.2.0.{input-stream, error as stream-error};
    use wasi:clocks/clock@0.2.0.{instant};

    /// Handles one request.
    resource request {
        constructor(body: input-stream);
        body: func() -> result<list<u8>, stream-error>;
        started: func() -> instant;
    }

    record options { timeout: option<instant>, retries: u32 }
    handle: func(r: borrow<request>, o: options) -> result<_, string>;
}

world app {
    import wasi:clocks/clock@0.2.0;
    include wasi:streams/imports@0.2.0;
    export handler;
}
"""

STREAMS = """package wasi:streams@0.2.0;

interface types {
    use wasi:clocks/clock@0.2.0.{instant};

    resource error { to-debug-string: func() -> string; }
    resource input-stream {
        read: func(len: u64) -> result<list<u8>, error>;
        @since(version = 0.2.0)
        deadline: func() -> option<instant>;
    }
    variant stream-error { closed, failed(error) }
    type bytes = list<u8>;
}

world imports {
    import types;
    import wasi:clocks/clock@0.2.0;
}
"""

CLOCK = """package wasi:clocks@0.2.0;

/// Time.
interface clock {
    type instant = u64;
    record duration { seconds: u64, nanos: u32 }
    now: func() -> instant;
    @deprecated(version = 0.1.0)
    old-now: func() -> instant;
    unknown-use: func() -> not-defined;
}
"""

TYPED = ["x", "-", ";", "}", "{", " u32", "<", ",", "use", "\n"]


def _edit(rng: random.Random, data: bytes) -> tuple[int, int, bytes]:
    """A token typed at the end of a token (or anywhere), or a few bytes deleted."""
    if rng.random() < 0.75:
        at = token_end(rng, data)
        return at, at, rng.choice(TYPED).encode()
    at = rng.randrange(len(data))
    return at, min(len(data), at + rng.randint(1, 4)), b""


def _answers(ws: Workspace, paths: list[Path]) -> list[object]:
    analysis = ws.analysis_for(paths[0].as_posix())
    out: list[object] = [repr(analysis.all_symbols()), repr(analysis.resolve_json())]
    for p in paths:
        out.append([(d.start, d.end, d.message, d.code, d.severity, d.path, d.related)
                    for d in ws.diagnostics_for(p.as_posix(), "previous")])
        out.append(sorted(analysis.reference_targets(p.as_posix()).items()))
    return out


def _fresh(folder: Path, trees: dict[Path, SyntaxTree], paths: list[Path]) -> list[object]:
    """A fresh workspace's answers from the same trees, with no earlier lowering or recorded
    resolution to reuse."""
    with fresh_workspace(folder, trees) as ws:
        return _answers(ws, paths)


def test_replayed_dependencies_equal_a_fresh_analysis(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    own = folder / "wit" / "app.wit"
    streams = folder / "wit" / "deps" / "streams" / "types.wit"
    clock = folder / "wit" / "deps" / "clocks" / "clock.wit"
    bases = {own: OWN, streams: STREAMS, clock: CLOCK}
    for p, text in bases.items():
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    paths = list(bases)
    ws = Workspace()
    ws.add_folder(folder.as_uri(), folder.as_posix())
    texts = {p: text.encode() for p, text in bases.items()}
    versions = dict.fromkeys(paths, 1)
    for p, text in bases.items():
        ws.open(p.as_uri(), p.as_posix(), 1, text)
    rng = random.Random(7)
    replays = []
    for step in range(160):
        # Mostly the package's own file; at the end a few edits in deps/.
        target = own if step < 140 else streams
        versions[target] += 1
        if ws.documents[target.as_posix()].tree.root.has_error and rng.random() < 0.15:
            texts[target] = bases[target].encode()
            ws.change(target.as_posix(), versions[target], [bases[target]])
        else:
            start, end, new = _edit(rng, texts[target])
            texts[target] = texts[target][:start] + new + texts[target][end:]
            ws.change(target.as_posix(), versions[target], [TextEdit(start, end, new)])
        got = _answers(ws, paths)
        replays.append(ws._resolutions.replayed)
        trees = {p: ws.documents[p.as_posix()].tree for p in paths}
        expected = _fresh(folder, trees, paths)
        assert got == expected, (step, texts[target].decode("utf-8", "replace"))
    # The replay ran on most edits of the package's own file, and never after an edit in deps/.
    assert replays[139] > 100
    assert replays[-1] == replays[139]
