"""Means with bootstrap confidence intervals, and paired comparisons of two models.

Missing values (``None`` or NaN: a failed call, an unscorable row) are skipped and counted; a paired
comparison keeps only the rows both models have. Bootstraps are percentile bootstraps, vectorised
with NumPy and seeded, so a result is reproducible. Resamples are drawn in blocks to bound memory
(a block holds at most a few million indices) whatever the number of rows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from gristmill.errors import InvalidInputError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]

Values = Sequence[float | int | None]
_BLOCK_CELLS = 4_000_000


class MeanEstimate(BaseModel):
    """A mean with its bootstrap confidence interval (all ``None`` when no value is present)."""

    model_config = ConfigDict(frozen=True)

    mean: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    n_missing: int
    confidence: float


class PairedComparison(BaseModel):
    """Model A against model B on the rows both have a value for.

    ``mean_difference`` is mean(A - B) with its bootstrap interval. Wins, ties and losses are
    counted from A's side, in the metric's better direction. ``p_value`` is the two-sided paired
    bootstrap p-value for "no mean difference" (``None`` below two pairs); ``sign_test_p_value``
    is the exact two-sided sign test on wins against losses (ties dropped).
    """

    model_config = ConfigDict(frozen=True)

    n: int
    n_skipped: int
    mean_a: float | None
    mean_b: float | None
    mean_difference: float | None
    ci_low: float | None
    ci_high: float | None
    confidence: float
    wins: int
    ties: int
    losses: int
    win_rate: float | None
    tie_rate: float | None
    loss_rate: float | None
    p_value: float | None
    sign_test_p_value: float | None


class ColumnSummary(BaseModel):
    """A numeric column (latency, tokens, a score) in one line: mean with CI, spread and total."""

    model_config = ConfigDict(frozen=True)

    mean: MeanEstimate
    median: float | None
    p95: float | None
    minimum: float | None
    maximum: float | None
    total: float | None


def _check_settings(confidence: float, n_resamples: int) -> None:
    if not 0.0 < confidence < 1.0:
        raise InvalidInputError(
            f"confidence must be between 0 and 1, got {confidence}", hint="use e.g. 0.95"
        )
    if n_resamples < 1:
        raise InvalidInputError(
            f"n_resamples must be at least 1, got {n_resamples}", hint="use e.g. 1000"
        )


def _as_array(values: Values, what: str) -> FloatArray:
    """``values`` as float64 with NaN for missing entries; infinities are rejected."""
    import numpy as np

    if isinstance(values, str | bytes):
        raise InvalidInputError(f"{what} must be a sequence of numbers, got a string")
    try:
        array = np.array([math.nan if v is None else v for v in values], dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(
            f"{what} must hold numbers or None: {exc}", hint="convert the column to numbers"
        ) from exc
    if array.ndim != 1:
        raise InvalidInputError(f"{what} must be one-dimensional, got shape {array.shape}")
    if np.isinf(array).any():
        raise InvalidInputError(
            f"{what} holds an infinite value", hint="replace it with None if it is missing"
        )
    return array


def bootstrap_means(values: FloatArray, n_resamples: int, seed: int | None) -> FloatArray:
    """Means of ``n_resamples`` resamples (with replacement) of ``values``."""
    import numpy as np

    rng = np.random.default_rng(seed)
    size = values.size
    means = np.empty(n_resamples, dtype=np.float64)
    block = max(1, _BLOCK_CELLS // size)
    for start in range(0, n_resamples, block):
        stop = min(n_resamples, start + block)
        indices = rng.integers(0, size, size=(stop - start, size))
        means[start:stop] = values[indices].mean(axis=1)
    return means


def _interval(means: FloatArray, confidence: float) -> tuple[float, float]:
    import numpy as np

    tail = (1.0 - confidence) / 2.0 * 100.0
    low, high = np.percentile(means, [tail, 100.0 - tail])
    return float(low), float(high)


def mean_ci(
    values: Values,
    *,
    confidence: float = 0.95,
    n_resamples: int = 1000,
    seed: int | None = 0,
) -> MeanEstimate:
    """Mean of the present values with a percentile bootstrap confidence interval."""
    import numpy as np

    _check_settings(confidence, n_resamples)
    array = _as_array(values, "values")
    present = array[~np.isnan(array)]
    n_missing = int(array.size - present.size)
    if present.size == 0:
        return MeanEstimate(
            mean=None, ci_low=None, ci_high=None, n=0, n_missing=n_missing, confidence=confidence
        )
    low, high = _interval(bootstrap_means(present, n_resamples, seed), confidence)
    mean = float(present.mean())
    # Percentiles of resampled means can stray below/above the mean by rounding when all
    # values are equal; the interval must contain the estimate.
    return MeanEstimate(
        mean=mean,
        ci_low=min(low, mean),
        ci_high=max(high, mean),
        n=int(present.size),
        n_missing=n_missing,
        confidence=confidence,
    )


def sign_test(wins: int, losses: int) -> float | None:
    """Exact two-sided binomial sign test p-value for ``wins`` vs ``losses`` (None if both 0)."""
    trials = wins + losses
    if trials == 0:
        return None
    smaller = min(wins, losses)
    # Exact integer arithmetic: the tail count over 2**trials is correctly rounded by Python.
    term = tail = 1  # C(trials, 0); each next binomial coefficient from the previous one
    for k in range(smaller):
        term = term * (trials - k) // (k + 1)
        tail += term
    return min(1.0, 2 * tail / (1 << trials))


def paired_comparison(
    a: Values,
    b: Values,
    *,
    higher_is_better: bool = True,
    tie_tolerance: float = 0.0,
    confidence: float = 0.95,
    n_resamples: int = 1000,
    seed: int | None = 0,
) -> PairedComparison:
    """Compare two models' per-row scores on the same rows (row i of ``a`` is row i of ``b``)."""
    import numpy as np

    _check_settings(confidence, n_resamples)
    if tie_tolerance < 0:
        raise InvalidInputError(f"tie_tolerance must be >= 0, got {tie_tolerance}")
    first = _as_array(a, "a")
    second = _as_array(b, "b")
    if first.size != second.size:
        raise InvalidInputError(
            f"paired scores need the same rows: a has {first.size}, b has {second.size}",
            hint="pass both models' scores for the same rows, in the same order",
        )
    both = ~np.isnan(first) & ~np.isnan(second)
    n = int(both.sum())
    skipped = int(first.size - n)
    if n == 0:
        return PairedComparison(
            n=0, n_skipped=skipped, mean_a=None, mean_b=None, mean_difference=None,
            ci_low=None, ci_high=None, confidence=confidence, wins=0, ties=0, losses=0,
            win_rate=None, tie_rate=None, loss_rate=None, p_value=None, sign_test_p_value=None,
        )  # fmt: skip
    differences = first[both] - second[both]
    observed = float(differences.mean())
    means = bootstrap_means(differences, n_resamples, seed)
    low, high = _interval(means, confidence)
    # Shifting the resampled means by the observed mean gives the null distribution (no
    # difference); the +1s count the observed sample itself, so p is never exactly 0.
    extreme = int((np.abs(means - observed) >= abs(observed)).sum())
    # One pair has no spread to resample: the bootstrap would call any difference significant.
    p_value = (extreme + 1) / (n_resamples + 1) if n >= 2 else None
    oriented = differences if higher_is_better else -differences
    wins = int((oriented > tie_tolerance).sum())
    losses = int((oriented < -tie_tolerance).sum())
    ties = n - wins - losses
    return PairedComparison(
        n=n,
        n_skipped=skipped,
        mean_a=float(first[both].mean()),
        mean_b=float(second[both].mean()),
        mean_difference=observed,
        ci_low=min(low, observed),
        ci_high=max(high, observed),
        confidence=confidence,
        wins=wins,
        ties=ties,
        losses=losses,
        win_rate=wins / n,
        tie_rate=ties / n,
        loss_rate=losses / n,
        p_value=p_value,
        sign_test_p_value=sign_test(wins, losses),
    )


def describe(
    values: Values,
    *,
    confidence: float = 0.95,
    n_resamples: int = 1000,
    seed: int | None = 0,
) -> ColumnSummary:
    """Summary of a numeric column such as latency or token counts (missing values skipped)."""
    import numpy as np

    estimate = mean_ci(values, confidence=confidence, n_resamples=n_resamples, seed=seed)
    array = _as_array(values, "values")
    present = array[~np.isnan(array)]
    if present.size == 0:
        return ColumnSummary(
            mean=estimate, median=None, p95=None, minimum=None, maximum=None, total=None
        )
    return ColumnSummary(
        mean=estimate,
        median=float(np.median(present)),
        p95=float(np.percentile(present, 95)),
        minimum=float(present.min()),
        maximum=float(present.max()),
        total=float(present.sum()),
    )
