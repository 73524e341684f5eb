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

Given ``stages`` (a ``gristmill.data.stages.StageStore``, as ``Dataset.clio`` passes), every
finished stage is kept — the facet values, each facet's vectors, base clusters, every level of
its hierarchy and its map — and a rerun after a crash starts where it stopped. LLM answers are
in the LLM client's cache besides, so an interrupted facet stage pays only for what is left.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from gristmill.clio._base import base_clusters, cluster_centroids, unit_rows
from gristmill.clio._config import Facet, OpenClioConfig, mainFacets, shouldMakeFacetClusters
from gristmill.clio._conversations import Conversation, prepare_conversations
from gristmill.clio._facets import FacetResult, extract_facets
from gristmill.clio._hierarchy import build_hierarchy
from gristmill.clio._naming import KeyphraseNamer, LLMNamer, Namer
from gristmill.clio._privacy import audit_tree
from gristmill.clio._tree import ClioNode, ClioTree
from gristmill.clio._vectors import RunVectors
from gristmill.data.stages import StageStore
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
    # The privacy auditor's calls (one per node of every tree; 0 without an LLM).
    audit_calls: int = 0
    # ``Dataset.clio``: the column holding the result, and the rows the run covered (the
    # data points are those rows' values, in this order). None for a run on a list.
    column: str | None = None
    rowids: list[int] | None = None
    # Per data point, the index of its distinct conversation (``dedupKeyFunc``): duplicates
    # share one, so the privacy rules count distinct conversations. None: every point counts.
    keys: list[int] | None = None

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
        """Facet calls plus naming, hierarchy and privacy-audit calls (0 without an LLM)."""
        return self.values.calls + self.naming_calls + self.audit_calls


