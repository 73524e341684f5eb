"""Clustering a text column as a background job, and browsing a cluster column's hierarchy."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from gristmill.cluster import ClusterHierarchy, cluster_hierarchy
from gristmill.dataset import Dataset
from gristmill.errors import InvalidInputError, NotFoundError
from gristmill.server._model_catalog import allowed_embedding, allowed_llm
from gristmill.server._models import ClusterRequest, EnrichmentStarted
from gristmill.server._security import WRITE_ACCESS
from gristmill.server.routes._enrichment import Enrichments
from gristmill.server.routes._params import DatasetParam

router = APIRouter(prefix="/datasets/{namespace}/{name}", tags=["clusters"])

_TEXT_TYPES = ("string", "large_string")


@router.post("/cluster", status_code=202, dependencies=[WRITE_ACCESS])
def cluster(ds: DatasetParam, body: ClusterRequest, enrichments: Enrichments) -> EnrichmentStarted:
    """Cluster the text at ``path`` into ``<path>__cluster``, as a background job (202).

    The job embeds the text (reusing a computed embedding), reduces it with UMAP, clusters it
    with HDBSCAN and titles clusters and categories (keywords offline, or an LLM). An existing
    column answers 409 unless ``overwrite``; GET .../clusters browses the result.
    """
    # Checked here so a typo answers 4xx with the fix, not a job that fails a moment later.
    _check_text_path(ds, body.path)
    embedding = allowed_embedding(body.embedding) if body.embedding is not None else None
    llm = allowed_llm(body.llm)
    return enrichments.start(
        ds.full_name,
        "cluster",
        lambda: ds.cluster(
            body.path,
            embedding=embedding,
            min_cluster_size=body.min_cluster_size,
            use_llm=body.use_llm,
            llm=llm,
            overwrite=body.overwrite,
            show_progress=False,
        ),
    )


@router.get("/clusters", name="cluster_hierarchy")
def clusters(
    ds: DatasetParam,
    column: Annotated[
        str, Query(description="a cluster column", examples=["instruction__cluster"])
    ],
) -> ClusterHierarchy:
    """A cluster column's categories, each with its clusters: ids, titles, row counts and mean
    membership. Filter rows by ``<column>.cluster_id`` (or ``.category_id``) to see them."""
    return cluster_hierarchy(ds, column)


def _check_text_path(ds: Dataset, path: str) -> None:
    leaves = ds.manifest().data_schema.leafs()
    texts = sorted(p for p, field in leaves.items() if field.dtype in _TEXT_TYPES and "*" not in p)
    field = leaves.get(path)
    if field is None:
        raise NotFoundError(
            f"'{ds.full_name}' has no field '{path}'",
            hint=f"text fields: {', '.join(texts)}" if texts else "the dataset has no text field",
        )
    if field.dtype not in _TEXT_TYPES:
        raise InvalidInputError(
            f"clustering needs text, but '{path}' is {field.dtype}",
            hint=f"pick a text field: {', '.join(texts)}" if texts else "map a field to text first",
        )
