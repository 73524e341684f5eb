"""``Dataset.compute_embedding``: span vectors for a text column, in a persisted vector index.

Each row's text is split into spans (paragraphs, then sentences, with character offsets); every
span is embedded. The job is a resumable column job: a chunk's output is the spans plus their
vectors as raw float32 bytes, so a crash at 60% keeps everything already embedded. When all rows
are done the vectors go into a faiss index under ``embeddings/<column>/`` and the spans become the
dense column ``<path>__<embedding>`` (so the schema shows which rows are embedded).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gristmill.data.files import data_files
from gristmill.errors import InvalidInputError, MissingEmbeddingError

if TYPE_CHECKING:
    import pyarrow as pa

    from gristmill.data.dataset import Dataset
    from gristmill.data.filters import FilterLike, PathInput
    from gristmill.data.mapping import MapResult
    from gristmill.embed import VectorIndex
    from gristmill.schema import Lineage


def embedding_slug(name: str) -> str:
    """A name safe for folders and columns: 'sentence-transformers/all-mpnet' -> '..._all-mpnet'."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_.") or "embedding"


def embedding_column(path: str, embedding: str) -> str:
    from gristmill.signals._dataset import default_column_name

    return default_column_name(path, embedding_slug(embedding))


def index_folder(ds: Dataset, column: str) -> Path:
    return ds.store.root / "embeddings" / column


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

        from gristmill.embed import get_embedding, split_spans

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
    ds: Dataset,
    embedding: str,
    path: PathInput,
    *,
    filters: Sequence[FilterLike] | None = None,
    overwrite: bool = False,
    show_progress: bool = True,
) -> MapResult:
    from gristmill.data.filters import to_filters
    from gristmill.data.mapping import ColumnJob, MapResult, run_column_job
    from gristmill.embed import get_embedding
    from gristmill.signals._dataset import _check_text_path, already_computed

    model = get_embedding(embedding)  # unknown names fail here, listing the available ones
    input_name = _check_text_path(ds, path)
    column = embedding_column(input_name, embedding)
    if (
        already_computed(ds, column, model.model_id, overwrite)
        and index_folder(ds, column).exists()
    ):
        return MapResult(ds, column, 0, ds.count(include_deleted=True))

    def finish(target: Dataset, table: pa.Table, lineage: Lineage) -> None:
        _store_index(target, table, lineage, model.dim, model.model_id, embedding)

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
        finish=finish,
    )
    # Embedding models use every core themselves (onnxruntime threads): one worker is fastest.
    return run_column_job(ds, spec, overwrite=True, show_progress=show_progress)


def _store_index(
    ds: Dataset, table: pa.Table, lineage: Lineage, dim: int, model_id: str, embedding: str
) -> None:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from gristmill.data.mapping import write_dense_column
    from gristmill.data.store import ROWID
    from gristmill.embed import VectorIndex

    column = table.column_names[1]
    values = table.column(column).combine_chunks()
    spans = pc.struct_field(values, "spans")  # keeps the nulls of rows without text
    rowids = table.column(ROWID).to_numpy()
    counts = pc.fill_null(pc.list_value_length(spans), 0).to_numpy()
    flat = spans.flatten()
    keys = np.column_stack(
        [
            np.repeat(rowids, counts),
            flat.field("start").to_numpy(zero_copy_only=False),
            flat.field("end").to_numpy(zero_copy_only=False),
        ]
    ).astype(np.int64)
    blobs = [b for b in pc.struct_field(values, "vectors").to_pylist() if b]
    vectors = np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(-1, dim)
    folder = index_folder(ds, column)
    staging = folder.with_name(f".staging-{folder.name}")
    shutil.rmtree(staging, ignore_errors=True)
    index = VectorIndex(dim, model_id=model_id, metadata={"embedding": embedding})
    if len(keys):
        index.add(keys, vectors)
    index.save(staging)
    # Swap the finished index in, then record the column (whose lineage points at it).
    shutil.rmtree(folder, ignore_errors=True)
    staging.rename(folder)
    _index_cache.pop(str(folder), None)
    write_dense_column(ds, pa.table({ROWID: table.column(ROWID), column: spans}), lineage)


_index_cache: dict[str, tuple[float, VectorIndex]] = {}


def load_index(ds: Dataset, path: PathInput, embedding: str) -> tuple[VectorIndex, str]:
    """The vector index of ``path`` under ``embedding`` (cached until it is rebuilt)."""
    from gristmill.embed import VectorIndex
    from gristmill.signals._dataset import _check_text_path

    input_name = _check_text_path(ds, path)
    column = embedding_column(input_name, embedding)
    folder = index_folder(ds, column)
    if column not in ds.store.read_manifest().derived or not folder.exists():
        raise MissingEmbeddingError(
            f"'{input_name}' of {ds.full_name} has no '{embedding}' embedding",
            hint=f"compute it first: ds.compute_embedding('{embedding}', '{input_name}')"
            f" or `gristmill embed {ds.full_name} {input_name} --embedding {embedding}`",
        )
    # Data files only: a writer's temp file may vanish between the listing and its stat.
    stamp = max(p.stat().st_mtime for p in data_files(folder))
    cached = _index_cache.get(str(folder))
    if cached is None or cached[0] != stamp:
        cached = (stamp, VectorIndex.load(folder))
        _index_cache[str(folder)] = cached
    return cached[1], column


def require_same_model(index: VectorIndex, embedding: str) -> None:
    from gristmill.embed import get_embedding

    model = get_embedding(embedding)
    if index.model_id and index.model_id != model.model_id:
        raise InvalidInputError(
            f"the stored vectors were made by {index.model_id}, but '{embedding}' is now"
            f" {model.model_id}",
            hint="recompute the embedding with overwrite=True",
        )
