"""Conversation insights: compute them (a background job), list the stored runs, read one
clustered facet's hierarchy and map, always through the privacy rules (``private_view``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from gristmill.bounds import Bound
from gristmill.clio import (
    OpenClioConfig,
    genericSummaryFacets,
    mainFacets,
    stored_clio_columns,
)
from gristmill.errors import InvalidInputError
from gristmill.llm import configured_llm_address, get_llm, local_llm_available, no_llm_configured
from gristmill.server._clio_models import ClioFacetView, ClioList, ComputeClioRequest
from gristmill.server._clio_views import column_info, facet_view, stored_run
from gristmill.server._model_catalog import allowed_embedding
from gristmill.server._models import EnrichmentStarted
from gristmill.server._security import WRITE_ACCESS
from gristmill.server.routes._enrichment import Enrichments
from gristmill.server.routes._params import DatasetParam

router = APIRouter(prefix="/datasets/{namespace}/{name}", tags=["insights"])

# A request may ask for bigger clusters than the default threshold, never smaller ones: the
# threshold protects the people in the conversations, not the person asking.
MIN_CONVERSATIONS = Bound("min_conversations", OpenClioConfig().minClusterConversations, 10**9)


@router.post("/compute_clio", status_code=202, dependencies=[WRITE_ACCESS])
def compute_clio(
    ds: DatasetParam, body: ComputeClioRequest, enrichments: Enrichments
) -> EnrichmentStarted:
    """Conversation insights of the chats at ``path`` (facets, a named hierarchy per clustered
    facet, a map) into ``<path>__clio``, as a background job (202).

    ``use_llm`` takes the LLM the server's operator configured (a request never names one);
    without it the LLM-free mode runs. Stored with the same settings: ``job_id`` is null;
    with others, 409 unless ``overwrite``.
    """
    embedding = allowed_embedding(body.embedding)
    if body.use_llm and configured_llm_address() is None and not local_llm_available():
        raise no_llm_configured()
    facets = mainFacets if body.facets == "main" else genericSummaryFacets
    return enrichments.start(
        ds.full_name,
        "clio",
        lambda: ds.clio(
            body.path,
            facets,
            OpenClioConfig(verbose=False),
            get_llm() if body.use_llm else None,
            embedding=embedding,
            overwrite=body.overwrite,
            show_progress=False,
        ),
    )


@router.get("/clio")
def clio_columns(ds: DatasetParam) -> ClioList:
    """The stored conversation insights: per run its facets and the numeric facets'
    histograms (filter rows by ``<column>.<key> equals value`` to see a bar's)."""
    return ClioList(columns=[column_info(stored_run(ds, c)) for c in stored_clio_columns(ds)])


@router.get("/clio/{column}/{facet}", response_model=ClioFacetView)
def clio_facet(
    ds: DatasetParam,
    column: str,
    facet: str,
    min_conversations: Annotated[
        int | None,
        Query(
            description="show only clusters of at least this many conversations (at least"
            f" the default, {MIN_CONVERSATIONS.low}: a request may not lower it)"
        ),
    ] = None,
) -> Response:
    """One clustered facet's hierarchy and map as they may be shown: clusters with too few
    conversations folded into "Other", names scrubbed. Each node's ``base_ids`` select its
    rows: filter by ``<column>.<key>_cluster in base_ids``."""
    threshold = _threshold(min_conversations)
    answer = facet_view(stored_run(ds, column), facet, threshold)
    # One pass through pydantic, as the map's points do (see routes/_projection.py).
    return Response(answer.model_dump_json(), media_type="application/json")


def _threshold(asked: int | None) -> int:
    if asked is None:
        return int(MIN_CONVERSATIONS.low)
    if isinstance(asked, int) and asked < MIN_CONVERSATIONS.low:
        raise InvalidInputError(
            f"min_conversations may raise the privacy threshold, not lower it: {asked} is below"
            f" {MIN_CONVERSATIONS.low}",
            hint="clusters of fewer conversations are shown only as 'Other'; ask for"
            f" {MIN_CONVERSATIONS.low} or more",
        )
    checked: int = MIN_CONVERSATIONS.check(asked)
    return checked
