"""``Dataset.clio``: conversation insights over a dataset column, stored as a derived column.

    result = ds.clio('messages')                       # LLM-free, the main facets
    ds.select_rows(['messages__clio.request', 'messages__clio.request_path'])
    gm.clio.read(ds, 'messages').hierarchy.walk()      # the stored tree, later or elsewhere

The run is ``gm.clio.run`` on the column's values (non-deleted rows with a value), as one job
whose stages (facets, then per clustered facet its vectors, base clusters, every hierarchy level
and its map) are kept under ``work/clio-<column>/`` so a crash or a cancel resumes where it
stopped; the LLM's answers are in its cache besides.

The result is one derived column ``<path>__clio`` (lineage kind ``clio``), one struct per row
(null for rows not in the run):

- ``<facet>`` for every facet (``request``, ``language``, ``task``, ``concerning``): its value,
  text or a whole number;
- for every clustered facet, ``<facet>_cluster`` (the base cluster's id), ``<facet>_path`` (the
  names from the top of the hierarchy down to the base cluster) and ``<facet>_x``/``<facet>_y``
  (its point on the facet's 2-D map).

The hierarchies are stored in the same Parquet file, in its metadata (plain JSON): they are
replaced with the column, never out of step with it, and removed with it. The column keeps the
truth; views and exports apply the privacy rules (``gristmill.clio.private_view``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gristmill import jobs  # names load on first use: importing this needs no SQLAlchemy
from gristmill.clio._config import Facet, OpenClioConfig, mainFacets
from gristmill.clio._conversations import prepare_conversations
from gristmill.clio._facets import FacetResult
from gristmill.clio._run import DEFAULT_EMBEDDING, ClioResult, FacetClusters, clustered_facets, run
from gristmill.clio._tree import ClioTree
from gristmill.data.dataset import BaseDataset
from gristmill.data.derived import default_column_name, function_name
from gristmill.data.files import atomic_write_table
from gristmill.data.filters import PathInput
from gristmill.data.locks import hold_column
from gristmill.data.query import QueryBuilder
from gristmill.data.stages import StageStore
from gristmill.data.store import ROWID, now
from gristmill.errors import AlreadyExistsError, InvalidInputError, NotFoundError
from gristmill.llm import LLM, get_llm
from gristmill.schema import Lineage

if TYPE_CHECKING:
    import pyarrow as pa

PRODUCER = "gristmill.clio/openclio"
METADATA_KEY = b"gristmill.clio"
FORMAT_VERSION = 1


def clio_column(path: PathInput) -> str:
    """``messages`` -> ``messages__clio``."""
    return default_column_name(path, "clio")


def facet_key(facet: Facet | str) -> str:
    """A facet's field in the stored struct: ``"Request"`` -> ``request``."""
    name = facet.name if isinstance(facet, Facet) else facet
    key = re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")
    return key or "facet"


