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

from gristmill.evals._experiment import Experiment, ExperimentConfig
from gristmill.evals._experiment_catalog import (
    ExperimentInfo,
    delete_experiment,
    get_experiment,
    list_experiments,
    rerun_experiment,
)
from gristmill.evals._ground_truth import generate_ground_truth
from gristmill.evals._inference import ModelConfig
from gristmill.evals._judge import (
    JudgeVerdict,
    LLMJudgeMetric,
    PairwisePreference,
    pairwise_preference,
)
from gristmill.evals._results import ExperimentResult, ModelComparison, ModelResult
from gristmill.evals._tasks import BUILTIN_TASKS, Task, resolve_task
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
from gristmill.llm import providers as _llm_providers

register_builtin_metrics()


def register_judge_metric(*, replace: bool = False) -> None:
    """Register ``llm_judge`` (judged by the configured LLM) like any other metric."""
    register_metric(LLMJudgeMetric(), replace=replace)


register_judge_metric()
# 'hf/<path>' models run through the LLM layer like any provider (cache, usage, batching).
if "hf" not in _llm_providers:
    _llm_providers.register_lazy("hf", "gristmill.evals._hf_provider:create_hf_provider")

__all__ = [
    "BUILTIN_TASKS",
    "ROUGE_TYPES",
    "AnswerLengthMetric",
    "BaseMetric",
    "BertScoreMetric",
    "BleuMetric",
    "ChrfMetric",
    "ColumnSummary",
    "CorpusMetric",
    "ExactMatchMetric",
    "Experiment",
    "ExperimentConfig",
    "ExperimentInfo",
    "ExperimentResult",
    "FunctionMetric",
    "JudgeVerdict",
    "LLMJudgeMetric",
    "MeanEstimate",
    "MeteorMetric",
    "Metric",
    "ModelComparison",
    "ModelConfig",
    "ModelResult",
    "PairedComparison",
    "PairwisePreference",
    "RougeMetric",
    "RowFunction",
    "RowScores",
    "Task",
    "TokenF1Metric",
    "assemble_wordnet",
    "builtin_metrics",
    "compute_corpus_scores",
    "compute_scores",
    "delete_experiment",
    "describe",
    "exact_match",
    "generate_ground_truth",
    "get_experiment",
    "get_metric",
    "greedy_match",
    "higher_is_better",
    "idf_weights",
    "list_experiments",
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
    "rerun_experiment",
    "resolve_metrics",
    "resolve_task",
    "sign_test",
    "token_f1",
]
