"""``Dataset.compute_embedding``: span vectors for a text column, in a persisted vector index.

Each row's text is split into spans (paragraphs, then sentences, with character offsets); every
span is embedded. The job is a resumable column job: a chunk's output is the spans plus their
vectors as raw float32 bytes, so a crash at 60% keeps everything already embedded. When all rows
are done the vectors are copied from the chunk files, a batch at a time, into the index's files
under ``embeddings/<column>/`` and the spans become the dense column ``<path>__<embedding>`` (so
the schema shows which rows are embedded). The index is searched exactly, reading its file in
blocks: memory stays bounded at any size (10M wordllama spans are 10 GB of vectors).

A rebuilt index is written to a new folder and switched in with the column's manifest entry
(``DatasetStore.commit_derived``), so a reader never finds the old index gone and the new one
not yet there.
"""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gristmill.data.catalog import Catalog
from gristmill.data.curation import chosen_rowids
from gristmill.data.dataset import BaseDataset
from gristmill.data.derived import (
    ColumnJob,
    MapResult,
    already_computed,
    default_column_name,
    require_text,
    run_column_job,
    write_dense_column,
)
from gristmill.data.files import data_files
from gristmill.data.filters import FilterLike, PathInput, to_filters
from gristmill.data.store import ROWID
from gristmill.embed._registry import get_embedding
from gristmill.embed._spans import split_spans
from gristmill.errors import InvalidInputError, MissingEmbeddingError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pyarrow as pa

    from gristmill.embed._index import VectorIndex
    from gristmill.jobs import ExecutionType
    from gristmill.schema import Lineage


def embedding_slug(name: str) -> str:
    """A name safe for folders and columns: 'sentence-transformers/all-mpnet' -> '..._all-mpnet'."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_.") or "embedding"


def embedding_column(path: str, embedding: str) -> str:
    """The derived column holding ``path``'s spans under ``embedding``: ``text__minilm``."""
    return default_column_name(path, embedding_slug(embedding))


def spans_type() -> pa.DataType:
    import pyarrow as pa

    return pa.list_(pa.struct([("start", pa.int32()), ("end", pa.int32())]))


def _chunk_type() -> pa.DataType:
    import pyarrow as pa

    return pa.struct([("spans", spans_type()), ("vectors", pa.binary())])


@dataclass(frozen=True)
class EmbedChunk:
    """The batched job function: picklable (it names the model; each process builds its own)."""

    embedding: str

    def __call__(self, texts: list[str | None]) -> list[dict[str, Any] | None]:
        import numpy as np

        model = get_embedding(self.embedding)
        spans_per_row = [split_spans(t) if isinstance(t, str) else [] for t in texts]
        pieces = [
            text[start:end]
            for text, spans in zip(texts, spans_per_row, strict=True)
            if text
            for start, end in spans
        ]
        vectors = model.embed(pieces) if pieces else np.zeros((0, model.dim), np.float32)
        out: list[dict[str, Any] | None] = []
        offset = 0
        for spans in spans_per_row:
            if not spans:
                out.append(None)
                continue
            block = vectors[offset : offset + len(spans)]
            offset += len(spans)
            out.append(
                {
                    "spans": [{"start": s, "end": e} for s, e in spans],
                    "vectors": np.ascontiguousarray(block, dtype=np.float32).tobytes(),
                }
            )
        return out


def compute_embedding(
    ds: BaseDataset,
    embedding: str,
    path: PathInput,
    *,
    filters: Sequence[FilterLike] | None = None,
    overwrite: bool = False,
    show_progress: bool = True,
    num_jobs: int = 1,
    execution_type: ExecutionType = "threads",
) -> MapResult:
    """Embed the text at ``path`` span by span into a vector index, resumably."""
    model = get_embedding(embedding)  # unknown names fail here, listing the available ones
    input_name = require_text(ds, path, needed_by="compute_embedding")
    column = embedding_column(input_name, embedding)
    if already_computed(ds, column, model.model_id, overwrite) and ds.store.index_dir(column):
        return MapResult(ds, column, 0, ds.count(include_deleted=True))

    def finish(target: BaseDataset, chunks: list[Path], lineage: Lineage) -> None:
        _store_index(target, chunks, lineage, column, model.dim, model.model_id, embedding)

    spec = ColumnJob(
        output_column=column,
        fn=EmbedChunk(embedding),
        producer=model.model_id,
        kind="embedding",
        input_path=input_name,
        params={"embedding": embedding, "dim": model.dim},
        batched=True,
        filters=to_filters(filters),
        output_type=_chunk_type(),
        finish_files=finish,
        title=f"{embedding} embedding of {input_name}",
    )
    # Embedding models use every core themselves (onnxruntime threads): one local worker is
    # fastest; more pay off on a Ray cluster's other machines.
    return run_column_job(
        ds,
        spec,
        overwrite=True,
        show_progress=show_progress,
        num_jobs=num_jobs,
        execution_type=execution_type,
    )


