"""The first syntax error of a file, found the way wit-parser finds it.

Tree-sitter recovers from errors, which is what an editor needs, but where it places and words
the first error of an unfinished file (a file that ends in the middle of a function, a version
that runs into the next line, old syntax) is not where wit-parser stops. wit-parser is a
recursive-descent parser that reports the first token it cannot use as ``expected X, found Y``.
This module walks the tokens the same way (recognition only: no tree is built) and returns that
first error, so that the primary diagnostic of a broken file is wit-parser's; tree-sitter's
recovery then adds what it finds after it (see :mod:`wit_ls.syntax.tree`).

Lexical problems (bad identifiers, characters, strings, comments, attributes) are reported by
:mod:`wit_ls.syntax.lexical` with their own codes; when the walk reaches one it stops and reports
nothing, as it does for the few structural limits it does not model. Versions are the exception:
which tokens make up a version is a parser matter (a pre-release runs on into the next line), so
the walk reports semver's complaint about the version it collected.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from wit_ls.syntax.diagnostics import Diagnostic
from wit_ls.syntax.lexical import FORBIDDEN, identifier_error
from wit_ls.syntax.semver import VersionError, parse_version
from wit_ls.syntax.strings import scan_literal
from wit_ls.syntax.vocabulary import COMMENT_NODES

KEYWORDS = frozenset(
    "use type func u8 u16 u32 u64 s8 s16 s32 s64 f32 f64 char resource own borrow record flags "
    "variant enum bool string option result future stream error-context list map _ as from "
    "static interface tuple world import export package constructor include with async".split()
)
_PUNCT = {
    "=": "'='", ",": "','", ":": "':'", ".": "'.'", ";": "';'", "(": "'('", ")": "')'",
    "{": "'{'", "}": "'}'", "<": "'<'", ">": "'>'", "->": "`->`", "*": "`*`", "@": "`@`",
    "/": "`/`", "+": "`+`", "-": "`-`",
}
_NAMED = {"id": "an identifier", "explicit-id": "an '%' identifier", "integer": "an integer",
          "string-literal": "a string literal"}
_SIMPLE_TYPES = frozenset(
    "u8 u16 u32 u64 s8 s16 s32 s64 f32 f64 char bool string error-context".split()
)
_TYPE_DEFS = frozenset({"type", "flags", "enum", "variant", "resource", "record"})
_MAX_DEPTH = 100

Token = tuple[str, int, int]  # kind, start, end (code-point offsets)


def describe(kind: str) -> str:
    if kind in _PUNCT:
        return _PUNCT[kind]
    if kind in _NAMED:
        return _NAMED[kind]
    return f"keyword `{kind}`"


class _Stop(Exception):
    """Something the lexical layer reports (or a limit this walk does not model); ``at``: the
    token wit-parser's lexer rejects, when that is why (a code-point offset)."""

    def __init__(self, at: int | None = None) -> None:
        super().__init__()
        self.at = at


class _Error(Exception):
    def __init__(self, start: int, end: int, message: str, code: str = "syntax-error") -> None:
        super().__init__(message)
        self.start, self.end, self.message, self.code = start, end, message, code


def _keylike_start(ch: str) -> bool:
    return ch.isidentifier() or ch == "-"


def _keylike_continue(ch: str) -> bool:
    return ("a" + ch).isidentifier() or ch == "-"


_CHUNK = 256


def _token_chunks(text: str, i: int) -> Iterator[list[Token]]:
    """The tokens of ``text`` from offset ``i`` (a token boundary), a few hundred at a time,
    so that a walk that stops early tokenizes little beyond where it stopped."""
    out: list[Token] = []
    n = len(text)
    while i < n:
        if len(out) >= _CHUNK:
            yield out
            out = []
        ch = text[i]
        start = i
        if ch in " \t\n" or (ch == "\r" and text.startswith("\r\n", i)):
            i += 1
            continue
        if ch == "/" and text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end == -1 else end + 1
            continue
        if ch == "/" and text.startswith("/*", i):
            depth, i = 1, i + 2
            while depth and i < n:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
            if depth:
                out.append(("lex-error", start, start))
                yield out
                return
            continue
        if ch == "-" and text.startswith("->", i):
            out.append(("->", i, i + 2))
            i += 2
            continue
        if ch in _PUNCT:
            out.append((ch, i, i + 1))
            i += 1
            continue
        if ch == "%":
            i += 1
            if i < n and _keylike_start(text[i]):
                i += 1
                while i < n and _keylike_continue(text[i]):
                    i += 1
            out.append(("explicit-id", start, i))
            continue
        if ch == '"':
            line_end = text.find("\n", i)
            end, problem = scan_literal(text[i : n if line_end == -1 else line_end + 1])
            if problem is not None:
                out.append(("lex-error", start, start))
                yield out
                return
            i += end
            out.append(("string-literal", start, i))
            continue
        if ch.isascii() and ch.isdigit():
            while i < n and text[i].isascii() and text[i].isdigit():
                i += 1
            out.append(("integer", start, i))
            continue
        if _keylike_start(ch):
            i += 1
            while i < n and _keylike_continue(text[i]):
                i += 1
            word = text[start:i]
            out.append((word if word in KEYWORDS else "id", start, i))
            continue
        out.append(("lex-error", start, start))
        yield out
        return
    yield out


