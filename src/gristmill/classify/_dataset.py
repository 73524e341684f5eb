"""``Dataset.compute_classifier``: a classifier's prediction per row as a derived column.

The column is a struct ``{class_name, prob, probs: [{class_name, prob}, ...]}``: ``class_name``
is None where calibration abstains, ``prob`` is the top probability, so filters read naturally::

    ds.delete_rows(filters=[('question__classifier.class_name', 'equals', 'incorrect'),
                            ('question__classifier.prob', 'greater', 0.9)])

When the path already has stored embeddings from the classifier's models (its embedding, and its
second embedding if it has one), their span vectors are reused (a row's vector is the
length-weighted mean of its span vectors, renormalised), so no text is embedded again; otherwise
the texts are embedded and classified in a resumable column job.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from gristmill import jobs  # names load on first use: importing this needs no SQLAlchemy
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
from gristmill.data.filters import FilterLike, PathInput, to_filters
from gristmill.data.store import ROWID, now
from gristmill.embed import load_index
from gristmill.errors import InvalidInputError, NotFoundError
from gristmill.schema import Lineage

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pyarrow as pa

    from gristmill.classify._classifier import LLMClassifier


def prediction_type() -> pa.DataType:
    import pyarrow as pa

    score = pa.struct([("class_name", pa.string()), ("prob", pa.float64())])
    return pa.struct(
        [("class_name", pa.string()), ("prob", pa.float64()), ("probs", pa.list_(score))]
    )


def classifier_producer(clf: LLMClassifier) -> str:
    """Names the exact model: a hash of its weights, classes and thresholds, plus the embedding."""
    model = clf._trained()
    digest = hashlib.sha256()
    digest.update(model.coef.tobytes())
    digest.update(model.intercept.tobytes())
    digest.update(repr(sorted(clf.thresholds.items())).encode())
    digest.update("\x00".join(model.classes).encode())
    second = clf.features().second
    models = clf._embedding_model().model_id + (f"+{second.model_id}" if second else "")
    return f"LLMClassifier:{digest.hexdigest()[:16]}/{models}"


class PredictChunk:
    """The batched column-job function: texts in, prediction structs out (None for no text)."""

    def __init__(self, clf: LLMClassifier) -> None:
        self.clf = clf

    def __call__(self, texts: list[str | None]) -> list[dict[str, Any] | None]:
        present = [i for i, text in enumerate(texts) if isinstance(text, str)]
        outputs: list[dict[str, Any] | None] = [None] * len(texts)
        if present:
            probs = self.clf.predict_proba([texts[i] for i in present])  # type: ignore[misc]
            rows = prediction_rows(self.clf, probs)
            for position, row in zip(present, rows, strict=True):
                outputs[position] = row
        return outputs


def prediction_rows(clf: LLMClassifier, probs: npt.NDArray[np.float64]) -> list[dict[str, Any]]:
    classes = clf.classes
    labels = clf._labels(probs)
    return [
        {
            "class_name": label,
            "prob": float(row.max()),
            "probs": [
                {"class_name": c, "prob": float(p)} for c, p in zip(classes, row, strict=True)
            ],
        }
        for label, row in zip(labels, probs, strict=True)
    ]


def compute_classifier(
    ds: BaseDataset,
    clf: LLMClassifier,
    *,
    path: PathInput,
    output_column: str | None = None,
    filters: Sequence[FilterLike] | None = None,
    overwrite: bool = False,
    show_progress: bool = True,
    self_train: bool = False,
) -> MapResult:
    """Store the classifier's prediction and probabilities for the text at ``path`` per row.

    ``self_train=True`` first retrains a copy of the classifier with the rows it is surest of
    (``LLMClassifier.self_train``) from the path's stored embeddings; ``clf`` is not changed.
    """
    producer = classifier_producer(clf)
    input_name = require_text(ds, path, needed_by="compute_classifier")
    column = output_column or default_column_name(input_name, "classifier")
    params = {"classes": clf.classes, "embedding": clf.embedding_name}
    parsed = to_filters(filters)
    features = clf.features()
    indexes = []
    named = [(clf.embedding_name, features.main)]
    if features.second is not None and clf.settings.second_embedding is not None:
        named.append((clf.settings.second_embedding, features.second))
    for name, model in named:
        try:
            index, _ = load_index(ds, input_name, name, needed_by="compute_classifier")
        except NotFoundError:
            index = None
        indexes.append(index if index is not None and index.model_id == model.model_id else None)
    if all(index is not None for index in indexes):
        return _from_stored_vectors(
            ds,
            clf,
            indexes,
            input_name,
            column,
            params,
            parsed,
            overwrite,
            show_progress,
            self_train,
        )
    if self_train:
        needed = " and ".join(
            f"ds.compute_embedding('{name}', '{input_name}')" for name, _ in named
        )
        raise InvalidInputError(
            "self_train=True learns from the stored embeddings of the column, and"
            f" '{input_name}' lacks some of them",
            hint=f"run {needed} first",
        )
    if already_computed(ds, column, producer, overwrite):
        return MapResult(ds, column, 0, ds.count())
    job = ColumnJob(
        output_column=column,
        fn=PredictChunk(clf),
        producer=producer,
        kind="prediction",
        input_path=input_name,
        params=params,
        batched=True,
        filters=parsed,
        output_type=prediction_type(),
        title=f"Classifier predictions for {input_name}",
    )
    return run_column_job(ds, job, overwrite=overwrite, show_progress=show_progress)


def _from_stored_vectors(
    ds: BaseDataset,
    clf: LLMClassifier,
    indexes: list[Any],
    input_name: str,
    column: str,
    params: dict[str, Any],
    filters: Any,
    overwrite: bool,
    show_progress: bool,
    self_train: bool,
) -> MapResult:
    import numpy as np
    import pyarrow as pa

    allowed = chosen_rowids(ds.catalog(), None, filters, include_deleted=False).to_numpy()
    rowids, main = row_vectors(indexes[0].keys, indexes[0].vectors, allowed)
    second = None
    if len(indexes) > 1:
        # Rows without text have no spans in either index, so the row sets agree.
        second_rowids, second = row_vectors(indexes[1].keys, indexes[1].vectors, allowed)
        if not np.array_equal(rowids, second_rowids):
            keep = np.intersect1d(rowids, second_rowids)
            main = main[np.isin(rowids, keep)]
            second = second[np.isin(second_rowids, keep)]
            rowids = keep
    vectors = clf.features().join(main, second)
    if self_train:
        # A copy: the caller's classifier keeps its model and calibration.
        clf = copy.copy(clf)
        clf.self_train(vectors=vectors)
        params = {**params, "self_train": True}
    producer = classifier_producer(clf)
    if already_computed(ds, column, producer, overwrite):
        return MapResult(ds, column, 0, ds.count())
    with jobs.start_job(
        "prediction",
        description=f"Classifier predictions for {input_name} (from stored vectors)",
        dataset=ds.full_name,
        total=len(allowed),
        params={"producer": producer},
        show_progress=show_progress,
    ) as job:
        probs = clf._trained().predict_proba(vectors)
        values = pa.array(prediction_rows(clf, probs), type=prediction_type())
        lineage = Lineage(
            kind="prediction",
            producer=producer,
            input_path=input_name,
            params={**params, "filters": [f.model_dump(mode="json") for f in filters]},
            created_at=now(),
            num_rows=len(rowids),
        )
        table = pa.table({ROWID: pa.array(rowids, pa.int64()), column: values})
        write_dense_column(ds, table, lineage)
        job.advance(len(allowed))
    return MapResult(ds, column, len(rowids), 0)


def row_vectors(
    keys: npt.NDArray[np.int64], vectors: npt.NDArray[np.float32], allowed: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    """One unit vector per row: the span vectors averaged, weighted by span length."""
    import numpy as np

    keep = np.isin(keys[:, 0], allowed)
    keys, vectors = keys[keep], vectors[keep]
    rowids, position = np.unique(keys[:, 0], return_inverse=True)
    weights = np.maximum(keys[:, 2] - keys[:, 1], 1).astype(np.float32)
    sums = np.zeros((len(rowids), vectors.shape[1]), dtype=np.float32)
    np.add.at(sums, position, vectors * weights[:, None])
    norms = np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)
    return rowids.astype(np.int64), (sums / norms).astype(np.float32)
