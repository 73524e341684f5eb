"""Row-level top-k over span vectors, with and without a filter, exact or through HNSW.

Spans are retrieved best first and a row counts at its first (hence best) span. The number of
spans fetched grows until every query has k distinct rows, because one long row can fill the
first hits with its own spans. In exact search that is also a proof: a row absent from the top
t spans cannot beat the rows present. HNSW under a filter can come back short (the graph walk
runs out of allowed neighbours); exact search over the allowed vectors then answers instead.
"""

from __future__ import annotations

import io
import mmap
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from gristmill.errors import InvalidInputError, missing_dependency

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatMatrix = npt.NDArray[np.float32]
    KeyMatrix = npt.NDArray[np.int64]
    Fetch = Callable[[int], tuple[FloatMatrix, npt.NDArray[np.int64]]]

FIRST_FETCH_PER_ROW = 4  # spans fetched per wanted row at first; most rows have one or two
HNSW_MAX_FETCH = 4096  # past this many spans an exact scan is as quick as the graph
# A stored index's vectors are read in blocks of this size while scoring (bounded memory).
SCAN_BLOCK_BYTES = 32 * 2**20
# Up to this size a stored index is scored straight through its mapping, which is ~4x faster
# (100k wordllama spans, warm: 0.02 s against 0.10 s read in blocks) and costs at most this
# much memory; larger ones are read in blocks.
MAPPED_SCAN_MAX_BYTES = 512 * 2**20
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

    scores = _scores(vectors, rows, queries)

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


def _scores(
    vectors: FloatMatrix, rows: npt.NDArray[np.int64] | None, queries: FloatMatrix
) -> FloatMatrix:
    """``queries @ vectors[rows].T``; a large stored index's vectors a block at a time.

    Touching a mapped file's pages counts them as the process's memory (ru_maxrss) until
    they are unmapped, and a 10M-span index is 10 GB: past ``MAPPED_SCAN_MAX_BYTES`` each
    block's pages are dropped from the process once scored (the page cache keeps them for the
    next search), or where the OS cannot drop them, blocks are read into one buffer. Either
    way a search holds about ``SCAN_BLOCK_BYTES`` of vectors. ``rows`` must be sorted.
    """
    import numpy as np

    source = _mapped_file(vectors)
    if source is None or vectors.nbytes <= MAPPED_SCAN_MAX_BYTES:
        in_memory: FloatMatrix = queries @ (vectors if rows is None else vectors[rows]).T
        return in_memory
    count, dim = vectors.shape
    per_block = max(1, SCAN_BLOCK_BYTES // (dim * vectors.itemsize))
    # (start, stop, picked positions or None for all) of each block to score
    ranges: list[tuple[int, int, npt.NDArray[np.int64] | None]] = []
    for start in range(0, count, per_block):
        stop = min(count, start + per_block)
        if rows is None:
            ranges.append((start, stop, None))
            continue
        low, high = np.searchsorted(rows, [start, stop])
        if low < high:
            inside = rows[low:high]
            ranges.append((int(inside[0]), int(inside[-1]) + 1, inside))  # only what is needed
    scores = np.empty((len(queries), count if rows is None else len(rows)), dtype=np.float32)
    filled = 0
    blocks = _dropped_blocks if _CAN_DROP_PAGES else _read_blocks
    for (start, _, picked), block in zip(ranges, blocks(vectors, ranges, *source), strict=True):
        chosen = block if picked is None else block[picked - start]
        scores[:, filled : filled + len(chosen)] = queries @ chosen.T
        filled += len(chosen)
    return scores


_FAULT_AROUND_BYTES = 2**20
# Linux and macOS can drop a mapping's pages from a process (Windows has no madvise).
_CAN_DROP_PAGES = hasattr(mmap.mmap, "madvise") and hasattr(mmap, "MADV_DONTNEED")


def _dropped_blocks(
    vectors: FloatMatrix, ranges: Sequence[tuple[int, int, Any]], filename: str, offset: int
) -> Iterator[FloatMatrix]:
    """Slices of the mapping; each one's pages leave the process once the next is asked for
    (~2x faster than reading blocks: no copy)."""
    import numpy as np

    mapping = vectors.base
    assert isinstance(mapping, mmap.mmap)
    row_bytes = vectors.shape[1] * vectors.itemsize
    # Where the array starts in the mapping (numpy maps from an allocation-granularity boundary).
    begin = vectors.ctypes.data - np.frombuffer(mapping, dtype=np.uint8, count=1).ctypes.data
    for start, stop, _ in ranges:
        yield vectors[start:stop]
        # A page fault maps its neighbours too (fault-around, 64 KiB by default), so pages on
        # either side of the block are resident as well: drop a margin around it.
        low = max(0, begin + start * row_bytes - _FAULT_AROUND_BYTES)
        low -= low % mmap.PAGESIZE
        high = min(len(mapping), begin + stop * row_bytes + _FAULT_AROUND_BYTES)
        mapping.madvise(mmap.MADV_DONTNEED, low, high - low)


def _read_blocks(
    vectors: FloatMatrix, ranges: Sequence[tuple[int, int, Any]], filename: str, offset: int
) -> Iterator[FloatMatrix]:
    """Blocks read from the file into one buffer, reused (a fresh array per block paid its
    page faults anew)."""
    import numpy as np

    dim = vectors.shape[1]
    longest = max((stop - start for start, stop, _ in ranges), default=0)
    buffer = np.empty((longest, dim), dtype=vectors.dtype)
    with open(filename, "rb", buffering=0) as handle:
        for start, stop, _ in ranges:
            handle.seek(offset + start * dim * vectors.itemsize)
            block = buffer[: stop - start]
            _read_exactly(handle, block.data.cast("B"), filename)
            yield block


def _read_exactly(handle: io.FileIO, target: memoryview, filename: str) -> None:
    done = 0
    while done < len(target):
        got = handle.readinto(target[done:])
        if not got:
            raise InvalidInputError(
                f"the vector index file {filename} is shorter than its header says",
                hint="delete the index folder and compute the embedding again",
            )
        done += got


def _mapped_file(vectors: FloatMatrix) -> tuple[str, int] | None:
    """``(file, byte offset)`` of vectors that are a whole memory-mapped ``.npy`` array."""
    import numpy as np

    # A slice of a memmap keeps its parent's filename and offset: only the array that owns
    # the mapping (its base is the mmap itself) describes its own bytes.
    if not isinstance(vectors, np.memmap) or not isinstance(vectors.base, mmap.mmap):
        return None
    if vectors.filename is None or not vectors.flags.c_contiguous:
        return None
    return str(vectors.filename), int(vectors.offset)


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
