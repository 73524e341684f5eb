"""Experiments: list them, read one's results table, best and worst rows, per-row predictions,
compare two models, and create one that runs as a background job (202 + job id).

Results come from the core's ``ExperimentResult``; per-row values are read back from the
dataset's prediction and metric columns, whose paths the answers include so the UI can open the
dataset filtered or sorted by a score.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Query

from gristmill.errors import InvalidInputError
from gristmill.evals import (
    Experiment,
    ExperimentResult,
    ModelComparison,
    ModelConfig,
    ModelResult,
    list_experiments,
)
from gristmill.llm import configured_llm_address, llm_settings, local_llm_available, providers
from gristmill.server._experiment_models import (
    BestWorst,
    CreateExperimentRequest,
    ExperimentDetail,
    ExperimentList,
    ExperimentRows,
    ExperimentStarted,
    ModelOutcome,
    ResultCell,
    SampleRow,
)
from gristmill.server._json_values import json_safe
from gristmill.server._model_catalog import allowed_llm
from gristmill.server._security import WRITE_ACCESS
from gristmill.server.routes._enrichment import Enrichments

if TYPE_CHECKING:
    import pandas as pd

router = APIRouter(prefix="/experiments", tags=["experiments"])

EXPERIMENT = "/{name}"
ModelQuery = Annotated[str, Query(description="a model's label or address", examples=["fake"])]
MAX_SAMPLES_SHOWN = 100


@router.get("", name="list_experiments")
def experiments() -> ExperimentList:
    """Every experiment of the project with its status (running, completed, failed...)."""
    return ExperimentList(experiments=list_experiments())


@router.post("", name="create_experiment", status_code=202, dependencies=[WRITE_ACCESS])
def create(body: CreateExperimentRequest, enrichments: Enrichments) -> ExperimentStarted:
    """Create an experiment and run it as a background job (202).

    The settings are checked before the job starts (unknown columns, models or metrics answer
    400/404). Models are named as GET /models lists them (an address, URL or path answers 400).
    One experiment per dataset runs at a time here (a second answers 409).
    """
    models = [_allowed(model) for model in body.models] if body.models else _configured_models()
    experiment = Experiment(
        body.dataset,
        body.input_column,
        body.reference_columns,
        models=models,
        task=body.task,
        metrics=body.metrics,
        name=body.name,
        max_samples=body.max_samples,
        temperature=body.temperature,
        max_tokens=body.max_tokens,
        system_prompt=body.system_prompt,
        filters=body.filters,
        overwrite=body.overwrite,
    )
    _check_providers(experiment)
    dataset = experiment.config.dataset
    started = enrichments.start(dataset, "experiment", lambda: experiment.run(show_progress=False))
    return ExperimentStarted(name=experiment.name, dataset=dataset, job_id=started.job_id)


@router.get(EXPERIMENT, name="get_experiment")
def experiment_detail(name: str) -> ExperimentDetail:
    """The settings and the results table: per model and sub-metric the mean with its
    confidence interval (plus usage: latency, tokens), and each model's error if it failed."""
    result = ExperimentResult.load(name)
    return ExperimentDetail(
        config=result.config,
        status=result.status,
        error=result.error,
        job_id=result.job_id,
        num_rows=result.num_rows,
        models=[_outcome(m) for m in result.models],
        metrics=result.sub_metrics(),
        table=_cells(result),
        errors=result.errors,
    )


@router.get(f"{EXPERIMENT}/best_worst", name="experiment_best_worst")
def best_worst(
    name: str,
    model: ModelQuery,
    metric: Annotated[str, Query(description="a sub-metric ('rougeL') or metric name")],
    n: Annotated[int, Query(ge=1, le=MAX_SAMPLES_SHOWN)] = 5,
) -> BestWorst:
    """A model's ``n`` best and ``n`` worst rows by a metric: input, references, prediction
    and score (rows without a score are left out)."""
    result = ExperimentResult.load(name)
    outcome = result.model(model)
    frames = result.best_worst(model, metric, n)
    sub = str(frames["best"].columns[-1])  # the core names the score column by sub-metric
    higher = outcome.summary.get("higher_is_better", {}).get(sub, True) is not False
    return BestWorst(
        model=outcome.model,
        metric=sub,
        higher_is_better=higher,
        column=_score_columns(outcome)[sub],
        best=_samples(frames["best"], [sub]),
        worst=_samples(frames["worst"], [sub]),
    )