def dataset_clio(
    ds: BaseDataset,
    path: PathInput,
    facets: Sequence[Facet] | None = None,
    config: OpenClioConfig | None = None,
    llm: LLM | str | None = None,
    *,
    embedding: str = DEFAULT_EMBEDDING,
    overwrite: bool = False,
    show_progress: bool = True,
) -> ClioResult:
    """Run conversation insights on ``path`` of ``ds`` and store them (see the module
    docstring). A second call with the same settings reads the stored result back."""
    chosen = list(mainFacets if facets is None else facets)
    config = config if config is not None else OpenClioConfig()
    _check_keys(chosen)
    client = get_llm(llm) if isinstance(llm, str) else llm
    resolved = QueryBuilder(ds.catalog()).resolve(path).name
    column = clio_column(path)
    params = _params(resolved, chosen, config, client, embedding)
    with hold_column(
        ds.store.root, column, action=f"conversation insights into '{column}'"
    ) as lock:
        existing = ds.store.read_manifest().derived.get(column)
        if existing is not None and not overwrite:
            stored = {k: v for k, v in existing.lineage.params.items() if k in params}
            if existing.lineage.producer == PRODUCER and stored == params:
                return read_clio(ds, path)
            raise AlreadyExistsError(
                f"'{column}' holds conversation insights made with other settings",
                hint="pass overwrite=True (--overwrite) to recompute them",
            )
        rowids, data = _read_values(ds, resolved)
        if not data:
            raise InvalidInputError(
                f"'{resolved}' of {ds.full_name} has no conversations (every row is deleted"
                " or empty)",
                hint="restore rows, or pick the column that holds the chats",
            )
        clustered = clustered_facets(chosen)
        with jobs.start_job(
            "clio",
            description=f"Conversation insights of {resolved}"
            + (" (LLM-free)" if client is None else ""),
            dataset=ds.full_name,
            total=2 + len(clustered),
            params={"column": column, **params},
            show_progress=show_progress,
        ) as job:
            lock.record(f"conversation insights into '{column}'", job.id)
            # The rows and the files they were read from are part of the signature: a stage
            # kept from before a delete, a restore or a rewrite of the column is not reused.
            stages = StageStore(
                ds.store.work_dir(f"clio-{column}"),
                {**params, "rows": _rows_digest(rowids), "files": _input_files(ds, resolved)},
            )

            def stage_done(_: str) -> None:
                job.advance()
                job.check_cancelled()

            result = run(
                data,
                chosen,
                config,
                client,
                embedding=embedding,
                show_progress=show_progress and config.verbose,
                stages=stages,
                on_stage=stage_done,
            )
            lineage = Lineage(
                kind="clio",
                producer=PRODUCER,
                input_path=resolved,
                params={**params, "mode": result.mode},
                created_at=now(),
                num_rows=len(rowids),
            )
            _store(ds, column, rowids, result, lineage)
            stages.remove()
            job.advance()
            job.complete(
                f"{len(rowids)} conversations, mode {result.mode}, "
                + ", ".join(
                    f"{name}: {len(c.tree.roots)} top-level clusters"
                    for name, c in result.clusters.items()
                )
            )
    result.column, result.rowids = column, rowids
    return result


def _rows_digest(rowids: Sequence[int]) -> str:
    return hashlib.sha256(",".join(map(str, rowids)).encode("ascii")).hexdigest()


def _input_files(ds: BaseDataset, column: str) -> list[str]:
    """The files ``column`` is read from, with their modification times."""
    relation = QueryBuilder(ds.catalog()).resolve(column).relation
    return [f"{Path(file).name}@{os.stat(file).st_mtime_ns}" for file in sorted(relation.files)]


def read_clio(ds: BaseDataset, path: PathInput, *, conversations: bool = True) -> ClioResult:
    """The stored result of ``ds.clio(path)`` (``path`` may also be the ``__clio`` column),
    aligned with the rows that were in the run, as ``ClioResult``.

    The conversations are read from the dataset again (most of the time this takes); a view
    that does not show them passes ``conversations=False`` and gets None for each.
    """
    import pyarrow.parquet as pq

    column = _stored_column(ds, path)
    stored = ds.store.read_manifest().derived[column]
    file = ds.store.derived_path(column)
    metadata = json.loads(pq.read_schema(file).metadata[METADATA_KEY])
    facets = [_facet_from_json(facet) for facet in metadata["facets"]]
    table = pq.read_table(file)
    structs = table.column(column).combine_chunks()
    present = [i for i, valid in enumerate(structs.is_valid().to_pylist()) if valid]
    rows = structs.filter(structs.is_valid()).to_pylist()
    if conversations:
        _, data = _read_values(ds, stored.lineage.input_path or "", rowids=present)
        prepared = prepare_conversations(data, OpenClioConfig(verbose=False))
        turns = [prepared.conversations[p] for p in prepared.source]
    else:
        turns = [None] * len(present)
    values = FacetResult(
        facets=facets,
        values={facet.name: [row[facet_key(facet)] for row in rows] for facet in facets},
        mode=metadata["mode"],
        distinct=metadata["distinct"],
        calls=metadata["facet_calls"],
        failures=metadata["failures"],
    )
    clusters = {}
    for facet in facets:
        tree_json = metadata["trees"].get(facet.name)
        if tree_json is None:
            continue
        key = facet_key(facet)
        clusters[facet.name] = FacetClusters(
            facet.name,
            ClioTree.from_dict(tree_json),
            [row[f"{key}_cluster"] for row in rows],
            [row[f"{key}_x"] for row in rows],
            [row[f"{key}_y"] for row in rows],
        )
    return ClioResult(
        facets=facets,
        values=values,
        conversations=turns,
        clusters=clusters,
        mode=metadata["mode"],
        seconds=metadata["seconds"],
        naming_calls=metadata["naming_calls"],
        audit_calls=metadata.get("audit_calls", 0),
        column=column,
        rowids=present,
        keys=metadata.get("keys"),
    )