class _Parser:
    def __init__(self, text: str, start: int = 0) -> None:
        self.text = text
        self.tokens: list[Token] = []
        self._more: Iterator[list[Token]] | None = _token_chunks(text, start)
        self.pos = 0
        self.eof = len(text)

    # -- the token stream -----------------------------------------------------------------------

    def _fill(self) -> bool:
        """Tokenize further; False at the end of the text."""
        if self._more is None:
            return False
        chunk = next(self._more, None)
        if chunk is None:
            self._more = None
            return False
        self.tokens.extend(chunk)
        return True

    def next(self) -> Token | None:
        while self.pos >= len(self.tokens):
            if not self._fill():
                return None
        token = self.tokens[self.pos]
        if token[0] == "lex-error":
            raise _Stop(token[1])
        self.pos += 1
        return token

    def peek(self, offset: int = 0) -> Token | None:
        saved = self.pos
        try:
            token = None
            for _ in range(offset + 1):
                token = self.next()
            return token
        finally:
            self.pos = saved

    def peek_kind(self, offset: int = 0) -> str | None:
        token = self.peek(offset)
        return token[0] if token is not None else None

    def eat(self, kind: str) -> bool:
        saved = self.pos
        token = self.next()
        if token is not None and token[0] == kind:
            return True
        self.pos = saved
        return False

    def expect(self, kind: str) -> Token:
        token = self.next()
        if token is not None and token[0] == kind:
            return token
        self.fail(describe(kind), token, point=True)
        raise AssertionError  # unreachable

    def fail(self, expected: str, found: Token | None, point: bool = False) -> None:
        """wit-parser's ``expected X, found Y``: at the token found (at its first character
        only when a single token was expected), or at the end of the file."""
        if found is None:
            raise _Error(self.eof, self.eof, f"expected {expected}, found eof")
        end = found[1] + 1 if point else found[2]
        raise _Error(found[1], end, f"expected {expected}, found {describe(found[0])}")

    def id(self) -> Token:
        token = self.next()
        if token is None or token[0] not in ("id", "explicit-id"):
            self.fail("an identifier or string", token)
            raise AssertionError  # unreachable
        self.check_id(token)
        return token

    def check_id(self, token: Token) -> None:
        text = self.text[token[1]:token[2]]
        if token[0] == "explicit-id":
            text = text[1:]
            if not text or text[0] == "-":
                # A `%` before no identifier (`%%x`, `%1`, `% `) or before a `-` (`%-x`) is
                # wit-parser's explicit identifier with an empty first segment; tree-sitter has
                # no token for it, so the lexical layer cannot report it: this walk does.
                raise _Error(token[1], token[1] + 1, "identifiers must have characters between "
                             "'-'s", "invalid-identifier")
        problem = identifier_error(text)
        if problem is not None:
            # (The lexical layer reports it too, at the same place, unless tree-sitter cut
            # the identifier short, as it does at a few characters wit-parser takes.)
            raise _Error(token[1], token[2], problem[1], "invalid-identifier")

    # -- items ----------------------------------------------------------------------------------

    def file(self) -> None:
        saved = self.pos
        if self.eat("package"):
            self.package_name()
            if not self.eat(";"):
                self.pos = saved
        else:
            self.pos = saved
        self.decl_list(None, 0)

    def decl_list(self, end: str | None, depth: int) -> None:
        while True:
            if end is not None:
                if self.eat(end):
                    return
            elif self.peek() is None:
                return
            self.ast_item(depth)

    def ast_item(self, depth: int) -> None:
        attributes = self.attributes()
        kind = self.peek_kind()
        if kind == "interface":
            self.next()
            self.id()
            self.interface_items()
        elif kind == "world":
            self.next()
            self.id()
            self.world_items()
        elif kind == "use":
            self.next()
            self.use_path()
            if self.eat("as"):
                self.id()
            self.expect(";")
        elif kind == "package":
            self.next()
            if attributes or depth >= _MAX_DEPTH:
                raise _Stop
            self.package_name()
            self.expect("{")
            self.decl_list("}", depth + 1)
        else:
            self.fail("`world`, `interface` or `use`", self.next())

    def package_name(self) -> None:
        self.id()
        self.expect(":")
        self.id()
        self.opt_version()

    def opt_version(self) -> None:
        if self.eat("@"):
            self.version()

    def version(self) -> None:
        start = self.expect("integer")[1]
        self.expect(".")
        self.expect("integer")
        self.expect(".")
        end = self.expect("integer")[2]
        end = self.version_suffix("-", end)
        end = self.version_suffix("+", end)
        try:
            parse_version(self.text[start:end])
        except VersionError as err:
            # (The identifiers of a pre-release run on over line breaks: `1.0.0-rc` followed
            # by a name on the next line is one version to semver, which rejects it.)
            raise _Error(start, end, err.message, "invalid-version") from None

    def version_suffix(self, prefix: str, end: int) -> int:
        if not self.eat(prefix):
            return end
        while True:
            kind = self.peek_kind()
            if kind in ("id", "integer", "-"):
                end = self.tokens[self.pos][2]
                self.pos += 1
            elif kind == "." and self.peek_kind(1) in ("id", "integer", "-"):
                end = self.tokens[self.pos + 1][2]
                self.pos += 2
            else:
                return end

    def attributes(self) -> bool:
        found = False
        while self.eat("@"):
            found = True
            name = self.id()
            word = self.text[name[1]:name[2]].removeprefix("%")
            if word in ("since", "deprecated"):
                self.expect("(")
                self.attribute_key("version")
                self.expect("=")
                self.version()
                self.expect(")")
            elif word == "unstable":
                self.expect("(")
                self.attribute_key("feature")
                self.expect("=")
                self.id()
                self.expect(")")
            elif word == "external-id":
                self.expect("(")
                self.expect("string-literal")
                self.expect(")")
            else:
                raise _Error(name[1], name[2], f"unknown attribute `{word}`",
                             "unknown-attribute")
        return found

    def attribute_key(self, key: str) -> None:
        token = self.id()
        word = self.text[token[1]:token[2]].removeprefix("%")
        if word != key:
            raise _Error(token[1], token[2], f"expected `{key}`, found `{word}`",
                         "invalid-attribute")

    def use_path(self) -> None:
        self.id()
        if self.eat(":"):
            self.id()
            self.expect("/")
            self.id()
            self.opt_version()

    def resume(self, inside: tuple[str, ...]) -> None:
        """Read on from between two items of the constructs ``inside`` (outermost first:
        ``interface``, ``world``, ``resource``, ``package`` for a nested package's body), then
        between top-level items to the end."""
        for construct in reversed(inside):
            if construct == "interface":
                self.interface_loop()
            elif construct == "world":
                self.world_loop()
            elif construct == "resource":
                self.resource_loop()
            else:
                self.decl_list("}", 1)
        self.decl_list(None, 0)

    def world_items(self) -> None:
        self.expect("{")
        self.world_loop()

    def world_loop(self) -> None:
        while not self.eat("}"):
            self.attributes()
            kind = self.peek_kind()
            if kind in ("import", "export"):
                self.next()
                self.extern_kind()
            elif kind == "use":
                self.use()
            elif kind in _TYPE_DEFS:
                self.typedef()
            elif kind == "include":
                self.next()
                self.use_path()
                if self.eat("with"):
                    self.expect("{")
                    self.list_trailer("}", self.include_name)
                else:
                    self.expect(";")
            else:
                self.fail("`import`, `export`, `include`, `use`, or type definition", self.next())

    def include_name(self) -> None:
        self.id()
        self.expect("as")
        self.id()

    def extern_kind(self) -> None:
        saved = self.pos
        self.id()
        if self.eat(":"):
            if self.peek_kind() in ("func", "async") or self.accessor_ahead():
                self.func()
                self.expect(";")
                return
            if self.eat("interface"):
                self.interface_items()
                return
            after_colon = self.pos
            qualified = False
            try:
                self.id()
                qualified = self.peek_kind() == "/"
            except (_Error, _Stop):
                pass
            self.pos = after_colon
            if not qualified:
                self.use_path()
                self.expect(";")
                return
        self.pos = saved
        self.use_path()
        self.expect(";")

    def accessor_ahead(self) -> bool:
        token = self.peek()
        return (token is not None and token[0] == "id"
                and self.text[token[1]:token[2]] in ("get", "set") and self.peek_kind(1) == "(")

    def interface_items(self) -> None:
        self.expect("{")
        self.interface_loop()

    def interface_loop(self) -> None:
        while not self.eat("}"):
            self.attributes()
            kind = self.peek_kind()
            if kind in _TYPE_DEFS:
                self.typedef()
            elif kind in ("id", "explicit-id"):
                self.id()
                self.expect(":")
                self.func()
                self.expect(";")
            elif kind == "use":
                self.use()
            else:
                self.fail("`type`, `resource` or `func`", self.next())

    def use(self) -> None:
        self.expect("use")
        self.use_path()
        self.expect(".")
        self.expect("{")
        while not self.eat("}"):
            self.id()
            if self.eat("as"):
                self.id()
            if not self.eat(","):
                self.expect("}")
                break
        self.expect(";")

    def typedef(self) -> None:
        kind = self.next()
        assert kind is not None
        self.id()
        if kind[0] == "type":
            self.expect("=")
            self.type()
            self.expect(";")
        elif kind[0] == "resource":
            if self.eat("{"):
                self.resource_loop()
            else:
                self.expect(";")
        elif kind[0] == "record":
            self.expect("{")
            self.list_trailer("}", self.field)
        elif kind[0] == "variant":
            self.expect("{")
            self.list_trailer("}", self.case)
        else:  # flags, enum
            self.expect("{")
            self.list_trailer("}", self.id)

    def resource_loop(self) -> None:
        while not self.eat("}"):
            self.attributes()
            self.resource_func()

    def field(self) -> None:
        self.id()
        self.expect(":")
        self.type()

    def case(self) -> None:
        self.id()
        if self.eat("("):
            self.type()
            self.expect(")")

    def resource_func(self) -> None:
        kind = self.peek_kind()
        if kind == "constructor":
            self.next()
            self.expect("(")
            self.list_trailer(")", self.field)
            if self.eat("->"):
                self.type()
            self.expect(";")
        elif kind in ("id", "explicit-id"):
            self.id()
            self.expect(":")
            self.eat("static")
            self.func()
            self.expect(";")
        else:
            self.fail("`constructor` or identifier", self.next())

    def func(self) -> None:
        is_async = self.eat("async")
        if not is_async and self.accessor_ahead():
            self.next()
        else:
            self.expect("func")
        self.expect("(")
        self.list_trailer(")", self.field)
        if self.eat("->"):
            self.type()

    def list_trailer(self, end: str, item: object) -> None:
        assert callable(item)
        while True:
            if self.eat(end):
                return
            item()
            if not self.eat(","):
                self.expect(end)
                return

    def type(self, depth: int = 0) -> None:
        token = self.next()
        if depth >= _MAX_DEPTH:
            raise _Stop
        kind = token[0] if token is not None else None
        if kind in _SIMPLE_TYPES:
            return
        if kind in ("id", "explicit-id"):
            assert token is not None
            self.check_id(token)
        elif kind == "tuple":
            self.expect("<")
            self.list_trailer(">", lambda: self.type(depth + 1))
        elif kind == "list":
            self.expect("<")
            self.type(depth + 1)
            if self.eat(","):
                number = self.next()
                if number is None or number[0] != "integer":
                    self.fail("fixed-length", number)
                    raise AssertionError  # unreachable
                if int(self.text[number[1]:number[2]]) >= 2**32:
                    raise _Stop
            self.expect(">")
        elif kind == "map":
            self.expect("<")
            self.type(depth + 1)
            self.expect(",")
            self.type(depth + 1)
            self.expect(">")
        elif kind == "option":
            self.expect("<")
            self.type(depth + 1)
            self.expect(">")
        elif kind == "result":
            if self.eat("<"):
                if self.eat("_"):
                    self.expect(",")
                    self.type(depth + 1)
                else:
                    self.type(depth + 1)
                    if self.eat(","):
                        self.type(depth + 1)
                self.expect(">")
        elif kind in ("future", "stream"):
            if self.eat("<"):
                self.type(depth + 1)
                self.expect(">")
        elif kind in ("own", "borrow"):
            self.expect("<")
            self.id()
            self.expect(">")
        else:
            self.fail("a type", token)


