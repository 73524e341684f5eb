from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from gristmill.errors import InvalidInputError
from gristmill.signals import SemanticDuplicateSignal


def _planted(count: int, dims: int = 64, seed: int = 0) -> tuple[np.ndarray, int]:
    rng = np.random.default_rng(seed)
    base = rng.normal(size=(count, dims))
    copies = base[: count // 5] + rng.normal(size=(count // 5, dims)) * 0.03
    vectors = np.concatenate([base, copies])
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True), count // 5


def _brute_force_clusters(vectors: np.ndarray, threshold: float) -> list[int]:
    similar = vectors @ vectors.T >= threshold
    labels = list(range(len(vectors)))
    changed = True
    while changed:
        changed = False
        for i, j in zip(*np.nonzero(similar), strict=True):
            low = min(labels[i], labels[j])
            if labels[i] != low or labels[j] != low:
                labels[i] = labels[j] = low
                changed = True
    return labels


def test_planted_copies_cluster_exactly() -> None:
    vectors, copies = _planted(500)
    signal = SemanticDuplicateSignal(threshold=0.95)
    outputs = signal.compute_from_vectors(vectors)
    for i in range(copies):
        assert outputs[i]["cluster_id"] == outputs[500 + i]["cluster_id"]
        assert outputs[i]["cluster_size"] == 2
    assert all(row["cluster_size"] == 1 for row in outputs[copies:500])
    pa.array(outputs, type=signal.output_type())


def test_partitioned_search_matches_brute_force() -> None:
    vectors, _ = _planted(1500, dims=32, seed=3)
    exact = SemanticDuplicateSignal(threshold=0.9).compute_from_vectors(vectors)
    partitioned = SemanticDuplicateSignal(threshold=0.9, exact_limit=0).compute_from_vectors(
        vectors
    )
    reference = _brute_force_clusters(vectors, 0.9)
    same = [reference.index(label) for label in reference]

    def as_partition(rows: list[dict[str, int]]) -> list[int]:
        first: dict[int, int] = {}
        return [first.setdefault(row["cluster_id"], i) for i, row in enumerate(rows)]

    assert as_partition(exact) == same
    # Approximate by design; on planted copies it finds every pair.
    assert as_partition(partitioned) == same


def test_missing_vectors_and_renormalisation() -> None:
    vectors = np.array([[1.0, 0.0], [2.0, 0.01], [0.0, 0.0], [np.nan, 1.0], [0.0, 3.0]])
    outputs = SemanticDuplicateSignal(threshold=0.99).compute_from_vectors(vectors)
    assert outputs[0] == outputs[1] == {"cluster_id": 0, "cluster_size": 2}
    assert outputs[2] is None and outputs[3] is None
    assert outputs[4] == {"cluster_id": 1, "cluster_size": 1}
    assert SemanticDuplicateSignal().compute_from_vectors(np.zeros((0, 4))) == []


def test_bad_shape_is_a_clear_error() -> None:
    with pytest.raises(InvalidInputError, match="2-D"):
        SemanticDuplicateSignal().compute_from_vectors(np.zeros(5))
    assert SemanticDuplicateSignal(embedding="wordllama").embedding == "wordllama"
