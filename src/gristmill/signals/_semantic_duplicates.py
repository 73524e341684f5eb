"""Semantic duplicates (SemDeDup-style): rows whose embeddings have cosine >= threshold.

Up to ``exact_limit`` rows, every pair is compared (blocked matrix products). Above it, as in
SemDeDup, spherical k-means (about sqrt(n) centroids, trained on a sample) partitions the rows,
each row joins its ``probes`` nearest partitions so that near pairs on a boundary still meet, and
pairs are compared only within a partition. Clusters are the connected components of the pairs
found, so the cost is about n^1.5 * d instead of n^2 * d.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import pydantic

from gristmill.errors import InvalidInputError
from gristmill.signals._components import connected_components, dense_groups
from gristmill.signals._signal import EmbeddingSignal, SignalScope, register_signal

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

_BLOCK = 2048


@register_signal
class SemanticDuplicateSignal(EmbeddingSignal):
    """Clusters of rows with embedding cosine >= ``threshold``: ``{cluster_id, cluster_size}``.

    Rows whose vector is missing (all zeros or NaN) get ``None``.
    """

    name: ClassVar[str] = "semantic_duplicates"
    scope: ClassVar[SignalScope] = "dataset"

    threshold: float = pydantic.Field(default=0.95, gt=0.0, le=1.0)
    exact_limit: int = pydantic.Field(default=10_000, ge=0)
    probes: int = pydantic.Field(default=2, ge=1, le=16)
    seed: int = 0

    def output_type(self) -> pa.DataType:
        import pyarrow as pa

        return pa.struct([("cluster_id", pa.int64()), ("cluster_size", pa.int64())])

    def compute_from_vectors(self, vectors: np.ndarray[Any, Any]) -> list[Any]:
        import numpy as np

        matrix = np.asarray(vectors, dtype=np.float32)
        if matrix.ndim != 2:
            raise InvalidInputError(
                f"semantic_duplicates needs a 2-D array (rows, dims), got shape {matrix.shape}",
                hint="pass one embedding vector per row, stacked with np.vstack",
            )
        norms = np.linalg.norm(np.nan_to_num(matrix), axis=1)
        present = np.flatnonzero(np.isfinite(matrix).all(axis=1) & (norms > 0))
        outputs: list[Any] = [None] * len(matrix)
        if len(present) == 0:
            return outputs
        # Re-normalise: cosine must not depend on the caller's normalisation being exact.
        unit = matrix[present] / norms[present, None]
        first, second = self.similar_pairs(unit)
        labels = connected_components(len(present), first, second)
        cluster_id, size, _ = dense_groups(labels)
        for position, cluster, count in zip(
            present.tolist(), cluster_id.tolist(), size.tolist(), strict=True
        ):
            outputs[position] = {"cluster_id": cluster, "cluster_size": count}
        return outputs

    def similar_pairs(
        self, unit: np.ndarray[Any, Any]
    ) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        """Pairs ``(i, j)``, ``i < j``, at cosine >= threshold (approximate above the limit)."""
        import numpy as np

        if len(unit) <= self.exact_limit:
            return _pairs_within(unit, np.arange(len(unit)), self.threshold)
        partitions = _partitions(unit, self.probes, self.seed)
        found_first, found_second = [], []
        for members in partitions:
            first, second = _pairs_within(unit[members], members, self.threshold)
            found_first.append(first)
            found_second.append(second)
        codes = np.unique(np.concatenate(found_first) * len(unit) + np.concatenate(found_second))
        return codes // len(unit), codes % len(unit)


def _pairs_within(
    unit: np.ndarray[Any, Any], index: np.ndarray[Any, Any], threshold: float
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """All pairs of ``unit``'s rows at cosine >= threshold, as original indices (low, high)."""
    import numpy as np

    firsts, seconds = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for start in range(0, len(unit), _BLOCK):
        block = unit[start : start + _BLOCK]
        # Only the upper triangle: columns from this block's first row on.
        similarity = block @ unit[start:].T
        rows, columns = np.nonzero(similarity >= threshold)
        columns = columns + start
        rows = rows + start
        upper = columns > rows
        low, high = index[rows[upper]], index[columns[upper]]
        firsts.append(np.minimum(low, high).astype(np.int64))
        seconds.append(np.maximum(low, high).astype(np.int64))
    return np.concatenate(firsts), np.concatenate(seconds)


def _partitions(
    unit: np.ndarray[Any, Any], probes: int, seed: int, iterations: int = 10
) -> Sequence[np.ndarray[Any, Any]]:
    """Spherical k-means on a sample; each row joins its ``probes`` nearest centroids."""
    import numpy as np

    count = len(unit)
    rng = np.random.default_rng(seed)
    k = max(2, int(np.sqrt(count)))
    sample = unit[rng.choice(count, size=min(count, 64 * k), replace=False)]
    centroids = sample[rng.choice(len(sample), size=k, replace=False)].copy()
    for _ in range(iterations):
        nearest = np.argmax(sample @ centroids.T, axis=1)
        sums = np.zeros_like(centroids)
        np.add.at(sums, nearest, sample)
        lengths = np.linalg.norm(sums, axis=1)
        filled = lengths > 0
        centroids[filled] = sums[filled] / lengths[filled, None]
    assignments = []
    for start in range(0, count, 8192):
        scores = unit[start : start + 8192] @ centroids.T
        top = np.argpartition(-scores, kth=min(probes, k) - 1, axis=1)[:, : min(probes, k)]
        assignments.append(top)
    assigned = np.concatenate(assignments)
    rows = np.repeat(np.arange(count), assigned.shape[1])
    cells = assigned.ravel()
    order = np.argsort(cells, kind="stable")
    boundaries = np.flatnonzero(np.diff(cells[order])) + 1
    return [group for group in np.split(rows[order], boundaries) if len(group) > 1]
