"""Lexical checks that the permissive grammar leaves to us, with wit-parser's messages
(wit-spec.md §2.1 and the version and attribute rows of §2.2): invalid UTF-8, forbidden
codepoints, unterminated block comments, identifier rules, keywords used as names, versions,
and attribute names and keys."""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache
from itertools import pairwise

from tree_sitter import Node, Query, QueryCursor, Tree

from wit_ls.syntax.diagnostics import Diagnostic
from wit_ls.syntax.language import language
from wit_ls.syntax.lazy_pattern import LazyPattern
from wit_ls.syntax.semver import VersionError, parse_version, spanned_version
from wit_ls.syntax.strings import literal_problem
from wit_ls.syntax.vocabulary import COMMENT_NODES

TYPE_CHECKING = False  # not typing's: see wit_ls.light_typing
if TYPE_CHECKING:
    import re
    from typing import cast
else:
    from wit_ls.light_typing import cast

_BIDI = "\u202a-\u202e\u2066-\u2069"
_DISCOURAGED = "\u0149\u0673\u0f77\u0f79\u17a3\u17a4\u17b4\u17b5"
# char::is_control(): Cc, i.e. U+0000-U+001F and U+007F-U+009F; \t \n \r are allowed.
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
FORBIDDEN = LazyPattern(f"[{_BIDI}{_DISCOURAGED}{_CONTROL}]")
# The ASCII characters that are not forbidden (the only forbidden ASCII ones are controls).
_ALLOWED_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n\r"

ATTRIBUTE_KEYS = {"since": "version", "deprecated": "version", "unstable": "feature"}
KNOWN_ATTRIBUTES = frozenset([*ATTRIBUTE_KEYS, "external-id"])


def describe_text(text: str) -> str:
    """:func:`wit_ls.syntax.describe.describe_text`, its module loaded only when a message
    needs it."""
    from wit_ls.syntax.describe import describe_text as describe

    return describe(text)


def _escape(ch: str) -> str:
    return "\\u{" + f"{ord(ch):x}" + "}"


def check_encoding(source: bytes) -> tuple[str, list[Diagnostic]]:
    """Decode ``source``; report invalid UTF-8 (once) and every forbidden codepoint."""
    out: list[Diagnostic] = []
    if source.isascii() and not source.translate(None, _ALLOWED_ASCII):
        return source.decode("ascii"), out  # (a C pass: ten times a regex search)
    try:
        text = source.decode("utf-8")
    except UnicodeDecodeError as err:
        out.append(Diagnostic(err.start, err.start + 1, "input is not valid UTF-8", "invalid-utf8"))
        text = source.decode("utf-8", errors="replace")
        return text, out
    if text.isascii() and not FORBIDDEN.search(text):
        return text, out
    for match in FORBIDDEN.finditer(text):
        ch = match.group()
        start = len(text[: match.start()].encode("utf-8"))
        end = start + len(ch.encode("utf-8"))
        if "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069":
            message = (
                "Input contains bidirectional override codepoint "
                f"EscapeUnicode(EscapeIterInner('{_escape(ch)}'))"
            )
            code = "bidi-codepoint"
        elif ch in _DISCOURAGED:
            escaped = _escape(ch)
            message = (
                f"Codepoint EscapeUnicode(EscapeIterInner('{escaped}')) is discouraged by Unicode"
            )
            code = "discouraged-codepoint"
        else:
            message = f"Control code '{_escape(ch)}'"
            code = "control-code"
        out.append(Diagnostic(start, end, message, code))
    return text, out


def identifier_error(text: str) -> tuple[int, str] | None:
    """wit-parser's ``validate_id``: (offset of the bad char, message) or None when valid.

    ``text`` excludes a leading ``%``.
    """
    if not text:
        return 0, "identifiers must have characters between '-'s"
    for segment in text.split("-"):
        if not segment:
            return 0, "identifiers must have characters between '-'s"
    # The first segment must start with an ASCII letter; later ones may start with a digit.
    pos = 0
    for segment_index, segment in enumerate(text.split("-")):
        first = segment[0]
        if segment_index == 0 and not (first.isascii() and first.isalpha()):
            return pos, f"invalid character in identifier {first!r}"
        upper = lower = False
        for offset, ch in enumerate(segment):
            if not ch.isascii() or not (ch.isalnum()):
                return pos + offset, f"invalid character in identifier {ch!r}"
            if ch.isupper():
                if lower:
                    return pos + offset, f"invalid character in identifier {ch!r}"
                upper = True
            elif ch.islower():
                if upper:
                    return pos + offset, f"invalid character in identifier {ch!r}"
                lower = True
        pos += len(segment) + 1
    return None


