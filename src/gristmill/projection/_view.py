"""What the map draws: a projection's points, coloured by a field, dimmed by filters.

One call answers the UI's map request with columnar arrays (a JSON list per attribute, not an
object per point): 100,000 points come back in a fraction of a second and about 2 MB.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from gristmill.data.dataset import BaseDataset, SearchInput
from gristmill.data.filters import FilterLike, PathInput, to_filters
from gristmill.data.query import QueryBuilder
from gristmill.data.store import ROWID
from gristmill.data.types import value_kind
from gristmill.errors import InvalidInputError
from gristmill.projection._read import read_projection

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pyarrow as pa

# A legend longer than this is unreadable; the rarer values share the colour "other".
MAX_CATEGORIES_SHOWN = 20
OTHER = "other"
# Coordinates in the unit square to 1e-5: finer than a 10,000-pixel canvas, and half the bytes
# of a float's full repr.
COORDINATE_DECIMALS = 5


class PointColors(BaseModel):
    """A value per point of the map, for its colours and legend."""

    field: str = Field(description="the column path the colours come from")
    kind: Literal["categorical", "numeric"] = Field(
        description="categorical: strings, booleans, whole numbers with few values; else numeric"
    )
    categories: list[str] = Field(
        description="categorical: the legend, most frequent first (at most 20, then 'other');"
        " numeric: empty"
    )
    values: list[int | float | None] = Field(
        description="per point: an index into categories (categorical) or the number"
        " (numeric); null when the row has no value"
    )


class ProjectionView(BaseModel):
    """The points of a projection (rows deleted since left out) with colours and a mask."""

    path: str
    embedding: str
    num_points: int
    sampled: bool = Field(description="true when the map shows a sample of the rows")
    rowids: list[int]
    x: list[float] = Field(description="in [0, 1], the same scale on both axes")
    y: list[float] = Field(description="in [0, 1], the same scale on both axes")
    color: PointColors | None = Field(description="null when no color_by was asked for")
    included: list[bool] | None = Field(
        description="null without filters or searches; else per point: whether it passes them"
    )


def projection_view(
    ds: BaseDataset,
    path: PathInput,
    embedding: str | None = None,
    *,
    color_by: PathInput | None = None,
    filters: Sequence[FilterLike] | None = None,
    searches: Sequence[SearchInput] | None = None,
) -> ProjectionView:
    """The stored projection of ``path`` as the map draws it (see ``ProjectionView``)."""
    import numpy as np

    projection = read_projection(ds, path, embedding)
    rowids = projection.rowids
    color = point_colors(ds, color_by, rowids) if color_by is not None else None
    included = None
    parsed = to_filters(filters)
    if parsed or searches:
        passing = ds.select_rows([ROWID], searches=searches, filters=parsed, sort_by=None)
        ids = passing.arrow().column(ROWID).to_numpy()
        included = np.isin(rowids, ids).tolist()
    return ProjectionView(
        path=projection.path,
        embedding=projection.embedding,
        num_points=projection.num_points,
        sampled=projection.sampled,
        rowids=rowids.tolist(),
        x=_rounded(projection.x),
        y=_rounded(projection.y),
        color=color,
        included=included,
    )


def point_colors(
    ds: BaseDataset, color_by: PathInput, rowids: npt.NDArray[np.int64]
) -> PointColors:
    """The value of ``color_by`` for each of ``rowids``, as legend categories or numbers.

    ``color_by`` is one value per row: a column or struct field, or a label by its name.
    """
    import numpy as np

    resolved = QueryBuilder(ds.catalog()).resolve(color_by)
    if resolved.relation.kind == "label" and not resolved.steps:
        resolved = QueryBuilder(ds.catalog()).resolve(f"{resolved.name}.label")
    field = resolved.name
    if resolved.through_list:
        raise InvalidInputError(
            f"cannot colour by '{field}': it holds a list of values per row",
            hint="colour by a single-valued column (a category, a label, a signal, a score)",
        )
    kind = value_kind(resolved.leaf_type)
    if kind in ("struct", "list"):
        fields = (
            ", ".join(f"'{field}.{f.name}'" for f in resolved.leaf_type)
            if kind == "struct"
            else "none"
        )
        raise InvalidInputError(
            f"cannot colour by '{field}': it is a {kind}, not one value per row",
            hint=f"colour by one of its fields: {fields}" if kind == "struct" else None,
        )
    table = ds.select_rows([ROWID, field], sort_by=None, include_deleted=True).arrow()
    position = np.zeros(int(table.column(ROWID).to_numpy().max()) + 1, np.int64)
    position[table.column(ROWID).to_numpy()] = np.arange(table.num_rows)
    values = table.column(field).combine_chunks().take(position[rowids])
    if kind == "number" and not _few_whole_numbers(values):
        return PointColors(field=field, kind="numeric", categories=[], values=_numbers(values))
    return _categories(field, values)


def _few_whole_numbers(values: pa.Array) -> bool:
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_integer(values.type):
        return False
    return len(pc.unique(values.drop_null())) <= MAX_CATEGORIES_SHOWN


def _numbers(values: pa.Array) -> list[int | float | None]:
    import numpy as np
    import pyarrow as pa

    floats = values.cast(pa.float64()).to_numpy(zero_copy_only=False)
    finite = np.isfinite(floats)
    listed: list[int | float | None] = floats.tolist()
    for index in np.flatnonzero(~finite):
        listed[index] = None  # missing, NaN or infinite: drawn as "no value"
    return listed


def _categories(field: str, values: pa.Array) -> PointColors:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_boolean(values.type):
        texts = pc.if_else(values, "true", "false")
    else:
        texts = values.cast(pa.string())
    counts = pc.value_counts(texts.drop_null())
    found = sorted(
        zip(counts.field("values").to_pylist(), counts.field("counts").to_pylist(), strict=True),
        key=lambda item: (-item[1], item[0]),
    )
    overflow = len(found) > MAX_CATEGORIES_SHOWN
    named = [str(value) for value, _ in found[: MAX_CATEGORIES_SHOWN - 1 if overflow else None]]
    legend = [*named, OTHER] if overflow else named
    index = pc.index_in(texts, value_set=pa.array(named, pa.string()))
    codes = pc.fill_null(index, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    present = pc.is_valid(texts).to_numpy(zero_copy_only=False)
    if overflow:
        codes[(codes < 0) & present] = len(named)
    listed: list[int | float | None] = codes.tolist()
    for position in np.flatnonzero(~present):
        listed[position] = None
    return PointColors(field=field, kind="categorical", categories=legend, values=listed)


def _rounded(values: npt.NDArray[np.float32]) -> list[float]:
    import numpy as np

    rounded: list[float] = np.round(values.astype(np.float64), COORDINATE_DECIMALS).tolist()
    return rounded
