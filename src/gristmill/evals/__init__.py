"""Model evaluation: the metric registry, the built-in metrics and the statistics over them.

A metric scores predictions against references row by row (``Metric.score``); some also define a
corpus score (``CorpusMetric.corpus_score``: BLEU, chrF). ``compute_scores`` runs several metrics
at once; ``mean_ci`` and ``paired_comparison`` turn per-row scores into means with bootstrap
confidence intervals and model-against-model comparisons.

    >>> from gristmill.evals import compute_scores, mean_ci
    >>> scores = compute_scores(["rouge", "bleu"], ["a cat sat"], [["the cat sat", "a cat sat"]])
    >>> mean_ci(scores["rougeL"]).mean
    1.0
"""

from gristmill.evals.answer_metrics import (
    AnswerLengthMetric,
    ExactMatchMetric,
    TokenF1Metric,
    exact_match,
    token_f1,
)
from gristmill.evals.bertscore import BertScoreMetric, greedy_match, idf_weights
from gristmill.evals.builtin_metrics import builtin_metrics, register_builtin_metrics
from gristmill.evals.meteor import MeteorMetric
from gristmill.evals.metric import (
    BaseMetric,
    CorpusMetric,
    FunctionMetric,
    Metric,
    RowFunction,
    RowScores,
    higher_is_better,
    metric_from_function,
)
from gristmill.evals.metric_registry import (
    compute_corpus_scores,
    compute_scores,
    get_metric,
    list_metrics,
    metrics,
    register_metric,
    resolve_metrics,
)
from gristmill.evals.rouge import ROUGE_TYPES, RougeMetric
from gristmill.evals.sacrebleu_metrics import BleuMetric, ChrfMetric
from gristmill.evals.statistics import (
    ColumnSummary,
    MeanEstimate,
    PairedComparison,
    describe,
    mean_ci,
    paired_comparison,
    sign_test,
)
from gristmill.evals.wordnet import assemble_wordnet, load_wordnet

register_builtin_metrics()

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
    "MeanEstimate",
    "MeteorMetric",
    "Metric",
    "PairedComparison",
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
    "register_builtin_metrics",
    "register_metric",
    "resolve_metrics",
    "sign_test",
    "token_f1",
]