def _identifier(node: Node, text: str) -> Diagnostic | None:
    start = node.start_byte
    explicit = text.startswith("%")
    name = text[1:] if explicit else text
    if not explicit and name == "from":
        return Diagnostic(
            start,
            node.end_byte,
            "expected an identifier or string, found keyword `from`",
            "keyword-as-identifier",
        )
    problem = identifier_error(name)
    if problem is None:
        return None
    # wit-parser reports identifier errors at the start of the identifier.
    return Diagnostic(start, node.end_byte, problem[1], "invalid-identifier")


def _next_token(node: Node, source: bytes) -> tuple[str, int, int]:
    """Text and byte range of the token after ``node`` ("" and the end of the file at eof)."""
    following = node.next_sibling
    while following is not None and following.type in COMMENT_NODES:
        following = following.next_sibling
    if following is None:
        parent = node.parent
        while parent is not None and parent.next_sibling is None:
            parent = parent.parent
        following = parent.next_sibling if parent is not None else None
    if following is None:
        return "", len(source), len(source)
    while following.child_count:
        following = following.children[0]
    text = source[following.start_byte : following.end_byte].decode("utf-8", "replace")
    return text, following.start_byte, max(following.end_byte, following.start_byte + 1)


def _next_token_text(node: Node, source: bytes) -> str:
    return _next_token(node, source)[0]


def _short_version(text: str) -> bool:
    """wit-parser's parser wants Integer '.' Integer '.' Integer before calling semver: fewer
    parts, all numeric, are "expected '.'"."""
    parts = text.split(".")
    numeric = 0
    for part in parts[:3]:
        if part.isdigit():
            numeric += 1
        else:
            break
    return len(parts) < 3 and numeric == len(parts)


def _version(node: Node, text: str, source: bytes) -> Diagnostic | None:
    if _short_version(text):
        found = describe_text(_next_token_text(node, source))
        return Diagnostic(
            node.end_byte, node.end_byte + 1, f"expected '.', found {found}", "invalid-version"
        )
    error = _semver_error(spanned_version(text))
    if error is not None:
        return Diagnostic(node.start_byte, node.end_byte, error, "invalid-version")
    return None


@lru_cache(maxsize=4096)
def _semver_error(text: str) -> str | None:
    """The semver crate's message for ``text``, or None when it is a valid version (cached:
    the same few versions appear on every `@since`)."""
    try:
        parse_version(text)
    except VersionError as err:
        return err.message
    return None


def _unterminated(text: str) -> bool:
    depth = 0
    i = 0
    n = len(text)
    while i < n:
        pair = text[i : i + 2]
        if pair == "/*":
            depth += 1
            i += 2
        elif pair == "*/":
            depth -= 1
            i += 2
            if depth == 0:
                return i < n  # closed before the end of the token: cannot happen, treat as fine
        else:
            i += 1
    return depth > 0


def _at(node: Node, message: str, code: str) -> Diagnostic:
    return Diagnostic(node.start_byte, node.end_byte, message, code)