def _store_index(
    ds: BaseDataset,
    chunks: list[Path],
    lineage: Lineage,
    column: str,
    dim: int,
    model_id: str,
    embedding: str,
) -> None:
    """Write the index from the job's chunk files and switch it in with the spans column.

    Chunk by chunk, in batches: only the spans of every row are held (they become the column;
    ~12 bytes a span), never all vectors (1 KiB a wordllama span, 10 GB at 10M rows).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from gristmill.embed._index import NO_GRAPH, VectorIndex  # faiss, pydantic load only here

    rowids, spans = [], []
    for batch in _chunk_batches(chunks, ["value.spans"]):
        rowids.append(batch.column(ROWID))
        spans.append(pc.struct_field(batch.column("value"), "spans"))  # null without text
    spans_table = pa.table(
        {
            ROWID: pa.chunked_array(rowids, pa.int64()),
            column: pa.chunked_array(spans, spans_type()),
        }
    )
    count = _span_count(spans_table.column(column))
    staged = ds.store.new_index_dir(column)
    try:
        # Exact search only: a graph would hold every vector in memory.
        VectorIndex.build(
            staged,
            dim,
            count,
            _key_vector_blocks(chunks, dim),
            hnsw_threshold=NO_GRAPH,
            model_id=model_id,
            metadata={"embedding": embedding},
        )
        # One manifest write switches the column and its index together.
        write_dense_column(ds, spans_table, lineage, index=staged)
    finally:
        shutil.rmtree(staged, ignore_errors=True)  # gone already unless the commit failed


# Rows read from a chunk file at a time while building the index (~2 MiB of wordllama vectors).
_BUILD_BATCH_ROWS = 1024


def _chunk_batches(chunks: list[Path], columns: list[str]) -> Iterator[pa.RecordBatch]:
    import pyarrow.parquet as pq

    for chunk in chunks:
        yield from pq.ParquetFile(chunk).iter_batches(
            batch_size=_BUILD_BATCH_ROWS, columns=[ROWID, *columns]
        )


def _span_count(spans: pa.ChunkedArray) -> int:
    import pyarrow.compute as pc

    return int(pc.sum(pc.list_value_length(spans)).as_py() or 0)


def _key_vector_blocks(
    chunks: list[Path], dim: int
) -> Iterator[tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]]:
    """``(keys, vectors)`` of the chunks' spans, a batch of rows at a time, in chunk order."""
    import numpy as np
    import pyarrow.compute as pc

    for batch in _chunk_batches(chunks, ["value"]):
        values = batch.column("value")
        spans = pc.struct_field(values, "spans")  # null for rows without text
        counts = pc.fill_null(pc.list_value_length(spans), 0).to_numpy()
        flat = spans.flatten()
        keys = np.column_stack(
            [
                np.repeat(batch.column(ROWID).to_numpy(), counts),
                flat.field("start").to_numpy(zero_copy_only=False),
                flat.field("end").to_numpy(zero_copy_only=False),
            ]
        ).astype(np.int64)
        blobs = [b for b in pc.struct_field(values, "vectors").to_pylist() if b]
        vectors = np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(-1, dim)
        yield keys, vectors


# Loaded indexes by folder. A rebuilt index is a new folder, so an entry never goes stale; the
# lock keeps two threads of a server from loading the same index twice at once.
_index_cache: dict[Path, VectorIndex] = {}
_index_cache_lock = threading.Lock()
_INDEX_CACHE_SIZE = 8


