"""The hashed bag-of-words embedding both tools use in the side-by-side benchmark.

No hub model downloads work on the benchmark machine, and the two tools bundle different
models, so their semantic steps would not time the same work. This function is registered in
both (Gristmill's embedding registry, Lilac's ``register_embedding``): lower-cased ``\\w+``
tokens, each hashed by CRC-32 (the same bucket in every process, unlike Python's salted
``hash()``) into one of ``DIM`` buckets, counted, then L2-normalised. It imports nothing but
the standard library and NumPy, so Lilac's environment can import it as it is.
"""

from __future__ import annotations

import re
import zlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

NAME = "bow"
DIM = 256
MODEL_ID = f"bench/bow-crc32-{DIM}"
_TOKEN = re.compile(r"\w+")
# Token -> bucket, filled as texts come in: the vocabulary is small next to the token count.
_buckets: dict[str, int] = {}


def _bucket(token: str) -> int:
    found = _buckets.get(token)
    if found is None:
        found = _buckets[token] = zlib.crc32(token.encode("utf-8")) % DIM
    return found


def embed(texts: list[str]) -> npt.NDArray[np.float32]:
    """float32 ``[len(texts), DIM]``; a text without a token gets a zero vector."""
    import numpy as np

    rows: list[int] = []
    buckets: list[int] = []
    for row, text in enumerate(texts):
        for token in _TOKEN.findall(text.lower()):
            rows.append(row)
            buckets.append(_bucket(token))
    flat = np.asarray(rows, dtype=np.int64) * DIM + np.asarray(buckets, dtype=np.int64)
    counts = np.bincount(flat, minlength=len(texts) * DIM).astype(np.float32)
    matrix = counts.reshape(len(texts), DIM)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    # Dividing by 1 leaves an empty text's zero vector as it is instead of making NaNs.
    matrix /= np.where(norms > 0, norms, 1.0)
    return matrix
