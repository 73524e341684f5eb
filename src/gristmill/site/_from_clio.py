"""A conversation-insights run (``gm.clio.run``) as the data of a static site."""

from __future__ import annotations

from gristmill.clio import ClioResult
from gristmill.site._data import SiteData, SiteFacet, SitePoints, SiteTree


def site_data_from_clio(result: ClioResult, title: str = "Conversation insights") -> SiteData:
    """Every facet's values, and each clustered facet's tree and map, aligned with the run's
    conversations (a data point that is not a chat has no turns to show)."""
    trees = {}
    points = {}
    for name, clusters in result.clusters.items():
        tree = clusters.tree
        trees[name] = SiteTree(
            nodes={node.id: node.__dict__ for node in tree.nodes.values()},
            roots=[node.id for node in tree.roots],
        )
        points[name] = SitePoints(x=clusters.x, y=clusters.y, node=clusters.base_ids)
    return SiteData(
        title=title,
        facets=[SiteFacet(name=facet.name, numeric=facet.numeric) for facet in result.facets],
        trees=trees,
        points=points,
        conversations=[turns if turns is not None else [] for turns in result.conversations],
        facet_values={name: list(values) for name, values in result.values.values.items()},
    )
