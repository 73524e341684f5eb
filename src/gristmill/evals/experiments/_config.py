"""What an experiment was asked to do (``ExperimentConfig``), and the dataset it runs on."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ConfigDict, Field

from gristmill.bounds import SAMPLE_ROWS
from gristmill.data.dataset import BaseDataset
from gristmill.data.datasets import get_dataset
from gristmill.errors import InvalidInputError
from gristmill.evals.experiments._inference import ModelConfig
from gristmill.validation import InputModel


class ExperimentConfig(InputModel):
    """Everything an experiment was asked to do; saved as JSON so a rerun repeats it."""

    # Sent whole (defaults included): the REST spec marks every field required in responses.
    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)

    name: str
    dataset: str
    input_column: str
    reference_columns: list[str] = Field(default_factory=list)
    task: str = "summarization"
    task_options: dict[str, Any] = Field(default_factory=dict)
    labels: list[str] | None = None
    models: list[ModelConfig]
    metrics: list[str]
    max_samples: Annotated[int, SAMPLE_ROWS] | None = None
    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    max_tokens: int | None = Field(default=None, ge=1)
    system_prompt: str | None = None
    max_input_tokens: int | None = Field(default=None, ge=16)
    filters: list[dict[str, Any]] = Field(default_factory=list)
    concurrency: int = Field(default=4, ge=1)
    judge_model: str | None = None
    confidence: float = Field(default=0.95, gt=0.0, lt=1.0)
    n_resamples: int = Field(default=1000, ge=10)


def open_dataset(dataset: BaseDataset | str) -> BaseDataset:
    """The dataset itself, or the one a ``namespace/name`` string names."""
    if isinstance(dataset, BaseDataset):
        return dataset
    namespace, _, name = str(dataset).partition("/")
    if not namespace or not name:
        raise InvalidInputError(
            f"'{dataset}' is not a dataset reference", hint="write it as NAMESPACE/NAME"
        )
    return get_dataset(namespace, name)
