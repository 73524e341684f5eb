"""The data map: each embedded row as a point in 2-D (UMAP of its embedding), stored and read.

::

    ds.compute_embedding('minilm', 'text')
    ds.compute_projection('text')                     # a job; cached: a rerun computes nothing
    points = read_projection(ds, 'text')              # rowids, x, y in [0, 1]
    view = projection_view(ds, 'text', color_by='text__cluster.cluster_title',
                           filters=[('label', 'equals', 'spam')])   # what the map UI draws

Above ``max_points`` embedded rows (200,000 by default; the REST API and CLI never go below
100,000) a seeded sample is projected. A lasso on the map is the row filter
``('__rowid__', 'in', [ids...])``, which works wherever filters do.
"""

from gristmill.projection._compute import (
    DEFAULT_MAX_POINTS,
    MIN_SAMPLE_POINTS,
    PRODUCER,
    ProjectionInfo,
    compute_projection,
    projection_column,
)
from gristmill.projection._layout import DEFAULT_FIT_POINTS, map_coordinates
from gristmill.projection._read import Projection, list_projections, read_projection
from gristmill.projection._view import (
    MAX_CATEGORIES_SHOWN,
    PointColors,
    ProjectionView,
    projection_view,
)

__all__ = [
    "DEFAULT_FIT_POINTS",
    "DEFAULT_MAX_POINTS",
    "MAX_CATEGORIES_SHOWN",
    "MIN_SAMPLE_POINTS",
    "PRODUCER",
    "PointColors",
    "Projection",
    "ProjectionInfo",
    "ProjectionView",
    "compute_projection",
    "list_projections",
    "map_coordinates",
    "projection_column",
    "projection_view",
    "read_projection",
]