def first_syntax_error(text: str, item_start: int = 0,
                       inside: tuple[str, ...] = ()) -> Diagnostic | None:
    """wit-parser's first ``expected X, found Y`` error in ``text`` (byte offsets), or None when
    the file parses, or when a lexical problem comes first (see :func:`first_problem`)."""
    found = first_problem(text, item_start, inside)
    return found if isinstance(found, Diagnostic) else None


def first_problem(text: str, item_start: int = 0,
                  inside: tuple[str, ...] = ()) -> Diagnostic | int | None:
    """wit-parser's first ``expected X, found Y`` error in ``text`` (byte offsets); or, when its
    lexer rejects a token first (a string left open, an unterminated comment, a stray
    character, a bad identifier), the byte offset of that token; or None when the file parses
    or the walk stops at something it does not model.

    ``item_start`` (a code-point offset): where an item starts that the walk may begin at,
    because everything before it is known to parse (0: the whole file, from its package
    header). The walk then reads on from there as wit-parser does between the items of the
    constructs ``inside`` (see :meth:`_Parser.resume`; none: between top-level items)."""
    if FORBIDDEN.search(text):
        return None  # wit-parser rejects such a file before it parses anything
    if item_start <= 0:
        parser = _Parser(text, 1 if text.startswith("\ufeff") else 0)
    else:
        parser = _Parser(text, item_start)
    try:
        if item_start <= 0:
            parser.file()
        else:
            parser.resume(inside)
    except _Stop as stop:
        return None if stop.at is None else len(text[: stop.at].encode("utf-8"))
    except _Error as err:
        start = len(text[: err.start].encode("utf-8"))
        end = start + len(text[err.start: err.end].encode("utf-8"))
        return Diagnostic(start, max(end, start), err.message, err.code)
    except RecursionError:
        return None
    return None


