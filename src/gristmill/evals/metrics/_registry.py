"""The one registry of metrics, and scoring with several metrics at once.

Built-in metrics are registered through ``register_metric`` exactly as a user's metric is
(see ``_builtin.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

from gristmill.errors import InvalidInputError, NotFoundError
from gristmill.evals.metrics._metric import CorpusMetric, Metric, RowScores, prepare_rows
from gristmill.registry import Registry

metrics: Registry[Metric] = Registry(
    "metric", how_to_add="add your own with gristmill.evals.register_metric(metric)"
)


def _check_metric(metric: object) -> Metric:
    name = getattr(metric, "name", None)
    sub_metrics = getattr(metric, "sub_metrics", None)
    if not isinstance(metric, Metric) or not isinstance(name, str) or not name:
        raise InvalidInputError(
            f"{metric!r} is not a metric",
            hint="a metric has a `name`, a tuple `sub_metrics` and a method "
            "`score(predictions, references, inputs=None)`; or wrap a per-row function "
            "with gristmill.evals.metric_from_function(name, function)",
        )
    if (
        not isinstance(sub_metrics, tuple)
        or not sub_metrics
        or not all(isinstance(s, str) and s for s in sub_metrics)
        or len(set(sub_metrics)) != len(sub_metrics)
    ):
        raise InvalidInputError(
            f"the metric '{name}' has sub_metrics {sub_metrics!r}",
            hint="sub_metrics must be a non-empty tuple of distinct names, e.g. ('rouge1',)",
        )
    return metric


def register_metric(metric: Metric, *, replace: bool = False) -> Metric:
    """Add ``metric`` to the registry under ``metric.name``; returns it."""
    checked = _check_metric(metric)
    return metrics.register(checked.name, checked, replace=replace)


# Other tools' metric names (Lumigator's) whose offline counterpart here differs in kind.
_STAND_INS = {
    "bertscore": (
        "'bertscore_minilm' is the offline BERTScore (MiniLM token states, no baseline"
        " rescaling); its values are not comparable with published BERTScore, which uses"
        " roberta-large: compare models with each other, not with papers"
    ),
}


def get_metric(name: str) -> Metric:
    """The registered metric called ``name`` (NotFoundError lists the known ones)."""
    try:
        return metrics.get(name)
    except NotFoundError as error:
        stand_in = _STAND_INS.get(name) if isinstance(name, str) else None
        if stand_in is None:
            raise
        raise NotFoundError(
            f"unknown metric '{name}'", hint=f"{stand_in}; available: {', '.join(list_metrics())}"
        ) from error


def list_metrics() -> list[str]:
    """Names of every registered metric."""
    return metrics.names()


def resolve_metrics(chosen: Sequence[str | Metric]) -> list[Metric]:
    """Metrics by name or object, checking that no two of them produce the same sub-metric."""
    if isinstance(chosen, str):
        chosen = [chosen]
    resolved = [get_metric(m) if isinstance(m, str) else _check_metric(m) for m in chosen]
    owner: dict[str, str] = {}
    for metric in resolved:
        for sub_metric in metric.sub_metrics:
            if sub_metric in owner:
                raise InvalidInputError(
                    f"the metrics '{owner[sub_metric]}' and '{metric.name}' both produce "
                    f"'{sub_metric}'",
                    hint="list each metric once, or rename one of them",
                )
            owner[sub_metric] = metric.name
    return resolved


def compute_scores(
    chosen: Sequence[str | Metric],
    predictions: Sequence[str | None],
    references: Sequence[Sequence[str]],
    inputs: Sequence[str] | None = None,
) -> RowScores:
    """Per-row scores of every chosen metric, merged into one mapping of sub-metric columns."""
    resolved = resolve_metrics(chosen)
    # Validate once up front so a bad row fails before any slow metric has run.
    prepare_rows(predictions, references, inputs)
    merged: RowScores = {}
    for metric in resolved:
        scores = metric.score(predictions, references, inputs)
        missing = [s for s in metric.sub_metrics if s not in scores]
        if missing or any(len(values) != len(predictions) for values in scores.values()):
            raise InvalidInputError(
                f"the metric '{metric.name}' returned the wrong shape",
                hint=f"score() must return one list of {len(predictions)} values for each of "
                f"{', '.join(metric.sub_metrics)}",
            )
        for sub_metric in metric.sub_metrics:
            merged[sub_metric] = scores[sub_metric]
    return merged


def compute_corpus_scores(
    chosen: Sequence[str | Metric],
    predictions: Sequence[str | None],
    references: Sequence[Sequence[str]],
) -> dict[str, float | None]:
    """Corpus scores of the chosen metrics that define one (BLEU, chrF); others are skipped."""
    merged: dict[str, float | None] = {}
    for metric in resolve_metrics(chosen):
        if isinstance(metric, CorpusMetric):
            merged.update(metric.corpus_score(predictions, references))
    return merged
