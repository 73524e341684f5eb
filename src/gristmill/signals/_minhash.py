"""MinHash signatures and LSH banding, vectorised with numpy.

The pipeline, none of it a Python loop over texts or pairs:

1. words (``_normalize``) -> one 64-bit hash per distinct word (polynomial hash over its UTF-8
   bytes, then the murmur3 finaliser), so hashes do not depend on the other texts;
2. word n-grams -> one 32-bit shingle hash each (positions weighted by distinct odd constants);
3. ``num_perm`` hash functions ``h(x) = a*x + b mod 2^32`` (``a`` odd: a permutation of the 32-bit
   values) applied to all shingles at once, minimum per text with ``np.minimum.reduceat``;
4. LSH: the signature cut into ``bands`` of ``rows``; texts whose band hashes agree become
   candidate pairs (each bucket member paired with the bucket's first member and with its
   predecessor, so a bucket of size s costs O(s), never O(s^2)).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

_MIX_1 = 0xFF51AFD7ED558CCD
_MIX_2 = 0xC4CEB9FE1A85EC53
_BYTE_BASE = 0x100000001B3  # the FNV prime, as polynomial base


def mix64(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """murmur3's 64-bit finaliser: spreads every input bit over every output bit."""
    import numpy as np

    x = values.astype(np.uint64, copy=True)
    x ^= x >> np.uint64(33)
    x *= np.uint64(_MIX_1)
    x ^= x >> np.uint64(33)
    x *= np.uint64(_MIX_2)
    x ^= x >> np.uint64(33)
    return x


