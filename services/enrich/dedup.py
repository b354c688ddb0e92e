"""Near-duplicate fingerprints: MinHash signatures of word shingles and their LSH band keys (pure)."""

from __future__ import annotations

import functools
import hashlib
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

from services.enrich.text import body_words

NUM_PERM = 128
BANDS, ROWS = 32, 4
"""32 bands of 4 rows: two stories sharing ~45 % of shingles become candidates half the time."""
SHINGLE_WORDS = 5
THRESHOLD = 0.6
"""Estimated Jaccard similarity from which a candidate counts as the same story."""
SEED = 20260504  # fixed: signatures stored by one worker are compared by every other

SCHEME = "affine32"  # named, not defaulted: signatures in the database must stay comparable on upgrades
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations  # computed once, reused


@dataclass(frozen=True)
class Fingerprint:
    """A story's MinHash signature and the LSH bucket key of each band."""

    signature: bytes
    bands: tuple[str, ...]


_MIX = np.uint64(0x9E3779B97F4A7C15)
"""Odd 64-bit multiplier (golden ratio) combining word hashes into a shingle hash."""


@functools.lru_cache(maxsize=65_536)
def _word_hash(word: str) -> int:
    return zlib.crc32(word.casefold().encode())


def shingle_hashes(paragraphs: Sequence[str]) -> list[int]:
    """32-bit hashes of the distinct overlapping 5-word shingles of the body, case-folded.

    The headline is left out (sites rewrite it). Each word is hashed once (crc32) and
    the five hashes of a shingle are combined with vectorized arithmetic: a story's
    ~800 shingles cost a few numpy operations instead of 800 string joins and sha1 calls.
    """
    words = np.fromiter(map(_word_hash, body_words(tuple(paragraphs))), dtype=np.uint64)
    if words.size == 0:
        return []
    width = min(SHINGLE_WORDS, int(words.size))
    combined = np.zeros(words.size - width + 1, dtype=np.uint64)
    for k in range(width):  # uint64 arithmetic wraps: a polynomial hash modulo 2**64
        combined = combined * _MIX + words[k:words.size - width + 1 + k]
    folded = (combined ^ (combined >> np.uint64(32))) & np.uint64(0xFFFFFFFF)
    return [int(h) for h in np.unique(folded)]


def fingerprint(paragraphs: Sequence[str]) -> Fingerprint:
    """The fingerprint of a story body."""
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=_PERMUTATIONS, scheme=SCHEME, hashfunc=int)
    minhash.update_batch(shingle_hashes(paragraphs))
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
