"""Dropping repeats from generated examples: exact (after normalising case and spaces) and near
(embedding cosine over a threshold), measured against everything the class already holds.

Small LLMs repeat themselves a lot; training on ten copies of one sentence would weigh it ten
times and make the class look more diverse than it is, so the kept share is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from gristmill.embed import EmbeddingModel

_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    return _SPACES.sub(" ", text).strip().casefold()


@dataclass
class DedupResult:
    kept: list[str]
    exact_duplicates: int
    near_duplicates: int
    # 1 - mean pairwise cosine of the kept generations (0: all the same; ~1: unrelated texts).
    diversity: float | None


def drop_duplicates(
    candidates: list[str],
    existing: list[str],
    embedding: EmbeddingModel,
    threshold: float,
    vectors_of: dict[str, npt.NDArray[np.float32]],
) -> DedupResult:
    """The candidates that are neither exact nor near repeats of each other or of ``existing``.

    ``vectors_of`` caches embeddings by text (shared with training, so nothing is embedded twice).
    """
    import numpy as np

    seen = {normalise(text) for text in existing}
    unique: list[str] = []
    exact = 0
    for text in candidates:
        key = normalise(text)
        if not key or key in seen:
            exact += 1
            continue
        seen.add(key)
        unique.append(text)
    embed_missing(embedding, [*existing, *unique], vectors_of)
    kept: list[str] = []
    kept_vectors: list[npt.NDArray[np.float32]] = [vectors_of[text] for text in existing]
    near = 0
    for text in unique:
        vector = vectors_of[text]
        if kept_vectors and float(np.max(np.stack(kept_vectors) @ vector)) > threshold:
            near += 1
            continue
        kept.append(text)
        kept_vectors.append(vector)
    return DedupResult(kept, exact, near, diversity([vectors_of[t] for t in kept]))


def diversity(vectors: list[npt.NDArray[np.float32]]) -> float | None:
    import numpy as np

    if len(vectors) < 2:
        return None
    matrix = np.stack(vectors)
    similarity = matrix @ matrix.T
    count = len(vectors)
    mean_off_diagonal = (float(similarity.sum()) - float(np.trace(similarity))) / (
        count * (count - 1)
    )
    return round(1.0 - mean_off_diagonal, 4)


def embed_missing(
    embedding: EmbeddingModel, texts: list[str], vectors_of: dict[str, npt.NDArray[np.float32]]
) -> None:
    missing = list(dict.fromkeys(t for t in texts if t not in vectors_of))
    if missing:
        for text, vector in zip(missing, embedding.embed(missing), strict=True):
            vectors_of[text] = vector
