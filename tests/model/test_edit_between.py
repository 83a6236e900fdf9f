"""The one edit between two texts (``token_moves.edit_between``): the bytes between their
longest common prefix and their longest common suffix (which do not overlap)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from wit_ls.model.token_moves import edit_between

TEXT = st.binary(max_size=300) | st.lists(st.sampled_from([b"a", b"b", b"\n", b"xy" * 40]),
                                          max_size=300).map(b"".join)


@given(TEXT, TEXT)
def test_the_edit_is_between_the_longest_common_prefix_and_suffix(old: bytes,
                                                                   new: bytes) -> None:
    shift = edit_between(old, new)
    start, old_end, new_end = shift.start, shift.old_end, shift.new_end
    tail = len(old) - old_end
    assert tail == len(new) - new_end
    assert old[:start] == new[:start] and old[old_end:] == new[new_end:]
    assert start <= old_end and start <= new_end
    # Longest: one byte more on either side is not shared (or not there).
    assert start == min(len(old), len(new)) or old[start] != new[start]
    assert tail + start == min(len(old), len(new)) or old[old_end - 1] != new[new_end - 1]


@given(TEXT, st.integers(0, 300), st.integers(0, 20), TEXT)
def test_one_edit_is_given_back(text: bytes, at: int, cut: int,
                                            typed: bytes) -> None:
    at = min(at, len(text))
    new = text[:at] + typed + text[at + cut:]
    shift = edit_between(text, new)
    assert shift.start <= shift.old_end and shift.start <= shift.new_end
    # (Its bytes may sit elsewhere than typed: `a` typed before `a` is found after it.)
    assert new[:shift.start] + new[shift.start:shift.new_end] + new[shift.new_end:] == new
    assert text[:shift.start] + new[shift.start:shift.new_end] + text[shift.old_end:] == new
