"""Evaluation commands: ``gristmill eval run|list|show|rerun|export|ground-truth``.

``eval run ... --fail-under rougeL=0.25`` exits 1 when a model's mean is under a threshold, so
a CI job can gate on model quality. ``eval run`` and ``eval rerun`` also exit 1 when a model
failed (its server was down, its key missing): the table then lacks that model, and a script
must not take the run for a success.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gristmill.cli._app import app
from gristmill.cli._datasets import open_dataset
from gristmill.cli._errors import handle_errors
from gristmill.cli._render import print_rows, to_json
from gristmill.errors import InvalidInputError

if TYPE_CHECKING:
    from gristmill.evals import ExperimentResult

eval_app = typer.Typer(
    help="Evaluate models: experiments with metrics and confidence intervals.",
    no_args_is_help=True,
)
app.add_typer(eval_app, name="eval")

THRESHOLD_FAILED_EXIT = 1
MODEL_FAILED_EXIT = 1

DatasetOpt = Annotated[str, typer.Option("--dataset", "-d", help="The dataset as NAMESPACE/NAME.")]
NameArg = Annotated[str, typer.Argument(help="The experiment's name.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
NoProgressOpt = Annotated[bool, typer.Option("--no-progress", help="Hide progress bars.")]
FailUnderOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--fail-under",
        help="METRIC=VALUE: exit 1 if any model's mean is below it, e.g. rougeL=0.25.",
    ),
]


def parse_thresholds(texts: list[str] | None) -> dict[str, float]:
    thresholds: dict[str, float] = {}
    for text in texts or []:
        name, sep, value = text.partition("=")
        try:
            number = float(value)
        except ValueError:
            number = float("nan")
        if not sep or not name.strip() or math.isnan(number):
            raise InvalidInputError(
                f"--fail-under {text!r} is not METRIC=NUMBER", hint="e.g. --fail-under rougeL=0.25"
            )
        thresholds[name.strip()] = number
    return thresholds


def check_thresholds(result: ExperimentResult, thresholds: dict[str, float]) -> list[str]:
    """Messages for every model whose mean is below a threshold (or that has no value)."""
    known = {*result.sub_metrics(), "latency_s", "input_tokens", "output_tokens"}
    failures: list[str] = []
    for name, minimum in thresholds.items():
        if name not in known:
            raise InvalidInputError(
                f"--fail-under names '{name}', which this experiment did not measure",
                hint=f"measured: {', '.join(sorted(known))}",
            )
        for model in result.models:
            mean = result.mean(model.model, name) if model.status == "completed" else None
            if mean is None:
                failures.append(f"{model.model}: {name} has no value (the model failed)")
            elif mean < minimum:
                failures.append(f"{model.model}: {name} = {mean:.4f} is under {minimum:g}")
    return failures


def _show(result: ExperimentResult, as_json: bool) -> None:
    typer.echo(result.to_json() if as_json else result.format_table())


def _finish(result: ExperimentResult, thresholds: dict[str, float], as_json: bool) -> None:
    _show(result, as_json)
    failures = check_thresholds(result, thresholds)
    for failure in failures:
        typer.echo(f"FAILED --fail-under: {failure}", err=True)
    failed_models = result.errors
    for model, error in failed_models.items():
        typer.echo(f"FAILED model {model}: {error}", err=True)
    if failed_models and len(failed_models) == len(result.models):
        typer.echo("FAILED: every model failed, so the experiment has no results", err=True)
    if failed_models:
        raise typer.Exit(MODEL_FAILED_EXIT)
    if failures:
        raise typer.Exit(THRESHOLD_FAILED_EXIT)


@eval_app.command("run")
@handle_errors
def run_command(
    dataset: DatasetOpt,
    input_column: Annotated[str, typer.Option("--input", help="The column the models answer.")],
    model: Annotated[list[str], typer.Option("--model", "-m", help="A model address (repeat).")],
    reference: Annotated[
        list[str] | None, typer.Option("--reference", "-r", help="A reference column (repeat).")
    ] = None,
    metric: Annotated[
        list[str] | None, typer.Option("--metric", help="A metric name (repeat; default: task's).")
    ] = None,
    task: Annotated[
        str,
        typer.Option(
            help="summarization, question_answering, translation, "
            "classification, or a template with {input}."
        ),
    ] = "summarization",
    name: Annotated[str | None, typer.Option(help="The experiment's name.")] = None,
    max_samples: Annotated[int | None, typer.Option(help="Evaluate the first N rows.")] = None,
    temperature: Annotated[float, typer.Option(help="Sampling temperature.")] = 0.0,
    max_tokens: Annotated[int | None, typer.Option(help="Longest answer in tokens.")] = None,
    system_prompt: Annotated[
        str | None, typer.Option(help="System prompt for every model.")
    ] = None,
    judge_model: Annotated[str | None, typer.Option(help="Model for llm_judge.")] = None,
    overwrite: Annotated[bool, typer.Option(help="Replace an experiment of that name.")] = False,
    fail_under: FailUnderOpt = None,
    as_json: JsonOpt = False,
    no_progress: NoProgressOpt = False,
) -> None:
    """Run an experiment: every model answers every row, then metrics with 95% CIs."""
    from gristmill.evals import Experiment  # here: evals' ~40 modules stay off CLI startup

    thresholds = parse_thresholds(fail_under)
    experiment = Experiment(
        dataset,
        input_column,
        reference or [],
        models=model,
        task=task,
        metrics=metric or None,
        name=name,
        max_samples=max_samples,
        temperature=temperature,
        max_tokens=max_tokens,
        system_prompt=system_prompt,
        judge_model=judge_model,
        overwrite=overwrite,
    )
    _finish(experiment.run(show_progress=not no_progress), thresholds, as_json)


@eval_app.command("list")
@handle_errors
def list_command(as_json: JsonOpt = False) -> None:
    """List the project's experiments."""
    from gristmill.evals import list_experiments  # here: evals' ~40 modules stay off CLI startup

    rows = [
        {
            "name": info.name,
            "dataset": info.dataset,
            "task": info.task,
            "models": ", ".join(info.models),
            "metrics": ", ".join(info.metrics),
            "rows": info.num_rows,
            "status": info.status,
            "updated": info.updated_at.isoformat(timespec="seconds"),
        }
        for info in list_experiments()
    ]
    if not rows and not as_json:
        typer.echo("(no experiments)")
        return
    print_rows(rows, as_json)


