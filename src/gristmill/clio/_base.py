"""Base clusters of one facet's values: spherical k-means, then a name and summary per cluster.

Each cluster is named from samples of its values **and the nearest values outside it** (the
values closest to its centroid that k-means put elsewhere): without that contrast, neighbouring
clusters come back with the same name. The samples are drawn
``nNameDescriptionSamplesPerCluster`` times; of the answers, the medoid (the one most similar
to all the others) is kept, so one odd draw does not name the cluster.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TYPE_CHECKING

from gristmill.clio._config import OpenClioConfig
from gristmill.clio._naming import Named, Namer, NamingTask, pick_medoid, unique_names
from gristmill.clio._tree import ClioNode
from gristmill.embed import EmbeddingModel
from gristmill.errors import InvalidInputError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatMatrix = npt.NDArray[np.float32]
    Labels = npt.NDArray[np.int64]

KMEANS_ITERATIONS = 25
KMEANS_RESTARTS = 5
SMALL_KMEANS = 2_000_000  # points x clusters
# Members given to the LLM-free namer per cluster (c-TF-IDF over more adds little).
MAX_TEXTS_PER_GROUP = 300
# Centroids compared with all points at once (bounds memory at 20,000+ values).
CONTRAST_CHUNK = 256


def settings_of(config: OpenClioConfig | None) -> OpenClioConfig:
    return config if config is not None else OpenClioConfig()


def spherical_kmeans(vectors: FloatMatrix, k: int, seed: int) -> tuple[Labels, FloatMatrix]:
    """Labels 0..m-1 (m <= k: empty clusters are dropped) and the m unit centroids."""
    import faiss
    import numpy as np

    data = unit_rows(np.ascontiguousarray(vectors, dtype=np.float32))
    n = len(data)
    k = max(1, min(k, n))
    if k == 1:
        labels = np.zeros(n, dtype=np.int64)
    else:
        kmeans = faiss.Kmeans(
            data.shape[1],
            k,
            niter=KMEANS_ITERATIONS,
            seed=seed,
            spherical=True,
            min_points_per_centroid=1,
            # Small problems (the upper levels) are cheap to restart, and one unlucky start
            # there mixes topics for every level above.
            nredo=KMEANS_RESTARTS if n * k <= SMALL_KMEANS else 1,
            # Every point takes part in training: faiss' subsample would make the clusters
            # depend on its sampler as well as on the seed.
            max_points_per_centroid=max(256, -(-n // k)),
        )
        kmeans.train(data)
        _, found = kmeans.index.search(data, 1)
        labels = found[:, 0].astype(np.int64)
    used, labels = np.unique(labels, return_inverse=True)
    centroids = np.zeros((len(used), data.shape[1]), dtype=np.float32)
    np.add.at(centroids, labels, data)
    return labels.astype(np.int64), unit_rows(centroids)


def nearest_outside(
    vectors: FloatMatrix, labels: Labels, centroids: FloatMatrix, count: int
) -> list[list[int]]:
    """Per cluster, the ``count`` points of other clusters closest to its centroid, nearest
    first."""
    import numpy as np

    data = unit_rows(np.asarray(vectors, dtype=np.float32))
    result: list[list[int]] = []
    if count <= 0:
        return [[] for _ in range(len(centroids))]
    for start in range(0, len(centroids), CONTRAST_CHUNK):
        block = centroids[start : start + CONTRAST_CHUNK] @ data.T
        own = labels[None, :] == np.arange(start, start + len(block))[:, None]
        block[own] = -np.inf
        take = min(count, data.shape[0] - 1)
        for row in block:
            if take <= 0:
                result.append([])
                continue
            top = np.argpartition(-row, take - 1)[:take]
            top = top[np.isfinite(row[top])]
            result.append([int(i) for i in sorted(top, key=lambda i: (-row[i], i))])
    return result


def base_clusters(
    values: Sequence[str],
    vectors: FloatMatrix,
    config: OpenClioConfig | None,
    namer: Namer,
    *,
    embed: EmbeddingModel | None = None,
    facet: str = "",
) -> tuple[Labels, list[ClioNode]]:
    """Cluster ``values`` (one per conversation, ``vectors`` their embeddings) into
    ``nBaseClustersFunc(n)`` named clusters. Returns each value's cluster index and the level-0
    nodes (ids ``"0.<index>"``). ``embed`` picks the medoid answer by meaning (else by shared
    words)."""
    import numpy as np

    settings = settings_of(config)
    n = len(values)
    if len(vectors) != n:
        raise InvalidInputError(
            f"{n} values but {len(vectors)} vectors",
            hint="pass one embedding per facet value",
        )
    if n == 0:
        return np.zeros(0, dtype=np.int64), []
    labels, centroids = spherical_kmeans(vectors, settings.nBaseClustersFunc(n), settings.seed)
    tasks = naming_tasks(
        values,
        vectors,
        labels,
        centroids,
        inside=settings.maxPointsToSampleInsideCluster,
        outside=settings.maxPointsToSampleOutsideCluster,
        draws=settings.nNameDescriptionSamplesPerCluster,
        seed=settings.seed,
    )
    answers = namer.name_groups(tasks, level=0)
    chosen = [
        pick_medoid(candidates, embed) or Named(_fallback_name(task.texts), "")
        for candidates, task in zip(answers, tasks, strict=True)
    ]
    names = unique_names([named.name for named in chosen])
    sizes = np.bincount(labels, minlength=len(centroids))
    nodes = [
        ClioNode(
            id=f"0.{index}",
            name=name,
            summary=named.summary,
            level=0,
            size=int(sizes[index]),
            facet=facet,
        )
        for index, (name, named) in enumerate(zip(names, chosen, strict=True))
    ]
    return labels, nodes


def naming_tasks(
    texts: Sequence[str],
    vectors: FloatMatrix,
    labels: Labels,
    centroids: FloatMatrix,
    *,
    inside: int,
    outside: int,
    draws: int,
    seed: int,
    weights: Sequence[int] | None = None,
) -> list[NamingTask]:
    """One task per cluster: ``draws`` samples of up to ``inside`` distinct member texts, the
    ``outside`` nearest texts of other clusters, and the members most central first."""
    import numpy as np

    data = unit_rows(np.asarray(vectors, dtype=np.float32))
    contrast = nearest_outside(data, labels, centroids, outside)
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(len(centroids) + 1))
    tasks = []
    for cluster in range(len(centroids)):
        members = order[bounds[cluster] : bounds[cluster + 1]]
        closeness = data[members] @ centroids[cluster]
        central = members[np.lexsort((members, -closeness))]
        distinct = list(dict.fromkeys(texts[i] for i in central))
        rng = random.Random(f"{seed}:{cluster}")
        samples = [
            rng.sample(distinct, min(max(inside, 1), len(distinct))) for _ in range(max(draws, 1))
        ]
        size = int(sum(weights[i] for i in members)) if weights is not None else len(members)
        tasks.append(
            NamingTask(
                draws=samples,
                contrast=list(dict.fromkeys(texts[i] for i in contrast[cluster])),
                texts=distinct[:MAX_TEXTS_PER_GROUP],
                size=size,
                centroid=centroids[cluster],
            )
        )
    return tasks


def _fallback_name(texts: Sequence[str]) -> str:
    text = " ".join(texts[0].split()) if texts else ""
    return (text[:60].rstrip() + ("…" if len(text) > 60 else "")) or "Unnamed"


def unit_rows(matrix: FloatMatrix) -> FloatMatrix:
    import numpy as np

    data = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(data, axis=1, keepdims=True)
    unit: FloatMatrix = (data / np.maximum(norms, 1e-12)).astype(np.float32)
    return unit


def cluster_centroids(vectors: FloatMatrix, labels: Labels) -> FloatMatrix:
    """The unit mean vector of each cluster (what ``build_hierarchy`` takes per base node)."""
    import numpy as np

    data = unit_rows(np.asarray(vectors, dtype=np.float32))
    sums = np.zeros((int(labels.max()) + 1 if len(labels) else 0, data.shape[1]), np.float32)
    np.add.at(sums, labels, data)
    return unit_rows(sums)
