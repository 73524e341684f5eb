"""Stratified k-fold cross-validation of a concept, and the metrics it reports, in NumPy.

Folds come from a seeded permutation of each class, so the same examples in the same order
always get the same folds (``Concept.train`` puts examples in a canonical order first, so the
order they were stored in does not matter either).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gristmill.concepts._logistic import fit_logistic
from gristmill.concepts._schema import ConceptMetrics

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    IntVector = npt.NDArray[np.int64]
    FloatVector = npt.NDArray[np.float64]

MAX_FOLDS = 5
FOLD_SEED = 0
# Below this many examples in the smaller class, one example moves the metrics by a large step.
MIN_MEANINGFUL_PER_CLASS = 5


def stratified_folds(y: Any, folds: int, seed: int = FOLD_SEED) -> IntVector:
    """The fold (0..folds-1) of each example; each class is spread evenly over the folds."""
    import numpy as np

    labels = np.asarray(y, dtype=bool)
    rng = np.random.default_rng(seed)
    # Positives then negatives dealt round-robin in one sequence, so the remainders of the
    # two classes land in different folds and fold sizes differ by at most one.
    order = np.concatenate(
        [rng.permutation(np.flatnonzero(labels)), rng.permutation(np.flatnonzero(~labels))]
    )
    assignment = np.empty(labels.shape[0], dtype=np.int64)
    assignment[order] = np.arange(order.shape[0]) % folds
    return assignment


def cross_validate(vectors: Any, y: Any, c: float) -> ConceptMetrics:
    """Out-of-fold precision/recall/F1 (at 0.5) and ROC-AUC, k adapted to the smaller class."""
    import numpy as np

    labels = np.asarray(y, dtype=bool)
    num_positive = int(labels.sum())
    num_negative = len(labels) - num_positive
    folds = min(MAX_FOLDS, num_positive, num_negative)
    base = ConceptMetrics(
        num_examples=labels.shape[0], num_positive=num_positive, num_negative=num_negative, folds=0
    )
    if folds < 2:
        base.note = (
            "too few examples of one class to cross-validate: add at least 2 positive and"
            " 2 negative examples"
        )
        return base
    matrix = np.asarray(vectors)
    assignment = stratified_folds(labels, folds)
    scores = np.zeros(labels.shape[0], dtype=np.float64)
    for fold in range(folds):
        held = assignment == fold
        fit = fit_logistic(matrix[~held], labels[~held], c)
        scores[held] = fit.predict_proba(matrix[held])
    precision, recall, f1 = precision_recall_f1(labels, scores >= 0.5)
    fewest = min(num_positive, num_negative)
    note = (
        f"these metrics rest on {fewest} example(s) of the smaller class, too few to mean"
        f" much: add at least {MIN_MEANINGFUL_PER_CLASS} positive and"
        f" {MIN_MEANINGFUL_PER_CLASS} negative examples"
        if fewest < MIN_MEANINGFUL_PER_CLASS
        else None
    )
    return ConceptMetrics(
        num_examples=labels.shape[0],
        num_positive=num_positive,
        num_negative=num_negative,
        folds=folds,
        precision=precision,
        recall=recall,
        f1=f1,
        roc_auc=roc_auc(labels, scores),
        note=note,
    )


def precision_recall_f1(y: Any, predicted: Any) -> tuple[float, float, float]:
    """Of the positive class; 0.0 where a denominator is 0 (scikit-learn's zero_division=0)."""
    import numpy as np

    truth = np.asarray(y, dtype=bool)
    guess = np.asarray(predicted, dtype=bool)
    tp = int(np.sum(truth & guess))
    fp = int(np.sum(~truth & guess))
    fn = int(np.sum(truth & ~guess))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    return precision, recall, f1


def roc_auc(y: Any, scores: Any) -> float | None:
    """Area under the ROC curve: the chance a random positive outscores a random negative.

    Computed from ranks (Mann-Whitney U), tied scores sharing their average rank, which is
    exactly the trapezoidal area under the ROC curve. None if either class is absent.
    """
    import numpy as np

    truth = np.asarray(y, dtype=bool)
    values = np.asarray(scores, dtype=np.float64)
    num_positive = int(truth.sum())
    num_negative = len(truth) - num_positive
    if not num_positive or not num_negative:
        return None
    ranks = average_ranks(values)
    u = float(ranks[truth].sum()) - num_positive * (num_positive + 1) / 2.0
    return u / (num_positive * num_negative)


def average_ranks(values: Any) -> FloatVector:
    """1-based ranks of ``values``, ties given the mean of the ranks they span."""
    import numpy as np

    array = np.asarray(values, dtype=np.float64)
    order = np.argsort(array, kind="stable")
    ordered = array[order]
    starts = np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]]))
    ends = np.concatenate([starts[1:], [array.shape[0]]])
    # A tie group occupying sorted positions start..end-1 has ranks start+1..end; mean below.
    group_rank = (starts + 1 + ends) / 2.0
    ranks: FloatVector = np.empty(array.shape[0], dtype=np.float64)
    ranks[order] = np.repeat(group_rank, ends - starts)
    return ranks
