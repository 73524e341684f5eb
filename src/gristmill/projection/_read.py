"""Reading stored projections back: which exist, and one as columnar arrays."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from gristmill.data.dataset import BaseDataset
from gristmill.data.derived import require_text
from gristmill.data.filters import PathInput
from gristmill.data.store import ROWID
from gristmill.embed import DEFAULT_EMBEDDING
from gristmill.errors import NotFoundError
from gristmill.projection._compute import ProjectionInfo, info_from_lineage

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt


@dataclass(frozen=True)
class Projection:
    """The points of a stored projection, in rowid order (rows deleted since are left out)."""

    path: str
    embedding: str
    column: str
    sampled: bool
    rowids: npt.NDArray[np.int64]
    x: npt.NDArray[np.float32]
    y: npt.NDArray[np.float32]

    @property
    def num_points(self) -> int:
        return len(self.rowids)


def list_projections(ds: BaseDataset) -> list[ProjectionInfo]:
    """Every stored projection of the dataset, by path then embedding."""
    found = [
        info_from_lineage(name, column.lineage)
        for name, column in ds.store.read_manifest().derived.items()
        if column.lineage.kind == "projection"
    ]
    return sorted(found, key=lambda info: (info.path, info.embedding))


def find_projection(ds: BaseDataset, path: PathInput, embedding: str | None) -> ProjectionInfo:
    """The stored projection of ``path`` (under ``embedding``, or the default one, or the only
    one); NotFoundError saying how to compute it when there is none."""
    text = require_text(ds, path, needed_by="a projection")
    of_path = [info for info in list_projections(ds) if info.path == text]
    for info in of_path:
        if info.embedding == (embedding or DEFAULT_EMBEDDING):
            return info
    if embedding is None and of_path:
        return of_path[0]
    described = f"'{embedding}' projection" if embedding else "projection"
    raise NotFoundError(
        f"'{text}' of {ds.full_name} has no {described}"
        + (f" (it has: {', '.join(i.embedding for i in of_path)})" if of_path else ""),
        hint=f"compute it first: ds.compute_projection('{text}')"
        f" or `gristmill projection compute {ds.full_name} {text}`",
    )


def read_projection(ds: BaseDataset, path: PathInput, embedding: str | None = None) -> Projection:
    """The points of the stored projection of ``path``: rowids, x and y in [0, 1]."""
    import numpy as np

    info = find_projection(ds, path, embedding)
    table = ds.select_rows(
        [ROWID, f"{info.column}.x", f"{info.column}.y"],
        filters=[(info.column, "exists")],
        sort_by=None,
    ).arrow()
    return Projection(
        path=info.path,
        embedding=info.embedding,
        column=info.column,
        sampled=info.sampled,
        rowids=table.column(ROWID).to_numpy().astype(np.int64),
        x=table.column(f"{info.column}.x").to_numpy().astype(np.float32),
        y=table.column(f"{info.column}.y").to_numpy().astype(np.float32),
    )
