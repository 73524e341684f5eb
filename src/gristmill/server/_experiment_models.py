"""Request and response bodies of the experiment routes (kept apart from ``_models`` so each
resource's contract reads on its own).

The core's shapes are reused as they are: ``ExperimentInfo``, ``ExperimentConfig``,
``ModelConfig`` and ``ModelComparison`` (``gristmill.evals``), ``Filter``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from gristmill.data.filters import Filter
from gristmill.evals import ExperimentConfig, ExperimentInfo, ModelConfig
from gristmill.server._models import Body, ResponseBody


class ExperimentList(BaseModel):
    experiments: list[ExperimentInfo] = Field(description="oldest first")


class CreateExperimentRequest(Body):
    """Several models answer the same rows of a dataset; each is scored against references."""

    dataset: str = Field(description="'namespace/name'", examples=["local/dialogsum"])
    input_column: str = Field(examples=["dialogue"])
    reference_columns: list[str] = Field(default_factory=list, examples=[["summary1"]])
    models: list[str | ModelConfig] | None = Field(
        default=None,
        description="model names as GET /models lists them (gristmill.yml's models: block, or"
        " 'local') or configs with such an address, a label and overrides; by default the"
        " project's configured LLM. Addresses with a URL or a path are refused (400).",
        examples=[["local"]],
    )
    name: str | None = Field(default=None, description="by default one made from the dataset")
    task: str = Field(default="summarization", examples=["summarization"])
    metrics: list[str] | None = Field(
        default=None, description="registered metric names; by default the task's"
    )
    max_samples: int | None = Field(default=None, ge=1, description="the first N rows only")
    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    max_tokens: int | None = Field(default=None, ge=1)
    system_prompt: str | None = None
    filters: list[Filter] = Field(default_factory=list, description="evaluate only these rows")
    overwrite: bool = Field(default=False, description="replace an experiment of the same name")


class ExperimentStarted(BaseModel):
    """An experiment accepted and running: follow its job, then GET /experiments/{name}."""

    name: str
    dataset: str
    job_id: str | None = Field(description="the experiment's job (null if it ended at once)")


class ModelOutcome(BaseModel):
    """One model of an experiment: status, error, and where its values are in the dataset."""

    model: str
    address: str
    status: str = Field(description="'completed' or 'failed'")
    error: str | None
    prediction_column: str = Field(description="the derived column with the predictions")
    score_columns: dict[str, str] = Field(
        description="sub-metric -> its dataset path (filter or sort the dataset by it)"
    )
    n_rows: int | None
    n_errors: int | None = Field(description="rows the model failed to answer")


class ResultCell(BaseModel):
    """A model's mean of one sub-metric (or usage figure) with its bootstrap interval."""

    model: str
    metric: str
    kind: Literal["metric", "usage"]
    mean: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    n_missing: int
    corpus: float | None = Field(description="the corpus-level score, for metrics that have one")
    higher_is_better: bool | None


class ExperimentDetail(BaseModel):
    config: ExperimentConfig
    status: str = Field(description="'running', 'completed', 'failed' or 'interrupted'")
    error: str | None = Field(description="why the run stopped, if it failed")
    job_id: str | None
    num_rows: int | None = Field(description="rows in the evaluated sample")
    models: list[ModelOutcome]
    metrics: list[str] = Field(description="the sub-metrics in the table, in order")
    table: list[ResultCell] = Field(description="model x metric: mean and confidence interval")
    errors: dict[str, str] = Field(description="models that failed, with their errors")


class SampleRow(ResponseBody):
    rowid: int = Field(description="the dataset's __rowid__")
    input: Any
    references: list[str]
    prediction: str | None
    error: str | None = Field(default=None, description="the model's error on this row")
    scores: dict[str, float | None]


class BestWorst(BaseModel):
    model: str
    metric: str
    higher_is_better: bool
    column: str = Field(description="the dataset path of this metric's scores")
    best: list[SampleRow]
    worst: list[SampleRow]


class ExperimentRows(BaseModel):
    """A page of one model's per-row predictions, references and scores (in row order)."""

    model: str
    rows: list[SampleRow]
    total_num_rows: int
    limit: int
    offset: int
