"""Vectors to a few dimensions with UMAP, and nearest neighbours among vectors (faiss).

Shared by clustering (UMAP to 5-d, where density clustering works: HDBSCAN on 384-d is slow and
poor) and the data map (UMAP to 2-d). Both fit UMAP on a seeded sample of the rows
(``fit_sample``) and place the other rows by their nearest fitted neighbours
(``nearest_among``): UMAP's cost grows faster than linearly in the rows.

Two choices keep this fast on two cores:
- the k nearest neighbours are computed exactly with faiss (an inner product on unit vectors) and
  handed to UMAP, which then skips its own approximate search (NN-descent), a large share of both
  its run time and its numba JIT compilation;
- numba's compiled code is cached on disk (``NUMBA_CACHE_DIR``, set before umap is imported), so
  only the first run on a machine pays for compilation.

Determinism: with ``random_state`` set, umap-learn runs its layout optimisation single-threaded
(it ignores ``n_jobs`` and says so), which makes the output reproducible for a given machine and
library version at the cost of using one core for that step; the kNN above still uses both.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from gristmill.errors import missing_dependency

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatMatrix = npt.NDArray[np.float32]

# Below this many rows UMAP is neither needed nor stable (its spectral start needs a graph with
# some room); density clustering runs on the unit vectors themselves.
MIN_ROWS_FOR_UMAP = 64
EXACT_SEARCH_LIMIT = 300_000_000
SEARCH_BATCH_ROWS = 50_000


def numba_cache_dir() -> Path:
    """Where numba keeps compiled code across runs (``$NUMBA_CACHE_DIR`` wins when set)."""
    configured = os.environ.get("NUMBA_CACHE_DIR")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "gristmill" / "numba"


def _import_umap() -> object:
    folder = numba_cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    # numba reads the variable once, when it is first imported.
    os.environ.setdefault("NUMBA_CACHE_DIR", str(folder))
    try:
        import umap
    except ImportError as exc:
        raise missing_dependency(
            "umap-learn", "cluster", "UMAP (clustering and the data map)"
        ) from exc
    _cache_jit_functions()
    return umap


def _cache_jit_functions() -> None:
    """Turn on numba's disk cache for umap functions compiled without it.

    umap-learn caches most of its kernels, but not the layout optimiser, ``smooth_knn_dist`` and
    ``compute_membership_strengths``: compiling those took ~20 s of every run on two cores, more
    than the work itself. Enabling the cache on their dispatchers before first use makes later
    runs load them from ``NUMBA_CACHE_DIR`` instead.
    """
    import sys

    try:
        from numba.core.dispatcher import Dispatcher
    except ImportError:  # numba moved it: run uncached rather than fail
        return
    for name, module in list(sys.modules.items()):
        if not name.startswith("umap."):
            continue
        for value in list(vars(module).values()):
            cache = getattr(value, "_cache", None)
            if isinstance(value, Dispatcher) and type(cache).__name__ == "NullCache":
                value.enable_caching()


def nearest_neighbors(
    vectors: FloatMatrix, k: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    """Exact k nearest neighbours by cosine distance (self first), as UMAP expects them."""
    import faiss
    import numpy as np

    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    similarities, neighbours = index.search(np.ascontiguousarray(vectors, dtype=np.float32), k)
    distances = np.clip(1.0 - similarities, 0.0, 2.0).astype(np.float32)
    # Exact duplicates may tie with the row itself; UMAP wants each row's own index first.
    own = np.arange(len(vectors))
    not_first = neighbours[:, 0] != own
    if not_first.any():
        neighbours[not_first, 0] = own[not_first]
        distances[not_first, 0] = 0.0
    return neighbours.astype(np.int64), distances


def reduce_dimensions(
    vectors: FloatMatrix,
    *,
    n_components: int,
    n_neighbors: int,
    min_dist: float,
    n_epochs: int | None,
    seed: int,
    init: str = "pca",
) -> FloatMatrix:
    """``vectors`` (unit rows) projected by UMAP to ``n_components`` dimensions."""
    import numpy as np

    if len(vectors) < MIN_ROWS_FOR_UMAP:
        return np.asarray(vectors, dtype=np.float32)
    umap = _import_umap()
    k = min(n_neighbors, len(vectors) - 1)
    neighbours, distances = nearest_neighbors(vectors, k)
    reducer = umap.UMAP(  # type: ignore[attr-defined]
        n_components=n_components,
        n_neighbors=k,
        min_dist=min_dist,
        metric="cosine",
        n_epochs=n_epochs,
        init=init,
        random_state=seed,
        precomputed_knn=(neighbours, distances, None),
        # Exact kNN from faiss replaces NN-descent; umap need not check it is disconnected-safe.
        low_memory=True,
        verbose=False,
    )
    with warnings.catch_warnings():
        # "n_jobs value 1 overridden by setting random_state" and the note that a precomputed
        # kNN without a search index cannot transform new points: both expected, see above.
        warnings.simplefilter("ignore", UserWarning)
        coords = reducer.fit_transform(vectors)
    return np.asarray(coords, dtype=np.float32)


def fit_sample(num_rows: int, max_fit_rows: int, seed: int) -> npt.NDArray[np.int64]:
    """Positions of the rows to fit on: all of them, or a seeded sample of ``max_fit_rows``."""
    import numpy as np

    if num_rows <= max_fit_rows:
        return np.arange(num_rows, dtype=np.int64)
    chosen = np.random.default_rng(seed).choice(num_rows, size=max_fit_rows, replace=False)
    return np.sort(chosen).astype(np.int64)


def nearest_among(
    base: FloatMatrix, queries: FloatMatrix, k: int, *, seed: int
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int64]]:
    """The ``k`` nearest rows of ``base`` (unit rows) to each query: inner products, positions.

    Exact up to ``EXACT_SEARCH_LIMIT`` distance computations; past that an IVF index (probing a
    share of its lists) keeps 1M queries to seconds. Positions are -1 where fewer than ``k``
    were found.
    """
    import faiss
    import numpy as np

    dim = base.shape[1]
    base = np.ascontiguousarray(base, dtype=np.float32)
    if len(base) * len(queries) <= EXACT_SEARCH_LIMIT:
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
    k = min(k, len(base))
    similarities = np.zeros((len(queries), k), np.float32)
    found = np.full((len(queries), k), -1, np.int64)
    for start in range(0, len(queries), SEARCH_BATCH_ROWS):
        block = np.ascontiguousarray(queries[start : start + SEARCH_BATCH_ROWS], dtype=np.float32)
        end = start + len(block)
        similarities[start:end], found[start:end] = index.search(block, k)  # type: ignore[attr-defined]
    return similarities, found