def string_hashes(strings: pa.Array) -> np.ndarray[Any, Any]:
    """A 64-bit hash of each string's UTF-8 bytes, independent of the other strings."""
    import numpy as np
    import pyarrow as pa

    strings = strings.cast(pa.large_string())
    offsets = np.frombuffer(strings.buffers()[1], dtype=np.int64)[
        strings.offset : strings.offset + len(strings) + 1
    ]
    data = np.frombuffer(strings.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    offsets = offsets - offsets[0]
    lengths = np.diff(offsets)
    if len(data) == 0:
        return mix64(lengths)
    owner = np.repeat(np.arange(len(lengths)), lengths)
    from_end = offsets[1:][owner] - 1 - np.arange(len(data))
    terms = data.astype(np.uint64) * _powers(int(lengths.max()))[from_end]
    nonempty = lengths > 0
    sums = np.zeros(len(lengths), dtype=np.uint64)
    sums[nonempty] = np.add.reduceat(terms, offsets[:-1][nonempty])
    return mix64(sums ^ lengths.astype(np.uint64))


@functools.cache
def _powers_cached(size: int) -> np.ndarray[Any, Any]:
    import numpy as np

    values, power = [], 1
    for _ in range(size):
        values.append(power)
        power = power * _BYTE_BASE % (1 << 64)
    return np.array(values, dtype=np.uint64)


def _powers(longest: int) -> np.ndarray[Any, Any]:
    # Rounded up to a power of two so the cache holds few sizes.
    return _powers_cached(1 << max(int(longest), 1).bit_length())


def shingle_hashes(
    word_hashes: np.ndarray[Any, Any], word_offsets: np.ndarray[Any, Any], ngram_size: int
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """``(shingles, shingle_offsets)``: 32-bit hashes of each text's word n-grams.

    A text shorter than ``ngram_size`` words gets one shingle of all its words; a text with no
    words gets none.
    """
    import numpy as np

    counts = np.diff(word_offsets)
    total = len(word_hashes)
    padded = np.concatenate([word_hashes, np.zeros(ngram_size, dtype=np.uint64)])
    combined = np.zeros(total, dtype=np.uint64)
    for j in range(ngram_size):
        combined += padded[j : j + total] * _position_weight(j)
    # An n-gram starting in the last n-1 words of a text would run into the next text.
    keep = np.ones(total, dtype=bool)
    for back in range(1, ngram_size):
        tail = word_offsets[1:] - back
        keep[tail[counts >= back]] = False
    short = np.flatnonzero((counts > 0) & (counts < ngram_size))
    if len(short):
        # A short text's one shingle: all its words, nothing from the next text.
        starts = word_offsets[short]
        partial = np.zeros(len(short), dtype=np.uint64)
        for j in range(ngram_size - 1):
            inside = j < counts[short]
            partial += np.where(inside, padded[starts + j] * _position_weight(j), np.uint64(0))
        combined[starts] = partial
        keep[starts] = True
    shingles = (mix64(combined[keep]) >> np.uint64(32)).astype(np.uint32)
    shingle_count = np.where(counts >= ngram_size, counts - ngram_size + 1, np.minimum(counts, 1))
    offsets = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(shingle_count, out=offsets[1:])
    return shingles, offsets


def _position_weight(position: int) -> np.uint64:
    import numpy as np

    # Distinct odd multipliers make "a b" and "b a" different shingles.
    return np.uint64(((2 * position + 1) * 0x9E3779B97F4A7C15 % (1 << 64)) | 1)


_PERMUTATION_BLOCK = 8192  # shingles per block: block x num_perm uint32 stays cache-sized


def signatures(
    shingles: np.ndarray[Any, Any], offsets: np.ndarray[Any, Any], num_perm: int, seed: int
) -> np.ndarray[Any, Any]:
    """MinHash signatures, shape ``(num_perm, texts)``; every text must have a shingle.

    Shingles are processed in blocks of whole texts, all permutations of a block at once, so
    each block is read from memory once rather than once per permutation.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    multipliers = rng.integers(1, 1 << 32, size=num_perm, dtype=np.uint64).astype(np.uint32) | 1
    increments = rng.integers(0, 1 << 32, size=num_perm, dtype=np.uint64).astype(np.uint32)
    multipliers, increments = multipliers[:, None], increments[:, None]
    starts = offsets[:-1]
    texts = len(starts)
    result = np.empty((num_perm, texts), dtype=np.uint32)
    first = 0
    while first < texts:
        # Whole texts, about _PERMUTATION_BLOCK shingles (at least one text).
        last = int(np.searchsorted(starts, starts[first] + _PERMUTATION_BLOCK, side="right"))
        last = max(last, first + 1)
        low, high = starts[first], offsets[last]
        block = shingles[low:high][None, :] * multipliers
        block += increments
        result[:, first:last] = np.minimum.reduceat(block, starts[first:last] - low, axis=1)
        first = last
    return result


def lsh_parameters(threshold: float, num_perm: int) -> tuple[int, int]:
    """``(bands, rows)`` with ``bands * rows <= num_perm`` that best separate ``threshold``.

    Minimises the area of missed pairs above the threshold plus (weighted lower, since every
    candidate is verified afterwards) the area of candidates below it, for the S-curve
    ``1 - (1 - s^rows)^bands``.
    """
    import numpy as np

    similarity = np.linspace(0.0, 1.0, 1001)
    best: tuple[float, int, int] | None = None
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        probability = 1.0 - (1.0 - similarity**rows) ** bands
        # Riemann sums on the uniform grid (np.trapezoid is numpy >= 2 only).
        false_positive = probability[similarity < threshold].sum() / len(similarity)
        false_negative = (1 - probability[similarity >= threshold]).sum() / len(similarity)
        error = 0.1 * false_positive + 0.9 * false_negative
        if best is None or error < best[0]:
            best = (error, bands, rows)
    assert best is not None
    return best[1], best[2]


def band_candidates(
    signature: np.ndarray[Any, Any], band: int, rows: int
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Index pairs whose ``band`` of the signature agrees (may repeat across bands)."""
    import numpy as np

    count = signature.shape[1]
    block = signature[band * rows : (band + 1) * rows].astype(np.uint64)
    key = np.zeros(count, dtype=np.uint64)
    for row in range(rows):
        key = mix64(key ^ block[row])
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    same_as_previous = np.zeros(count, dtype=bool)
    same_as_previous[1:] = ordered[1:] == ordered[:-1]
    members = np.flatnonzero(same_as_previous)
    if len(members) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    bucket_start = np.maximum.accumulate(np.where(same_as_previous, 0, np.arange(count)))
    # Each member pairs with its bucket's first member and with its predecessor.
    chained = members[bucket_start[members] != members - 1]
    first = np.concatenate([order[bucket_start[members]], order[chained - 1]])
    second = np.concatenate([order[members], order[chained]])
    return first.astype(np.int64), second.astype(np.int64)


def estimated_jaccard(
    by_text: np.ndarray[Any, Any], first: np.ndarray[Any, Any], second: np.ndarray[Any, Any]
) -> np.ndarray[Any, Any]:
    """The share of equal signature values per pair.

    ``by_text`` is the signature transposed to ``(texts, num_perm)``, so each pair reads two
    contiguous rows; pairs go in blocks to bound memory.
    """
    import numpy as np

    result = np.empty(len(first), dtype=np.float64)
    block = max(1, 4_000_000 // max(by_text.shape[1], 1))
    for start in range(0, len(first), block):
        stop = start + block
        equal = by_text[first[start:stop]] == by_text[second[start:stop]]
        result[start:stop] = equal.mean(axis=1)
    return result
