"""The NumPy logistic regression and cross-validation, checked against scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest

from gristmill.concepts._cross_validation import (
    average_ranks,
    cross_validate,
    precision_recall_f1,
    roc_auc,
    stratified_folds,
)
from gristmill.concepts._logistic import balanced_weights, fit_logistic


def _unit_rows(rng: np.random.Generator, n: int, d: int, shift: float) -> np.ndarray:
    x = rng.normal(size=(n, d)) + shift
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def _concept_like(n_pos: int, n_neg: int, d: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors, the classes overlapping (not separable when n > d), imbalanced."""
    rng = np.random.default_rng(seed)
    direction = np.zeros(d)
    direction[0] = 0.6
    pos = _unit_rows(rng, n_pos, d, 0.0) + direction / np.sqrt(d)
    neg = _unit_rows(rng, n_neg, d, 0.0) - direction / np.sqrt(d)
    x = np.vstack([pos, neg]).astype(np.float32)
    y = np.array([True] * n_pos + [False] * n_neg)
    return x, y


@pytest.mark.parametrize(
    ("n_pos", "n_neg", "d", "c"),
    [(15, 15, 384, 10.0), (12, 40, 64, 10.0), (300, 500, 32, 1.0), (60, 200, 16, 100.0)],
)
def test_fit_matches_sklearn(n_pos: int, n_neg: int, d: int, c: float) -> None:
    from sklearn.linear_model import LogisticRegression

    x, y = _concept_like(n_pos, n_neg, d, seed=n_pos + d)
    ours = fit_logistic(x, y, c)
    reference = LogisticRegression(
        C=c, class_weight="balanced", solver="newton-cg", tol=1e-12, max_iter=10_000
    ).fit(x.astype(np.float64), y)
    np.testing.assert_allclose(ours.weights, reference.coef_[0], atol=1e-4)
    assert ours.intercept == pytest.approx(float(reference.intercept_[0]), abs=1e-4)
    probe, _ = _concept_like(20, 20, d, seed=99)
    np.testing.assert_allclose(
        ours.predict_proba(probe),
        reference.predict_proba(probe.astype(np.float64))[:, 1],
        atol=1e-4,
    )
    assert ours.iterations < 30


def test_fit_on_separable_data_stays_finite_and_separates() -> None:
    x = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]])
    y = np.array([True, True, False, False])
    fit = fit_logistic(x, y, 1e6)  # almost no regularisation: the weights grow large
    assert np.all(np.isfinite(fit.weights))
    scores = fit.predict_proba(x)
    assert np.all(scores[:2] > 0.99) and np.all(scores[2:] < 0.01)


def test_balanced_weights_match_sklearn() -> None:
    from sklearn.utils.class_weight import compute_sample_weight

    y = np.array([True] * 3 + [False] * 9)
    np.testing.assert_allclose(balanced_weights(y), compute_sample_weight("balanced", y))


def test_stratified_folds_are_even_seeded_and_deterministic() -> None:
    y = np.array([True] * 7 + [False] * 23)
    folds = stratified_folds(y, 5)
    np.testing.assert_array_equal(folds, stratified_folds(y, 5))
    assert not np.array_equal(folds, stratified_folds(y, 5, seed=1))
    sizes = np.bincount(folds, minlength=5)
    assert sizes.max() - sizes.min() <= 1
    positives = np.bincount(folds[y], minlength=5)
    negatives = np.bincount(folds[~y], minlength=5)
    assert positives.max() - positives.min() <= 1 and negatives.max() - negatives.min() <= 1


def test_metrics_match_sklearn_including_ties_and_zero_division() -> None:
    from sklearn.metrics import f1_score, precision_score, recall_score, roc_auc_score

    rng = np.random.default_rng(3)
    y = rng.random(200) < 0.3
    # Rounded scores: many ties, which take their average rank.
    scores = np.round(np.clip(rng.normal(0.4 + 0.3 * y, 0.25), 0, 1), 1)
    assert roc_auc(y, scores) == pytest.approx(roc_auc_score(y, scores), abs=1e-12)
    for predicted in (scores >= 0.5, np.zeros(200, dtype=bool), np.ones(200, dtype=bool)):
        expected = (
            precision_score(y, predicted, zero_division=0),
            recall_score(y, predicted, zero_division=0),
            f1_score(y, predicted, zero_division=0),
        )
        assert precision_recall_f1(y, predicted) == pytest.approx(expected, abs=1e-12)
    assert roc_auc(np.ones(4, dtype=bool), np.arange(4)) is None
    np.testing.assert_array_equal(average_ranks([3.0, 1.0, 3.0, 2.0]), [3.5, 1.0, 3.5, 2.0])


def test_cross_validation_matches_an_sklearn_loop_on_the_same_folds() -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score, roc_auc_score

    x, y = _concept_like(15, 25, 48, seed=5)
    metrics = cross_validate(x, y, 10.0)
    assert metrics.folds == 5 and metrics.num_examples == 40
    folds = stratified_folds(y, 5)
    scores = np.zeros(len(y))
    for fold in range(5):
        held = folds == fold
        reference = LogisticRegression(
            C=10.0, class_weight="balanced", solver="newton-cg", tol=1e-12, max_iter=10_000
        ).fit(x[~held].astype(np.float64), y[~held])
        scores[held] = reference.predict_proba(x[held].astype(np.float64))[:, 1]
    assert metrics.f1 == pytest.approx(f1_score(y, scores >= 0.5), abs=1e-12)
    assert metrics.roc_auc == pytest.approx(roc_auc_score(y, scores), abs=1e-9)


def test_cross_validation_needs_two_of_each_class() -> None:
    x, y = _concept_like(1, 10, 8, seed=1)
    metrics = cross_validate(x, y, 10.0)
    assert metrics.folds == 0 and metrics.f1 is None and metrics.note