_TOP_LEVEL = COMMENT_NODES | {"package_decl", "interface_item", "world_item", "toplevel_use",
                              "nested_package"}


# The constructs whose items the first-error walk may start between, by node type.
_BODIES = {"interface_item": "interface", "world_item": "world", "resource_item": "resource",
           "nested_package": "package"}


def walk_start(root: Node, source: bytes, first_problem: int) -> tuple[int, tuple[str, ...]]:
    """Where (a code-point offset in the decoded text) wit-parser's first syntax error can be
    looked for, and inside which constructs that is (see
    :func:`first_syntax_error`): the end of the top-level node
    before the first one that tree-sitter parsed with an error or that reaches the problem
    another check found first (at byte ``first_problem``); and when that node is an
    interface, world, resource or nested package whose head (up to its `{`) is clean, the end
    of the last clean part of its body before the first that is not, and so on inward. The
    parts before it parsed cleanly in tree-sitter's grammar, which accepts nothing wit-parser
    rejects as a syntax error except what the lexical and structural checks report, so
    wit-parser reads them without objection and is between items where the walk starts. 0
    (the whole file, from its package header) when no item comes before that node."""
    if root.type != "source_file":
        return 0, ()  # tree-sitter's recovery made the whole file one error
    previous: Node | None = None
    seen_item = False
    broken: Node | None = None
    for child in root.children:
        if (child.has_error or child.is_missing or first_problem < child.end_byte
                or child.type not in _TOP_LEVEL):
            broken = child
            break
        if child.type not in COMMENT_NODES:
            seen_item = True
        previous = child
    start = previous.end_byte if previous is not None and seen_item else 0
    inside: tuple[str, ...] = ()
    while broken is not None and broken.type in _BODIES:
        found = _body_from(broken, first_problem)
        if found is None:
            break
        start, inner = found
        inside = (*inside, _BODIES[broken.type])
        broken = inner
    if start == 0:
        return 0, ()
    return len(source[:start].decode("utf-8", errors="replace")), inside


def _body_from(node: Node, first_problem: int) -> tuple[int, Node | None] | None:
    """For :func:`walk_start`: where in ``node``'s body (a byte offset) the walk can start,
    and the first part of the body that is broken or reaches ``first_problem`` (None when
    none is); None when its head up to the `{` is not clean."""
    body = node.child_by_field_name("body")
    if body is None:
        return None
    for child in node.children:
        if child == body:
            break
        if child.has_error or child.is_missing:
            return None
    opening = body.child(0)
    if (opening is None or opening.type != "{" or opening.is_missing
            or first_problem < opening.end_byte):
        return None
    start = opening.end_byte
    for child in body.children[1:]:
        if (child.has_error or child.is_missing or first_problem < child.end_byte
                or child.type == "}"):
            return start, child
        start = child.end_byte
    return start, None
