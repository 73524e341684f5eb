"""The built-in metrics, registered through ``register_metric`` exactly as a user's metric is.

Each metric imports its heavy package (rouge-score, sacrebleu, nltk, the MiniLM model) only when it
first scores, so registering them all costs nothing.
"""

from __future__ import annotations

from gristmill.evals.metrics._answer import AnswerLengthMetric, ExactMatchMetric, TokenF1Metric
from gristmill.evals.metrics._bertscore import BertScoreMetric
from gristmill.evals.metrics._meteor import MeteorMetric
from gristmill.evals.metrics._metric import Metric
from gristmill.evals.metrics._registry import register_metric
from gristmill.evals.metrics._rouge import RougeMetric
from gristmill.evals.metrics._sacrebleu import BleuMetric, ChrfMetric


def builtin_metrics() -> list[Metric]:
    """Fresh instances of every built-in metric, with default settings."""
    return [
        RougeMetric(),
        BleuMetric(),
        ChrfMetric(),
        MeteorMetric(),
        BertScoreMetric(),
        ExactMatchMetric(),
        TokenF1Metric(),
        AnswerLengthMetric(),
    ]


def register_builtin_metrics(*, replace: bool = False) -> None:
    """Register every built-in metric (``replace=True`` restores the defaults)."""
    for metric in builtin_metrics():
        register_metric(metric, replace=replace)
