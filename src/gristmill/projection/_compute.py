"""``Dataset.compute_projection``: each embedded row as a point on a 2-D map (UMAP), stored.

The map shows every non-deleted embedded row, up to ``max_points`` (a seeded sample above it).
UMAP's cost grows faster than linearly in the rows, so it is fitted on at most ``fit_points`` of
them (a seeded sample too) and every other point is placed at the similarity-weighted mean of
its nearest fitted neighbours in the embedding space — the start ``UMAP.transform`` refines,
at a fraction of its cost (measured in ``docs/map.md``). The coordinates are scaled into the unit
square, aspect kept and centred, so a reader needs no bounds pass.

The result is a derived column ``<path>__<embedding>__projection`` of ``{x, y}`` (null for rows
not on the map), lineage kind ``projection``. A second call with the same embedding (same
version) and settings finds it and computes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from gristmill import (
    embed,
    jobs,  # names load on first use: importing this needs no SQLAlchemy
)
from gristmill.bounds import MAX_BIGINT, Bound
from gristmill.data.dataset import BaseDataset
from gristmill.data.derived import require_text, write_dense_column
from gristmill.data.filters import PathInput
from gristmill.data.locks import hold_column
from gristmill.data.store import ROWID, now
from gristmill.errors import AlreadyExistsError, InvalidInputError, MissingEmbeddingError
from gristmill.projection._layout import (
    DEFAULT_FIT_POINTS,
    UMAP_EPOCHS,
    UMAP_MIN_DIST,
    UMAP_NEIGHBORS,
    fit_layout,
    place_rest,
    unit_square,
)
from gristmill.schema import Lineage

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

PRODUCER = "gristmill.projection/umap-2d"
STAGES = ("vectors", "layout", "placement", "store")
DEFAULT_MAX_POINTS = 200_000
# The map's interfaces (REST, CLI) never sample below this; a script may (the tests do).
MIN_SAMPLE_POINTS = 100_000
MAX_POINTS = Bound("max_points", 1, MAX_BIGINT)
FIT_POINTS = Bound("fit_points", 2, MAX_BIGINT)
SEED = Bound("seed", 0, 2**32 - 1)


class ProjectionInfo(BaseModel):
    """A stored projection: the text it maps, the embedding it came from, its column."""

    path: str = Field(description="the text column mapped")
    embedding: str = Field(description="the embedding it was computed from")
    column: str = Field(description="the derived column holding {x, y}")
    num_points: int = Field(description="rows projected when it was computed")
    sampled: bool = Field(description="true when the embedded rows were more than max_points")


def projection_column(path: str, embedding: str) -> str:
    """``text`` under ``minilm`` -> ``text__minilm__projection``."""
    return f"{embed.embedding_column(path, embedding)}__projection"


def compute_projection(
    ds: BaseDataset,
    path: PathInput,
    embedding: str | None = None,
    *,
    max_points: int = DEFAULT_MAX_POINTS,
    seed: int = 42,
    overwrite: bool = False,
    fit_points: int = DEFAULT_FIT_POINTS,
    show_progress: bool = True,
) -> ProjectionInfo:
    """Project the stored ``embedding`` of ``path`` to 2-D, as a job; cached once computed.

    ``embedding`` defaults to the one stored for ``path`` (the default embedding when several
    are). Nothing is embedded here: without a stored embedding this fails, saying how to
    compute one.
    """
    max_points = MAX_POINTS.check(max_points)
    fit_points = FIT_POINTS.check(fit_points)
    seed = SEED.check(seed)
    text = require_text(ds, path, needed_by="a projection")
    chosen = stored_embedding(ds, text, embedding)
    column = projection_column(text, chosen)
    params: dict[str, Any] = {
        "embedding": chosen,
        "embedding_version": _embedding_version(ds, text, chosen),
        "max_points": max_points,
        "fit_points": fit_points,
        "seed": seed,
        "n_neighbors": UMAP_NEIGHBORS,
        "min_dist": UMAP_MIN_DIST,
        "n_epochs": UMAP_EPOCHS,
    }
    with hold_column(ds.store.root, column, action=f"projection into '{column}'") as lock:
        existing = ds.store.read_manifest().derived.get(column)
        if existing is not None and not overwrite:
            stored = {k: v for k, v in existing.lineage.params.items() if k in params}
            if existing.lineage.producer == PRODUCER and stored == params:
                return info_from_lineage(column, existing.lineage)
            raise AlreadyExistsError(
                f"'{column}' holds a projection made with other settings or an older embedding",
                hint="pass overwrite=True to recompute it",
            )
        with jobs.start_job(
            "projection",
            description=f"Map of {text} (from its {chosen} embedding)",
            dataset=ds.full_name,
            total=len(STAGES),
            params={"column": column, **params},
            show_progress=show_progress,
        ) as job:
            lock.record(f"projection into '{column}'", job.id)
            rowids, vectors = embed.row_vectors(ds, text, chosen, needed_by="a projection")
            if not len(rowids):
                raise InvalidInputError(
                    f"'{text}' has no embedded rows to project (every row is deleted or empty)",
                    hint="restore rows, or pick a column with text",
                )
            sampled = len(rowids) > max_points
            shown = embed.fit_sample(len(rowids), max_points, seed)
            rowids, vectors = rowids[shown], vectors[shown]
            job.advance()
            job.check_cancelled()
            fit = embed.fit_sample(len(rowids), fit_points, seed)
            fitted = fit_layout(vectors[fit], seed)
            job.advance()
            job.check_cancelled()
            coords = place_rest(vectors, fit, fitted, seed)
            job.advance()
            job.check_cancelled()
            lineage = Lineage(
                kind="projection",
                producer=PRODUCER,
                input_path=text,
                params={**params, "sampled": sampled},
                created_at=now(),
                num_rows=len(rowids),
            )
            _store(ds, column, rowids, unit_square(coords), lineage)
            job.advance()
            job.complete(f"{len(rowids)} points" + (" (sampled)" if sampled else ""))
    return info_from_lineage(column, lineage)


def stored_embedding(ds: BaseDataset, text: str, embedding: str | None) -> str:
    """``embedding`` if stored for ``text``; else the one stored (the default among several)."""
    computed = embed.computed_embeddings(ds, text)
    if embedding is None and computed:
        return embed.DEFAULT_EMBEDDING if embed.DEFAULT_EMBEDDING in computed else computed[0]
    if embedding is not None and embedding in computed:
        return embedding
    wanted = embedding or embed.DEFAULT_EMBEDDING
    raise MissingEmbeddingError(
        f"'{text}' of {ds.full_name} has no "
        + (f"'{embedding}' embedding" if embedding else "embedding")
        + " to project"
        + (f" (it has: {', '.join(computed)})" if computed else ""),
        hint=f"compute it first: ds.compute_embedding('{wanted}', '{text}')"
        f" or `gristmill embed {ds.full_name} {text} --embedding {wanted}`",
    )


def info_from_lineage(column: str, lineage: Lineage) -> ProjectionInfo:
    return ProjectionInfo(
        path=lineage.input_path or "",
        embedding=str(lineage.params.get("embedding", "")),
        column=column,
        num_points=lineage.num_rows or 0,
        sampled=bool(lineage.params.get("sampled", False)),
    )


def _embedding_version(ds: BaseDataset, text: str, embedding: str) -> str:
    """When the embedding column was written: a recomputed embedding makes the map stale."""
    stored = ds.store.read_manifest().derived[embed.embedding_column(text, embedding)]
    return stored.lineage.created_at.isoformat()


def _store(
    ds: BaseDataset,
    column: str,
    rowids: npt.NDArray[np.int64],
    coords: npt.NDArray[np.float32],
    lineage: Lineage,
) -> None:
    import pyarrow as pa

    values = pa.StructArray.from_arrays(
        [pa.array(coords[:, 0], pa.float32()), pa.array(coords[:, 1], pa.float32())],
        names=["x", "y"],
    )
    write_dense_column(ds, pa.table({ROWID: pa.array(rowids, pa.int64()), column: values}), lineage)
