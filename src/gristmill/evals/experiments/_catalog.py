"""The project's experiments: list, open, rerun and forget them (the metadata DB holds them)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from gristmill.evals.experiments._config import ExperimentConfig
from gristmill.evals.experiments._experiment import Experiment
from gristmill.evals.experiments._results import ExperimentResult
from gristmill.evals.experiments._store import (
    delete_experiment_rows,
    list_experiment_rows,
    load_experiment_row,
)


def get_experiment(name: str) -> Experiment:
    """The saved experiment ``name``: ``.result()`` gives its last results, ``.run()`` reruns it
    with the same settings."""
    row = load_experiment_row(name)
    return Experiment.from_config(ExperimentConfig.model_validate(row["config"]))


def rerun_experiment(name: str, *, show_progress: bool = True) -> ExperimentResult:
    """Run a saved experiment again; finished predictions come from the columns and cache."""
    return get_experiment(name).run(show_progress=show_progress)


def delete_experiment(name: str) -> None:
    """Forget an experiment (its prediction and metric columns stay in the dataset)."""
    delete_experiment_rows(name)


class ExperimentInfo(BaseModel):
    """One line of ``list_experiments()``."""

    name: str
    dataset: str
    task: str
    models: list[str]
    metrics: list[str]
    status: str
    num_rows: int | None
    created_at: datetime
    updated_at: datetime


def list_experiments() -> list[ExperimentInfo]:
    """Every experiment of the project, oldest first."""
    infos = []
    for row in list_experiment_rows():
        config = row["config"]
        infos.append(
            ExperimentInfo(
                name=row["name"],
                dataset=row["dataset"],
                task=config.get("task", ""),
                models=[m.get("label") or m["address"] for m in config.get("models", [])],
                metrics=config.get("metrics", []),
                status=row["status"],
                num_rows=row["num_rows"],
                created_at=row["created_at"],
                updated_at=row["updated_at"],
            )
        )
    return infos
