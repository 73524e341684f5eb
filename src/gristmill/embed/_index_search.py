"""Row-level top-k over span vectors, with and without a filter, exact or through HNSW.

Spans are retrieved best first and a row counts at its first (hence best) span. The number of
spans fetched grows until every query has k distinct rows, because one long row can fill the
first hits with its own spans. In exact search that is also a proof: a row absent from the top
t spans cannot beat the rows present. HNSW under a filter can come back short (the graph walk
runs out of allowed neighbours); exact search over the allowed vectors then answers instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from gristmill.errors import missing_dependency

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatMatrix = npt.NDArray[np.float32]
    KeyMatrix = npt.NDArray[np.int64]
    Fetch = Callable[[int], tuple[FloatMatrix, npt.NDArray[np.int64]]]

FIRST_FETCH_PER_ROW = 4  # spans fetched per wanted row at first; most rows have one or two
HNSW_MAX_FETCH = 4096  # past this many spans an exact scan is as quick as the graph


def load_faiss() -> Any:
    """The faiss module (typed loosely: its bindings are generated and only partly typed)."""
    try:
        import faiss
    except ImportError as exc:
        raise missing_dependency("faiss-cpu", "embed", "vector search") from exc
    return faiss


class SearchHit(NamedTuple):
    """One row found by a search: its best span and that span's score."""

    rowid: int
    score: float
    span: tuple[int, int]


def search_rows(
    searcher: Any,
    keys: KeyMatrix,
    queries: FloatMatrix,
    k: int,
    allowed: npt.NDArray[np.int64] | None,
    *,
    hnsw_ef_search: int,
    exact_filter_fraction: float,
) -> list[list[SearchHit]]:
    import numpy as np

    faiss = load_faiss()
    mask = None
    candidates = len(keys)
    if allowed is not None:
        mask = np.isin(keys[:, 0], allowed)
        candidates = int(mask.sum())
        if candidates == 0:
            return [[] for _ in range(len(queries))]
    # Kept alive here: faiss reads the bitmap through a raw pointer during the search.
    bitmap = np.packbits(mask, bitorder="little") if mask is not None else None
    selector = None
    if bitmap is not None:
        selector = faiss.IDSelectorBitmap(len(bitmap), faiss.swig_ptr(bitmap))

    def available_rows() -> int:
        rowids = keys[:, 0] if mask is None else keys[mask, 0]
        return int(np.unique(rowids).size)

    if hasattr(searcher, "hnsw") and candidates >= exact_filter_fraction * len(keys):

        def fetch_graph(count: int) -> tuple[FloatMatrix, npt.NDArray[np.int64]]:
            params = faiss.SearchParametersHNSW(efSearch=max(hnsw_ef_search, count))
            if selector is not None:
                params.sel = selector
            scores, positions = searcher.search(queries, count, params=params)
            return scores, positions

        hits = _grow(
            fetch_graph,
            keys,
            k,
            min(candidates, HNSW_MAX_FETCH),
            available_rows,
            approximate=True,
        )
        if hits is not None:
            return hits

    # The HNSW index keeps its vectors in a flat index: exact search without a second copy.
    flat = faiss.downcast_index(searcher.storage) if hasattr(searcher, "hnsw") else searcher
    params = faiss.SearchParameters(sel=selector) if selector is not None else None

    def fetch_exact(count: int) -> tuple[FloatMatrix, npt.NDArray[np.int64]]:
        scores, positions = flat.search(queries, count, params=params)
        return scores, positions

    exact = _grow(fetch_exact, keys, k, candidates, available_rows, approximate=False)
    assert exact is not None  # exhausting every candidate always completes
    return exact


def _grow(
    fetch: Fetch,
    keys: KeyMatrix,
    k: int,
    limit: int,
    available_rows: Callable[[], int],
    *,
    approximate: bool,
) -> list[list[SearchHit]] | None:
    """Fetch more spans until each query has k rows (or all there are); None if ``limit``
    spans were not enough (an approximate search that came back short)."""
    count = min(limit, k * FIRST_FETCH_PER_ROW)
    wanted: int | None = None
    while True:
        scores, positions = fetch(count)
        hits = [_first_per_row(s, p, keys, k) for s, p in zip(scores, positions, strict=True)]
        shortest = min(len(row_hits) for row_hits in hits)
        if shortest >= k:
            return hits
        if wanted is None:
            wanted = min(k, available_rows())
        if shortest >= wanted:
            return hits
        if count >= limit:
            # Exact search has now seen every candidate, so it is complete as it stands.
            return None if approximate else hits
        count = min(limit, count * 4)


def _first_per_row(
    scores: FloatMatrix, positions: npt.NDArray[np.int64], keys: KeyMatrix, k: int
) -> list[SearchHit]:
    import numpy as np

    found = positions >= 0
    positions, scores = positions[found], scores[found]
    rowids = keys[positions, 0]
    _, first = np.unique(rowids, return_index=True)
    first.sort()  # back to score order: the first occurrence of a row is its best span
    return [
        SearchHit(
            int(rowids[i]),
            float(scores[i]),
            (int(keys[positions[i], 1]), int(keys[positions[i], 2])),
        )
        for i in first[:k]
    ]
