from __future__ import annotations

import math

import numpy as np
import pytest

from gristmill.errors import InvalidInputError
from gristmill.evals import describe, mean_ci, paired_comparison, sign_test


def test_mean_ci_on_known_values() -> None:
    estimate = mean_ci([1.0, 2.0, 3.0, 4.0, None, math.nan])
    assert estimate.mean == pytest.approx(2.5)
    assert estimate.n == 4 and estimate.n_missing == 2
    assert estimate.ci_low is not None and estimate.ci_high is not None
    assert 1.0 <= estimate.ci_low < 2.5 < estimate.ci_high <= 4.0
    assert estimate.confidence == 0.95


def test_mean_ci_is_deterministic_with_a_seed() -> None:
    values = list(np.random.default_rng(1).normal(size=50))
    assert mean_ci(values, seed=7) == mean_ci(values, seed=7)
    assert mean_ci(values, seed=7).ci_low != mean_ci(values, seed=8).ci_low


def test_ci_covers_the_true_mean_about_95_percent_of_the_time() -> None:
    rng = np.random.default_rng(123)
    true_mean = 0.3
    trials = 200
    covered = 0
    for trial in range(trials):
        # Skewed scores in [0, 1], like ROUGE values.
        sample = rng.beta(3, 7, size=80)
        estimate = mean_ci(list(sample), seed=trial)
        assert estimate.ci_low is not None and estimate.ci_high is not None
        covered += estimate.ci_low <= true_mean <= estimate.ci_high
    # Percentile bootstrap at n=80 is slightly liberal; 95% nominal gives ~0.93 here.
    assert 0.88 <= covered / trials <= 0.99


def test_ci_narrows_with_more_data() -> None:
    rng = np.random.default_rng(0)
    small = mean_ci(list(rng.normal(size=30)))
    large = mean_ci(list(rng.normal(size=3000)))
    assert small.ci_high is not None and small.ci_low is not None
    assert large.ci_high is not None and large.ci_low is not None
    assert large.ci_high - large.ci_low < (small.ci_high - small.ci_low) / 5


def test_mean_ci_edge_cases() -> None:
    empty = mean_ci([None, None])
    assert empty.mean is None and empty.ci_low is None and empty.n == 0 and empty.n_missing == 2
    single = mean_ci([0.7])
    assert single.mean == single.ci_low == single.ci_high == pytest.approx(0.7)
    constant = mean_ci([0.1] * 10)
    assert constant.ci_low == constant.ci_high == constant.mean


