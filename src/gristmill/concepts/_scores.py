"""Concept scores over stored span vectors: ``Dataset.compute_concept``, and the scores a
``ConceptSearch`` ranks by.

The concept's logistic regression is applied to every span vector of the column's embedding
index (no re-embedding), then each row takes the score of its best span; the spans with their
scores are kept so the UI can highlight where the concept shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from gristmill import jobs  # names load on first use: importing this needs no SQLAlchemy
from gristmill.concepts._catalog import concept_info, get_concept
from gristmill.data.arrays import span_scores_type
from gristmill.data.catalog import Catalog
from gristmill.data.curation import chosen_rowids
from gristmill.data.dataset import BaseDataset
from gristmill.data.derived import (
    MapResult,
    already_computed,
    default_column_name,
    require_text,
    write_dense_column,
)
from gristmill.data.filters import FilterLike, PathInput, to_filters
from gristmill.data.store import ROWID, now
from gristmill.embed import load_index, require_same_model
from gristmill.schema import Lineage

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pyarrow as pa


def concept_scores(
    ds: BaseDataset,
    path: PathInput,
    namespace: str,
    name: str,
    embedding: str,
    allowed: npt.NDArray[np.int64] | None,
    *,
    needed_by: str = "a concept search",
    catalog: Catalog | None = None,
) -> tuple[pa.Table, str]:
    """Per row with vectors (among ``allowed``, or all): ``__rowid__``, best span ``score``,
    and ``spans`` with scores; and the producer naming the concept version and model."""
    import numpy as np
    import pyarrow as pa

    index, _ = load_index(ds, path, embedding, needed_by=needed_by, catalog=catalog)
    require_same_model(index, embedding)
    concept = get_concept(namespace, name)
    model = concept.model(embedding)
    keys, vectors = index.keys, index.vectors
    if allowed is not None:
        keep = np.isin(keys[:, 0], allowed)
        keys, vectors = keys[keep], vectors[keep]
    scores = model.score_vectors(vectors).astype(np.float64)
    order = np.lexsort((keys[:, 1], keys[:, 0]))
    keys, scores = keys[order], scores[order]
    rowids, starts = np.unique(keys[:, 0], return_index=True)
    best = np.maximum.reduceat(scores, starts) if len(scores) else np.zeros(0)
    offsets = np.append(starts, len(keys)).astype(np.int32)
    span_struct = pa.StructArray.from_arrays(
        [
            pa.array(keys[:, 1].astype(np.int32)),
            pa.array(keys[:, 2].astype(np.int32)),
            pa.array(scores),
        ],
        fields=list(span_scores_type().value_type),
    )
    spans = pa.ListArray.from_arrays(pa.array(offsets), span_struct, type=span_scores_type())
    table = pa.table({ROWID: pa.array(rowids, pa.int64()), "score": pa.array(best), "spans": spans})
    producer = f"{namespace}/{name}@v{concept.version}/{model.embedding_model_id}"
    return table, producer


def concept_column(path: str, namespace: str, name: str) -> str:
    """The derived column ``compute_concept`` writes: ``text__gristmill_profanity``."""
    return default_column_name(path, f"{namespace}_{name}")


def compute_concept(
    ds: BaseDataset,
    namespace: str,
    name: str,
    *,
    embedding: str = "minilm",
    path: PathInput,
    filters: Sequence[FilterLike] | None = None,
    overwrite: bool = False,
    show_progress: bool = True,
) -> MapResult:
    """Store the concept's score per row (best span) and per span as a derived column."""
    import pyarrow as pa

    # Lilac's names (lilac/profanity) store the same column as the built-in they stand for.
    info = concept_info(namespace, name)
    namespace, name = info.namespace, info.name
    input_name = require_text(ds, path, needed_by="compute_concept")
    column = concept_column(input_name, namespace, name)
    parsed = to_filters(filters)
    allowed = chosen_rowids(ds.catalog(), None, parsed, include_deleted=False).to_numpy()
    with jobs.start_job(
        "concept",
        description=f"Concept {namespace}/{name} scores of {input_name}",
        dataset=ds.full_name,
        total=len(allowed),
        params={"concept": f"{namespace}/{name}", "embedding": embedding},
        show_progress=show_progress,
    ) as job:
        table, producer = concept_scores(
            ds, input_name, namespace, name, embedding, allowed, needed_by="compute_concept"
        )
        if already_computed(ds, column, producer, overwrite):
            job.complete("already computed")
            return MapResult(ds, column, 0, table.num_rows)
        values = pa.StructArray.from_arrays(
            [
                table.column("score").combine_chunks().cast(pa.float32()),
                table.column("spans").combine_chunks(),
            ],
            names=["score", "spans"],
        )
        lineage = Lineage(
            kind="concept",
            producer=producer,
            input_path=input_name,
            params={"concept": f"{namespace}/{name}", "embedding": embedding},
            created_at=now(),
            num_rows=table.num_rows,
        )
        write_dense_column(ds, pa.table({ROWID: table.column(ROWID), column: values}), lineage)
        job.advance(len(allowed))
    return MapResult(ds, column, table.num_rows, 0)