def _attribute(node: Node, source: bytes) -> Diagnostic | None:
    name_node = node.child_by_field_name("name")
    if name_node is None:
        return None
    # (An attribute's name and key are identifiers: `%` may escape them.)
    name = source[name_node.start_byte : name_node.end_byte].decode("utf-8", "replace")
    name = name.removeprefix("%")
    if name not in KNOWN_ATTRIBUTES:
        return _at(name_node, f"unknown attribute `{name}`", "unknown-attribute")
    args = node.child_by_field_name("arguments")
    if args is None:
        # wit-parser reports the token found instead of '(' (often on the next line).
        found, start, end = _next_token(node, source)
        return Diagnostic(start, end, "expected '(', found " + describe_text(found), "syntax-error")
    arguments = [c for c in args.named_children if c.type == "attribute_argument"]
    if name == "external-id":
        if len(arguments) != 1 or arguments[0].child_by_field_name("key") is not None:
            bad = arguments[0] if arguments else args
            return _at(
                bad,
                "expected a string literal, found "
                + describe_text(source[bad.start_byte : bad.end_byte].decode("utf-8", "replace")),
                "syntax-error",
            )
        return None
    wanted = ATTRIBUTE_KEYS[name]
    if not arguments:
        close = args.children[-1] if args.children else args
        return _at(close, "expected an identifier or string, found ')'", "syntax-error")
    arg = arguments[0]
    key = arg.child_by_field_name("key")
    if key is None:
        return _at(arg, "expected an identifier or string, found a string literal", "syntax-error")
    key_text = source[key.start_byte : key.end_byte].decode("utf-8", "replace").removeprefix("%")
    if key_text != wanted:
        return _at(key, f"expected `{wanted}`, found `{key_text}`", "invalid-attribute")
    value = arg.child_by_field_name("value")
    if value is not None and wanted == "version" and value.type != "version":
        return _at(
            value,
            "expected an integer, found "
            + describe_text(source[value.start_byte : value.end_byte].decode("utf-8", "replace")),
            "invalid-attribute",
        )
    if value is not None and wanted == "feature" and value.type != "identifier":
        return _at(
            value,
            "expected an identifier or string, found "
            + describe_text(source[value.start_byte : value.end_byte].decode("utf-8", "replace")),
            "invalid-attribute",
        )
    if len(arguments) > 1:
        extra = arguments[1]
        return Diagnostic(
            extra.start_byte - 1, extra.start_byte, "expected ')', found ','", "syntax-error"
        )
    return None


_U32_MAX = 2**32 - 1


def _string(node: Node, source: bytes) -> Diagnostic | None:
    problem = literal_problem(source, node.start_byte)
    if problem is None:
        return None
    at = problem[0]
    return Diagnostic(at, min(at + 1, len(source)), problem[1], "invalid-string")


# A valid identifier (wit-parser's rule): `%?` and kebab-case segments, each all lower-case or
# all upper-case letters and digits, the first beginning with a letter. As a regular expression
# (tests compare it with `valid_identifier`, which a check uses: compiling a pattern costs more
# than a check needs the answer for).
IDENTIFIER = r"%?(?:[a-z][a-z0-9]*|[A-Z][A-Z0-9]*)(?:-(?:[a-z0-9]+|[A-Z0-9]+))*"


def valid_identifier(raw: bytes) -> bool:
    """``raw`` (ASCII) matches `IDENTIFIER`."""
    segments = (raw[1:] if raw[:1] == b"%" else raw).split(b"-")
    if not segments[0][:1].isalpha():
        return False
    return all(s.isalnum() and (s.islower() or s.isupper() or s.isdigit()) for s in segments)


def valid_word(word: bytes) -> bool:
    """``word`` (ASCII, no `%`) is a run of digits and `-`, then nothing or a valid identifier:
    the tail of a run of identifier characters from its first letter on (see
    `_identifiers_valid`)."""
    tail = word.lstrip(b"0123456789-")
    return not tail or valid_identifier(tail)

# Attribute texts already found valid (`@since(version = 0.2.0)` repeats on every item). An
# attribute's validity depends only on its text once it parsed without errors.
_GOOD_ATTRIBUTES: set[bytes] = set()
# Runs of line comments (one to the end of its line, and the comments alone on the lines after
# it), and strings as the grammar reads them (a string does not span lines). A run blanked as
# one space leaves the text's tokens as they were: the scans below read no line breaks.
LINE_COMMENT_RUN = LazyPattern(rb"//[^\n]*(?:\n[ \t]*//[^\n]*)*")
_COMMENT_OR_STRING = LazyPattern(rb'//[^\n]*|"(?:[^"\\\n]|\\[^\n])*"')
# Every byte that is not an identifier character becomes a space (then `bytes.split`).
_SPACE_OUT = bytes(c if chr(c).isascii() and (chr(c).isalnum() or chr(c) in "_-") else 32
                   for c in range(256))
