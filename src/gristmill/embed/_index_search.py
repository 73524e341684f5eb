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
# Queries are scored against every candidate in blocks of at most this many scores (64 MiB).
_EXACT_BLOCK_SCORES = 16 * 2**20


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
    graph: Any | None,
    keys: KeyMatrix,
    vectors: FloatMatrix,
    queries: FloatMatrix,
    k: int,
    allowed: npt.NDArray[np.int64] | None,
    *,
    hnsw_ef_search: int,
    exact_filter_fraction: float,
) -> list[list[SearchHit]]:
    """Per query, the ``k`` best rows; through ``graph`` (an HNSW index) when there is one."""
    import numpy as np

    mask = None
    candidates = len(keys)
    if allowed is not None:
        mask = np.isin(keys[:, 0], allowed)
        candidates = int(mask.sum())
        if candidates == 0:
            return [[] for _ in range(len(queries))]

    def available_rows() -> int:
        rowids = keys[:, 0] if mask is None else keys[mask, 0]
        return int(np.unique(rowids).size)

    if graph is not None and candidates >= exact_filter_fraction * len(keys):
        hits = _graph_search(
            graph, keys, queries, k, mask, candidates, available_rows, hnsw_ef_search
        )
        if hits is not None:
            return hits
    rows = None if mask is None else np.flatnonzero(mask)
    found: list[list[SearchHit]] = []
    block = max(1, _EXACT_BLOCK_SCORES // candidates)
    for start in range(0, len(queries), block):
        fetch = _exact_fetch(vectors, rows, queries[start : start + block])
        exact = _grow(fetch, keys, k, candidates, available_rows, approximate=False)
        assert exact is not None  # exhausting every candidate always completes
        found.extend(exact)
    return found


def _graph_search(
    graph: Any,
    keys: KeyMatrix,
    queries: FloatMatrix,
    k: int,
    mask: npt.NDArray[np.bool_] | None,
    candidates: int,
    available_rows: Callable[[], int],
    hnsw_ef_search: int,
) -> list[list[SearchHit]] | None:
    import numpy as np

    faiss = load_faiss()
    # Kept alive here: faiss reads the bitmap through a raw pointer during the search.
    bitmap = np.packbits(mask, bitorder="little") if mask is not None else None
    selector = None
    if bitmap is not None:
        selector = faiss.IDSelectorBitmap(len(bitmap), faiss.swig_ptr(bitmap))

    def fetch_graph(count: int) -> tuple[FloatMatrix, npt.NDArray[np.int64]]:
        params = faiss.SearchParametersHNSW(efSearch=max(hnsw_ef_search, count))
        if selector is not None:
            params.sel = selector
        scores, positions = graph.search(queries, count, params=params)
        return scores, positions

    limit = min(candidates, HNSW_MAX_FETCH)
    return _grow(fetch_graph, keys, k, limit, available_rows, approximate=True)


def _exact_fetch(
    vectors: FloatMatrix, rows: npt.NDArray[np.int64] | None, queries: FloatMatrix
) -> Fetch:
    """Exact inner products of ``queries`` with the vectors at ``rows`` (all when None).

    NumPy rather than a faiss flat index: the scores are one matrix product over the vectors
    already in memory, where a faiss index needs its own copy of them (100k 256-d vectors:
    100 MB copied and faiss imported before a process's first search). Scored once, then
    each fetch only selects the ``count`` best.
    """
    import numpy as np

    scores = queries @ (vectors if rows is None else vectors[rows]).T

    def fetch(count: int) -> tuple[FloatMatrix, npt.NDArray[np.int64]]:
        total = scores.shape[1]
        if count < total:
            top = np.argpartition(-scores, count - 1, axis=1)[:, :count]
        else:
            top = np.broadcast_to(np.arange(total), scores.shape).copy()
        top_scores = np.take_along_axis(scores, top, axis=1)
        # Best first, equal scores in position order (the order the vectors were added).
        order = np.lexsort((top, -top_scores), axis=1)
        top = np.take_along_axis(top, order, axis=1)
        positions = top if rows is None else rows[top]
        return np.take_along_axis(top_scores, order, axis=1), positions

    return fetch


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
