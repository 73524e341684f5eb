"""The shapes of concepts, their examples and their trained models (Python API, REST, disk)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

MAIN_DRAFT = "main"
BUILTIN_NAMESPACE = "gristmill"

ConceptType = Literal["text"]


class ConceptExample(BaseModel):
    """One labelled text: ``label=True`` means "this is the concept"."""

    # Sent whole (defaults included): the REST spec marks every field required in responses.
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    id: str
    text: str
    label: bool
    draft: str = MAIN_DRAFT
    # Where the text came from (a dataset, a file, "user"); built-ins record their data source.
    source: str | None = None


class ConceptInfo(BaseModel):
    """A concept without its examples: what ``list_concepts()`` returns."""

    # Sent whole (defaults included): the REST spec marks every field required in responses.
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    namespace: str
    name: str
    type: ConceptType = "text"
    description: str | None = None
    version: int = 0
    builtin: bool = False
    num_positive: int = 0
    num_negative: int = 0
    drafts: list[str] = Field(default_factory=lambda: [MAIN_DRAFT])
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def key(self) -> str:
        return f"{self.namespace}/{self.name}"


class ConceptMetrics(BaseModel):
    """Cross-validated quality of a concept model on its own examples.

    Scores are computed out of fold (each example scored by a model that did not see it),
    at the 0.5 probability threshold. ``None`` where a metric cannot be estimated (too few
    examples of one class to hold any out).
    """

    # Sent whole (defaults included): the REST spec marks every field required in responses.
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    num_examples: int
    num_positive: int
    num_negative: int
    folds: int
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None
    roc_auc: float | None = None
    note: str | None = None


class ConceptModelRecord(BaseModel):
    """What a trained concept model is on disk: plain numbers, never a pickle."""

    format_version: int = 1
    namespace: str
    name: str
    draft: str = MAIN_DRAFT
    concept_version: int
    embedding: str
    embedding_model_id: str
    dim: int
    coefficients: list[float]
    intercept: float
    regularization_c: float
    metrics: ConceptMetrics
    trained_at: datetime
    train_seconds: float