def stored_clio_columns(ds: BaseDataset) -> list[str]:
    """The dataset's conversation-insights columns."""
    derived = ds.store.read_manifest().derived.values()
    return sorted(c.name for c in derived if c.lineage.kind == "clio")


def _stored_column(ds: BaseDataset, path: PathInput) -> str:
    derived = ds.store.read_manifest().derived
    if isinstance(path, str) and path in derived and derived[path].lineage.kind == "clio":
        return path
    column = clio_column(path)
    if column in derived and derived[column].lineage.kind == "clio":
        return column
    shown = stored_clio_columns(ds)
    raise NotFoundError(
        f"{ds.full_name} has no conversation insights of '{path}'"
        + (f" (it has: {', '.join(shown)})" if shown else ""),
        hint=f"compute them first: ds.clio('{path}') or `gristmill clio run {ds.full_name} {path}`",
    )


def _check_keys(facets: Sequence[Facet]) -> None:
    keys: dict[str, str] = {}
    taken = {f"{facet_key(f)}_{part}" for f in facets for part in ("cluster", "path", "x", "y")}
    for facet in facets:
        key = facet_key(facet)
        if key in keys or key in taken:
            raise InvalidInputError(
                f"facets {keys.get(key, key)!r} and {facet.name!r} would be stored under the"
                f" same field '{key}'",
                hint="give the facets names that differ in more than case and punctuation",
            )
        keys[key] = facet.name


def _params(
    path: str,
    facets: Sequence[Facet],
    config: OpenClioConfig,
    llm: LLM | None,
    embedding: str,
) -> dict[str, Any]:
    """Everything that shapes the result (functions by their qualified name), JSON-able."""
    settings: dict[str, Any] = {}
    for name, value in asdict(config).items():
        if name in _NOT_SHAPING:
            continue
        settings[name] = function_name(value) if callable(value) else value
    return {
        "path": path,
        "facets": [_facet_json(facet) for facet in facets],
        "llm": None if llm is None else _llm_identity(llm),
        "embedding": embedding,
        "config": json.loads(json.dumps(settings, default=str)),
    }


def _llm_identity(llm: LLM) -> dict[str, Any]:
    """The model and the settings that shape its answers. Stored in the column's lineage, so
    never the raw base URL (it may carry credentials: the provider's identity redacts it)."""
    settings = llm.settings.model_dump(mode="json", exclude={"base_url", "api_key_env"})
    return {"model": llm.provider.identity(), "settings": settings}


# Settings of the site or of the views, not of the stored result: changing one keeps the column.
_NOT_SHAPING = frozenset(
    {
        "verbose",
        "password",
        "htmlMaxSizePerFile",
        "htmlConversationFilterFunc",
        "htmlDataToJsonFunc",
        "webuiPort",
        "minClusterConversations",
        "scrubPII",
        "privacyAuditThreshold",
    }
)


