"""Formatter layout, one rule per case: input and the exact expected output."""

from __future__ import annotations

import pytest

from wit_ls.fmt import format_source

CASES = {
    "spacing": (
        "package  a:b@1.0.0 ;\ninterface  foo{f:func(a:u32,b:list<u8>)->result<_,string>;}\n",
        "package a:b@1.0.0;\n\ninterface foo {\n  f: func(a: u32, b: list<u8>) -> result<_, string>;\n}\n",
    ),
    "records get one field per line and a trailing comma": (
        "interface i { record r {a:u32,b : string} }",
        "interface i {\n  record r {\n    a: u32,\n    b: string,\n  }\n}\n",
    ),
    "empty bodies stay on one line": (
        "interface i {   }\nworld w {}",
        "interface i {}\n\nworld w {}\n",
    ),
    "attributes on their own line": (
        "interface i { @since(version=1.0.0) f: func(); }",
        "interface i {\n  @since(version = 1.0.0)\n  f: func();\n}\n",
    ),
    "comments are kept where they were": (
        "// header\npackage a:b;\n\n/// docs\ninterface i { // trailing\n  f: func(); /* after */\n}\n",
        "// header\npackage a:b;\n\n/// docs\ninterface i { // trailing\n  f: func(); /* after */\n}\n",
    ),
    "at most one blank line": (
        "interface i {\n  f: func();\n\n\n\n  g: func();\n}\n",
        "interface i {\n  f: func();\n\n  g: func();\n}\n",
    ),
    "paths and use lists": (
        "world w { import wasi : io / streams @ 0.2.0 ; use  x . { a , b as c } ; include y with { a as b } }",
        "world w {\n  import wasi:io/streams@0.2.0;\n  use x.{a, b as c};\n  include y with { a as b }\n}\n",
    ),
    "resources": (
        "interface i { resource r { constructor(); m: static async func() -> own<r>; x: get() -> u32; } }",
        "interface i {\n  resource r {\n    constructor();\n    m: static async func() -> own<r>;\n"
        "    x: get() -> u32;\n  }\n}\n",
    ),
    "a parameter list spread over lines stays one per line": (
        "interface i {\n  f: func(\n    /// docs\n    a: u32\n  ) -> u32;\n}\n",
        "interface i {\n  f: func(\n    /// docs\n    a: u32,\n  ) -> u32;\n}\n",
    ),
    "nested packages": (
        "package a:b { interface c {} }",
        "package a:b {\n  interface c {}\n}\n",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_layout(name: str) -> None:
    source, expected = CASES[name]
    assert format_source(source) == expected


def test_broken_code_is_not_formatted() -> None:
    assert format_source("interface i { f: func( }") is None
