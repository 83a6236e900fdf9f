"""The text completion-that-imports produces is WIT that wasm-tools accepts: each case chooses
an item at `$0`, applies its `use` edit, and hands the package (with its `deps/`) to
`wasm-tools component wit`."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.features import FeatureFixture
from support.oracle import run_oracle, wasm_tools

from wit_ls.features.auto_import import import_edits
from wit_ls.features.completion import complete

DEPS = """//- /wit/types.wit
package a:b@0.1.0;

interface types {
  record point { x: u32 }
  enum kind { small, large }
  resource blob;
}
//- /wit/deps/io/streams.wit
package wasi:io@0.2.8;

interface streams {
  resource input-stream;
  resource output-stream;
  variant stream-error { closed }
}
//- /wit/deps/sockets/network.wit
package wasi:sockets@0.2.0;

interface network {
  enum error-code { unknown }
}
"""

CASES = {
    "new use first in an interface": ("point", """package a:b@0.1.0;

interface api {
  /// Docs.
  f: func(p: po$0);
}
"""),
    "merged into a use of a dependency": ("output-stream", """package a:b@0.1.0;

interface api {
  use wasi:io/streams@0.2.8.{input-stream};

  f: func(i: borrow<input-stream>, o: borrow<out$0>);
}
"""),
    "sorted into a local use": ("kind", """package a:b@0.1.0;

interface api {
  use types.{blob, point};
  f: func(b: borrow<blob>, p: point, k: k$0);
}
"""),
    "after the uses of a world": ("input-stream", """package a:b@0.1.0;

world app {
  use types.{point};
  import f: func(p: point, s: own<in$0>);
}
"""),
    "an alias for a taken name": ("network-error-code", """package a:b@0.1.0;

interface api {
  enum error-code { mine }
  f: func() -> result<error-code, net$0>;
}
"""),
    "a new use in an unstable interface carries its gate": ("point", """package a:b@0.1.0;

@unstable(feature = fancy)
interface api {
  @unstable(feature = fancy)
  use wasi:io/streams@0.2.8.{input-stream};

  @unstable(feature = fancy)
  f: func(i: borrow<input-stream>) -> result<_, po$0>;
}
"""),
    "a use spanning lines": ("kind", """package a:b@0.1.0;

interface api {
  use types.{
    blob,
    point,
  };
  f: func(b: borrow<blob>, p: point, k: k$0);
}
"""),
}


@pytest.mark.skipif(wasm_tools() is None, reason="wasm-tools (the oracle) is not installed")
@pytest.mark.parametrize("case", sorted(CASES))
def test_the_completed_text_is_accepted_by_wasm_tools(case: str, tmp_path: Path) -> None:
    label, api = CASES[case]
    fx = FeatureFixture(DEPS + "//- /wit/api.wit\n" + api)
    ctx = fx.context()
    result = complete(ctx, fx.offset)
    [item] = [i for i in result.items if i.label == label and i.auto_import is not None]
    assert item.auto_import is not None
    edits = import_edits(ctx, result.replace_start, item.auto_import)
    assert edits
    data = fx.data[fx.path]
    # The edits are above the cursor: apply the completion's own edit first.
    data = data[:result.replace_start] + label.encode() + data[result.replace_end:]
    for edit in sorted(edits, key=lambda e: -e.start):
        data = data[:edit.start] + edit.new_text.encode() + data[edit.end:]
    for path, text in fx.data.items():
        target = tmp_path / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data if path == fx.path else text)
    verdict = run_oracle(tmp_path / "wit")
    assert verdict.ok, (data.decode(), verdict.output)