# Where `_` is the keyword of `result<_, E>` (the byte before is checked apart: a lookbehind
# first would cost a regex step at every byte).
_RESULT_UNDERSCORE = LazyPattern(rb"result\s*<\s*_(?![A-Za-z0-9_-])")


def has_block_comment(source: bytes) -> bool:
    """Whether ``source`` holds `/*`. (A search for one byte runs at memory speed, one for two
    bytes at a byte at a time where, as in documentation, `/` is everywhere: most files have
    no `*` at all.) Here and in the other checks of every file, `find` rather than `in`:
    `in` on bytes first tries its operand as an integer, and that failed attempt (an exception
    made and dropped) costs more than the search."""
    return source.find(b"*") != -1 and source.find(b"/*") != -1


def _code(source: bytes) -> bytes:
    """``source`` with each line comment (each run of them) and string replaced by a space."""
    return _code_and_strings(source)[0]


def _code_and_strings(source: bytes, blanked: bytes | None = None) -> tuple[bytes, bool]:
    """`_code`, and whether the text may hold a string token: a quote outside line comments
    (a string does not span lines, so one whose quote is after a `//` on its line would need an
    earlier quote on that line to hold the `//`, which stays). For text without block
    comments. ``blanked``: ``source`` with each run of line comments made one space
    (``LINE_COMMENT_RUN.sub(b" ", source)``), when the caller has it."""
    code = LINE_COMMENT_RUN.sub(b" ", source) if blanked is None else blanked
    if source.find(b'"') == -1:
        return code, False
    if code.find(b'"') == -1:
        return code, False  # (every quote in a comment: blanking strings too changes nothing)
    return _COMMENT_OR_STRING.sub(b" ", source), True


def _scannable(tree: Tree, source: bytes) -> bool:
    """Text whose tokens a scan can tell apart: ASCII, no block comment (they nest), no error."""
    return not has_block_comment(source) and source.isascii() and not tree.root_node.has_error


def _identifiers_valid(tree: Tree, source: bytes,
                       broken: list[tuple[int, int]] | None = None,
                       code: bytes | None = None) -> bool:
    """True when no identifier of the file can be invalid, found from the text alone (a few
    passes in C instead of a look at each of the thousands of identifier nodes). With
    ``broken`` (the ranges of the parts tree-sitter parsed with an error, see
    `wit_ls.syntax.broken.broken_ranges`): when no identifier outside them can be invalid
    (their text is left out of the scan; the caller checks their identifier nodes one by
    one).

    For ASCII text without block comments and a tree without errors: outside line comments and
    strings, an identifier token is a maximal run of ``[A-Za-z0-9_-]``, or (after an integer
    token) the rest of such a run from its first letter or `_`; and `_` alone is the keyword of
    `result<_, E>` there and an identifier anywhere else. So when the tail of each run from its
    first letter is a valid identifier (every tail of a valid identifier that starts with a
    letter is valid too), no run holds `from`, and every `_` follows `result<`, every
    identifier node is valid. Anything else (comments that may nest, non-ASCII text, a syntax
    error, one doubtful word) says False and the nodes are checked one by one. ``code``: the
    text as `_code` gives it (of the text with ``broken`` blanked, see
    `wit_ls.syntax.broken.blanked`), when the caller has it."""
    if has_block_comment(source) or not source.isascii() or (
            broken is None and tree.root_node.has_error):
        return False
    if code is None:
        if broken:
            from wit_ls.syntax.broken import blanked

            source = blanked(source, broken)
        code = _code(source)
    spaced = code.translate(_SPACE_OUT)
    keyword: list[re.Match[bytes]] | None = None
    if spaced.find(b"_") != -1:
        keyword = _result_underscores(code)
        # When every `_` is the keyword's (a word alone): blanked, the rest read as usual.
        if spaced.count(b"_") == len(keyword) and _plainly_valid(spaced.replace(b"_", b" ")):
            return True
    elif _plainly_valid(spaced):
        return True
    runs = spaced.split()
    words = set(runs)
    words.discard(b"-")  # (from `->`)
    if b"_" in words:
        if keyword is None:
            keyword = _result_underscores(code)
        if runs.count(b"_") != len(keyword):
            return False
        words.discard(b"_")
    joined = b" " + b" ".join(words) + b" "
    # `from` as a token: a run `from`, or its tail after an integer (`4from`, `1-from`).
    if joined.find(b"from") != -1 and any(w.lstrip(b"0123456789-") == b"from"
                                 for w in words if w.endswith(b"from")):
        return False
    return words_valid(joined, words)


