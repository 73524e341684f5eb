"""Laying embedding vectors out in two dimensions: UMAP fitted on a sample, the other points
placed from their nearest fitted neighbours, the result scaled into the unit square.

Shared by the data map (``compute_projection``) and the conversation-insights map
(``gristmill.clio``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gristmill import embed

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

# A map is read by eye: neighbours kept apart a little (min_dist) show more of them than the
# tight clumps clustering wants (0.0).
UMAP_NEIGHBORS = 15
UMAP_MIN_DIST = 0.1
UMAP_EPOCHS = 200
PLACEMENT_NEIGHBOURS = 10
DEFAULT_FIT_POINTS = 20_000


def map_coordinates(
    vectors: npt.NDArray[np.float32], *, seed: int, fit_points: int = DEFAULT_FIT_POINTS
) -> npt.NDArray[np.float32]:
    """One point in the unit square per row of ``vectors`` (unit rows), ``[n, 2]``."""
    import numpy as np

    if not len(vectors):
        return np.zeros((0, 2), np.float32)
    fit = embed.fit_sample(len(vectors), fit_points, seed)
    fitted = fit_layout(vectors[fit], seed)
    return unit_square(place_rest(vectors, fit, fitted, seed))


def fit_layout(vectors: npt.NDArray[np.float32], seed: int) -> npt.NDArray[np.float32]:
    """2-D coordinates of the fitted rows: UMAP, or principal axes where UMAP cannot run."""
    import numpy as np

    if len(np.unique(vectors, axis=0)) < 2:
        return np.zeros((len(vectors), 2), np.float32)  # one point: nothing to lay out
    coords = embed.reduce_dimensions(
        vectors,
        n_components=2,
        n_neighbors=UMAP_NEIGHBORS,
        min_dist=UMAP_MIN_DIST,
        n_epochs=UMAP_EPOCHS,
        seed=seed,
    )
    if coords.shape[1] != 2:  # too few rows for UMAP: it handed the vectors back
        coords = principal_axes(coords)
    return coords


def principal_axes(vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """The rows on their first two principal axes (signs fixed, so the result is stable)."""
    import numpy as np

    centred = vectors.astype(np.float64) - vectors.mean(axis=0)
    _, _, axes = np.linalg.svd(centred, full_matrices=False)
    axes = axes[:2]
    signs = np.sign(axes[np.arange(len(axes)), np.abs(axes).argmax(axis=1)])
    coords = centred @ (axes * signs[:, None]).T
    if coords.shape[1] < 2:
        coords = np.column_stack([coords, np.zeros(len(coords))])
    result: npt.NDArray[np.float32] = coords.astype(np.float32)
    return result


def place_rest(
    vectors: npt.NDArray[np.float32],
    fit: npt.NDArray[np.int64],
    fitted: npt.NDArray[np.float32],
    seed: int,
) -> npt.NDArray[np.float32]:
    """Coordinates for every row: the fitted ones as laid out, the others at the weighted mean
    of their nearest fitted neighbours."""
    import numpy as np

    coords = np.zeros((len(vectors), 2), np.float32)
    coords[fit] = fitted
    rest = np.setdiff1d(np.arange(len(vectors)), fit, assume_unique=True)
    if not len(rest):
        return coords
    similarities, found = embed.nearest_among(
        vectors[fit], vectors[rest], PLACEMENT_NEIGHBOURS, seed=seed
    )
    valid = found >= 0
    weights = np.where(valid, np.maximum(similarities, 0.0) + 1e-6, 0.0)
    neighbours = fitted[np.where(valid, found, 0)]  # rows x k x 2
    total = np.maximum(weights.sum(axis=1, keepdims=True), 1e-12)
    coords[rest] = (neighbours * weights[:, :, None]).sum(axis=1) / total
    return coords


def unit_square(coords: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Coordinates scaled into [0, 1] on both axes by one factor (the map keeps its aspect),
    the shorter axis centred; a single point sits in the middle."""
    import numpy as np

    low, high = coords.min(axis=0), coords.max(axis=0)
    extent = float((high - low).max())
    if extent <= 0:
        return np.full(coords.shape, 0.5, np.float32)
    scaled = (coords - low) / extent
    scaled += (1.0 - (high - low) / extent) / 2.0
    result: npt.NDArray[np.float32] = np.clip(scaled, 0.0, 1.0).astype(np.float32)
    return result