def _facet_json(facet: Facet) -> dict[str, Any]:
    return {
        "name": facet.name,
        "question": facet.question,
        "prefill": facet.prefill,
        "summaryCriteria": facet.summaryCriteria,
        "numeric": list(facet.numeric) if facet.numeric is not None else None,
        **({"getFacetPrompt": function_name(facet.getFacetPrompt)} if facet.getFacetPrompt else {}),
    }


def _facet_from_json(stored: dict[str, Any]) -> Facet:
    # A facet's own prompt function is not stored (only its name, in the lineage): a facet read
    # back describes the values, it does not ask for new ones.
    numeric = stored.get("numeric")
    return Facet(
        name=stored["name"],
        question=stored.get("question", ""),
        prefill=stored.get("prefill", ""),
        summaryCriteria=stored.get("summaryCriteria"),
        numeric=(int(numeric[0]), int(numeric[1])) if numeric else None,
    )


def _read_values(
    ds: BaseDataset, column: str, *, rowids: Sequence[int] | None = None
) -> tuple[list[int], list[Any]]:
    """The non-deleted rows with a value at ``column`` (or exactly ``rowids``), in rowid order."""
    table = ds.select_rows(
        [ROWID, column], sort_by=ROWID, sort_order="ASC", include_deleted=rowids is not None
    ).arrow()
    ids = table.column(ROWID).to_pylist()
    values = table.column(column).to_pylist()
    if rowids is not None:
        by_id = dict(zip(ids, values, strict=True))
        return list(rowids), [by_id.get(rowid) for rowid in rowids]
    kept = [(rowid, value) for rowid, value in zip(ids, values, strict=True) if value]
    return [rowid for rowid, _ in kept], [value for _, value in kept]


def _store(
    ds: BaseDataset, column: str, rowids: list[int], result: ClioResult, lineage: Lineage
) -> None:
    import numpy as np
    import pyarrow as pa

    fields: dict[str, pa.Array] = {}
    for facet in result.facets:
        key = facet_key(facet)
        kind = pa.int64() if facet.numeric is not None else pa.string()
        fields[key] = pa.array(result.values[facet.name], kind)
        clusters = result.clusters.get(facet.name)
        if clusters is None:
            continue
        fields[f"{key}_cluster"] = pa.array(clusters.base_ids, pa.string())
        fields[f"{key}_path"] = pa.array(
            [_path_names(clusters.tree, node) for node in clusters.base_ids],
            pa.list_(pa.string()),
        )
        fields[f"{key}_x"] = pa.array(clusters.x, pa.float32())
        fields[f"{key}_y"] = pa.array(clusters.y, pa.float32())
    structs = pa.StructArray.from_arrays(list(fields.values()), names=list(fields))
    total = ds.store.read_manifest().num_rows
    positions = np.full(total, -1, dtype=np.int64)
    positions[np.asarray(rowids, dtype=np.int64)] = np.arange(len(rowids))
    dense = structs.take(pa.array(positions, mask=positions < 0))
    metadata = {
        "format": FORMAT_VERSION,
        "mode": result.mode,
        "facets": [_facet_json(facet) for facet in result.facets],
        "trees": {name: c.tree.to_dict() for name, c in result.clusters.items()},
        "distinct": result.values.distinct,
        "facet_calls": result.values.calls,
        "failures": result.values.failures,
        "naming_calls": result.naming_calls,
        "audit_calls": result.audit_calls,
        "seconds": result.seconds,
        "keys": result.keys,
    }
    table = pa.table({column: dense}).replace_schema_metadata(
        {METADATA_KEY: json.dumps(metadata, ensure_ascii=False)}
    )
    target = ds.store.new_derived_file(column)
    atomic_write_table(target, table)
    ds.store.commit_derived(column, target, lineage)


def _path_names(tree: ClioTree, node_id: str | None) -> list[str] | None:
    """Names from the top of the tree down to ``node_id``."""
    if node_id is None:
        return None
    names = []
    current: str | None = node_id
    while current is not None:
        node = tree.nodes[current]
        names.append(node.name)
        current = node.parent
    return names[::-1]