@router.get(f"{EXPERIMENT}/rows", name="experiment_rows")
def experiment_rows(
    name: str,
    model: ModelQuery,
    limit: Annotated[int, Query(ge=1, le=MAX_SAMPLES_SHOWN)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ExperimentRows:
    """A page of a model's predictions next to the references, with every score, in row order."""
    result = ExperimentResult.load(name)
    outcome = result.model(model)
    frame = result.per_row(model)
    subs = list(outcome.summary.get("metric_of", {}))
    page = frame.iloc[offset : offset + limit]
    return ExperimentRows(
        model=outcome.model,
        rows=_samples(page, subs),
        total_num_rows=len(frame),
        limit=limit,
        offset=offset,
    )


@router.get(f"{EXPERIMENT}/compare", name="compare_experiment_models")
def compare(
    name: str,
    a: ModelQuery,
    b: Annotated[str, Query(description="the other model", examples=["local"])],
    tie_tolerance: Annotated[
        float, Query(ge=0.0, description="score differences up to this count as ties")
    ] = 0.0,
) -> ModelComparison:
    """Model ``a`` against model ``b`` per sub-metric on the rows both answered: mean
    difference with its interval, win/tie/loss rates and paired p-values."""
    if a == b:
        raise InvalidInputError(
            f"cannot compare model '{a}' with itself", hint="pass two different models as a and b"
        )
    return ExperimentResult.load(name).compare(a, b, tie_tolerance=tie_tolerance)


def _allowed(model: str | ModelConfig) -> str | ModelConfig:
    if isinstance(model, str):
        return str(allowed_llm(model))
    allowed_llm(model.address)
    return model


def _check_providers(experiment: Experiment) -> None:
    """An unknown provider or invalid settings fail the request: the core would find them only
    inside the run, after recording the experiment as running."""
    for model in experiment.config.models:
        provider = llm_settings(model.address).provider
        if provider not in providers.names():
            raise InvalidInputError(
                f"the model '{model.address}' has the provider '{provider}', which is not "
                "installed here",
                hint=f"providers: {', '.join(providers.names())}; check gristmill.yml",
            )


def _configured_models() -> list[str | dict[str, Any] | ModelConfig]:
    configured = configured_llm_address()
    if isinstance(configured, str):
        return [configured]
    if isinstance(configured, dict) and configured.get("model"):
        provider, model = configured.get("provider"), str(configured["model"])
        return [f"{provider}/{model}" if provider and "/" not in model else model]
    if local_llm_available():
        return ["local"]
    raise InvalidInputError(
        "no models were given and no LLM is configured",
        hint="pass models by the names GET /api/v1/models lists, or configure a default LLM "
        "in gristmill.yml (llm: <a name from its models: block>)",
    )


def _score_columns(result: ModelResult) -> dict[str, str]:
    owners: dict[str, str] = result.summary.get("metric_of", {})
    return {
        sub: f"{result.metric_columns[metric]}.{sub}"
        for sub, metric in owners.items()
        if metric in result.metric_columns
    }


def _outcome(result: ModelResult) -> ModelOutcome:
    return ModelOutcome(
        model=result.model,
        address=result.address,
        status=result.status,
        error=result.error,
        prediction_column=result.prediction_column,
        score_columns=_score_columns(result),
        n_rows=result.summary.get("n_rows"),
        n_errors=result.summary.get("n_errors"),
    )


def _cells(result: ExperimentResult) -> list[ResultCell]:
    directions = {
        (m.model, sub): flag
        for m in result.models
        for sub, flag in m.summary.get("higher_is_better", {}).items()
    }
    usage = {name for m in result.models for name in m.summary.get("usage", {})}
    cells = []
    for record in result.records():
        if record["metric"] == "error":  # a failed model: its error is in ``models``
            continue
        is_usage = (
            record["metric"] in usage and (record["model"], record["metric"]) not in directions
        )
        cells.append(
            ResultCell(
                model=record["model"],
                metric=record["metric"],
                kind="usage" if is_usage else "metric",
                mean=_number(record["mean"]),
                ci_low=_number(record["ci_low"]),
                ci_high=_number(record["ci_high"]),
                n=record["n"],
                n_missing=record["n_missing"],
                corpus=_number(record["corpus"]),
                higher_is_better=None
                if is_usage
                else directions.get((record["model"], record["metric"]), True),
            )
        )
    return cells


def _samples(frame: pd.DataFrame, subs: list[str]) -> list[SampleRow]:
    rows = []
    for record in frame.to_dict(orient="records"):
        prediction, error = record.get("prediction"), record.get("error")
        rows.append(
            SampleRow(
                rowid=int(record["__rowid__"]),
                input=json_safe(record["input"]),
                references=[str(r) for r in record["references"]],
                prediction=prediction if isinstance(prediction, str) else None,
                error=error if isinstance(error, str) else None,
                scores={sub: _number(record.get(sub)) for sub in subs},
            )
        )
    return rows


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None
