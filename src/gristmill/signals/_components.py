"""Connected components of a similarity graph, vectorised (no per-edge Python loop)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np


def connected_components(
    count: int,
    sources: np.ndarray[Any, Any],
    targets: np.ndarray[Any, Any],
    labels: np.ndarray[Any, Any] | None = None,
) -> np.ndarray[Any, Any]:
    """Label each of ``count`` nodes with the smallest node index of its component.

    ``labels`` continues from an earlier result (each node labelled with its root), so edges can
    arrive in batches.

    Hook-and-compress (Shiloach-Vishkin style): every round hooks each edge's larger root
    under the smaller one, then pointer-jumps until each node points at its root. It converges
    in a few rounds even for long chains.
    """
    import numpy as np

    labels = np.arange(count, dtype=np.int64) if labels is None else labels.copy()
    if len(sources) == 0:
        return labels
    sources = np.asarray(sources, dtype=np.int64)
    targets = np.asarray(targets, dtype=np.int64)
    while True:
        source_roots = labels[sources]
        target_roots = labels[targets]
        differ = source_roots != target_roots
        if not differ.any():
            return labels
        low = np.minimum(source_roots[differ], target_roots[differ])
        high = np.maximum(source_roots[differ], target_roots[differ])
        np.minimum.at(labels, high, low)
        while True:
            jumped = labels[labels]
            if np.array_equal(jumped, labels):
                break
            labels = jumped


def dense_groups(
    labels: np.ndarray[Any, Any],
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """``(group_id, group_size, is_first)`` per node; ids number groups by first appearance."""
    import numpy as np

    _, first, inverse, sizes = np.unique(
        labels, return_index=True, return_inverse=True, return_counts=True
    )
    # np.unique sorts by label; renumber so group 0 is the one whose first member comes first.
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    group_id = rank[inverse]
    is_first = np.zeros(len(labels), dtype=bool)
    is_first[first] = True
    return group_id, sizes[inverse], is_first
