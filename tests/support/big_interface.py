"""A package whose file is mostly one big interface, as wasi-http's `types.wit` is: the case
where an edit inside the interface must keep the lowering of the members it did not touch
(documented, gated, resources full of methods, types of every kind)."""

from __future__ import annotations


def big_interface(count: int = 12) -> str:
    """``package``, a `use`d interface, then one interface of ``count`` groups of members
    (records with documented fields, variants, enums, flags, aliases, resources with
    constructors, static functions, methods and accessors, `use`s with versions, gates,
    async functions), then a world and a nested package."""
    out = [
        "/// The package.\npackage demo:http@0.2.0;\n\n",
        "interface errors {\n  /// An error.\n  resource error { to-debug: func() -> string; }\n"
        "  enum code { bad, worse }\n}\n\n",
        "/// The big one.\n@since(version = 0.2.0)\ninterface types {\n",
        "  use errors.{error as io-error, code};\n",
        "  @since(version = 0.2.0)\n  use errors.{error};\n\n",
    ]
    for i in range(count):
        gate = "@since(version = 0.2.0)\n  " if i % 2 == 0 else ""
        out.append(
            f"  /// Method number {i}.\n"
            f"  ///\n  ///   Indented text, and `code`.\n"
            f"  {gate}variant method{i} {{\n"
            f"    /// The usual one.\n    get,\n    post(string),\n"
            f"    other(option<tuple<u8, list<u8>>>),\n  }}\n\n"
            f"  // A plain comment, not docs of the record below? It is: wit-parser says so.\n"
            f"  record options{i} {{\n    /// Field docs.\n    timeout: option<u64>,\n"
            f"    names: list<string>,\n    %type: u32,\n    fixed: list<u8, 4>,\n  }}\n\n"
            f"  enum scheme{i} {{ http, https, other }}\n"
            f"  flags perms{i} {{ read, write }}\n"
            f"  type status{i} = result<_, method{i}>;\n\n"
            f"  /** A block doc\n      over two lines. */\n"
            f"  {gate}resource fields{i} {{\n"
            f"    /// Makes one.\n    constructor(entries: list<tuple<string, list<u8>>>);\n"
            f"    /// Static.\n    @since(version = 0.1.0)\n"
            f"    from-list: static func(entries: list<string>) -> result<fields{i}, code>;\n"
            f"    get: func(name: string) -> list<list<u8>>;\n"
            f"    %set: func(name: string, value: list<u8>) -> result<_, io-error>;\n"
            f"    clone: func() -> fields{i};\n"
            f"    @since(version = 0.1.0)\n    @deprecated(version = 0.1.1)\n    old: func();\n"
            f"    wait: async func(s: stream<u8>) -> future<result<u32, method{i}>>;\n"
            f"  }}\n\n"
            f"  /// Handles one.\n"
            f"  handle{i}: func(m: method{i}, f: borrow<fields{i}>, o: options{i}) -> "
            f"result<own<fields{i}>, io-error>;\n"
            f"  @external-id(\"x-{i}\")\n  name{i}: func() -> map<string, u32>;\n"
            f"  @unstable(feature = more)\n  unstable{i}: func();\n\n")
    out.append("}\n\n/// A world.\nworld proxy {\n  import types;\n  export handle: func();\n"
               "  include other;\n}\n\nworld other {\n  import errors;\n}\n\n"
               "package demo:inner {\n  interface deep { use demo:http/types@0.2.0.{code};\n"
               "    f: func(c: code);\n  }\n}\n")
    return "".join(out)
