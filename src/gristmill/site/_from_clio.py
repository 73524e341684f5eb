"""A conversation-insights run (``gm.clio.run``) as the data of a static site.

A site is an export, so it shows only what the privacy settings allow (``gm.clio.private_view``):
small clusters folded into "Other", names the privacy auditor scored too revealing withheld, and
with ``scrubPII`` personal data replaced by its kind in names, summaries, facet texts and the
conversations themselves (a person's email in a request must not reach a shared folder through
the conversation viewer when it is kept out of everything else).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any

import pydantic_core

from gristmill.clio import (
    ClioResult,
    Conversation,
    OpenClioConfig,
    private_view,
    scrub_texts,
    scrub_values,
)
from gristmill.site._data import FacetValue, SiteData, SiteFacet, SitePoints, SiteTree
from gristmill.site._write import SiteInfo, write_site


def write_clio_site(
    result: ClioResult,
    out_dir: str | Path,
    config: OpenClioConfig | None = None,
    *,
    title: str = "Conversation insights",
    keys: Sequence[Hashable] | None = None,
) -> SiteInfo:
    """Write the static site of ``result`` as OpenClio does at the end of a run: ``config``'s
    ``password``, ``htmlMaxSizePerFile``, ``htmlConversationFilterFunc`` and
    ``htmlDataToJsonFunc`` honoured, and its privacy settings applied."""
    config = config if config is not None else OpenClioConfig()
    return write_site(
        site_data_from_clio(result, title, config, keys=keys),
        out_dir,
        password=config.password,
        max_file_bytes=config.htmlMaxSizePerFile,
        conversation_filter=config.htmlConversationFilterFunc,
        data_to_json=config.htmlDataToJsonFunc,
    )


def site_data_from_clio(
    result: ClioResult,
    title: str = "Conversation insights",
    config: OpenClioConfig | None = None,
    *,
    keys: Sequence[Hashable] | None = None,
) -> SiteData:
    """Every facet's values, and each clustered facet's tree and map, aligned with the run's
    conversations (a data point that is not a chat has no turns to show), as ``config``'s
    privacy settings allow (None: the defaults, which fold clusters of fewer than 5
    conversations and scrub personal data).

    ``keys[i]`` is data point i's dedup key for counting distinct conversations; by default
    data points with the same conversation count once.
    """
    config = config if config is not None else OpenClioConfig()
    if keys is None:
        keys = result.keys if result.keys is not None else _conversation_keys(result.conversations)
    trees = {}
    points = {}
    for name, clusters in result.clusters.items():
        view = private_view(clusters.tree, clusters.base_ids, config, keys=keys)
        trees[name] = SiteTree(
            nodes={node.id: node.__dict__ for node in view.tree.nodes.values()},
            roots=[node.id for node in view.tree.roots],
        )
        points[name] = SitePoints(x=clusters.x, y=clusters.y, node=view.base_ids)
    values: dict[str, list[FacetValue]] = {
        name: list(facet_values) for name, facet_values in result.values.values.items()
    }
    conversations = [turns if turns is not None else [] for turns in result.conversations]
    if config.scrubPII:
        values = {name: scrub_values(facet_values) for name, facet_values in values.items()}
        conversations = _scrub_conversations(conversations)
    return SiteData(
        title=title,
        facets=[SiteFacet(name=facet.name, numeric=facet.numeric) for facet in result.facets],
        trees=trees,
        points=points,
        conversations=conversations,
        facet_values=values,
    )


def _conversation_keys(conversations: Sequence[Conversation | None]) -> list[Hashable]:
    """The same conversation, wherever it repeats, gets the same key; a data point with no
    conversation to compare counts on its own."""
    return [
        pydantic_core.to_json(turns) if turns is not None else ("row", index)
        for index, turns in enumerate(conversations)
    ]


def _scrub_conversations(conversations: Sequence[Any]) -> list[Any]:
    """Each turn's text with personal data replaced by its kind, all turns in one pass."""
    places = [
        (row, turn)
        for row, turns in enumerate(conversations)
        for turn, message in enumerate(turns)
        if isinstance(message, dict) and isinstance(message.get("content"), str)
    ]
    scrubbed = scrub_texts([conversations[row][turn]["content"] for row, turn in places])
    result = [list(turns) for turns in conversations]
    for (row, turn), text in zip(places, scrubbed, strict=True):
        result[row][turn] = {**result[row][turn], "content": text}
    return result