@eval_app.command("show")
@handle_errors
def show_command(
    name: NameArg,
    compare: Annotated[
        list[str] | None, typer.Option(help="Two models to compare: --compare A --compare B.")
    ] = None,
    best_worst: Annotated[
        str | None, typer.Option(help="MODEL:METRIC: show its best and worst rows.")
    ] = None,
    n: Annotated[int, typer.Option(help="Rows for --best-worst.")] = 3,
    as_json: JsonOpt = False,
) -> None:
    """Show an experiment's results table (and a comparison or best/worst rows)."""
    from gristmill.evals import ExperimentResult  # here: evals' ~40 modules stay off CLI startup

    result = ExperimentResult.load(name)
    _show(result, as_json)
    if compare:
        if len(compare) != 2:
            raise InvalidInputError("--compare needs two models", hint="--compare A --compare B")
        comparison = result.compare(compare[0], compare[1])
        typer.echo(comparison.model_dump_json() if as_json else str(comparison))
    if best_worst:
        model_name, sep, metric_name = best_worst.rpartition(":")
        if not sep:
            raise InvalidInputError("--best-worst is MODEL:METRIC", hint="e.g. fake:rougeL")
        views = result.best_worst(model_name, metric_name, n)
        for label, frame in views.items():
            typer.echo(f"\n{label} {n} by {metric_name}:")
            print_rows(
                [{str(k): v for k, v in row.items()} for row in frame.to_dict(orient="records")],
                as_json,
            )


@eval_app.command("rerun")
@handle_errors
def rerun_command(
    name: NameArg,
    fail_under: FailUnderOpt = None,
    as_json: JsonOpt = False,
    no_progress: NoProgressOpt = False,
) -> None:
    """Run a saved experiment again with the same settings (finished rows are reused)."""
    from gristmill.evals import rerun_experiment  # here: evals' ~40 modules stay off CLI startup

    thresholds = parse_thresholds(fail_under)
    _finish(rerun_experiment(name, show_progress=not no_progress), thresholds, as_json)


@eval_app.command("export")
@handle_errors
def export_command(
    name: NameArg,
    output: Annotated[Path, typer.Argument(help="File to write: .json or .csv.")],
) -> None:
    """Write an experiment's results to JSON (everything) or CSV (the long table)."""
    from gristmill.evals import ExperimentResult  # here: evals' ~40 modules stay off CLI startup

    result = ExperimentResult.load(name)
    suffix = output.suffix.lower()
    if suffix == ".json":
        result.to_json(output)
    elif suffix == ".csv":
        result.to_csv(output)
    else:
        raise InvalidInputError(
            f"cannot tell the format of '{output}'", hint="end the file name in .json or .csv"
        )
    typer.echo(f"wrote {output}")


@eval_app.command("ground-truth")
@handle_errors
def ground_truth_command(
    dataset: DatasetOpt,
    input_column: Annotated[str, typer.Option("--input", help="The column to answer.")],
    model: Annotated[str | None, typer.Option("--model", "-m", help="Model address.")] = None,
    output_column: Annotated[str | None, typer.Option("--output", help="New column.")] = None,
    task: Annotated[str, typer.Option(help="Task or template with {input}.")] = "summarization",
    max_samples: Annotated[int | None, typer.Option(help="Answer the first N rows.")] = None,
    overwrite: Annotated[bool, typer.Option(help="Replace the column if it exists.")] = False,
    no_progress: NoProgressOpt = False,
) -> None:
    """Generate a reference column with a model (its provenance goes in the lineage)."""
    # Imported here: evals' ~40 modules stay off CLI startup.
    from gristmill.evals import generate_ground_truth

    ds = open_dataset(dataset)
    result = generate_ground_truth(
        ds, input_column, model, output_column=output_column, task=task, overwrite=overwrite,
        max_samples=max_samples,
        show_progress=not no_progress,
    )  # fmt: skip
    lineage = next(c.lineage for c in ds.manifest().derived_columns if c.name == result.column)
    typer.echo(
        to_json(
            {
                "column": result.column,
                "computed": result.num_computed,
                "resumed": result.num_resumed,
                "model": lineage.params.get("model"),
                "created_at": lineage.created_at,
            }
        )
    )
