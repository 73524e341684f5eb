"""Categories: the clusters' centroids grouped once more, so thousands of rows read as a few themes.

Agglomerative clustering (Ward linkage) over the unit-length cluster centroids is deterministic and
instant for the few hundred centroids a dataset yields; on unit vectors Euclidean distance orders
pairs as cosine distance does. Ward, not average linkage: average linkage chains most centroids
into one giant category (65% of the emotion rows in one of nine) while Ward keeps categories of
comparable size (the largest 18%), which also agree better with the labels (see
docs/clustering.md). The number of categories grows with the square root of the number of
clusters, Lilac's rough ratio. A cluster's membership
in its category is the cosine similarity of its centroid to the category's centroid.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt


def centroids(
    vectors: npt.NDArray[np.float32], labels: npt.NDArray[np.int32], num_groups: int
) -> npt.NDArray[np.float32]:
    """The unit-length mean vector of each group."""
    import numpy as np

    sums = np.zeros((num_groups, vectors.shape[1]), np.float64)
    np.add.at(sums, labels, vectors)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    unit: npt.NDArray[np.float32] = (sums / np.maximum(norms, 1e-12)).astype(np.float32)
    return unit


def group_clusters(
    cluster_centroids: npt.NDArray[np.float32],
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]:
    """Category id and membership probability for each cluster."""
    import numpy as np

    num_clusters = len(cluster_centroids)
    num_categories = max(1, round(math.sqrt(num_clusters)))
    if num_clusters <= 2 or num_categories >= num_clusters:
        labels = np.zeros(num_clusters, np.int32)
    else:
        from sklearn.cluster import AgglomerativeClustering

        model = AgglomerativeClustering(n_clusters=num_categories, linkage="ward")
        labels = np.asarray(model.fit_predict(cluster_centroids), dtype=np.int32)
    category_centroids = centroids(cluster_centroids, labels, int(labels.max()) + 1)
    similarity = np.einsum("ij,ij->i", cluster_centroids, category_centroids[labels])
    return labels, np.clip(similarity, 0.0, 1.0).astype(np.float32)
