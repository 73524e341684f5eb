"""Signals over embeddings (semantic duplicates): one vector per row from the stored index.

A row's vector is the normalised mean of its span vectors, so a long text split into spans is
compared as a whole. The embedding must be computed first (``ds.compute_embedding``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gristmill.data.dataset import Dataset
    from gristmill.data.filters import Filter
    from gristmill.data.mapping import MapResult
    from gristmill.signals._signal import EmbeddingSignal


def compute_embedding_signal(
    ds: Dataset,
    signal: EmbeddingSignal,
    input_name: str,
    column: str,
    filters: Sequence[Filter],
    include_deleted: bool,
    show_progress: bool,
) -> MapResult:
    import numpy as np
    import pyarrow as pa

    from gristmill.data.curation import chosen_rowids
    from gristmill.data.mapping import MapResult, write_dense_column
    from gristmill.data.store import ROWID, now
    from gristmill.jobs import start_job
    from gristmill.schema import Lineage
    from gristmill.search import load_index

    index, _ = load_index(ds, input_name, signal.embedding)
    rows = chosen_rowids(ds.catalog(), None, filters, include_deleted=include_deleted).to_numpy()
    params: dict[str, Any] = {"signal": signal.name, "config": signal.model_dump(mode="json")}
    with start_job(
        "signal",
        description=f"[{ds.full_name}] signal {signal.name} -> {column}",
        dataset=ds.full_name,
        total=len(rows),
        params=params,
        show_progress=show_progress,
    ) as job:
        position = np.full(ds.store.read_manifest().num_rows, -1, dtype=np.int64)
        position[rows] = np.arange(len(rows))
        keys, vectors = index.keys, index.vectors
        where = position[keys[:, 0]]
        keep = where >= 0
        sums = np.zeros((len(rows), index.dim), dtype=np.float32)
        np.add.at(sums, where[keep], vectors[keep])
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        row_vectors = np.divide(sums, norms, out=np.zeros_like(sums), where=norms > 0)
        outputs = signal.compute_from_vectors(row_vectors)
        lineage = Lineage(
            kind="signal",
            producer=signal.key(),
            input_path=input_name,
            params=params,
            created_at=now(),
            num_rows=len(rows),
        )
        values = pa.array(outputs, type=signal.output_type())
        write_dense_column(
            ds, pa.table({ROWID: pa.array(rows, pa.int64()), column: values}), lineage
        )
        job.advance(len(rows))
    return MapResult(ds, column, len(rows), 0)