# Two letters of different case in one segment with only digits between them: in a run of
# letters and digits, the place where a segment of both cases first changes case.
_MIXED_CASE = LazyPattern(rb"[a-z][0-9]*[A-Z]|[A-Z][0-9]*[a-z]")


def words_valid(joined: bytes, words: set[bytes]) -> bool:
    """Every one of ``words`` (runs of identifier characters, none `%`, `_` or `-` alone)
    is `valid_word`; ``joined``: the words each between spaces.

    Without `_` and without an empty segment (`--`, or `-` at either end of a word), the tail
    of a word from its first letter starts with a letter and its segments are runs of letters
    and digits, so the only way it can be invalid is a segment holding both cases (`valid_word`
    wants each all lower-case, all upper-case or all digits): one search in C instead of a
    look at each word (wasi-http's `HTTP-request-denied` made every keystroke check each of
    its 163 words)."""
    if (joined.find(b"_") != -1 or joined.find(b"--") != -1 or joined.find(b"- ") != -1
            or joined.find(b" -") != -1):
        return all(valid_word(word) for word in words)
    if joined.islower():
        return True  # (the usual case: lower-case words; no regex needed)
    return _MIXED_CASE.search(joined) is None


def _result_underscores(code: bytes) -> list[re.Match[bytes]]:
    """Where `_` is the keyword of `result<_, E>` in ``code``."""
    return [m for m in _RESULT_UNDERSCORE.finditer(code)
            if m.start() == 0 or code[m.start() - 1] not in _IDENTIFIER_BYTES]


# A `from` token after a space, in `_plainly_valid`'s text: a run `from`, or its tail after an
# integer.
_FROM_TOKEN = LazyPattern(rb" [0-9-]*from ")


def _plainly_valid(spaced: bytes) -> bool:
    """The usual case of `_identifiers_valid` found without cutting the text into words (a
    few passes in C over ``spaced``, the code with every byte that is not an identifier
    character made a space): lower-case words, no `_`, no `from` token, no empty segment (no
    `--`, no word that begins or ends with `-`, the `-` of `->` aside). False is no answer:
    the words are then looked at one by one."""
    if spaced.find(b"_") != -1 or not spaced.islower():
        return False
    # (The `-` of each `->` stands alone: blanked. Two in a row leave one, which says False.)
    padded = (b" " + spaced + b" ").replace(b" - ", b"   ")
    if padded.find(b"--") != -1 or padded.find(b" -") != -1 or padded.find(b"- ") != -1:
        return False
    return padded.find(b"from") == -1 or _FROM_TOKEN.compiled.search(padded) is None


# In the text of a file without errors (line comments and strings blanked, see `_code`): a
# version token after `@` (package names, use paths) or `=` (attribute arguments; the other
# `=`, of type aliases, is never followed by a digit there); the attributes whose shape and key
# are right (the value's validity aside), with a version value or an identifier value; and the
# integers after `,` (list sizes, the only integer tokens).
# After each `@`: a version run, or an attribute of a right shape (name, key and value; the
# value's validity aside), or nothing. Each pattern is searched in one pass in C (they begin
# with a literal byte, which the search skips to); only the distinct texts found are checked in
# Python (`@since(version = 0.2.0)` repeats on every item).
_AT_FOLLOWERS = LazyPattern(
    rb"@\s*(?:([0-9][0-9A-Za-z+_.-]*)|(since|deprecated|unstable)\s*\(\s*(version|feature)\s*=\s*"
    rb"(%?[0-9A-Za-z][0-9A-Za-z+_.-]*)\s*\))?")
# The version run after each `=` that is followed by one.
_VERSION_AFTER_EQUALS = LazyPattern(rb"=\s*([0-9][0-9A-Za-z+_.-]*)")
_WORD_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"


