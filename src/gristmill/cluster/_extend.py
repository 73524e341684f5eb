"""Clusters for rows outside the fitted sample: a vote of their nearest fitted neighbours.

UMAP and HDBSCAN are fitted on at most ``max_fit_rows`` rows (their cost grows faster than
linearly, and a 20k sample already shows every cluster big enough to title). Every other row takes
the cluster most of its nearest fitted rows belong to, found in the embedding space with faiss —
far cheaper than ``UMAP.transform`` and as accurate for assignment. Past a few hundred million
distance computations an IVF index (probing a share of the lists) keeps 1M rows to seconds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

NEIGHBOURS = 10
EXACT_SEARCH_LIMIT = 300_000_000
BATCH_ROWS = 50_000


def extend_clusters(
    fitted: npt.NDArray[np.float32],
    fitted_labels: npt.NDArray[np.int32],
    fitted_probabilities: npt.NDArray[np.float32],
    others: npt.NDArray[np.float32],
    *,
    seed: int,
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]:
    """Cluster ids and membership probabilities for ``others`` (unit rows)."""
    import faiss
    import numpy as np

    if len(others) == 0:
        return np.zeros(0, np.int32), np.zeros(0, np.float32)
    dim = fitted.shape[1]
    base = np.ascontiguousarray(fitted, dtype=np.float32)
    if len(base) * len(others) <= EXACT_SEARCH_LIMIT:
        index: object = faiss.IndexFlatIP(dim)
    else:
        lists = max(16, int(np.sqrt(len(base))))
        quantizer = faiss.IndexFlatIP(dim)
        ivf = faiss.IndexIVFFlat(quantizer, dim, lists, faiss.METRIC_INNER_PRODUCT)
        ivf.cp.seed = seed
        ivf.train(base)
        ivf.nprobe = max(4, lists // 16)
        # `quantizer` stays referenced by this frame for as long as the index is searched.
        index = ivf
    index.add(base)  # type: ignore[attr-defined]
    k = min(NEIGHBOURS, len(base))
    num_clusters = int(fitted_labels.max()) + 1
    labels = np.zeros(len(others), np.int32)
    probabilities = np.zeros(len(others), np.float32)
    for start in range(0, len(others), BATCH_ROWS):
        block = np.ascontiguousarray(others[start : start + BATCH_ROWS], dtype=np.float32)
        similarities, found = index.search(block, k)  # type: ignore[attr-defined]
        valid = found >= 0
        safe = np.where(valid, found, 0)
        weights = np.where(valid, np.maximum(similarities, 0.0) + 1e-6, 0.0)
        votes = np.zeros((len(block), num_clusters), np.float64)
        rows = np.repeat(np.arange(len(block)), k)
        np.add.at(votes, (rows, fitted_labels[safe].ravel()), weights.ravel())
        winners = votes.argmax(axis=1)
        share = votes.max(axis=1) / np.maximum(votes.sum(axis=1), 1e-12)
        agreeing = (fitted_labels[safe] == winners[:, None]) & valid
        mean_prob = (fitted_probabilities[safe] * agreeing).sum(axis=1) / np.maximum(
            agreeing.sum(axis=1), 1
        )
        labels[start : start + len(block)] = winners
        probabilities[start : start + len(block)] = share * mean_prob
    return labels, probabilities
