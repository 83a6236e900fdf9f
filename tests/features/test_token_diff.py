"""The semantic tokens delta's one edit (``semantic_tokens.diff``, which compares chunks of the
two lists at a time) must be the one an item-by-item scan finds, and turn the old data into
the new: over random data around the chunk size, with equal or changed beginnings and ends."""

from __future__ import annotations

import random

from wit_ls.features.semantic_tokens import _CHUNK, diff


def _scan(old: list[int], new: list[int]) -> tuple[int, int, list[int]]:
    n = min(len(old), len(new))
    prefix = 0
    while prefix < n and old[prefix] == new[prefix]:
        prefix += 1
    prefix -= prefix % 5
    suffix = 0
    while suffix < n - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    suffix -= suffix % 5
    return prefix, len(old) - prefix - suffix, new[prefix:len(new) - suffix]


def test_diff_is_the_scans_edit() -> None:
    rng = random.Random(9)
    for _ in range(400):
        size = 5 * rng.randint(0, 3 * _CHUNK // 5)
        old = [rng.randint(0, 3) for _ in range(size)]
        new = list(old)
        for _ in range(rng.randint(0, 3)):
            at = 5 * rng.randint(0, len(new) // 5)
            cut = min(len(new), at + 5 * rng.randint(0, 4))
            new[at:cut] = [rng.randint(0, 3) for _ in range(5 * rng.randint(0, 4))]
        start, delete, insert = diff(old, new)
        assert (start, delete, insert) == _scan(old, new)
        assert old[:start] + insert + old[start + delete:] == new
