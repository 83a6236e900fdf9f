"""Where random edits land in the incremental-equivalence tests."""

from __future__ import annotations

import random


def token_end(rng: random.Random, data: bytes) -> int:
    """Mostly the end of a token (a byte before a space, a newline or punctuation), where
    typing extends or follows it; sometimes anywhere."""
    ends = [i for i in range(1, len(data)) if data[i:i + 1] in b" \n;,(){}<>:"
            and data[i - 1:i] not in b" \n"]
    if not ends:  # a text with no token end (empty, or all blanks)
        return rng.randrange(len(data) + 1)
    return rng.choice(ends) if rng.random() < 0.8 else rng.randrange(len(data) + 1)
