"""Clusters for rows outside the fitted sample: a vote of their nearest fitted neighbours.

UMAP and HDBSCAN are fitted on at most ``max_fit_rows`` rows (their cost grows faster than
linearly, and a 20k sample already shows every cluster big enough to title). Every other row takes
the cluster most of its nearest fitted rows belong to, found in the embedding space with faiss —
far cheaper than ``UMAP.transform`` and as accurate for assignment
(``gristmill.embed.nearest_among`` switches to an approximate index for large searches).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gristmill.embed import nearest_among

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

NEIGHBOURS = 10
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
    import numpy as np

    if len(others) == 0:
        return np.zeros(0, np.int32), np.zeros(0, np.float32)
    similarities, found = nearest_among(fitted, others, NEIGHBOURS, seed=seed)
    k = found.shape[1]
    num_clusters = int(fitted_labels.max()) + 1
    labels = np.zeros(len(others), np.int32)
    probabilities = np.zeros(len(others), np.float32)
    # In blocks: the votes matrix is rows x clusters.
    for start in range(0, len(others), BATCH_ROWS):
        block = slice(start, start + BATCH_ROWS)
        valid = found[block] >= 0
        safe = np.where(valid, found[block], 0)
        weights = np.where(valid, np.maximum(similarities[block], 0.0) + 1e-6, 0.0)
        votes = np.zeros((len(safe), num_clusters), np.float64)
        rows = np.repeat(np.arange(len(safe)), k)
        np.add.at(votes, (rows, fitted_labels[safe].ravel()), weights.ravel())
        winners = votes.argmax(axis=1)
        share = votes.max(axis=1) / np.maximum(votes.sum(axis=1), 1e-12)
        agreeing = (fitted_labels[safe] == winners[:, None]) & valid
        mean_prob = (fitted_probabilities[safe] * agreeing).sum(axis=1) / np.maximum(
            agreeing.sum(axis=1), 1
        )
        labels[block] = winners
        probabilities[block] = share * mean_prob
    return labels, probabilities
