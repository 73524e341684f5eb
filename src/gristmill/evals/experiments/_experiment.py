"""``Experiment``: several models answer the same examples and are scored against references.

    exp = gm.Experiment(dataset=ds, input_column='dialogue', reference_columns=['summary1'],
                        task='summarization', models=['local', 'fake'], metrics=['rouge'])
    result = exp.run()
    print(result.table())

The settings are checked when the experiment is made (columns exist, model addresses parse,
metrics are registered), saved in the metadata DB on ``run`` and reused by
``get_experiment(name).run()``. Each model runs in turn: predictions into a resumable column
job, then one metric column per metric, then its summary row in the DB. A model whose server
fails has its error recorded and the others go on.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from gristmill.data.dataset import BaseDataset
from gristmill.data.filters import to_filters
from gristmill.data.query import QueryBuilder
from gristmill.errors import (
    AlreadyExistsError,
    InvalidInputError,
    JobCancelledError,
    JobError,
    NotFoundError,
    ProviderError,
)
from gristmill.evals.experiments._config import ExperimentConfig, open_dataset
from gristmill.evals.experiments._inference import (
    GenerationSettings,
    ModelConfig,
    as_model_config,
    check_address,
    compute_predictions,
    open_model,
    prediction_column_name,
)
from gristmill.evals.experiments._results import ExperimentResult
from gristmill.evals.experiments._sample import choose_sample, distinct_labels, read_predictions
from gristmill.evals.experiments._scoring import (
    metric_column_name,
    score_metric,
    summarize_model,
    write_metric_column,
)
from gristmill.evals.experiments._store import (
    clear_model_results,
    load_experiment_row,
    save_experiment,
    save_model_result,
    update_experiment,
)
from gristmill.evals.experiments._tasks import Task, resolve_task
from gristmill.evals.metrics._judge import LLMJudgeMetric
from gristmill.evals.metrics._metric import Metric
from gristmill.evals.metrics._registry import get_metric, resolve_metrics
from gristmill.jobs import start_job
from gristmill.project import validate_name

if TYPE_CHECKING:
    from gristmill.jobs import ExecutionType


def _default_name(dataset: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return f"{dataset.replace('/', '-')}-{stamp}-{uuid.uuid4().hex[:4]}"


class Experiment:
    """An evaluation of several models on one dataset; ``run()`` returns its result."""

    def __init__(
        self,
        dataset: BaseDataset | str,
        input_column: str,
        reference_columns: Sequence[str] | str | None = None,
        *,
        models: Sequence[str | dict[str, Any] | ModelConfig],
        task: str = "summarization",
        metrics: Sequence[str | Metric] | None = None,
        name: str | None = None,
        max_samples: int | None = None,
        temperature: float = 0.0,
        max_tokens: int | None = None,
        system_prompt: str | None = None,
        filters: Sequence[Any] | None = None,
        task_options: dict[str, Any] | None = None,
        labels: Sequence[str] | None = None,
        max_input_tokens: int | None = None,
        concurrency: int = 4,
        judge_model: str | None = None,
        confidence: float = 0.95,
        n_resamples: int = 1000,
        overwrite: bool = False,
    ) -> None:
        ds = open_dataset(dataset)
        references = [reference_columns] if isinstance(reference_columns, str) else list(
            reference_columns or []
        )  # fmt: skip
        chosen_models = [as_model_config(m) for m in models]
        task_def = resolve_task(task, task_options, labels or ["label"])
        metric_names = _metric_names(metrics, task_def)
        config = ExperimentConfig(
            name=validate_name(name or _default_name(ds.full_name), "experiment name"),
            dataset=ds.full_name,
            input_column=input_column,
            reference_columns=references,
            task=task,
            task_options=dict(task_options or {}),
            labels=list(labels) if labels is not None else None,
            models=chosen_models,
            metrics=metric_names,
            max_samples=max_samples,
            temperature=temperature,
            max_tokens=max_tokens,
            system_prompt=system_prompt,
            max_input_tokens=max_input_tokens,
            filters=[f.model_dump(mode="json") for f in to_filters(filters)],
            concurrency=concurrency,
            judge_model=judge_model,
            confidence=confidence,
            n_resamples=n_resamples,
        )
        self._setup(ds, config)
        self._overwrite = overwrite

    @classmethod
    def from_config(cls, config: ExperimentConfig) -> Experiment:
        """The experiment described by a saved config (checked again: columns may be gone)."""
        experiment = cls.__new__(cls)
        experiment._setup(open_dataset(config.dataset), config)
        experiment._overwrite = True
        return experiment

    def _setup(self, ds: BaseDataset, config: ExperimentConfig) -> None:
        self.dataset = ds
        self.config = config
        self._check(ds, config)
        self.metrics = self._resolve_metrics(config)

    @property
    def name(self) -> str:
        return self.config.name

    def __repr__(self) -> str:
        models = ", ".join(m.name for m in self.config.models)
        return f"Experiment({self.name!r}, dataset={self.config.dataset!r}, models=[{models}])"

    def result(self) -> ExperimentResult:
        """The results of this experiment's last run, as saved (``run()`` makes new ones)."""
        return ExperimentResult.load(self.name)

    # --- checks -----------------------------------------------------------------------------

    @staticmethod
    def _check(ds: BaseDataset, config: ExperimentConfig) -> None:
        builder = QueryBuilder(ds.catalog())
        for column in [config.input_column, *config.reference_columns]:
            builder.resolve(column)  # InvalidPathError names the known columns
        if not config.models:
            raise InvalidInputError(
                "an experiment needs at least one model",
                hint="e.g. models=['local', 'openai/gpt-4o-mini'] (or 'fake' to try it out)",
            )
        names = [m.name for m in config.models]
        slugs = [m.slug for m in config.models]
        if len(set(slugs)) != len(slugs):
            raise InvalidInputError(
                f"two models share a name: {names}",
                hint="give each a distinct label, e.g. {'address': 'local', 'label': 'local-b'}",
            )
        for model in config.models:
            check_address(model.address)

    def _resolve_metrics(self, config: ExperimentConfig) -> list[Metric]:
        resolved = resolve_metrics(config.metrics)
        needs_refs = [m.name for m in resolved if getattr(m, "needs_references", True)]
        if needs_refs and not config.reference_columns:
            raise InvalidInputError(
                f"the metrics {needs_refs} compare against references, and none are mapped",
                hint="pass reference_columns=['<column>'] (generate one with "
                "gm.generate_ground_truth), or use metrics that need none: llm_judge, "
                "answer_length",
            )
        if config.judge_model is None:
            return resolved
        # The configured judge replaces the registered default judge for this experiment.
        return [
            LLMJudgeMetric(config.judge_model, name=m.name) if isinstance(m, LLMJudgeMetric) else m
            for m in resolved
        ]

    # --- running ----------------------------------------------------------------------------

    def run(
        self,
        *,
        show_progress: bool = True,
        num_jobs: int = 1,
        execution_type: ExecutionType = "threads",
    ) -> ExperimentResult:
        """Run every model, score it, save the results; returns the result (also on errors).

        ``num_jobs`` and ``execution_type`` say where the models' inference runs (``'ray'``:
        on a Ray cluster, as for ``map``); they change where the answers come from, not what
        they are, so they are not part of the saved settings.
        """
        config = self.config
        self._claim_name()
        ds = self.dataset
        sample = choose_sample(ds, config)
        task = self._task(sample)
        # Open the models first: an unknown provider must fail before the run is recorded as
        # "running" (else a row would claim a run that never started).
        llms = {m.name: open_model(m.address) for m in config.models}
        try:
            save_experiment(config.name, config.dataset, config.model_dump(mode="json"), "running")
            clear_model_results(config.name, [m.name for m in config.models])
            update_experiment(config.name, num_rows=len(sample.rows.rowids), error=None)
            with start_job(
                "experiment",
                description=f"Experiment {config.name}",
                dataset=ds.full_name,
                total=len(config.models),
                params={"experiment": config.name},
                show_progress=show_progress,
            ) as job:
                # The experiment's end is recorded before its job's, on success and on
                # failure: a reader never sees a finished job under a "running" experiment
                # (which reads as interrupted).
                try:
                    update_experiment(config.name, job_id=job.id)
                    for position, model in enumerate(config.models):
                        self._run_model(
                            position,
                            model,
                            llms[model.name],
                            task,
                            sample,
                            show_progress,
                            (num_jobs, execution_type),
                        )
                        job.advance(1)
                except BaseException as error:
                    update_experiment(config.name, status="failed", error=str(error))
                    raise
                update_experiment(config.name, status="completed")
                job.complete(f"{len(config.models)} models")
        except BaseException as error:
            update_experiment(config.name, status="failed", error=str(error))
            raise
        finally:
            for llm in llms.values():
                llm.close()
        return ExperimentResult.load(config.name)

    def _claim_name(self) -> None:
        try:
            row = load_experiment_row(self.config.name)
        except NotFoundError:
            return
        if row["config"] != self.config.model_dump(mode="json") and not self._overwrite:
            raise AlreadyExistsError(
                f"an experiment named '{self.config.name}' exists with other settings",
                hint="choose another name, pass overwrite=True to replace it, or rerun it "
                "with gm.get_experiment(name).run()",
            )

    def _task(self, sample: Any) -> Task:
        config = self.config
        labels = config.labels
        if config.task == "classification" and not labels:
            labels = distinct_labels(sample.rows.references)
        return resolve_task(config.task, config.task_options, labels)

    def generation_settings(self, model: ModelConfig, task: Task) -> GenerationSettings:
        config = self.config
        system_prompt = model.system_prompt or config.system_prompt or task.system_prompt
        return GenerationSettings(
            address=model.address,
            template=task.template,
            options=task.options,
            labels=list(task.labels),
            system_prompt=system_prompt,
            temperature=model.temperature if model.temperature is not None else config.temperature,
            max_tokens=model.max_tokens or config.max_tokens or task.max_tokens,
            max_input_tokens=config.max_input_tokens,
        )

    def _run_model(
        self,
        position: int,
        model: ModelConfig,
        llm: Any,
        task: Task,
        sample: Any,
        show_progress: bool,
        executor: tuple[int, ExecutionType] = (1, "threads"),
    ) -> None:
        config = self.config
        column = prediction_column_name(config.input_column, model.slug)
        base = {
            "position": position,
            "address": model.address,
            "prediction_column": column,
        }
        settings = self.generation_settings(model, task)
        try:
            compute_predictions(
                self.dataset,
                input_column=config.input_column,
                column=column,
                llm=llm,
                task=task,
                settings=settings,
                filters=sample.filters,
                concurrency=config.concurrency,
                params={"model": model.name, "task": task.name, "experiment": config.name},
                show_progress=show_progress,
                num_jobs=executor[0],
                execution_type=executor[1],
            )
        except JobCancelledError:
            raise
        except (ProviderError, JobError) as error:
            save_model_result(
                config.name, model.name, status="failed", error=_error_text(error),
                metric_columns={}, summary={}, **base,
            )  # fmt: skip
            return
        records = read_predictions(self.dataset, column, sample.filters)
        predictions = [task.read_answer(r["text"]) for r in records]
        columns, all_scores = {}, {}
        params = {
            "experiment": config.name,
            "prediction_column": column,
            "reference_columns": config.reference_columns,
            "settings_key": settings.key(),
        }
        for metric in self.metrics:
            scores, reasons = score_metric(metric, predictions, sample.rows)
            columns[metric.name] = metric_column_name(column, metric)
            write_metric_column(
                self.dataset, columns[metric.name], metric, sample.rows, scores, reasons, params
            )
            all_scores[metric.name] = scores
        usage = {
            name: [r[name] for r in records]
            for name in ("latency_s", "input_tokens", "output_tokens")
        }
        summary = summarize_model(
            self.metrics, all_scores, predictions, sample.rows.references, usage,
            n_errors=sum(r["error"] is not None for r in records),
            confidence=config.confidence, n_resamples=config.n_resamples,
        )  # fmt: skip
        save_model_result(
            config.name, model.name, status="completed", error=None, metric_columns=columns,
            summary=summary, **base,
        )  # fmt: skip


def _error_text(error: BaseException) -> str:
    cause = error.__cause__
    # The column engine wraps the provider's error; the provider's message is the useful one.
    if isinstance(error, JobError) and isinstance(cause, ProviderError):
        return str(cause)
    return str(error)


def _metric_names(metrics: Sequence[str | Metric] | None, task: Task) -> list[str]:
    if metrics is None:
        return list(task.metrics)
    if isinstance(metrics, str):
        metrics = [metrics]
    names: list[str] = []
    for metric in metrics:
        name = metric if isinstance(metric, str) else metric.name
        if not isinstance(metric, str) and get_metric(name) is not metric:
            raise InvalidInputError(
                f"the metric '{name}' is not registered under that name",
                hint="register it first with gristmill.evals.register_metric(metric), so a "
                "rerun of the experiment can find it",
            )
        names.append(name)
    resolve_metrics(names)  # unknown names fail here, listing the registered ones
    return names