def test_large_inputs_are_resampled_in_blocks() -> None:
    values = np.random.default_rng(3).uniform(size=20_000)
    estimate = mean_ci(list(values), n_resamples=300)
    assert estimate.ci_low is not None and estimate.ci_high is not None
    assert estimate.ci_low < 0.5 < estimate.ci_high
    assert estimate.ci_high - estimate.ci_low < 0.02


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"confidence": 1.5}, "confidence"), ({"n_resamples": 0}, "n_resamples")],
)
def test_bad_settings(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        mean_ci([1.0, 2.0], **kwargs)  # type: ignore[arg-type]


def test_bad_values() -> None:
    with pytest.raises(InvalidInputError, match="infinite"):
        mean_ci([1.0, math.inf])
    with pytest.raises(InvalidInputError, match="numbers"):
        mean_ci(["high"])  # type: ignore[list-item]
    with pytest.raises(InvalidInputError, match="string"):
        mean_ci("123")  # type: ignore[arg-type]


def test_identical_systems_are_not_different() -> None:
    scores = list(np.random.default_rng(5).uniform(size=100))
    result = paired_comparison(scores, scores)
    assert result.mean_difference == 0.0
    assert result.p_value == 1.0
    assert result.sign_test_p_value is None  # all ties
    assert result.ties == 100 and result.tie_rate == 1.0
    assert result.ci_low == result.ci_high == 0.0


def test_clearly_different_systems() -> None:
    rng = np.random.default_rng(6)
    b = rng.uniform(0.2, 0.4, size=100)
    a = b + rng.uniform(0.05, 0.15, size=100)
    result = paired_comparison(list(a), list(b))
    assert result.p_value is not None and result.p_value < 0.01
    assert result.p_value == pytest.approx(1 / 1001)
    assert result.sign_test_p_value is not None and result.sign_test_p_value < 1e-20
    assert result.wins == 100 and result.win_rate == 1.0
    assert result.ci_low is not None and result.ci_low > 0.05
    reversed_result = paired_comparison(list(b), list(a))
    assert reversed_result.losses == 100
    assert reversed_result.mean_difference == pytest.approx(-result.mean_difference)  # type: ignore[operator]


def test_noisy_equal_systems_get_large_p_values() -> None:
    rng = np.random.default_rng(8)
    p_values = []
    for trial in range(40):
        a = rng.normal(0.5, 0.1, size=60)
        b = rng.normal(0.5, 0.1, size=60)
        p = paired_comparison(list(a), list(b), seed=trial).p_value
        assert p is not None
        p_values.append(p)
    # Under the null, p is roughly uniform: few small ones, a mean near 0.5.
    assert sum(p < 0.05 for p in p_values) <= 6
    assert 0.3 < float(np.mean(p_values)) < 0.7


def test_pairs_with_a_missing_value_are_skipped() -> None:
    result = paired_comparison([1.0, None, 3.0, 0.5], [0.0, 2.0, None, 0.5])
    assert result.n == 2 and result.n_skipped == 2
    assert (result.wins, result.ties, result.losses) == (1, 1, 0)
    assert result.mean_a == pytest.approx(0.75) and result.mean_b == pytest.approx(0.25)
    nothing = paired_comparison([None], [1.0])
    assert nothing.n == 0 and nothing.p_value is None and nothing.win_rate is None


def test_one_pair_has_no_bootstrap_p_value() -> None:
    result = paired_comparison([1.0], [0.0])
    assert result.p_value is None
    assert result.sign_test_p_value == 1.0


def test_lower_is_better_and_tie_tolerance() -> None:
    latency_a = [1.0, 2.0, 3.0]
    latency_b = [2.0, 2.05, 1.0]
    result = paired_comparison(latency_a, latency_b, higher_is_better=False, tie_tolerance=0.1)
    assert (result.wins, result.ties, result.losses) == (1, 1, 1)


def test_paired_comparison_needs_equal_lengths() -> None:
    with pytest.raises(InvalidInputError, match="same rows"):
        paired_comparison([1.0, 2.0], [1.0])
    with pytest.raises(InvalidInputError, match="tie_tolerance"):
        paired_comparison([1.0], [1.0], tie_tolerance=-1)


def test_paired_comparison_is_deterministic() -> None:
    rng = np.random.default_rng(9)
    a, b = list(rng.normal(size=40)), list(rng.normal(size=40))
    assert paired_comparison(a, b, seed=3) == paired_comparison(a, b, seed=3)


def test_sign_test_known_values() -> None:
    assert sign_test(10, 0) == pytest.approx(2 / 1024)
    assert sign_test(5, 5) == 1.0
    assert sign_test(0, 0) is None
    # P(X <= 2) for Bin(10, 1/2) = 56/1024, two-sided 112/1024
    assert sign_test(8, 2) == pytest.approx(112 / 1024)
    assert sign_test(3000, 2000) < 1e-40  # type: ignore[operator]


def test_describe_latency_column() -> None:
    summary = describe([0.5, 1.5, None, 1.0, 2.0])
    assert summary.mean.mean == pytest.approx(1.25)
    assert summary.mean.n_missing == 1
    assert summary.median == pytest.approx(1.25)
    assert summary.minimum == 0.5 and summary.maximum == 2.0 and summary.total == 5.0
    assert summary.p95 == pytest.approx(np.percentile([0.5, 1.5, 1.0, 2.0], 95))
    assert describe([]).total is None
    assert summary.model_dump()["mean"]["n"] == 4