def _version_token(run: bytes) -> bytes:
    """The version token at the start of a run of version characters and dots: a `.` belongs
    to it only when a version character follows (`@1.0.0.{x}` ends at `1.0.0`)."""
    return run.split(b"..", 1)[0].rstrip(b".")


def _right_attribute(name: bytes, key: bytes, value: bytes) -> bool:
    """An attribute with one argument whose key and kind of value its name wants."""
    if name == b"unstable":
        word = value[1:] if value[:1] == b"%" else value
        return key == b"feature" and word[:1].isalpha() and not word.translate(None, _WORD_BYTES)
    return key == b"version" and value[:1].isdigit() and _version_token(value) == value


def _versions_and_attributes_valid(code: bytes) -> bool:
    """True when no version or attribute node of a file can be wrong, found from its text
    (``code``, see `_code`; for `_scannable` text only).

    In such text every `@` starts an attribute or a version (of a package name or use path),
    and a version token follows an `=` only in an attribute (a type alias's `=` is followed by
    a type). So when each `@` is followed by a version or by an attribute of a right shape
    (`@since(version = V)`, `@deprecated(version = V)`, `@unstable(feature = x)`: one
    argument, the right key, a value of the right kind), and every version token after an `@`
    or `=` is a valid version, every attribute and version node is valid. Anything else says
    False (the nodes are checked one by one)."""
    runs: set[bytes] = set()
    if code.find(b"@") != -1:
        for run, name, key, value in set(_AT_FOLLOWERS.compiled.findall(code)):
            if run:
                runs.add(run)
            elif not name or not _right_attribute(name, key, value):
                return False
    if code.find(b"=") != -1:
        runs.update(_VERSION_AFTER_EQUALS.compiled.findall(code))
    versions = {_version_token(run) for run in runs}
    return all(not _short_version(text) and _semver_error(spanned_version(text)) is None
               for text in {v.decode("ascii") for v in versions})


_IDENTIFIER_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-%")


ALL_KINDS = ("identifier", "version", "block_comment", "doc_comment", "attribute", "integer",
             "string")


@lru_cache(maxsize=16)
def _query(kinds: tuple[str, ...]) -> Query:
    text = "[" + " ".join(f"({kind})" for kind in kinds) + "] @node"
    return cast(Query, Query(language(), text))


def _kinds(tree: Tree, source: bytes, comment_free: bytes | None = None
           ) -> tuple[tuple[str, ...], list[tuple[int, int]], tuple[str, ...]]:
    """The node kinds that can hold a lexical problem in ``source``: comments only when it has a
    block comment (a doc or line comment never has one), strings only when it has a quote (in
    a text scan: outside line comments), identifiers unless the text shows them all valid,
    versions and attributes unless the text shows them all valid, integers only where ten
    digits stand in a row (in a text scan: outside comments and strings). In the order of
    ``ALL_KINDS``: nested captures (an attribute and its name) come in the order of the query's
    kinds.

    And the ranges, and the kinds in them, that must still be checked one by one when the
    text shows every identifier (and every version and attribute) valid except in the parts
    tree-sitter parsed with an error (an editor's file while a keystroke breaks it, see
    `wit_ls.syntax.broken.broken_ranges`): those parts' ranges. ``comment_free``: ``source``
    with each run of line comments made one space, when the caller has it."""
    skip: set[str] = set()
    if not has_block_comment(source):
        skip.update(("block_comment", "doc_comment"))
    if source.find(b'"') == -1:
        skip.add("string")
    ranges: list[tuple[int, int]] = []
    ranged: tuple[str, ...] = ()
    code: bytes | None = None
    if _scannable(tree, source):
        code, strings = _code_and_strings(source, comment_free)
        if not strings:
            skip.add("string")  # (quotes in comments only)
        if _versions_and_attributes_valid(code):
            skip.update(("version", "attribute"))
    # (A list size is too large with at least ten digits; not in comments or strings.)
    if (source if code is None else code).translate(_DIGITS_AS_ZERO).find(b"0" * 10) == -1:
        skip.add("integer")
    if _identifiers_valid(tree, source, code=code):
        skip.add("identifier")
    elif tree.root_node.has_error and not has_block_comment(source) and source.isascii():
        from wit_ls.syntax.broken import blanked, broken_ranges  # (a broken file only)

        broken = broken_ranges(tree)
        if broken:
            kept = _code(blanked(source, broken))
            if _identifiers_valid(tree, source, broken, kept):
                skip.add("identifier")
                ranged = ("identifier",)
            if "version" not in skip and _versions_and_attributes_valid(kept):
                skip.update(("version", "attribute"))
                ranged = (*ranged, "version", "attribute")
            if ranged:
                ranges = broken
    return tuple(kind for kind in ALL_KINDS if kind not in skip), ranges, ranged


