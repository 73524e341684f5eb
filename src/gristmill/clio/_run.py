"""``gm.clio.run``: OpenClio's pipeline end to end on a list of data points.

    result = gm.clio.run(chats)                        # LLM-free: extractors and keyphrases
    result = gm.clio.run(chats, llm='openai/gpt-4o-mini')
    result.hierarchy.walk()                            # the Request facet's named tree
    result.clusters['Request'].base_ids[0]             # the base cluster of conversation 0

For every facet: its value per conversation (``extract_facets``: one LLM call per
conversation for all facets, or the extractors without an LLM). For every facet that
``shouldMakeFacetClusters``: the values embedded, spherical k-means into base clusters named
with contrast (``base_clusters``), the multi-level hierarchy over them (``build_hierarchy``) and
a 2-D map of the values (``gristmill.projection.map_coordinates``, the data map's layout).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gristmill.clio._base import base_clusters, cluster_centroids, unit_rows
from gristmill.clio._config import Facet, OpenClioConfig, mainFacets, shouldMakeFacetClusters
from gristmill.clio._conversations import Conversation, prepare_conversations
from gristmill.clio._facets import FacetResult, extract_facets
from gristmill.clio._hierarchy import build_hierarchy
from gristmill.clio._naming import KeyphraseNamer, LLMNamer, Namer
from gristmill.clio._tree import ClioTree
from gristmill.embed import get_embedding
from gristmill.errors import InvalidInputError
from gristmill.llm import LLM, get_llm
from gristmill.projection import map_coordinates

if TYPE_CHECKING:
    from gristmill.embed import EmbeddingModel

DEFAULT_EMBEDDING = "minilm"


@dataclass
class FacetClusters:
    """One clustered facet: its tree, and per conversation its base cluster and map point
    (None where the conversation has no value for the facet)."""

    facet: str
    tree: ClioTree
    base_ids: list[str | None]
    x: list[float | None]
    y: list[float | None]


@dataclass
class ClioResult:
    """What a run produced, aligned with the input data points."""

    facets: list[Facet]
    values: FacetResult
    conversations: list[Conversation | None]
    clusters: dict[str, FacetClusters]
    mode: str
    seconds: dict[str, float] = field(default_factory=dict)
    naming_calls: int = 0

    @property
    def hierarchy(self) -> ClioTree:
        """The tree of the first clustered facet (Request, with the main facets)."""
        if not self.clusters:
            raise InvalidInputError(
                "no facet of this run was clustered",
                hint="give at least one facet a summaryCriteria (shouldMakeFacetClusters)",
            )
        return next(iter(self.clusters.values())).tree

    @property
    def llm_calls(self) -> int:
        """Facet calls plus naming and hierarchy calls (0 without an LLM)."""
        return self.values.calls + self.naming_calls


def run(
    data: Sequence[Any],
    facets: Sequence[Facet] | None = None,
    config: OpenClioConfig | None = None,
    llm: LLM | str | None = None,
    *,
    embedding: str = DEFAULT_EMBEDDING,
    show_progress: bool | None = None,
) -> ClioResult:
    """Facets, base clusters, the hierarchy and a map for ``data`` (see the module docstring).

    ``llm=None`` runs the LLM-free mode; ``embedding`` embeds the facet values and the names.
    """
    chosen = list(mainFacets if facets is None else facets)
    config = config if config is not None else OpenClioConfig()
    client = get_llm(llm) if isinstance(llm, str) else llm
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    prepared = prepare_conversations(data, config)
    values = extract_facets(
        data, chosen, config, client, show_progress=show_progress, prepared=prepared
    )
    seconds["facets"] = time.perf_counter() - started
    conversations = [prepared.conversations[position] for position in prepared.source]
    model = get_embedding(embedding)
    clusters: dict[str, FacetClusters] = {}
    calls = 0
    for facet in chosen:
        if not shouldMakeFacetClusters(facet):
            continue
        namer = _namer(client, facet, config, model)
        clusters[facet.name] = _cluster_facet(
            facet, values[facet.name], config, namer, model, seconds
        )
        calls += namer.calls
    return ClioResult(
        facets=chosen,
        values=values,
        conversations=conversations,
        clusters=clusters,
        mode=values.mode,
        seconds=seconds,
        naming_calls=calls,
    )


def _namer(
    client: LLM | None, facet: Facet, config: OpenClioConfig, model: EmbeddingModel
) -> Namer:
    if client is None:
        return KeyphraseNamer(model)
    temperature = config.llmExtraInferenceArgs.get("temperature")
    return LLMNamer(
        client,
        criteria=facet.summaryCriteria,
        seed=config.seed,
        temperature=float(temperature) if temperature is not None else None,
    )


def _cluster_facet(
    facet: Facet,
    facet_values: Sequence[Any],
    config: OpenClioConfig,
    namer: Namer,
    model: EmbeddingModel,
    seconds: dict[str, float],
) -> FacetClusters:
    import numpy as np

    present = [i for i, value in enumerate(facet_values) if isinstance(value, str) and value]
    texts = [str(facet_values[i]) for i in present]
    base_ids: list[str | None] = [None] * len(facet_values)
    xs: list[float | None] = [None] * len(facet_values)
    ys: list[float | None] = [None] * len(facet_values)
    if not texts:
        return FacetClusters(facet.name, ClioTree({}, facet=facet.name), base_ids, xs, ys)

    def timed(stage: str, began: float) -> None:
        key = f"{facet.name}: {stage}"
        seconds[key] = seconds.get(key, 0.0) + time.perf_counter() - began

    began = time.perf_counter()
    vectors = unit_rows(np.asarray(model.embed(texts), dtype=np.float32))
    timed("embed", began)
    began = time.perf_counter()
    labels, nodes = base_clusters(texts, vectors, config, namer, embed=model, facet=facet.name)
    timed("base clusters", began)
    began = time.perf_counter()
    tree = build_hierarchy(
        nodes, cluster_centroids(vectors, labels), config, namer, model, facet=facet.name
    )
    timed("hierarchy", began)
    began = time.perf_counter()
    coords = map_coordinates(vectors, seed=config.seed)
    timed("map", began)
    for position, row in enumerate(present):
        base_ids[row] = nodes[int(labels[position])].id
        xs[row], ys[row] = float(coords[position, 0]), float(coords[position, 1])
    return FacetClusters(facet.name, tree, base_ids, xs, ys)
