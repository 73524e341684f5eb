"""Experiments: several models answer the same rows and are scored against references.

An ``Experiment`` is a dataset column of inputs, reference columns, models, a ``Task`` (how a row
becomes a prompt) and metrics from ``gristmill.evals.metrics``. Running it writes each model's
answers and scores as derived columns, keeps each model's summary in the metadata DB (the
experiment catalog: list, get, rerun, delete) and gives an ``ExperimentResult`` (the table,
best/worst rows, paired comparisons). ``generate_ground_truth`` lets a model write a reference.
"""

from gristmill.evals.experiments._catalog import (
    ExperimentInfo,
    delete_experiment,
    get_experiment,
    list_experiments,
    rerun_experiment,
)
from gristmill.evals.experiments._config import ExperimentConfig
from gristmill.evals.experiments._experiment import Experiment
from gristmill.evals.experiments._ground_truth import generate_ground_truth
from gristmill.evals.experiments._inference import ModelConfig
from gristmill.evals.experiments._results import ExperimentResult, ModelComparison, ModelResult
from gristmill.evals.experiments._tasks import BUILTIN_TASKS, Task, resolve_task

__all__ = [
    "BUILTIN_TASKS",
    "Experiment",
    "ExperimentConfig",
    "ExperimentInfo",
    "ExperimentResult",
    "ModelComparison",
    "ModelConfig",
    "ModelResult",
    "Task",
    "delete_experiment",
    "generate_ground_truth",
    "get_experiment",
    "list_experiments",
    "rerun_experiment",
    "resolve_task",
]