def load_index(
    ds: BaseDataset,
    path: PathInput,
    embedding: str,
    *,
    needed_by: str = "a semantic search",
    catalog: Catalog | None = None,
) -> tuple[VectorIndex, str]:
    """The vector index of ``path`` under ``embedding`` (cached until it is rebuilt)."""
    from gristmill.embed._index import VectorIndex  # faiss and pydantic load only here

    input_name = require_text(ds, path, needed_by=needed_by, catalog=catalog)
    column = embedding_column(input_name, embedding)
    folder = ds.store.index_dir(column)
    if folder is None or not data_files(folder):
        raise MissingEmbeddingError(
            f"'{input_name}' of {ds.full_name} has no '{embedding}' embedding",
            hint=f"compute it first: ds.compute_embedding('{embedding}', '{input_name}')"
            f" or `gristmill embed {ds.full_name} {input_name} --embedding {embedding}`",
        )
    with _index_cache_lock:
        index = _index_cache.get(folder)
        if index is None:
            index = VectorIndex.load(folder)
            if len(_index_cache) >= _INDEX_CACHE_SIZE:
                _index_cache.pop(next(iter(_index_cache)))
            _index_cache[folder] = index
    return index, column


def require_same_model(index: VectorIndex, embedding: str) -> None:
    """Refuse to compare vectors made by another model than ``embedding`` is now."""
    model = get_embedding(embedding)
    if index.model_id and index.model_id != model.model_id:
        raise InvalidInputError(
            f"the stored vectors were made by {index.model_id}, but '{embedding}' is now"
            f" {model.model_id}",
            hint="recompute the embedding with overwrite=True",
        )


# Row vectors are rounded to this many decimals. The same texts embedded in two processes differ
# in the last bits (onnxruntime's threads sum in another order: on 2,000 emotion rows 73 rows
# differed by up to 3e-8), and UMAP turns that into other clusters (1,844 of 2,000 rows moved) or
# other map coordinates. Rounding to 1e-3 removes that noise unless a component sits within it of
# a rounding boundary (about 6e-5 per noisy component; none of those rows did), and changes cosine
# similarities by ~1e-5, far below what separates clusters. Bit-identical embeddings (a fixed
# summation order in the model runtime) would remove the residual chance.
VECTOR_DECIMALS = 3


def row_vectors(
    ds: BaseDataset, path: PathInput, embedding: str, *, needed_by: str = "row vectors"
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    """One unit vector per embedded, non-deleted row (the mean of its span vectors), by rowid.

    Raises ``MissingEmbeddingError`` (naming ``needed_by``'s fix) when ``path`` has no stored
    ``embedding``; nothing is computed here.
    """
    import numpy as np

    index, _ = load_index(ds, path, embedding, needed_by=needed_by)
    require_same_model(index, embedding)
    keys, vectors = index.keys, index.vectors
    live = chosen_rowids(ds.catalog(), None, [], include_deleted=False).to_numpy()
    keep = np.isin(keys[:, 0], live)
    keys, vectors = keys[keep], vectors[keep]
    order = np.argsort(keys[:, 0], kind="stable")
    row_of_span = keys[order, 0]
    rowids, starts = np.unique(row_of_span, return_index=True)
    sums = (
        np.add.reduceat(vectors[order].astype(np.float64), starts, axis=0)
        if len(starts)
        else (np.zeros((0, index.dim), np.float64))
    )
    return rowids.astype(np.int64), rounded_unit(sums)


def rounded_unit(sums: npt.NDArray[np.float64]) -> npt.NDArray[np.float32]:
    """Rows scaled to unit length, rounded to ``VECTOR_DECIMALS`` and scaled again: the same
    vectors, give or take float noise, map to bit-identical ones."""
    import numpy as np

    unit = sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)
    rounded = np.round(unit, VECTOR_DECIMALS)
    norms = np.linalg.norm(rounded, axis=1, keepdims=True)
    result: npt.NDArray[np.float32] = (rounded / np.maximum(norms, 1e-12)).astype(np.float32)
    return result


def computed_embeddings(ds: BaseDataset, path: PathInput) -> list[str]:
    """The embeddings stored for the text at ``path`` (their registered names), sorted."""
    input_name = require_text(ds, path, needed_by="an embedding")
    return sorted(
        str(column.lineage.params["embedding"])
        for column in ds.store.read_manifest().derived.values()
        if column.lineage.kind == "embedding"
        and column.lineage.input_path == input_name
        and column.lineage.params.get("embedding")
    )
