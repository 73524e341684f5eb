"""HDBSCAN on the reduced points, then every noise point joins its nearest cluster.

HDBSCAN leaves points in sparse regions unlabelled (often 20-45% of a text dataset). Every row must
belong to a cluster, so a noise point takes the cluster that dominates its nearest clustered
neighbours (distance-weighted vote); its membership probability is that cluster's share of the
vote, scaled by how close the point is compared with the cluster's own members, so a point far
from everything gets a low probability instead of a confident one.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gristmill.errors import missing_dependency

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

NOISE_NEIGHBOURS = 15


@dataclass(frozen=True)
class DensitySettings:
    """HDBSCAN settings (tuned for purity with every row assigned; see benchmarks)."""

    min_cluster_size: int
    min_samples: int | None
    selection_method: str
    selection_epsilon: float


@dataclass
class Clustering:
    """Cluster ids (0..k-1, no noise left) and membership probabilities per point."""

    labels: npt.NDArray[np.int32]
    probabilities: npt.NDArray[np.float32]
    num_noise: int


def find_clusters(coords: npt.NDArray[np.float32], settings: DensitySettings) -> Clustering:
    """Density clusters of ``coords``, with the noise points assigned to their nearest cluster."""
    import numpy as np

    try:
        import hdbscan
    except ImportError as exc:
        raise missing_dependency("hdbscan", "cluster", "clustering") from exc

    n = len(coords)
    min_size = max(2, min(settings.min_cluster_size, n))
    model = hdbscan.HDBSCAN(
        min_cluster_size=min_size,
        min_samples=min(settings.min_samples or min_size, n - 1) if n > 1 else None,
        cluster_selection_method=settings.selection_method,
        cluster_selection_epsilon=settings.selection_epsilon,
        core_dist_n_jobs=1,
    )
    with warnings.catch_warnings():
        # sklearn/hdbscan deprecation chatter says nothing about the result.
        warnings.simplefilter("ignore", FutureWarning)
        labels = np.asarray(model.fit_predict(coords), dtype=np.int32)
    probabilities = np.asarray(model.probabilities_, dtype=np.float32)
    noise = labels < 0
    num_noise = int(noise.sum())
    if num_noise == n:
        # No dense region at all (e.g. identical or uniformly spread texts): one cluster.
        return Clustering(np.zeros(n, np.int32), np.ones(n, np.float32), num_noise)
    if num_noise:
        assigned, probs = _assign_noise(coords, labels)
        labels[noise] = assigned
        probabilities[noise] = probs
    return Clustering(labels, probabilities, num_noise)


def _assign_noise(
    coords: npt.NDArray[np.float32],
    labels: npt.NDArray[np.int32],
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]:
    import faiss
    import numpy as np

    clustered = np.flatnonzero(labels >= 0)
    noise = np.flatnonzero(labels < 0)
    points = np.ascontiguousarray(coords[clustered], dtype=np.float32)
    index = faiss.IndexFlatL2(points.shape[1])
    index.add(points)
    k = min(NOISE_NEIGHBOURS, len(clustered))
    squared, found = index.search(np.ascontiguousarray(coords[noise], dtype=np.float32), k)
    distances = np.sqrt(np.maximum(squared, 0.0))
    neighbour_labels = labels[clustered][found]
    weights = 1.0 / (distances + 1e-6)
    num_clusters = int(labels.max()) + 1
    votes = np.zeros((len(noise), num_clusters), np.float64)
    np.add.at(
        votes, (np.repeat(np.arange(len(noise)), k), neighbour_labels.ravel()), weights.ravel()
    )
    winners = votes.argmax(axis=1).astype(np.int32)
    share = votes.max(axis=1) / votes.sum(axis=1)
    # How far the point sits from the cluster compared with the members' typical spacing.
    typical = _typical_spacing(points, labels[clustered], num_clusters)
    nearest = distances[:, 0]
    closeness = np.minimum(1.0, typical[winners] / np.maximum(nearest, 1e-6))
    return winners, (share * closeness).astype(np.float32)


def _typical_spacing(
    points: npt.NDArray[np.float32], labels: npt.NDArray[np.int32], num_clusters: int
) -> npt.NDArray[np.float64]:
    """Median distance from each cluster's members to their nearest other member."""
    import faiss
    import numpy as np

    index = faiss.IndexFlatL2(points.shape[1])
    index.add(points)
    squared, _ = index.search(points, 2)
    gaps = np.sqrt(np.maximum(squared[:, 1], 0.0))
    spacing = np.ones(num_clusters, np.float64)
    for cluster in range(num_clusters):
        members = gaps[labels == cluster]
        if len(members):
            spacing[cluster] = max(float(np.median(members)), 1e-6)
    return spacing
