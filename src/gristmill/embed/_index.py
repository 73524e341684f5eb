"""A vector index over text spans that answers with rows: :class:`VectorIndex`.

Each vector is keyed by ``(rowid, span_start, span_end)``. Searches rank rows by their best
span (max inner product, i.e. cosine for unit vectors) and return the top-k distinct rows,
optionally only among ``allowed_rowids``. Small indexes search exactly (one NumPy matrix
product over the vectors); from ``hnsw_threshold`` vectors on, an HNSW graph answers
unfiltered and broadly filtered searches, and exact search over the allowed subset takes over
whenever the graph cannot produce k rows, so a filter never returns fewer rows than exist.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gristmill.data.files import atomic_write
from gristmill.embed import _index_store as store
from gristmill.embed._index_search import SearchHit, load_faiss, search_rows
from gristmill.errors import InvalidInputError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatMatrix = npt.NDArray[np.float32]
    KeyMatrix = npt.NDArray[np.int64]

# Exact search is fast enough well past 100k vectors, and an HNSW graph is slow to build: here
# (2 cores, 384 dims, one query, k=100) flat search took 18 ms at 100k, 54 ms at 300k and 174 ms
# at 1M vectors, while building the graph (M=32, efConstruction=80) cost ~0.25 ms per vector —
# 22 s of a 30 s wordllama embedding of 100k rows. The graph is worth it from 1M vectors on.
DEFAULT_HNSW_THRESHOLD = 1_000_000
# An hnsw_threshold no index reaches: exact search only, over vectors read block by block, so
# an index larger than memory never needs a graph (which holds every vector: 10 GB at 10M).
NO_GRAPH = 2**62
# Under this share of allowed vectors a graph search mostly walks filtered-out nodes:
# scanning the subset exactly is both faster and complete.
EXACT_FILTER_FRACTION = 0.05


class VectorIndex:
    """Span vectors keyed by ``(rowid, span_start, span_end)``, searched by row."""

    def __init__(
        self,
        dim: int,
        *,
        hnsw_threshold: int = DEFAULT_HNSW_THRESHOLD,
        hnsw_m: int = 32,
        hnsw_ef_construction: int = 80,
        hnsw_ef_search: int = 128,
        model_id: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        import numpy as np

        try:
            self._meta = store.IndexMeta(
                dim=dim,
                hnsw_threshold=hnsw_threshold,
                hnsw_m=hnsw_m,
                hnsw_ef_construction=hnsw_ef_construction,
                hnsw_ef_search=hnsw_ef_search,
                model_id=model_id,
                metadata=dict(metadata or {}),
            )
        except ValueError as exc:
            raise InvalidInputError(
                f"invalid vector index settings: {exc}",
                hint="dim, hnsw_threshold and the HNSW parameters must be positive",
            ) from exc
        self._folder: Path | None = None
        self._keys: KeyMatrix = np.zeros((0, 3), dtype=np.int64)
        self._vectors: FloatMatrix = np.zeros((0, dim), dtype=np.float32)
        self._pending: list[tuple[KeyMatrix, FloatMatrix]] = []
        # The HNSW graph of an index past hnsw_threshold, built on first use and extended by
        # add(); smaller indexes are searched exactly over the vectors themselves.
        self._graph: Any = None
        self._lock = threading.RLock()

    # -- folders -------------------------------------------------------------------------

    @classmethod
    def load(cls, folder: str | PathLike[str]) -> VectorIndex:
        """The index saved in ``folder`` (compacted part plus chunks added since), bound to it."""
        path = Path(folder)
        meta = store.read_meta(path)
        index = cls(
            meta.dim,
            hnsw_threshold=meta.hnsw_threshold,
            hnsw_m=meta.hnsw_m,
            hnsw_ef_construction=meta.hnsw_ef_construction,
            hnsw_ef_search=meta.hnsw_ef_search,
            model_id=meta.model_id,
            metadata=meta.metadata,
        )
        index._meta = meta
        index._folder = path
        index._keys, index._vectors = store.read_base(path, meta)
        if meta.has_hnsw:
            faiss = load_faiss()
            graph = faiss.read_index(str(store.base_path(path, "hnsw", meta.generation)))
            if graph.ntotal == meta.base_count:
                index._graph = graph
        for _, chunk_path in store.list_chunks(path, after=meta.merged_through):
            index._append(*store.read_chunk(chunk_path, meta.dim))
        return index

    @classmethod
    def open(cls, folder: str | PathLike[str], dim: int, **settings: Any) -> VectorIndex:
        """The index in ``folder``, or a new empty one bound to it (for resumable jobs)."""
        path = Path(folder)
        if (path / store.META_FILE).is_file():
            index = cls.load(path)
            if index.dim != dim:
                raise InvalidInputError(
                    f"the index in {path} holds {index.dim}-d vectors, not {dim}-d",
                    hint="use a new folder for a different embedding",
                )
            return index
        index = cls(dim, **settings)
        path.mkdir(parents=True, exist_ok=True)
        store.write_meta(path, index._meta)
        index._folder = path
        return index

    @classmethod
    def build(
        cls,
        folder: str | PathLike[str],
        dim: int,
        count: int,
        blocks: Iterable[tuple[Any, Any]],
        **settings: Any,
    ) -> VectorIndex:
        """Write an index of ``count`` vectors, given as ``blocks`` of ``(keys, vectors)``, to
        the new folder ``folder`` and load it, never holding more than one block in memory."""
        path = Path(folder)
        index = cls(dim, **settings)
        if (path / store.META_FILE).is_file():
            raise InvalidInputError(
                f"{path} already holds a vector index", hint="build into a new folder"
            )
        path.mkdir(parents=True, exist_ok=True)
        checked = (index._check_added(keys, vectors) for keys, vectors in blocks)
        store.write_base_blocks(path, 1, count, dim, checked)
        meta = index._meta.model_copy(update={"generation": 1, "base_count": count})
        store.write_meta(path, meta)
        return cls.load(path)

    def save(self, folder: str | PathLike[str] | None = None) -> Path:
        """Write the whole index compactly to ``folder`` (default: the folder it is bound to).

        Builds the HNSW graph first when the index has reached ``hnsw_threshold``, so a later
        ``load`` searches at once. An unbound index becomes bound to ``folder``.
        """
        with self._lock:
            target = Path(folder) if folder is not None else self._folder
            if target is None:
                raise InvalidInputError(
                    "this index has no folder yet", hint="pass one: index.save(folder)"
                )
            target.mkdir(parents=True, exist_ok=True)
            keys, vectors = self._arrays()
            previous = store.read_meta(target) if (target / store.META_FILE).is_file() else None
            generation = (previous.generation if previous else 0) + 1
            meta = self._meta.model_copy(
                update={
                    "generation": generation,
                    "base_count": len(keys),
                    # Every chunk now in the target is either in memory (our own folder) or
                    # being overwritten (another index's folder): none survives this save.
                    "merged_through": max(
                        [previous.merged_through if previous else 0]
                        + [sequence for sequence, _ in store.list_chunks(target)]
                    ),
                    "has_hnsw": False,
                }
            )
            store.write_base(target, generation, keys, vectors)
            if self._wants_hnsw():
                graph = self._hnsw_graph()
                faiss = load_faiss()
                atomic_write(
                    store.base_path(target, "hnsw", generation),
                    lambda tmp: faiss.write_index(graph, str(tmp)),
                )
                meta.has_hnsw = True
            store.write_meta(target, meta)
            store.remove_stale(target, meta)
            if self._folder is None:
                self._folder = target
            if target == self._folder:
                self._meta = meta
            return target

    # -- contents ------------------------------------------------------------------------

    def add(self, keys: Any, vectors: Any) -> None:
        """Append vectors with their ``(rowid, span_start, span_end)`` keys.

        On a folder-bound index the chunk is written to disk before this returns, so a job
        that crashes later keeps it (call ``save()`` at the end to compact).
        """
        key_matrix, vector_matrix = self._check_added(keys, vectors)
        if len(key_matrix) == 0:
            return
        with self._lock:
            if self._folder is not None:
                meta = store.read_meta(self._folder)
                sequence = store.next_chunk_sequence(self._folder, meta)
                store.write_chunk(self._folder, sequence, key_matrix, vector_matrix)
            self._append(key_matrix, vector_matrix)

    def _append(self, keys: KeyMatrix, vectors: FloatMatrix) -> None:
        self._pending.append((keys, vectors))
        if self._graph is not None:
            self._graph.add(vectors)

    def _check_added(self, keys: Any, vectors: Any) -> tuple[KeyMatrix, FloatMatrix]:
        import numpy as np

        try:
            key_matrix = np.asarray(keys, dtype=np.int64).reshape(-1, 3)
            vector_matrix = np.ascontiguousarray(np.asarray(vectors, dtype=np.float32))
        except (TypeError, ValueError) as exc:
            raise InvalidInputError(
                f"cannot read the keys or vectors: {exc}",
                hint="keys: int array [n, 3] of (rowid, span_start, span_end);"
                " vectors: float array [n, dim]",
            ) from exc
        if vector_matrix.ndim != 2 or vector_matrix.shape != (len(key_matrix), self.dim):
            raise InvalidInputError(
                f"got {len(key_matrix)} keys and vectors of shape {vector_matrix.shape}",
                hint=f"pass one {self.dim}-d vector per (rowid, span_start, span_end) key",
            )
        if not np.isfinite(vector_matrix).all():
            raise InvalidInputError(
                "the vectors hold NaN or infinite values", hint="check the embedding's output"
            )
        return key_matrix, vector_matrix

    def _arrays(self) -> tuple[KeyMatrix, FloatMatrix]:
        import numpy as np

        with self._lock:
            if self._pending:
                self._keys = np.concatenate([self._keys, *(k for k, _ in self._pending)])
                self._vectors = np.concatenate([self._vectors, *(v for _, v in self._pending)])
                self._pending = []
            return self._keys, self._vectors

    @property
    def dim(self) -> int:
        return self._meta.dim

    @property
    def folder(self) -> Path | None:
        return self._folder

    @property
    def model_id(self) -> str | None:
        return self._meta.model_id

    @property
    def metadata(self) -> dict[str, Any]:
        return self._meta.metadata

    @property
    def keys(self) -> KeyMatrix:
        """``int64 [n, 3]``: (rowid, span_start, span_end) of each vector."""
        return self._arrays()[0]

    @property
    def vectors(self) -> FloatMatrix:
        """``float32 [n, dim]``; read-only when loaded from a folder (the file is mapped)."""
        return self._arrays()[1]

    def rowids(self) -> npt.NDArray[np.int64]:
        """The distinct rowids present (sorted): what a resumed job can skip."""
        import numpy as np

        result: npt.NDArray[np.int64] = np.unique(self.keys[:, 0])
        return result

    def __len__(self) -> int:
        with self._lock:
            return len(self._keys) + sum(len(k) for k, _ in self._pending)

    @property
    def uses_hnsw(self) -> bool:
        """Whether searches go through the HNSW graph (size at or above the threshold)."""
        return self._wants_hnsw()

    def _wants_hnsw(self) -> bool:
        return len(self) >= self._meta.hnsw_threshold

    def _hnsw_graph(self) -> Any:
        """The HNSW graph over all vectors, built on first use."""
        with self._lock:
            _, vectors = self._arrays()
            if self._graph is None or self._graph.ntotal != len(vectors):
                faiss = load_faiss()
                graph = faiss.IndexHNSWFlat(self.dim, self._meta.hnsw_m, faiss.METRIC_INNER_PRODUCT)
                graph.hnsw.efConstruction = self._meta.hnsw_ef_construction
                graph.add(vectors)
                self._graph = graph
            return self._graph

    # -- search --------------------------------------------------------------------------

    def search(
        self, query_vectors: Any, k: int = 10, allowed_rowids: Any = None
    ) -> list[list[SearchHit]]:
        """Per query, the ``k`` best rows (by their best span), best first.

        ``query_vectors`` is ``[n_queries, dim]`` (or one ``[dim]`` vector). With
        ``allowed_rowids`` only those rows compete, and the answer has ``k`` rows whenever
        that many allowed rows have vectors.
        """
        import numpy as np

        if not isinstance(k, int) or isinstance(k, bool) or k < 1:
            raise InvalidInputError(f"k must be a positive integer, got {k!r}", hint="e.g. k=10")
        try:
            queries = np.ascontiguousarray(np.asarray(query_vectors, dtype=np.float32))
        except (TypeError, ValueError) as exc:
            raise InvalidInputError(
                f"cannot read the query vectors: {exc}", hint=f"pass float [n, {self.dim}]"
            ) from exc
        if queries.ndim == 1:
            queries = queries[None, :]
        if queries.ndim != 2 or queries.shape[1] != self.dim:
            raise InvalidInputError(
                f"query vectors have shape {queries.shape}, the index holds {self.dim}-d vectors",
                hint="embed the query with the same model as the index",
            )
        allowed = None
        if allowed_rowids is not None:
            allowed = np.asarray(allowed_rowids, dtype=np.int64).reshape(-1)
        with self._lock:
            keys, vectors = self._arrays()
            if len(keys) == 0:
                return [[] for _ in range(len(queries))]
            return search_rows(
                self._hnsw_graph() if self._wants_hnsw() else None,
                keys,
                vectors,
                queries,
                k,
                allowed,
                hnsw_ef_search=self._meta.hnsw_ef_search,
                exact_filter_fraction=EXACT_FILTER_FRACTION,
            )
