"""Enriching datasets: embeddings, signals, concept scores and keyword indexes as background jobs
(202 + job id), what can be computed (registered signals and embeddings), and removing a derived
column.
"""

from __future__ import annotations

import inspect
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from gristmill.concepts import get_concept
from gristmill.embed import DEFAULT_EMBEDDING, load_index
from gristmill.server._enrichment_jobs import EnrichmentTracker
from gristmill.server._model_catalog import allowed_embedding, allowed_embedding_names
from gristmill.server._models import (
    ComputeConceptRequest,
    ComputeEmbeddingRequest,
    ComputeKeywordIndexRequest,
    ComputeSignalRequest,
    EmbeddingList,
    EnrichmentStarted,
    SignalInfo,
    SignalList,
)
from gristmill.server._security import WRITE_ACCESS
from gristmill.server.routes._params import DatasetParam
from gristmill.signals import EmbeddingSignal, get_signal, signal_registry

router = APIRouter(tags=["enrichment"])

DATASET = "/datasets/{namespace}/{name}"


def enrichments_of(request: Request) -> EnrichmentTracker:
    tracker: EnrichmentTracker = request.app.state.enrichments
    return tracker


Enrichments = Annotated[EnrichmentTracker, Depends(enrichments_of)]


@router.post(f"{DATASET}/compute_embedding", status_code=202, dependencies=[WRITE_ACCESS])
def compute_embedding(
    ds: DatasetParam, body: ComputeEmbeddingRequest, enrichments: Enrichments
) -> EnrichmentStarted:
    """Embed the text at ``path`` into a vector index, as a background job (202).

    Semantic and concept searches of that path use it once the job completes. Rerunning with
    the same model finds it done (``job_id`` null).
    """
    embedding = allowed_embedding(body.embedding)
    return enrichments.start(
        ds.full_name,
        "embedding",
        lambda: ds.compute_embedding(
            embedding,
            body.path,
            filters=body.filters,
            overwrite=body.overwrite,
            show_progress=False,
        ),
    )


@router.post(f"{DATASET}/compute_keyword_index", status_code=202, dependencies=[WRITE_ACCESS])
def compute_keyword_index(
    ds: DatasetParam, body: ComputeKeywordIndexRequest, enrichments: Enrichments
) -> EnrichmentStarted:
    """Build the BM25 index keyword searches of ``path`` read, as a background job (202).

    Until it exists (and after the column is rewritten) a keyword search scans the column,
    with the same scores. With the index current already, ``job_id`` is null.
    """
    return enrichments.start(
        ds.full_name,
        "keyword_index",
        lambda: ds.compute_keyword_index(body.path, overwrite=body.overwrite, show_progress=False),
    )


@router.post(f"{DATASET}/compute_signal", status_code=202, dependencies=[WRITE_ACCESS])
def compute_signal(
    ds: DatasetParam, body: ComputeSignalRequest, enrichments: Enrichments
) -> EnrichmentStarted:
    """Run a registered signal over the text at ``path`` into a derived column (202)."""
    # Built here, so an unknown signal (404) or a bad parameter (400) fails the request itself.
    signal = get_signal(body.signal, **body.params)
    if isinstance(signal, EmbeddingSignal):
        allowed_embedding(signal.embedding)
    return enrichments.start(
        ds.full_name,
        "signal",
        lambda: ds.compute_signal(
            signal,
            body.path,
            output_column=body.output_column,
            filters=body.filters,
            overwrite=body.overwrite,
            show_progress=False,
        ),
    )


@router.post(f"{DATASET}/compute_concept", status_code=202, dependencies=[WRITE_ACCESS])
def compute_concept(
    ds: DatasetParam, body: ComputeConceptRequest, enrichments: Enrichments
) -> EnrichmentStarted:
    """Score every row with a concept into a derived column (202).

    Needs the ``embedding`` of ``path`` (POST .../compute_embedding first); trains the concept's
    model for that embedding if it has none yet.
    """
    # The core checks these inside its job; checked here they answer 404 with the fix instead
    # of a job that fails.
    get_concept(body.namespace, body.name)
    embedding = allowed_embedding(body.embedding)
    load_index(ds, body.path, embedding)
    return enrichments.start(
        ds.full_name,
        "concept",
        lambda: ds.compute_concept(
            body.namespace,
            body.name,
            embedding=embedding,
            path=body.path,
            filters=body.filters,
            overwrite=body.overwrite,
            show_progress=False,
        ),
    )


@router.delete(f"{DATASET}/columns/{{column}}", status_code=204, dependencies=[WRITE_ACCESS])
def remove_column(ds: DatasetParam, column: str) -> Response:
    """Remove a derived column (an embedding, signal, concept score, map output...).

    Source columns cannot be removed; GET /datasets/{namespace}/{name} lists the derived ones
    with their lineage.
    """
    ds.remove_column(column)
    return Response(status_code=204)


@router.get("/signals", name="list_signals")
def signals() -> SignalList:
    """Registered signals with the JSON schema of their parameters."""
    found = []
    for name in signal_registry.names():
        cls = signal_registry.get(name)
        doc = inspect.getdoc(cls)
        found.append(
            SignalInfo(
                name=name,
                display_name=cls.readable_name(),
                scope=cls.scope,
                version=cls.version,
                on_embeddings=issubclass(cls, EmbeddingSignal),
                description=doc.split("\n\n", 1)[0].replace("\n", " ") if doc else None,
                parameters=cls.model_json_schema(),
            )
        )
    return SignalList(signals=found)


@router.get("/embeddings", name="list_embeddings")
def embeddings() -> EmbeddingList:
    """The embedding names a request may use (for compute_embedding and semantic search); GET
    /models has them with their details."""
    return EmbeddingList(embeddings=allowed_embedding_names(), default=DEFAULT_EMBEDDING)
