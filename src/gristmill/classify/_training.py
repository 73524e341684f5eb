"""Training: multinomial logistic regression on unit-length embeddings.

Class weights make each class count the same however many examples it has. The regularisation
strength is chosen by cross-validation from a small grid (on a few dozen unit vectors the
scikit-learn default C=1 often underfits, on noisy labels a larger C overfits; the data
decides). The fitted model is kept as two arrays, so prediction is one matrix product and the
save file needs no pickle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gristmill.classify._reports import TrainingReport

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

C_GRID = (0.5, 2.0, 8.0, 32.0)
MAX_FOLDS = 5
# Below this many scored examples in some class, one example moves the CV scores by a large step
# (with one per class accuracy can only be 0, 0.5 or 1): the numbers mean nothing.
MIN_CV_EXAMPLES_PER_CLASS = 5


@dataclass
class LinearModel:
    """Softmax over ``vectors @ coef.T + intercept``; one row of ``coef`` per class."""

    classes: list[str]
    coef: npt.NDArray[np.float32]
    intercept: npt.NDArray[np.float32]

    def predict_proba(self, vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        import numpy as np

        logits = vectors.astype(np.float64) @ self.coef.T.astype(np.float64) + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        weights = np.exp(logits)
        probs: npt.NDArray[np.float64] = weights / weights.sum(axis=1, keepdims=True)
        return probs


@dataclass
class TrainingSet:
    vectors: npt.NDArray[np.float32]
    labels: npt.NDArray[np.int64]
    weights: npt.NDArray[np.float64]
    real: npt.NDArray[np.bool_]
    classes: list[str]


def fit(data: TrainingSet, c: float) -> LinearModel:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    weights = data.weights * _balancing(data.labels, data.weights, len(data.classes))
    # lbfgs is multinomial for >2 classes; on a few hundred 384-d rows it takes milliseconds.
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit(data.vectors, data.labels, sample_weight=weights)
    coef = np.asarray(model.coef_, dtype=np.float32)
    intercept = np.asarray(model.intercept_, dtype=np.float32)
    if coef.shape[0] == 1:
        # Binary: sklearn keeps one row for class 1. softmax([0, z]) == sigmoid(z).
        coef = np.vstack([np.zeros_like(coef), coef])
        intercept = np.concatenate([np.zeros(1, np.float32), intercept])
    return LinearModel(list(data.classes), coef, intercept)


def self_train(
    data: TrainingSet,
    c: float,
    unlabelled: npt.NDArray[np.float32],
    *,
    per_class: int,
    weight: float,
    rounds: int,
    min_prob: float,
) -> tuple[LinearModel, list[int]]:
    """Refit with the unlabelled rows the model is surest of as extra, down-weighted examples.

    Each round takes, per class, the ``per_class`` rows predicted as that class with the highest
    probability (at least ``min_prob``); taking the same number per class keeps a majority class
    from swallowing the others. Returns the model and how many rows each class took.
    """
    import numpy as np

    model = fit(data, c)
    taken = [0] * len(data.classes)
    for _ in range(rounds):
        probs = model.predict_proba(unlabelled)
        predicted, confidence = probs.argmax(axis=1), probs.max(axis=1)
        chosen = []
        for index in range(len(data.classes)):
            rows = np.flatnonzero((predicted == index) & (confidence >= min_prob))
            rows = rows[np.argsort(-confidence[rows], kind="stable")][:per_class]
            taken[index] = len(rows)
            chosen.append(rows)
        picked = np.concatenate(chosen).astype(np.int64)
        extended = TrainingSet(
            np.vstack([data.vectors, unlabelled[picked]]),
            np.concatenate([data.labels, predicted[picked]]).astype(np.int64),
            np.concatenate([data.weights, np.full(len(picked), weight)]),
            np.concatenate([data.real, np.zeros(len(picked), dtype=bool)]),
            data.classes,
        )
        model = fit(extended, c)
    return model, taken


def _balancing(labels: Any, weights: Any, num_classes: int) -> Any:
    """Per-row factor giving each class the same total weight ('balanced' class weights)."""
    import numpy as np

    totals = np.bincount(labels, weights=weights, minlength=num_classes)
    factors = np.where(totals > 0, weights.sum() / (num_classes * np.maximum(totals, 1e-12)), 0.0)
    return factors[labels]


def train(
    data: TrainingSet, c: float | None
) -> tuple[LinearModel, TrainingReport, npt.NDArray[np.float64] | None]:
    """The model, its report, and the out-of-fold probabilities (None when CV is impossible)."""
    import time

    import numpy as np

    started = time.perf_counter()
    folds = _num_folds(data.labels, len(data.classes))
    scored = _scored_rows(data)
    chosen = c if c is not None else C_GRID[1]
    oof: npt.NDArray[np.float64] | None = None
    if folds >= 2:
        best: tuple[float, float] | None = None
        for candidate in C_GRID if c is None else (c,):
            probs = _out_of_fold(data, candidate, folds)
            predicted = probs[scored].argmax(axis=1)
            score = _macro_f1(data.labels[scored], predicted, len(data.classes))
            # Strictly better only: ties keep the stronger regularisation seen first.
            if best is None or score > best[0] + 1e-9:
                best, chosen, oof = (score, candidate), candidate, probs
    model = fit(data, chosen)
    report = TrainingReport(
        classes=list(data.classes),
        counts={},
        regularization_c=chosen,
        folds=folds if folds >= 2 else 0,
        cv_on="real" if scored is data.real else "all",
    )
    if oof is not None:
        from sklearn.metrics import confusion_matrix

        truth = data.labels[scored]
        predicted = oof[scored].argmax(axis=1)
        report.cv_accuracy = round(float(np.mean(truth == predicted)), 4)
        report.cv_macro_f1 = round(_macro_f1(truth, predicted, len(data.classes)), 4)
        report.confusion_matrix = confusion_matrix(
            truth, predicted, labels=list(range(len(data.classes)))
        ).tolist()
        low, high = wilson_interval(int(np.sum(truth == predicted)), len(truth))
        report.cv_accuracy_interval = [round(low, 4), round(high, 4)]
        report.chance_accuracy = round(1.0 / len(data.classes), 4)
        if low <= 1.0 / len(data.classes):
            report.warnings.append(
                f"the model may predict at chance: cross-validated accuracy"
                f" {report.cv_accuracy:.2f} (95% interval {low:.2f}-{high:.2f} over"
                f" {len(truth)} {report.cv_on} examples) is not clearly above the"
                f" {1 / len(data.classes):.2f} of guessing among {len(data.classes)} classes;"
                " add real examples, or generate with a capable LLM"
            )
        fewest = int(np.bincount(truth, minlength=len(data.classes)).min())
        if fewest < MIN_CV_EXAMPLES_PER_CLASS:
            report.warnings.append(
                f"cv_accuracy and cv_macro_f1 rest on {len(truth)} {report.cv_on} examples"
                f" ({fewest} in the smallest class): each one moves accuracy by"
                f" {1 / len(truth):.0%}, so they cannot tell a good classifier from a bad one;"
                f" give every class at least {MIN_CV_EXAMPLES_PER_CLASS} real examples"
            )
    else:
        report.warnings.append(
            "too few examples to cross-validate: give every class at least 2 examples"
        )
    report.train_seconds = round(time.perf_counter() - started, 3)
    return model, report, oof


def wilson_interval(successes: int, trials: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval of a proportion (sound at small counts, unlike p ± 2 se)."""
    import math

    if trials == 0:
        return 0.0, 1.0
    share = successes / trials
    denominator = 1 + z * z / trials
    centre = (share + z * z / (2 * trials)) / denominator
    spread = z * math.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials))
    return max(0.0, centre - spread / denominator), min(1.0, centre + spread / denominator)


