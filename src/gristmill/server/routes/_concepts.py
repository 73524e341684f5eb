"""Concepts: list, create, read (examples and model metrics), edit examples, train, delete.

Built-in concepts (namespace 'gristmill') can be read and trained but not edited: the core
raises ReadOnlyError, which answers 403 in the error shape.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from gristmill.concepts import (
    DEFAULT_EMBEDDING,
    ConceptInfo,
    ConceptModel,
    create_concept,
    delete_concept,
    get_concept,
    list_concepts,
)
from gristmill.server._model_catalog import allowed_embedding
from gristmill.server._models import (
    AddConceptExamplesRequest,
    ConceptDetail,
    ConceptExamplesAdded,
    ConceptExamplesRemoved,
    ConceptList,
    ConceptModelSummary,
    CreateConceptRequest,
    RemoveConceptExamplesRequest,
    TrainConceptRequest,
)
from gristmill.server._security import WRITE_ACCESS

router = APIRouter(prefix="/concepts", tags=["concepts"])

CONCEPT = "/{namespace}/{name}"
EmbeddingQuery = Annotated[
    str, Query(description="whose model's metrics to include", examples=["minilm"])
]


@router.get("", name="list_concepts")
def concepts(
    namespace: Annotated[str | None, Query(description="only this namespace")] = None,
) -> ConceptList:
    """Built-in and user concepts, without their examples."""
    return ConceptList(concepts=list_concepts(namespace))


@router.post("", name="create_concept", status_code=201, dependencies=[WRITE_ACCESS])
def create(body: CreateConceptRequest) -> ConceptInfo:
    """A new, empty concept; add examples, then train it or score a dataset with it."""
    return create_concept(body.namespace, body.name, description=body.description).info()


@router.get(CONCEPT, name="get_concept")
def concept_detail(
    namespace: str, name: str, embedding: EmbeddingQuery = DEFAULT_EMBEDDING
) -> ConceptDetail:
    """The concept, its examples, and its model's metrics for ``embedding`` if trained."""
    concept = get_concept(namespace, name)
    info = concept.info()
    # The model of the version shown, if trained: a GET never trains one.
    model = concept.saved_model(allowed_embedding(embedding), version=info.version)
    return ConceptDetail(
        info=info,
        examples=concept.examples(),
        model=_summary(model) if model is not None else None,
    )


@router.post(f"{CONCEPT}/examples", name="add_concept_examples", dependencies=[WRITE_ACCESS])
def add_examples(
    namespace: str, name: str, body: AddConceptExamplesRequest
) -> ConceptExamplesAdded:
    """Add labelled texts; a text already present has its label replaced."""
    concept = get_concept(namespace, name)
    added = concept.add_examples([example.model_dump() for example in body.examples])
    return ConceptExamplesAdded(examples=added, version=concept.version)


@router.post(
    f"{CONCEPT}/examples/remove", name="remove_concept_examples", dependencies=[WRITE_ACCESS]
)
def remove_examples(
    namespace: str, name: str, body: RemoveConceptExamplesRequest
) -> ConceptExamplesRemoved:
    """Remove examples by id (unknown ids are skipped; ``num_removed`` says how many existed)."""
    concept = get_concept(namespace, name)
    removed = concept.remove_examples(body.ids)
    return ConceptExamplesRemoved(num_removed=removed, version=concept.version)


@router.post(f"{CONCEPT}/train", name="train_concept", dependencies=[WRITE_ACCESS])
def train(namespace: str, name: str, body: TrainConceptRequest) -> ConceptModelSummary:
    """Train the concept's model for ``embedding`` on its current examples; returns its metrics.

    Needs at least one positive and one negative example.
    """
    return _summary(get_concept(namespace, name).train(allowed_embedding(body.embedding)))


@router.delete(CONCEPT, name="delete_concept", status_code=204, dependencies=[WRITE_ACCESS])
def delete(namespace: str, name: str) -> Response:
    """Delete a user concept with its examples and models (built-ins: 403)."""
    delete_concept(namespace, name)
    return Response(status_code=204)


def _summary(model: ConceptModel) -> ConceptModelSummary:
    record = model.record
    return ConceptModelSummary(
        embedding=record.embedding,
        embedding_model_id=record.embedding_model_id,
        concept_version=record.concept_version,
        metrics=record.metrics,
        trained_at=record.trained_at,
    )
