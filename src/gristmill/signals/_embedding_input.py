"""Signals over embeddings (semantic duplicates): one vector per row from the stored index.

A row's vector is the normalised mean of its span vectors, so a long text split into spans is
compared as a whole. The embedding must be computed first (``ds.compute_embedding``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gristmill.data.curation import chosen_rowids
from gristmill.data.dataset import BaseDataset
from gristmill.data.derived import MapResult
from gristmill.data.filters import Filter
from gristmill.embed import load_index
from gristmill.signals._signal import EmbeddingSignal
from gristmill.signals._whole_column import store_whole_column


def compute_embedding_signal(
    ds: BaseDataset,
    signal: EmbeddingSignal,
    input_name: str,
    column: str,
    filters: Sequence[Filter],
    include_deleted: bool,
    show_progress: bool,
) -> MapResult:
    import numpy as np
    import pyarrow as pa

    index, _ = load_index(ds, input_name, signal.embedding, needed_by=f"the {signal.name} signal")
    rows = chosen_rowids(ds.catalog(), None, filters, include_deleted=include_deleted).to_numpy()
    params: dict[str, Any] = {"signal": signal.name, "config": signal.model_dump(mode="json")}

    def compute() -> Sequence[Any]:
        position = np.full(ds.store.read_manifest().num_rows, -1, dtype=np.int64)
        position[rows] = np.arange(len(rows))
        keys, vectors = index.keys, index.vectors
        where = position[keys[:, 0]]
        keep = where >= 0
        sums = np.zeros((len(rows), index.dim), dtype=np.float32)
        np.add.at(sums, where[keep], vectors[keep])
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        row_vectors = np.divide(sums, norms, out=np.zeros_like(sums), where=norms > 0)
        return signal.compute_from_vectors(row_vectors)

    return store_whole_column(
        ds,
        signal,
        input_name=input_name,
        column=column,
        params=params,
        rowids=pa.array(rows, pa.int64()),
        compute=compute,
        show_progress=show_progress,
    )
