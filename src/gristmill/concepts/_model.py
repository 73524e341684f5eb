"""A trained concept: logistic regression over embeddings, kept as plain numbers.

The model is a weight vector and an intercept, so scoring is one matrix-vector product and
saving it needs no pickle. Training fits an L2-regularised logistic regression with balanced
class weights (concepts usually have far more of one class; ``_logistic``, the objective of
scikit-learn's ``LogisticRegression(class_weight='balanced')``) and reports cross-validated
quality (``_cross_validation``).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from gristmill.concepts._cross_validation import cross_validate
from gristmill.concepts._logistic import fit_logistic
from gristmill.concepts._schema import ConceptMetrics, ConceptModelRecord
from gristmill.errors import InvalidInputError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatMatrix = npt.NDArray[np.float32]
    FloatVector = npt.NDArray[np.float64]

# Inverse regularisation strength. Embeddings are unit vectors, so weights must be large to
# turn small cosine differences into confident probabilities; C=1 squashes every score toward
# 0.5. 10 was best or tied-best in cross-validation on all built-in concepts
# (benchmarks/bench_concepts.py) while still shrinking weights on 20-example concepts.
DEFAULT_C = 10.0


class ConceptModel:
    """Scores texts' embeddings for one concept: ``score_vectors(vectors) -> probabilities``."""

    def __init__(self, record: ConceptModelRecord) -> None:
        import numpy as np

        self.record = record
        self._weights = np.asarray(record.coefficients, dtype=np.float32)
        self._intercept = np.float32(record.intercept)
        if self._weights.shape != (record.dim,):
            raise InvalidInputError(
                f"concept model {record.namespace}/{record.name} has {self._weights.shape[0]}"
                f" coefficients but says dim={record.dim}",
                hint="delete the model file; it is retrained on next use",
            )

    @property
    def embedding_model_id(self) -> str:
        return self.record.embedding_model_id

    @property
    def metrics(self) -> ConceptMetrics:
        return self.record.metrics

    @property
    def dim(self) -> int:
        return self.record.dim

    def score_vectors(self, vectors: Any) -> FloatVector:
        """Probability of the concept for each row of ``vectors`` (shape [n, dim])."""
        import numpy as np

        matrix = np.asarray(vectors, dtype=np.float32)
        if matrix.ndim == 1:
            matrix = matrix.reshape(1, -1)
        if matrix.ndim != 2 or matrix.shape[1] != self.record.dim:
            raise InvalidInputError(
                f"concept {self.record.namespace}/{self.record.name} scores vectors of length"
                f" {self.record.dim}, got shape {matrix.shape}",
                hint=f"embed with '{self.record.embedding}' ({self.record.embedding_model_id})",
            )
        logits = matrix @ self._weights + self._intercept
        # A clipped logistic: no overflow warnings on extreme logits.
        scores: FloatVector = 1.0 / (1.0 + np.exp(-np.clip(logits.astype(np.float64), -50, 50)))
        return scores

    def __repr__(self) -> str:
        r = self.record
        return (
            f"ConceptModel({r.namespace}/{r.name}, draft={r.draft!r}, version={r.concept_version},"
            f" embedding={r.embedding!r}, f1={r.metrics.f1}, roc_auc={r.metrics.roc_auc})"
        )


def train_model(
    vectors: FloatMatrix,
    labels: list[bool],
    *,
    namespace: str,
    name: str,
    draft: str,
    concept_version: int,
    embedding: str,
    embedding_model_id: str,
    c: float = DEFAULT_C,
) -> ConceptModel:
    """Fit the concept on example vectors and measure it by stratified cross-validation."""
    import numpy as np

    started = time.perf_counter()
    y = np.asarray(labels, dtype=np.int64)
    num_positive = int(y.sum())
    num_negative = len(y) - num_positive
    check_trainable(namespace, name, num_positive, num_negative)
    fit = fit_logistic(vectors, y, c)
    metrics = cross_validate(vectors, y, c)
    record = ConceptModelRecord(
        namespace=namespace,
        name=name,
        draft=draft,
        concept_version=concept_version,
        embedding=embedding,
        embedding_model_id=embedding_model_id,
        dim=int(vectors.shape[1]),
        coefficients=[float(w) for w in fit.weights],
        intercept=fit.intercept,
        regularization_c=c,
        metrics=metrics,
        trained_at=datetime.now(UTC),
        train_seconds=time.perf_counter() - started,
    )
    return ConceptModel(record)


def check_trainable(namespace: str, name: str, num_positive: int, num_negative: int) -> None:
    """A classifier needs both classes; say which one to add."""
    if num_positive and num_negative:
        return
    if not num_positive and not num_negative:
        what = "no examples"
        fix = "add positive examples (label=True) and negative examples (label=False)"
    elif not num_negative:
        what = f"only positive examples ({num_positive})"
        fix = "add negative examples: texts that are NOT the concept, with label=False"
    else:
        what = f"only negative examples ({num_negative})"
        fix = "add positive examples: texts that ARE the concept, with label=True"
    raise InvalidInputError(
        f"concept {namespace}/{name} cannot be trained: it has {what}",
        hint=f"{fix}, e.g. concept.add_examples([...], label=...)",
    )
