"""Scoring one model's predictions: per-row metric columns and the model's summary.

Each metric's per-row values become one derived column ``<prediction column>__<metric>``
(lineage kind ``metric``), a struct with one field per sub-metric (plus the judge's ``reason``
for LLM judges), so rows can be filtered and sorted by score (``'...__rouge.rougeL'``). The
summary (mean with bootstrap interval per sub-metric, corpus scores, latency and tokens) is
what the results table shows and what the metadata DB keeps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gristmill.data.dataset import BaseDataset
from gristmill.data.derived import write_dense_column
from gristmill.data.store import ROWID, now
from gristmill.evals.metrics._judge import LLMJudgeMetric
from gristmill.evals.metrics._metric import CorpusMetric, Metric, higher_is_better
from gristmill.evals.metrics._statistics import describe, mean_ci
from gristmill.schema import Lineage


@dataclass(frozen=True)
class SampleRows:
    """The experiment's rows, in rowid order: ids, inputs and the references of each row."""

    rowids: list[int]
    inputs: list[str | None]
    references: list[list[str]]


def metric_column_name(prediction_column: str, metric: Metric) -> str:
    return f"{prediction_column}__{metric.name}"


def score_metric(
    metric: Metric,
    predictions: Sequence[str | None],
    sample: SampleRows,
) -> tuple[dict[str, list[float | None]], list[str | None] | None]:
    """Per-row sub-metric values, and the judge's reasons when the metric is an LLM judge."""
    if isinstance(metric, LLMJudgeMetric):
        verdicts = metric.judge(predictions, sample.references, sample.inputs)
        scores: dict[str, list[float | None]] = {
            metric.sub_metrics[0]: [None if v is None else float(v.score) for v in verdicts]
        }
        return scores, [None if v is None else v.reason for v in verdicts]
    inputs = [text or "" for text in sample.inputs]
    return metric.score(predictions, sample.references, inputs), None


def write_metric_column(
    ds: BaseDataset,
    column: str,
    metric: Metric,
    sample: SampleRows,
    scores: dict[str, list[float | None]],
    reasons: list[str | None] | None,
    params: dict[str, Any],
) -> None:
    import pyarrow as pa

    fields = {name: pa.array(scores[name], pa.float64()) for name in metric.sub_metrics}
    if reasons is not None:
        fields["reason"] = pa.array(reasons, pa.string())
    values = pa.StructArray.from_arrays(list(fields.values()), names=list(fields))
    table = pa.table({ROWID: pa.array(sample.rowids, pa.int64()), column: values})
    lineage = Lineage(
        kind="metric",
        producer=f"metric:{metric.name}",
        input_path=params.get("prediction_column"),
        params=params,
        created_at=now(),
        num_rows=len(sample.rowids),
    )
    write_dense_column(ds, table, lineage)


def summarize_model(
    metrics: Sequence[Metric],
    all_scores: dict[str, dict[str, list[float | None]]],
    predictions: Sequence[str | None],
    references: Sequence[Sequence[str]],
    usage: dict[str, list[float | None]],
    *,
    n_errors: int,
    confidence: float,
    n_resamples: int,
) -> dict[str, Any]:
    """Means with bootstrap CIs per sub-metric, corpus scores, latency and token usage."""
    estimates: dict[str, Any] = {}
    directions: dict[str, bool | None] = {}
    owners: dict[str, str] = {}
    corpus: dict[str, float | None] = {}
    for metric in metrics:
        for sub_metric in metric.sub_metrics:
            values = all_scores[metric.name][sub_metric]
            estimate = mean_ci(values, confidence=confidence, n_resamples=n_resamples)
            estimates[sub_metric] = estimate.model_dump()
            directions[sub_metric] = higher_is_better(metric)
            owners[sub_metric] = metric.name
        if isinstance(metric, CorpusMetric):
            corpus.update(metric.corpus_score(predictions, references))
    return {
        "n_rows": len(predictions),
        "n_errors": n_errors,
        "metrics": estimates,
        "higher_is_better": directions,
        "metric_of": owners,
        "corpus": corpus,
        "usage": {
            name: describe(values, confidence=confidence, n_resamples=n_resamples).model_dump()
            for name, values in usage.items()
        },
    }
