"""What the conversation-insights routes answer, built from a stored run.

A run is read without its conversations (no view shows them: the rows API does) and kept per
stored version, so switching facets or refreshing does not read the column again; a run is known
by its dataset folder, column and creation time, so a recomputed column is read afresh. Every
view goes through ``private_view``, counting distinct conversations by the run's dedup keys."""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass

from gristmill.clio import Facet as ClioFacet
from gristmill.clio import (
    FacetClusters,
    OpenClioConfig,
    clio_column,
    facet_key,
    private_view,
    read_clio,
)
from gristmill.dataset import Dataset
from gristmill.errors import InvalidInputError, NotFoundError
from gristmill.server._clio_models import (
    ClioColumnInfo,
    ClioFacetInfo,
    ClioFacetView,
    ClioPoints,
    ClioViewNode,
    HistogramBar,
)

CACHED_RUNS = 4


@dataclass(frozen=True)
class StoredRun:
    """A stored run without its conversations."""

    column: str
    path: str
    mode: str
    facets: list[ClioFacet]
    numeric_values: dict[str, list[int | None]]
    clusters: dict[str, FacetClusters]
    rowids: list[int]
    keys: list[int] | None


_runs: OrderedDict[tuple[str, str, str], StoredRun] = OrderedDict()
_lock = threading.Lock()


def stored_run(ds: Dataset, column: str) -> StoredRun:
    """The run stored in ``column`` (or of the chats at ``column``), read once per version."""
    derived = {c.name: c for c in ds.manifest().derived_columns if c.lineage.kind == "clio"}
    found = derived.get(column) or derived.get(clio_column(column))
    if found is None:
        # The library's error names the columns there are and how to compute one.
        read_clio(ds, column)
        raise NotFoundError(f"{ds.full_name} has no conversation insights in '{column}'")
    key = (str(ds.store.root), found.name, found.lineage.created_at.isoformat())
    with _lock:
        if key in _runs:
            _runs.move_to_end(key)
            return _runs[key]
    result = read_clio(ds, found.name, conversations=False)
    run = StoredRun(
        column=found.name,
        path=found.lineage.input_path or "",
        mode=result.mode,
        facets=result.facets,
        numeric_values={
            facet.name: [v if isinstance(v, int) else None for v in result.values[facet.name]]
            for facet in result.facets
            if facet.numeric is not None
        },
        clusters=result.clusters,
        rowids=list(result.rowids or []),
        keys=result.keys,
    )
    with _lock:
        _runs[key] = run
        while len(_runs) > CACHED_RUNS:
            _runs.popitem(last=False)
    return run


def column_info(run: StoredRun) -> ClioColumnInfo:
    histograms = {}
    for facet in run.facets:
        if facet.numeric is None:
            continue
        low, high = facet.numeric
        counts = Counter(run.numeric_values[facet.name])
        histograms[facet.name] = [
            HistogramBar(value=value, count=counts[value]) for value in range(low, high + 1)
        ]
    return ClioColumnInfo(
        column=run.column,
        path=run.path,
        mode=run.mode,
        conversations=len(run.rowids),
        facets=[
            ClioFacetInfo(
                name=facet.name,
                key=facet_key(facet),
                numeric=list(facet.numeric) if facet.numeric is not None else None,
                clustered=facet.name in run.clusters,
            )
            for facet in run.facets
        ],
        histograms=histograms,
    )


def facet_view(run: StoredRun, facet: str, min_conversations: int) -> ClioFacetView:
    """The facet's hierarchy folded by ``private_view`` under ``min_conversations``, each node
    with the stored base clusters it shows, and the map's points."""
    name = facet_name(run, facet)
    clusters = run.clusters[name]
    view = private_view(
        clusters.tree,
        clusters.base_ids,
        OpenClioConfig(verbose=False, minClusterConversations=min_conversations),
        keys=run.keys,
    )
    # Per shown node, the stored base clusters whose points it shows, itself or below it.
    under: dict[str, set[str]] = {node_id: set() for node_id in view.tree.nodes}
    for stored, shown in zip(clusters.base_ids, view.base_ids, strict=True):
        current = shown if stored is not None else None
        while stored is not None and current is not None:
            under[current].add(stored)
            current = view.tree.nodes[current].parent
    nodes = [
        ClioViewNode(
            id=node.id,
            name=node.name,
            summary=node.summary,
            level=node.level,
            parent=node.parent,
            children=node.children,
            size=node.size,
            base_ids=sorted(under[node.id]),
        )
        for node in view.tree.walk()
    ]
    kept = [
        i
        for i, (x, y) in enumerate(zip(clusters.x, clusters.y, strict=True))
        if x is not None and y is not None
    ]
    return ClioFacetView(
        column=run.column,
        facet=name,
        key=facet_key(name),
        nodes=nodes,
        roots=[node.id for node in view.tree.roots],
        points=ClioPoints(
            rowid=[run.rowids[i] for i in kept],
            x=[float(clusters.x[i] or 0.0) for i in kept],
            y=[float(clusters.y[i] or 0.0) for i in kept],
            node=[view.base_ids[i] for i in kept],
        ),
        folded=view.folded,
        withheld=view.withheld,
        scrubbed=view.scrubbed,
        min_conversations=min_conversations,
    )


def facet_name(run: StoredRun, facet: str) -> str:
    """The facet called ``facet`` (its name or its key), if it has a hierarchy."""
    for candidate in run.facets:
        if facet in (candidate.name, facet_key(candidate)):
            if candidate.name not in run.clusters:
                raise InvalidInputError(
                    f"the facet '{candidate.name}' has no hierarchy (it is not clustered)",
                    hint=f"clustered facets: {', '.join(run.clusters) or 'none'}",
                )
            return candidate.name
    raise NotFoundError(
        f"'{run.column}' has no facet '{facet}'",
        hint=f"its facets: {', '.join(f.name for f in run.facets)}",
    )