# Every digit becomes `0`, any other byte a space: ten `0`s in a row are where an integer token
# can be larger than a list size may be.
_DIGITS_AS_ZERO = bytes(48 if 48 <= c <= 57 else 32 for c in range(256))
# The kinds found only where an `@` is (see `_at_spans`).
_AT_KINDS = frozenset({"version", "attribute"})
# More spans than this: one query over the whole tree instead.
_MAX_SPANS = 32


def _at_spans(tree: Tree, source: bytes) -> list[tuple[int, int]] | None:
    """The byte spans of the top-level nodes that hold an `@` or were parsed with an error
    (consecutive ones joined), or None for the whole tree: outside an error, a version
    follows an `@` in the same top-level node (a package name, a `use` path) or stands in an
    attribute, which begins with one; tree-sitter's recovery may read a version anywhere."""
    root = tree.root_node
    if root.type != "source_file":
        return None
    children = root.children
    starts = [c.start_byte for c in children]
    chosen: set[int] = set()
    at = source.find(b"@")
    while at != -1:
        index = bisect_right(starts, at) - 1
        if index >= 0:
            chosen.add(index)
            at = source.find(b"@", max(at + 1, children[index].end_byte))
        else:
            at = source.find(b"@", at + 1)
    if root.has_error:
        chosen.update(i for i, c in enumerate(children) if c.has_error or c.is_missing)
    spans: list[tuple[int, int]] = []
    for index in sorted(chosen):
        child = children[index]
        if spans and index - 1 in chosen:
            spans[-1] = (spans[-1][0], child.end_byte)
        else:
            spans.append((child.start_byte, child.end_byte))
    return spans if len(spans) <= _MAX_SPANS else None


# Characters the grammar skips as blanks (its extras: `\s` and U+FEFF) that wit-parser's lexer
# does not: it skips only spaces, tabs and line breaks (CR LF is one), and a byte-order mark only
# at the start of the file. (Other control characters are reported by `check_encoding`.)
_STRAY_BLANK = LazyPattern(
    rb"\r(?!\n)|\xc2\xa0|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]|\xe2\x81\x9f"
    rb"|\xe3\x80\x80|\xef\xbb\xbf"
)
_QUOTED_OR_COMMENT = COMMENT_NODES | {"string"}


def _stepped_over(tree: Tree) -> list[tuple[int, int]]:
    """The byte spans left out of ``tree``'s included ranges: the runs of line comments a
    check's parse steps over (`wit_ls.syntax.skip_comments`), which hold no node."""
    ranges = tree.included_ranges
    if len(ranges) < 2:
        return []
    return [(before.end_byte, after.start_byte) for before, after in pairwise(ranges)
            if after.start_byte > before.end_byte]


def _stray_blanks(tree: Tree, source: bytes) -> list[Diagnostic]:
    """wit-parser's "unexpected character" for each such blank outside comments and strings
    (a string reports its own characters)."""
    if source.isascii() and (source.find(b"\r") == -1
                             or source.count(b"\r") == source.count(b"\r\n")):
        return []
    out: list[Diagnostic] = []
    stepped_over = _stepped_over(tree)
    for match in _STRAY_BLANK.finditer(source):
        start, end = match.span()
        if start == 0 and match.group() == b"\xef\xbb\xbf":
            continue
        if stepped_over and any(a <= start < b for a, b in stepped_over):
            continue  # (in a run of line comments the parser stepped over)
        node: Node | None = tree.root_node.descendant_for_byte_range(start, end)
        while node is not None and node.type not in _QUOTED_OR_COMMENT:
            node = node.parent
        if node is not None:
            continue
        ch = match.group().decode("utf-8")
        shown = "\\r" if ch == "\r" else _escape(ch)
        out.append(Diagnostic(start, end, f"unexpected character '{shown}'",
                              "unexpected-character"))
    return out


