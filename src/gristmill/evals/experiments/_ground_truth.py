"""Ground truth generation: a model answers the examples, and its answers become a reference.

As in the Lumigator walkthrough (BART and Mistral writing candidate summaries), the outputs are
stored as a plain text column that experiments can map as a reference column. Its lineage says
which model wrote it, with which prompt and settings, and when (``created_at``). It runs as a
resumable column job through the LLM cache, like predictions; a row whose call failed is left
empty (and so is skipped by metrics) rather than given a made-up reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gristmill.bounds import SAMPLE_ROWS
from gristmill.data.dataset import BaseDataset
from gristmill.data.derived import ColumnJob, MapResult, run_column_job
from gristmill.data.filters import Filter, to_filters
from gristmill.data.query import QueryBuilder
from gristmill.errors import InvalidInputError
from gristmill.evals.experiments._inference import (
    GenerationSettings,
    Predictor,
    open_model,
    slugify,
)
from gristmill.evals.experiments._tasks import Task, resolve_task
from gristmill.llm import configured_llm_address


class _ReferenceWriter:
    """Keeps only the text of each prediction record: a reference column is plain text."""

    def __init__(self, predictor: Predictor) -> None:
        self.predictor = predictor

    def __call__(self, inputs: list[Any]) -> list[str | None]:
        records = self.predictor(inputs)
        return [record["text"] or None for record in records]


def generate_ground_truth(
    ds: BaseDataset,
    input_column: str,
    model: str | None = None,
    *,
    output_column: str | None = None,
    task: str = "summarization",
    task_options: dict[str, Any] | None = None,
    labels: Sequence[str] | None = None,
    system_prompt: str | None = None,
    temperature: float = 0.0,
    max_tokens: int | None = None,
    max_input_tokens: int | None = None,
    filters: Sequence[Any] | None = None,
    max_samples: int | None = None,
    concurrency: int = 4,
    overwrite: bool = False,
    show_progress: bool = True,
) -> MapResult:
    """Run ``model`` (default: the configured LLM) over ``input_column`` into a reference
    column (default ``<input>__ground_truth__<model>``) whose lineage records the model."""
    import pyarrow as pa

    QueryBuilder(ds.catalog()).resolve(input_column)
    address = model or _configured(configured_llm_address())
    task_def: Task = resolve_task(task, task_options, labels or (["label"] if
                                  task == "classification" else None))  # fmt: skip
    llm = open_model(address)
    settings = GenerationSettings(
        address=address,
        template=task_def.template,
        options=task_def.options,
        labels=list(task_def.labels),
        system_prompt=system_prompt or task_def.system_prompt,
        temperature=temperature,
        max_tokens=max_tokens or task_def.max_tokens,
        max_input_tokens=max_input_tokens,
    )
    chosen = _first_rows(ds, to_filters(filters), max_samples)
    column = output_column or f"{input_column.replace('.', '_')}__ground_truth__{slugify(address)}"
    spec = ColumnJob(
        output_column=column,
        fn=_ReferenceWriter(Predictor(llm, task_def, settings, concurrency)),
        producer=f"model:{address}",
        kind="prediction",
        input_path=input_column,
        params={"role": "ground_truth", "model": address, "task": task_def.name,
                "settings_key": settings.key(), "settings": settings.model_dump(mode="json")},
        batched=True,
        filters=tuple(chosen),
        output_type=pa.string(),
        title=f"{address} ground truth for {input_column}",
    )  # fmt: skip
    try:
        return run_column_job(ds, spec, overwrite=overwrite, show_progress=show_progress)
    finally:
        llm.close()


def _first_rows(ds: BaseDataset, filters: list[Filter], max_samples: int | None) -> list[Filter]:
    """The filters, narrowed to the first ``max_samples`` matching rows (by row id)."""
    if max_samples is None:
        return filters
    max_samples = SAMPLE_ROWS.check(max_samples)
    rows = ds.select_rows(
        ["__rowid__"], filters=filters, sort_by="__rowid__", sort_order="ASC", limit=max_samples
    ).to_list()
    last = int(rows[-1]["__rowid__"]) if rows else -1
    return [*filters, Filter(path="__rowid__", op="less_equal", value=last)]


def _configured(address: str | dict[str, Any] | None) -> str:
    if isinstance(address, str):
        return address
    if isinstance(address, dict) and isinstance(address.get("model"), str):
        provider = address.get("provider")
        return f"{provider}/{address['model']}" if provider else str(address["model"])
    raise InvalidInputError(
        "generate_ground_truth needs a model",
        hint="pass model='local' (or 'openai/<model>', 'hf/<path>'), or configure one with "
        "$GRISTMILL_LLM or the llm: block of gristmill.yml",
    )
