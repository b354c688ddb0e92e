"""Near-duplicate fingerprints: MinHash signatures of word shingles and their LSH band keys (pure)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
BANDS, ROWS = 32, 4
"""32 bands of 4 rows: two stories sharing ~45 % of shingles become candidates half the time."""
SHINGLE_WORDS = 5
THRESHOLD = 0.6
"""Estimated Jaccard similarity from which a candidate counts as the same story."""
SEED = 20260504  # fixed: signatures stored by one worker are compared by every other

_WORD = re.compile(r"\w+")
SCHEME = "affine32"  # named, not defaulted: signatures in the database must stay comparable on upgrades
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations  # computed once, reused


@dataclass(frozen=True)
class Fingerprint:
    """A story's MinHash signature and the LSH bucket key of each band."""

    signature: bytes
    bands: tuple[str, ...]


def shingles(paragraphs: Sequence[str]) -> set[bytes]:
    """Overlapping 5-word shingles of the body, case-folded; the headline is left out (sites rewrite it)."""
    words = [w.casefold() for p in paragraphs for w in _WORD.findall(p)]
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i:i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)}


def fingerprint(paragraphs: Sequence[str]) -> Fingerprint:
    """The fingerprint of a story body."""
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=_PERMUTATIONS, scheme=SCHEME)
    minhash.update_batch(list(shingles(paragraphs)))
    values = minhash.hashvalues.astype(np.uint64)
    bands = tuple(
        f"{b}:{hashlib.blake2b(values[b * ROWS:(b + 1) * ROWS].tobytes(), digest_size=8).hexdigest()}"
        for b in range(BANDS)
    )
    return Fingerprint(signature=values.tobytes(), bands=bands)


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two stored signatures."""
    x, y = np.frombuffer(a, dtype=np.uint64), np.frombuffer(b, dtype=np.uint64)
    return float(np.count_nonzero(x == y)) / len(x)
