"""A cluster column as a hierarchy (what the UI browses): categories, each with its clusters.

Read through the dataset API (one ``select_rows`` of the column's numeric and title fields) and
grouped with Arrow: a cluster belongs to exactly one category and has one title, so grouping by
(cluster, category, titles) gives each cluster once. Deleted rows are left out, as everywhere
else in the UI; rows without text have no cluster and are not counted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from gristmill.cluster._pipeline import CLUSTER_FIELDS
from gristmill.errors import InvalidInputError, NotFoundError

if TYPE_CHECKING:
    from gristmill.data.dataset import BaseDataset
    from gristmill.schema import DerivedColumn

_KEYS = ("cluster_id", "category_id", "cluster_title", "category_title")
_HOW_TO_CLUSTER = 'cluster a text column first: ds.cluster(path), or POST .../cluster {"path": ...}'


class ClusterSummary(BaseModel):
    id: int = Field(description="the cluster_id to filter on")
    title: str
    count: int = Field(description="rows in the cluster (deleted rows left out)")
    mean_membership: float = Field(description="mean cluster_membership_prob of its rows")


class CategorySummary(BaseModel):
    id: int = Field(description="the category_id to filter on")
    title: str
    count: int
    mean_membership: float = Field(description="mean category_membership_prob of its rows")
    clusters: list[ClusterSummary] = Field(description="largest first")


class ClusterHierarchy(BaseModel):
    """A cluster column as categories of clusters, with row counts."""

    column: str = Field(examples=["instruction__cluster"])
    input_path: str | None = Field(description="the text column that was clustered")
    titles_from: str | None = Field(description="'keywords', 'llm' or 'function'")
    num_rows: int = Field(description="rows with a cluster")
    num_clusters: int
    num_categories: int
    categories: list[CategorySummary] = Field(description="largest first")


def cluster_column(ds: BaseDataset, column: str) -> DerivedColumn:
    """The derived column ``column``, checked to hold clusters."""
    derived = {c.name: c for c in ds.manifest().derived_columns}
    clustered = sorted(name for name, c in derived.items() if c.lineage.kind == "cluster")
    found = derived.get(column)
    if found is None:
        raise NotFoundError(
            f"'{ds.full_name}' has no derived column '{column}'",
            hint=f"cluster columns here: {', '.join(clustered)}" if clustered else _HOW_TO_CLUSTER,
        )
    if found.lineage.kind != "cluster":
        raise InvalidInputError(
            f"'{column}' holds a {found.lineage.kind}, not clusters",
            hint=f"pick a cluster column: {', '.join(clustered)}" if clustered else _HOW_TO_CLUSTER,
        )
    return found


def cluster_hierarchy(ds: BaseDataset, column: str) -> ClusterHierarchy:
    """The categories of cluster column ``column``, each with its clusters, largest first."""
    import pyarrow as pa
    import pyarrow.compute as pc

    found = cluster_column(ds, column)
    paths = {field: f"{column}.{field}" for field in CLUSTER_FIELDS}
    table = ds.select_rows(
        columns=list(paths.values()),
        filters=[{"path": paths["cluster_id"], "op": "exists"}],
        sort_by=None,
    ).arrow()
    table = pa.table({field: table.column(paths[field]) for field in CLUSTER_FIELDS})
    grouped = table.group_by(list(_KEYS), use_threads=False).aggregate(
        [
            ("cluster_id", "count"),
            ("cluster_membership_prob", "sum"),
            ("category_membership_prob", "sum"),
        ]
    )
    by_category: dict[int, tuple[str, list[ClusterSummary], float]] = {}
    for row in grouped.to_pylist():
        count = int(row["cluster_id_count"])
        summary = ClusterSummary(
            id=int(row["cluster_id"]),
            title=row["cluster_title"] or f"cluster {row['cluster_id']}",
            count=count,
            mean_membership=_mean(row["cluster_membership_prob_sum"], count),
        )
        category = int(row["category_id"])
        title, clusters, probability_sum = by_category.get(
            category, (row["category_title"] or f"category {category}", [], 0.0)
        )
        clusters.append(summary)
        by_category[category] = (
            title,
            clusters,
            probability_sum + float(row["category_membership_prob_sum"] or 0.0),
        )
    categories = []
    for category, (title, clusters, probability_sum) in by_category.items():
        clusters.sort(key=lambda c: (-c.count, c.id))
        count = sum(c.count for c in clusters)
        categories.append(
            CategorySummary(
                id=category,
                title=title,
                count=count,
                mean_membership=_mean(probability_sum, count),
                clusters=clusters,
            )
        )
    categories.sort(key=lambda c: (-c.count, c.id))
    titles = found.lineage.params.get("titles")
    return ClusterHierarchy(
        column=column,
        input_path=found.lineage.input_path,
        titles_from=str(titles) if titles is not None else None,
        num_rows=int(pc.sum(grouped.column("cluster_id_count")).as_py() or 0),
        num_clusters=len(grouped),
        num_categories=len(categories),
        categories=categories,
    )


def _mean(total: float | None, count: int) -> float:
    return round(float(total or 0.0) / count, 4) if count else 0.0