def lexical_errors(tree: Tree, source: bytes, kinds: tuple[str, ...] | None = None,
                   code: bytes | None = None) -> list[Diagnostic]:
    """Every lexical problem in the tree (identifiers, versions, comments, attributes).

    The nodes to check are found by a query (in C) over only the kinds that can be wrong in
    this text (see `_kinds`; ``kinds`` overrides, e.g. ``ALL_KINDS``); valid identifiers take
    a regex fast path. Sorted by position. ``code``: ``source`` with each run of line comments
    made one space, when the caller has it (see `_code_and_strings`).
    """
    out: list[Diagnostic] = []
    ranges: list[tuple[int, int]] = []
    ranged: tuple[str, ...] = ()
    if kinds is None:
        kinds, ranges, ranged = _kinds(tree, source, code)
    spans = _at_spans(tree, source) if kinds and _AT_KINDS.issuperset(kinds) else None
    if spans is not None:
        # Only versions and attributes to check: in the top-level nodes where they can be.
        captures = []
        for start, end in spans:
            cursor = QueryCursor(_query(kinds))
            cursor.set_byte_range(start, end)
            captures.extend(cursor.captures(tree.root_node).get("node", []))
    elif kinds:
        captures = QueryCursor(_query(kinds)).captures(tree.root_node).get("node", [])
    else:
        captures = []
    if ranges:
        # (One span over them all: what is between them is valid, see `_kinds`.)
        cursor = QueryCursor(_query(ranged))
        cursor.set_byte_range(ranges[0][0], ranges[-1][1])
        captures = [*captures, *cursor.captures(tree.root_node).get("node", [])]
    for node in captures:
        kind = node.type
        if kind == "identifier":
            if node.is_missing:
                continue
            raw = source[node.start_byte : node.end_byte]
            if raw != b"from" and raw.isascii() and valid_identifier(raw):
                continue
            diag = _identifier(node, raw.decode("utf-8", "replace"))
        elif kind == "version":
            # A version token where no version can be (a tree-sitter error: `1create: func()`)
            # is wit-parser's integer followed by an identifier, which its parser rejects
            # ("found an integer", see first_error.py), not a version semver rejects.
            if node.is_missing or (node.parent is not None and node.parent.type == "ERROR"):
                continue
            diag = _version(
                node, source[node.start_byte : node.end_byte].decode("utf-8", "replace"), source
            )
        elif kind in ("block_comment", "doc_comment"):
            if source[node.start_byte : node.start_byte + 2] != b"/*":
                continue
            text = source[node.start_byte : node.end_byte].decode("utf-8", "replace")
            diag = (
                Diagnostic(
                    node.start_byte,
                    node.start_byte + 1,
                    "unterminated block comment",
                    "unterminated-comment",
                )
                if _unterminated(text)
                else None
            )
        elif kind == "string":
            diag = _string(node, source)
        elif kind == "attribute":
            raw = source[node.start_byte : node.end_byte]
            if raw in _GOOD_ATTRIBUTES:
                continue
            diag = _attribute(node, source)
            if diag is None and len(_GOOD_ATTRIBUTES) < 4096 and not node.has_error:
                _GOOD_ATTRIBUTES.add(raw)
        else:
            digits = source[node.start_byte : node.end_byte]
            diag = (
                Diagnostic(
                    node.start_byte,
                    node.end_byte,
                    "invalid list size: number too large to fit in target type",
                    "invalid-list-size",
                )
                if digits.isdigit() and int(digits) > _U32_MAX
                else None
            )
        if diag is not None:
            out.append(diag)
    # In position order, an identifier's own problem before what its attribute or version says
    # at the same range (wit-parser's lexer meets it first). Tree-sitter's captures are not
    # strictly in document order, and their order depends on the kinds asked for.
    out.extend(_stray_blanks(tree, source))
    out.sort(key=lambda d: (d.start, d.end, d.code not in _IDENTIFIER_CODES))
    return out


_IDENTIFIER_CODES = frozenset({"invalid-identifier", "keyword-as-identifier"})
