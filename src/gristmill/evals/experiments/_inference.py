"""Inference: run a model over a dataset column into a prediction column, resumably.

Each model's answers are a derived column ``<input>__pred__<model>`` (lineage kind
``prediction``) holding per row ``{text, latency_s, input_tokens, output_tokens, cached, error}``,
so queries, filters, exports and the UI work on predictions like on any column. The column is
computed by the resumable column engine with a batched function over ``LLM.complete_batch``:
a crash keeps finished chunks, and within a chunk every finished answer is in the LLM cache,
so a rerun never pays for a row twice. A failed row keeps its error; a chunk in which every
call failed (an unreachable server) stops the model's job, so it is not hammered row by row.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from gristmill.data.dataset import BaseDataset
from gristmill.data.derived import ColumnJob, run_column_job
from gristmill.data.filters import Filter
from gristmill.errors import InvalidInputError, ProviderError
from gristmill.evals.experiments._tasks import Task
from gristmill.llm import LLM, CompletionRequest, LLMSettings, get_llm, parse_model_address

if TYPE_CHECKING:
    import pyarrow as pa

    from gristmill.jobs import ExecutionType

EMPTY_INPUT = "the input is empty"
PREDICTION_FIELDS = ("text", "latency_s", "input_tokens", "output_tokens", "cached", "error")


class ModelConfig(BaseModel):
    """A model in an experiment: its address, a label (column and table name) and overrides
    of the experiment's generation settings."""

    # Sent whole (defaults included): the REST spec marks every field required in responses.
    model_config = ConfigDict(
        extra="forbid", frozen=True, json_schema_serialization_defaults_required=True
    )

    address: str
    label: str | None = None
    system_prompt: str | None = None
    temperature: float | None = Field(default=None, ge=0.0, le=2.0)
    max_tokens: int | None = Field(default=None, ge=1)

    @property
    def name(self) -> str:
        """The label, else the address: how tables and comparisons name this model."""
        return self.label or self.address

    @property
    def slug(self) -> str:
        return slugify(self.name)


