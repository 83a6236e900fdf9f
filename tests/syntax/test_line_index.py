"""Line index: byte offsets <-> (line, column) in UTF-8, UTF-16 and UTF-32 units."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from wit_ls.syntax import LineIndex

# Text with ASCII, two-, three- and four-byte characters, CRLF and lone CR.
ALPHABET = st.sampled_from([*"ab -;{}\n\r\t", "\r\n", "é", "ß", "€", "中", "😀", "𝄞"])
TEXTS = st.lists(ALPHABET, max_size=60).map("".join)


def _expected_position(text: str, char_index: int, encoding: str) -> tuple[int, int]:
    """Position of the character at ``char_index`` computed independently, from the text."""
    before = text[:char_index]
    line = before.count("\n")
    line_text = before[before.rfind("\n") + 1 :]
    if encoding == "utf-8":
        return line, len(line_text.encode("utf-8"))
    if encoding == "utf-16":
        return line, len(line_text.encode("utf-16-le")) // 2
    return line, len(line_text)


@settings(max_examples=300)
@given(TEXTS, st.data())
def test_offset_and_position_round_trip(text: str, data: st.DataObject) -> None:
    index = LineIndex(text)
    char_index = data.draw(st.integers(0, len(text)))
    offset = len(text[:char_index].encode("utf-8"))
    for encoding in ("utf-8", "utf-16", "utf-32"):
        expected = _expected_position(text, char_index, encoding)
        assert index.position(offset, encoding) == expected  # type: ignore[arg-type]
        assert index.offset(*expected, encoding) == offset  # type: ignore[arg-type]


def test_astral_characters_count_two_utf16_units() -> None:
    index = LineIndex("a😀b\n")
    offset_of_b = len("a😀".encode())
    assert index.position(offset_of_b, "utf-16") == (0, 3)
    assert index.position(offset_of_b, "utf-32") == (0, 2)
    assert index.position(offset_of_b, "utf-8") == (0, 5)
    assert index.offset(0, 3, "utf-16") == offset_of_b


def test_crlf_lines_split_at_newline() -> None:
    index = LineIndex("ab\r\ncd\r\n")
    assert index.line_count == 3
    assert index.position(4) == (1, 0)
    assert index.line_text(0) == b"ab"
    assert index.line_end(1) == 6


def test_columns_past_the_end_clamp_to_the_line() -> None:
    index = LineIndex("abc\ndef")
    assert index.offset(0, 99) == 3
    assert index.offset(5, 0) == 7
    assert index.position(999) == (1, 3)


def test_offset_inside_a_multibyte_character_counts_from_its_start() -> None:
    index = LineIndex("é")
    assert index.position(1, "utf-16") == (0, 0)


def test_invalid_utf8_bytes_count_one_unit_each() -> None:
    index = LineIndex(b"a\xff\xfeb")
    assert index.position(3, "utf-16") == (0, 3)
    assert index.offset(0, 3, "utf-16") == 3


@settings(max_examples=300)
@given(st.lists(st.sampled_from([b"a", b"\n", b"\xc3\xa9", b"\xe2\x82\xac", b"\xf0\x9f\x98\x80",
                                 b"\xff", b"\x80", b"\xe2\x82", b"\xed\xa0\x80"]),
                max_size=40).map(b"".join), st.data())
def test_columns_of_any_bytes_count_as_their_decoded_prefix(data: bytes,
                                                            draw: st.DataObject) -> None:
    # Repeated look-ups on one line use a per-line table; each must equal decoding the line's
    # prefix up to the offset (backed up to a character start) on its own.
    index = LineIndex(data)
    for offset in draw.draw(st.lists(st.integers(0, len(data)), min_size=1, max_size=8)):
        start = data.rfind(b"\n", 0, offset) + 1
        back = offset
        while start < back < len(data) and data[back] & 0xC0 == 0x80:
            back -= 1
        prefix = data[start:back].decode("utf-8", errors="surrogateescape")
        astral = sum(1 for ch in prefix if ord(ch) > 0xFFFF)
        line = data.count(b"\n", 0, offset)
        assert index.position(offset, "utf-16") == (line, len(prefix) + astral)
        assert index.position(offset, "utf-32") == (line, len(prefix))
        assert index.position(offset, "utf-8") == (line, back - start)


@settings(max_examples=400)
@given(TEXTS, TEXTS, st.data())
def test_an_index_edited_equals_one_made_afresh(text: str, typed: str,
                                                data: st.DataObject) -> None:
    """`LineIndex.edited` (after a keystroke, the line starts kept or moved) answers every
    conversion as an index of the new text made afresh, also for lines whose column tables
    the old index had built."""
    source = text.encode("utf-8")
    start = data.draw(st.integers(0, len(source)))
    end = data.draw(st.integers(start, len(source)))
    old = LineIndex(source)
    for offset in range(len(source) + 1):
        old.position(offset, "utf-16")
    new_source = source[:start] + typed.encode("utf-8") + source[end:]
    edited = old.edited(start, end, typed.encode("utf-8"), new_source)
    fresh = LineIndex(new_source)
    assert edited.line_count == fresh.line_count
    for line in range(fresh.line_count + 1):
        assert edited.line_start(line) == fresh.line_start(line)
        assert edited.line_end(line) == fresh.line_end(line)
    for offset in range(len(new_source) + 1):
        for encoding in ("utf-8", "utf-16", "utf-32"):
            assert edited.position(offset, encoding) == fresh.position(offset, encoding)
            line, column = fresh.position(offset, encoding)
            assert edited.offset(line, column, encoding) == fresh.offset(line, column, encoding)
