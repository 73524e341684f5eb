"""Request and response bodies of the data map's routes (``routes/_projection.py``).

The shapes the core defines are reused as they are: ``ProjectionInfo`` and ``ProjectionView``
(``gristmill.projection``).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from gristmill.bounds import MAX_BIGINT, Bound
from gristmill.data.filters import Filter
from gristmill.projection import DEFAULT_MAX_POINTS, MIN_SAMPLE_POINTS, ProjectionInfo
from gristmill.server._models import Body, SearchItem

# A map over REST shows at least this many points when there are that many (issue 14).
MAP_POINTS = Bound("max_points", MIN_SAMPLE_POINTS, MAX_BIGINT)


class ComputeProjectionRequest(Body):
    """Project the stored embedding of ``path`` to 2-D for the map, as a background job."""

    path: str = Field(examples=["instruction"])
    embedding: str | None = Field(
        default=None,
        description="by default the one stored for the path (the default embedding if several)",
    )
    max_points: int = Field(
        default=DEFAULT_MAX_POINTS,
        description=f"above this many rows a seeded sample is projected (at least"
        f" {MIN_SAMPLE_POINTS})",
    )
    overwrite: bool = Field(default=False, description="recompute a stored projection")

    def checked_max_points(self) -> int:
        checked: int = MAP_POINTS.check(self.max_points)
        return checked


class ProjectionList(BaseModel):
    projections: list[ProjectionInfo]


class ProjectionRequest(Body):
    """The points of a stored projection, coloured by ``color_by``, masked by filters."""

    path: str = Field(examples=["instruction"])
    embedding: str | None = Field(
        default=None, description="by default the default embedding's projection, or the only one"
    )
    color_by: str | None = Field(
        default=None,
        description="a single-valued field path: a category or cluster column, a label (by its"
        " name), a signal field or a concept score",
        examples=["instruction__cluster.cluster_title"],
    )
    filters: list[Filter] = Field(
        default_factory=list, description="combined with AND; 'included' says who passes"
    )
    searches: list[SearchItem] = Field(
        default_factory=list, description="rows the searches leave out are not 'included'"
    )