def slugify(text: str) -> str:
    """A column-safe form of a model name: 'openai/gpt-4o-mini' -> 'openai-gpt-4o-mini'."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-_")
    return slug[:80] or "model"


def as_model_config(model: str | dict[str, Any] | ModelConfig) -> ModelConfig:
    if isinstance(model, ModelConfig):
        return model
    if isinstance(model, str):
        return ModelConfig(address=model)
    if isinstance(model, dict):
        return ModelConfig(**model)
    raise InvalidInputError(
        f"a model is an address or a ModelConfig, got {type(model).__name__}",
        hint="e.g. models=['fake', 'local', {'address': 'local', 'label': 'local-terse', "
        "'system_prompt': 'Be terse.'}]",
    )


def check_address(address: str) -> None:
    """Raise InvalidInputError now when an address does not parse (before any work)."""
    if address.startswith("hf/"):
        if len(address) <= 3:
            raise InvalidInputError(
                f"invalid model address {address!r}: no model follows 'hf/'",
                hint="use 'hf/<cached model name or relative path>' or 'hf:/absolute/path'",
            )
        return
    parse_model_address(address)


def open_model(address: str) -> LLM:
    """The LLM client for an address; ``hf/<path>`` keeps the whole rest as the model path."""
    check_address(address)
    if address.startswith("hf/"):
        return get_llm({"provider": "hf", "model": address[3:]})
    return get_llm(address)


def prediction_type() -> pa.DataType:
    import pyarrow as pa

    return pa.struct(
        [
            ("text", pa.string()),
            ("latency_s", pa.float64()),
            ("input_tokens", pa.int64()),
            ("output_tokens", pa.int64()),
            ("cached", pa.bool_()),
            ("error", pa.string()),
        ]
    )


class GenerationSettings(BaseModel):
    """Everything that decides a model's answers; its hash names a prediction column's run."""

    model_config = ConfigDict(frozen=True)

    address: str
    template: str
    options: dict[str, Any]
    labels: list[str]
    system_prompt: str | None
    temperature: float
    max_tokens: int
    max_input_tokens: int | None

    def key(self) -> str:
        text = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class Predictor:
    """The batched function of a prediction column: inputs in, prediction records out."""

    def __init__(
        self, llm: LLM, task: Task, settings: GenerationSettings, concurrency: int
    ) -> None:
        self.llm = llm
        self.task = task
        self.settings = settings
        self.concurrency = concurrency

    def __reduce__(self) -> tuple[Any, ...]:
        # Sent to a worker (execution_type='processes' or 'ray'): the LLM's lock, cache
        # connection and HTTP client cannot cross, so the worker builds the same model from its
        # settings, answering from and into the same cache file (resolved here, where the
        # project is known).
        llm = (self.llm.settings, self.llm.cache, self.llm.store.path)
        return (_rebuilt_predictor, (llm, self.task, self.settings, self.concurrency))

    def _prompt(self, text: str) -> str:
        limit = self.settings.max_input_tokens
        return self.task.prompt(self.llm.truncate(text, limit) if limit else text)

    def __call__(self, inputs: list[Any]) -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = [{} for _ in inputs]
        requests: list[CompletionRequest] = []
        positions: list[int] = []
        for i, value in enumerate(inputs):
            if not isinstance(value, str) or not value.strip():
                records[i] = _record(None, error=EMPTY_INPUT)
                continue
            positions.append(i)
            requests.append(
                CompletionRequest(
                    prompt=self._prompt(value),
                    system_prompt=self.settings.system_prompt,
                    temperature=self.settings.temperature,
                    max_tokens=self.settings.max_tokens,
                )
            )
        answers = self.llm.complete_batch(
            requests, concurrency=self.concurrency, return_exceptions=True
        )
        failures = [a for a in answers if isinstance(a, ProviderError)]
        if answers and len(failures) == len(answers):
            # Every call of the chunk failed: the model is down, not one prompt. Stop here;
            # the experiment records this model's error and goes on with the others.
            raise failures[0]
        for i, answer in zip(positions, answers, strict=True):
            if isinstance(answer, ProviderError):
                records[i] = _record(None, error=str(answer))
            else:
                records[i] = _record(
                    answer.text.strip(),
                    latency_s=answer.latency_s,
                    input_tokens=answer.usage.input_tokens,
                    output_tokens=answer.usage.output_tokens,
                    cached=answer.cached,
                )
        return records


def _rebuilt_predictor(
    llm: tuple[LLMSettings, bool, Path],
    task: Task,
    settings: GenerationSettings,
    concurrency: int,
) -> Predictor:
    model, cache, cache_path = llm
    return Predictor(
        get_llm(model, cache=cache, cache_path=cache_path), task, settings, concurrency
    )


def _record(
    text: str | None,
    *,
    latency_s: float | None = None,
    input_tokens: int | None = None,
    output_tokens: int | None = None,
    cached: bool | None = None,
    error: str | None = None,
) -> dict[str, Any]:
    return {
        "text": text,
        "latency_s": latency_s,
        "input_tokens": input_tokens,
        "output_tokens": output_tokens,
        "cached": cached,
        "error": error,
    }


def prediction_column_name(input_column: str, model_slug: str) -> str:
    return f"{re.sub(r'[^A-Za-z0-9_-]+', '_', input_column)}__pred__{model_slug}"


def is_up_to_date(
    ds: BaseDataset, column: str, params: dict[str, Any], filters: Sequence[Filter]
) -> bool:
    """True when ``column`` was made with these params and has an answer for every chosen row."""
    derived = ds.store.read_manifest().derived.get(column)
    if derived is None:
        return False
    stored = {k: v for k, v in derived.lineage.params.items() if k != "include_deleted"}
    if stored != params:
        return False
    # A failed row is retried on the next run (finished rows come from the LLM cache for free).
    unfinished = [
        *filters,
        Filter(path=(column, "text"), op="not_exists"),
        Filter(path=(column, "error"), op="not_equal", value=EMPTY_INPUT),
    ]
    return ds.count(filters=unfinished) == 0


def compute_predictions(
    ds: BaseDataset,
    *,
    input_column: str,
    column: str,
    llm: LLM,
    task: Task,
    settings: GenerationSettings,
    filters: Sequence[Filter],
    concurrency: int,
    params: dict[str, Any],
    show_progress: bool,
    num_jobs: int = 1,
    execution_type: ExecutionType = "threads",
) -> bool:
    """Fill ``column`` with the model's answers for the chosen rows; False when already done."""
    wanted = {"settings_key": settings.key(), **params}
    lineage = {**wanted, "filters": [f.model_dump(mode="json") for f in filters]}
    if is_up_to_date(ds, column, lineage, filters):
        return False
    spec = ColumnJob(
        output_column=column,
        fn=Predictor(llm, task, settings, concurrency),
        producer=f"model:{settings.address}",
        kind="prediction",
        input_path=input_column,
        params=wanted,
        title=f"{params.get('model', settings.address)} answers to {input_column}",
        batched=True,
        filters=tuple(filters),
        output_type=prediction_type(),
    )
    run_column_job(
        ds,
        spec,
        overwrite=True,
        show_progress=show_progress,
        num_jobs=num_jobs,
        execution_type=execution_type,
    )
    return True