def run(
    data: Sequence[Any],
    facets: Sequence[Facet] | None = None,
    config: OpenClioConfig | None = None,
    llm: LLM | str | None = None,
    *,
    embedding: str = DEFAULT_EMBEDDING,
    show_progress: bool | None = None,
    stages: StageStore | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> ClioResult:
    """Facets, base clusters, the hierarchy and a map for ``data`` (see the module docstring).

    ``llm=None`` runs the LLM-free mode; ``embedding`` embeds the facet values and the names.
    ``stages`` keeps each finished stage for a rerun; ``on_stage(name)`` is called as each one
    ends (a job's progress, and its chance to stop a cancelled run).
    """
    chosen = list(mainFacets if facets is None else facets)
    config = config if config is not None else OpenClioConfig()
    client = get_llm(llm) if isinstance(llm, str) else llm
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    prepared = prepare_conversations(data, config)
    # One memory of vectors for the run: the LLM-free Concerning facet scores the first user
    # turns the Request facet then clusters, and repeated texts and the namer's phrases are
    # embedded once (on a CPU the embedding is most of a run's time).
    model = RunVectors(get_embedding(embedding))
    values = _stored_facets(stages, chosen)
    if values is None:
        values = extract_facets(
            data,
            chosen,
            config,
            client,
            show_progress=show_progress,
            prepared=prepared,
            shared_embedding=model,
        )
        if stages is not None:
            stages.save_json("facets", _facets_json(values))
    seconds["facets"] = time.perf_counter() - started
    if on_stage is not None:
        on_stage("facets")
    conversations = [prepared.conversations[position] for position in prepared.source]
    clusters: dict[str, FacetClusters] = {}
    calls = audit_calls = 0
    for index, facet in enumerate(clustered_facets(chosen)):
        namer = _namer(client, facet, config, model)
        auditor = _Auditor(client, config) if client is not None else None
        clusters[facet.name] = _cluster_facet(
            facet,
            values[facet.name],
            config,
            namer,
            model,
            seconds,
            _FacetStages(stages, f"facet{index}") if stages is not None else None,
            auditor,
        )
        calls += namer.calls
        audit_calls += auditor.calls if auditor is not None else 0
        if on_stage is not None:
            on_stage(facet.name)
    return ClioResult(
        facets=chosen,
        values=values,
        conversations=conversations,
        clusters=clusters,
        mode=values.mode,
        seconds=seconds,
        naming_calls=calls,
        audit_calls=audit_calls,
        keys=list(prepared.source),
    )


def clustered_facets(facets: Sequence[Facet]) -> list[Facet]:
    """The facets a run clusters, in order: those that ``shouldMakeFacetClusters``."""
    return [facet for facet in facets if shouldMakeFacetClusters(facet)]


def _stored_facets(stages: StageStore | None, facets: Sequence[Facet]) -> FacetResult | None:
    stored = stages.load_json("facets") if stages is not None else None
    if not isinstance(stored, dict):
        return None
    values = stored.get("values", {})
    if sorted(values) != sorted(facet.name for facet in facets):
        return None
    return FacetResult(
        facets=list(facets),
        values=values,
        mode=stored["mode"],
        distinct=stored["distinct"],
        calls=stored["calls"],
        failures=stored["failures"],
        out_of_range=stored["out_of_range"],
        unparsable=stored["unparsable"],
    )


def _facets_json(values: FacetResult) -> dict[str, Any]:
    return {
        "values": values.values,
        "mode": values.mode,
        "distinct": values.distinct,
        "calls": values.calls,
        "failures": values.failures,
        "out_of_range": values.out_of_range,
        "unparsable": values.unparsable,
    }


@dataclass
class _Auditor:
    """The privacy auditor of a run with an LLM: scores every node of a finished tree."""

    llm: LLM
    config: OpenClioConfig
    calls: int = 0

    def __call__(self, tree: ClioTree) -> None:
        self.calls += audit_tree(tree, self.llm, self.config).calls


@dataclass
class _FacetStages:
    """One facet's stages in the run's store, under a prefix (facet names may not be file
    names)."""

    store: StageStore
    prefix: str

    def arrays(self, stage: str) -> Any:
        return self.store.load_arrays(f"{self.prefix}-{stage}")

    def save_arrays(self, stage: str, **arrays: Any) -> None:
        self.store.save_arrays(f"{self.prefix}-{stage}", **arrays)

    def json(self, stage: str) -> Any:
        return self.store.load_json(f"{self.prefix}-{stage}")

    def save_json(self, stage: str, value: Any) -> None:
        self.store.save_json(f"{self.prefix}-{stage}", value)


def _namer(
    client: LLM | None, facet: Facet, config: OpenClioConfig, model: EmbeddingModel
) -> Namer:
    if client is None:
        return KeyphraseNamer(model)
    return LLMNamer(
        client, criteria=facet.summaryCriteria, seed=config.seed, sampling=config.sampling()
    )


def _cluster_facet(
    facet: Facet,
    facet_values: Sequence[Any],
    config: OpenClioConfig,
    namer: Namer,
    model: EmbeddingModel,
    seconds: dict[str, float],
    stages: _FacetStages | None = None,
    audit: Callable[[ClioTree], None] | None = None,
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
    stored = stages.arrays("vectors") if stages is not None else None
    if stored is not None and len(stored["vectors"]) == len(texts):
        vectors = stored["vectors"]
    else:
        vectors = unit_rows(np.asarray(model.embed(texts), dtype=np.float32))
        if stages is not None:
            stages.save_arrays("vectors", vectors=vectors)
    timed("embed", began)
    began = time.perf_counter()
    base = stages.json("base") if stages is not None else None
    if isinstance(base, dict) and len(base["labels"]) == len(texts):
        labels = np.asarray(base["labels"], dtype=np.int64)
        nodes = [ClioNode(**node) for node in base["nodes"]]
    else:
        labels, nodes = base_clusters(texts, vectors, config, namer, embed=model, facet=facet.name)
        if stages is not None:
            stages.save_json(
                "base", {"labels": labels.tolist(), "nodes": [asdict(node) for node in nodes]}
            )
    timed("base clusters", began)
    began = time.perf_counter()
    finished = stages.json("tree") if stages is not None else None
    if isinstance(finished, dict):
        tree = ClioTree.from_dict(finished)
    else:
        checkpoint = stages.json("hierarchy") if stages is not None else None
        tree = build_hierarchy(
            nodes,
            cluster_centroids(vectors, labels),
            config,
            namer,
            model,
            facet=facet.name,
            resume=ClioTree.from_dict(checkpoint) if isinstance(checkpoint, dict) else None,
            on_level=(lambda level: stages.save_json("hierarchy", level.to_dict()))
            if stages is not None
            else None,
        )
        if audit is not None:
            audit(tree)  # before the tree is kept: a resumed run keeps the scores
        if stages is not None:
            stages.save_json("tree", tree.to_dict())
    timed("hierarchy", began)
    began = time.perf_counter()
    placed = stages.arrays("map") if stages is not None else None
    if placed is not None and len(placed["coords"]) == len(texts):
        coords = placed["coords"]
    else:
        coords = map_coordinates(vectors, seed=config.seed)
        if stages is not None:
            stages.save_arrays("map", coords=np.asarray(coords, dtype=np.float32))
    timed("map", began)
    for position, row in enumerate(present):
        base_ids[row] = nodes[int(labels[position])].id
        xs[row], ys[row] = float(coords[position, 0]), float(coords[position, 1])
    return FacetClusters(facet.name, tree, base_ids, xs, ys)