def _scored_rows(data: TrainingSet) -> npt.NDArray[np.bool_]:
    """Score CV on real examples when at least two classes have some, else on everything."""
    import numpy as np

    if len(np.unique(data.labels[data.real])) >= 2:
        return data.real
    return np.ones(len(data.labels), dtype=bool)


def _num_folds(labels: Any, num_classes: int) -> int:
    import numpy as np

    counts = np.bincount(labels, minlength=num_classes)
    return int(min(MAX_FOLDS, counts.min())) if len(counts) else 0


def _out_of_fold(data: TrainingSet, c: float, folds: int) -> npt.NDArray[np.float64]:
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    probs = np.zeros((len(data.labels), len(data.classes)), dtype=np.float64)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    for train_index, test_index in splitter.split(data.vectors, data.labels):
        part = TrainingSet(
            data.vectors[train_index],
            data.labels[train_index],
            data.weights[train_index],
            data.real[train_index],
            data.classes,
        )
        if len(np.unique(part.labels)) < len(data.classes):
            continue
        probs[test_index] = fit(part, c).predict_proba(data.vectors[test_index])
    return probs


def _macro_f1(truth: Any, predicted: Any, num_classes: int) -> float:
    from sklearn.metrics import f1_score

    return float(
        f1_score(
            truth, predicted, labels=list(range(num_classes)), average="macro", zero_division=0
        )
    )
