"""Metrics: the metric protocol, the one registry, the built-ins and the statistics over scores.

A metric scores predictions against references row by row (``Metric.score``); some also define a
corpus score (``CorpusMetric.corpus_score``: BLEU, chrF). ``compute_scores`` runs several metrics
at once; ``mean_ci`` and ``paired_comparison`` turn per-row scores into means with bootstrap
confidence intervals and model-against-model comparisons. The LLM judge is a metric like the
others (``llm_judge``); ``pairwise_preference`` asks a judge which of two answers is better.

This package knows nothing of experiments: ``gristmill.evals.experiments`` builds on it.
"""

from gristmill.evals.metrics._answer import (
    AnswerLengthMetric,
    ExactMatchMetric,
    TokenF1Metric,
    exact_match,
    token_f1,
)
from gristmill.evals.metrics._bertscore import BertScoreMetric, greedy_match, idf_weights
from gristmill.evals.metrics._builtin import builtin_metrics, register_builtin_metrics
from gristmill.evals.metrics._judge import (
    JudgeVerdict,
    LLMJudgeMetric,
    PairwisePreference,
    pairwise_preference,
    register_judge_metric,
)
from gristmill.evals.metrics._meteor import MeteorMetric
from gristmill.evals.metrics._metric import (
    BaseMetric,
    CorpusMetric,
    FunctionMetric,
    Metric,
    RowFunction,
    RowScores,
    higher_is_better,
    metric_from_function,
)
from gristmill.evals.metrics._registry import (
    compute_corpus_scores,
    compute_scores,
    get_metric,
    list_metrics,
    metrics,
    register_metric,
    resolve_metrics,
)
from gristmill.evals.metrics._rouge import ROUGE_TYPES, RougeMetric
from gristmill.evals.metrics._sacrebleu import BleuMetric, ChrfMetric
from gristmill.evals.metrics._statistics import (
    ColumnSummary,
    MeanEstimate,
    PairedComparison,
    describe,
    mean_ci,
    paired_comparison,
    sign_test,
)
from gristmill.evals.metrics._wordnet import assemble_wordnet, load_wordnet

register_builtin_metrics()
register_judge_metric()

__all__ = [
    "ROUGE_TYPES",
    "AnswerLengthMetric",
    "BaseMetric",
    "BertScoreMetric",
    "BleuMetric",
    "ChrfMetric",
    "ColumnSummary",
    "CorpusMetric",
    "ExactMatchMetric",
    "FunctionMetric",
    "JudgeVerdict",
    "LLMJudgeMetric",
    "MeanEstimate",
    "MeteorMetric",
    "Metric",
    "PairedComparison",
    "PairwisePreference",
    "RougeMetric",
    "RowFunction",
    "RowScores",
    "TokenF1Metric",
    "assemble_wordnet",
    "builtin_metrics",
    "compute_corpus_scores",
    "compute_scores",
    "describe",
    "exact_match",
    "get_metric",
    "greedy_match",
    "higher_is_better",
    "idf_weights",
    "list_metrics",
    "load_wordnet",
    "mean_ci",
    "metric_from_function",
    "metrics",
    "paired_comparison",
    "pairwise_preference",
    "register_builtin_metrics",
    "register_judge_metric",
    "register_metric",
    "resolve_metrics",
    "sign_test",
    "token_f1",
]
