"""Column summaries and histograms (``Dataset.stats`` and ``Dataset.select_groups``)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from gristmill.data.engine import cursor
from gristmill.data.filters import Filter, PathInput
from gristmill.data.query import QueryBuilder, ResolvedPath, split_path
from gristmill.data.sql import Statement
from gristmill.data.types import value_kind
from gristmill.errors import InvalidInputError
from gristmill.schema import ColumnStats, GroupsResult

if TYPE_CHECKING:
    from gristmill.data.dataset import BaseDataset

CATEGORICAL_MAX_DISTINCT = 100  # beyond this many values, text is summarised by length instead
# Text this short on average reads as a category (a label, a language, a source name) even when
# its values rarely repeat; longer text is a category only when its values do repeat. This only
# decides for small datasets: 100 or fewer distinct values over a few hundred rows repeat anyway.
CATEGORY_MAX_AVG_LENGTH = 32
DEFAULT_BINS = 10


def _kind(resolved: ResolvedPath) -> str:
    kind = value_kind(resolved.leaf_type)
    if kind not in ("boolean", "number", "string", "temporal"):
        raise InvalidInputError(
            f"'{resolved.name}' is not a leaf value (it is {resolved.leaf_type})",
            hint="ask for one of its fields; see ds.manifest().data_schema",
        )
    return kind


def _values_statement(
    ds: BaseDataset, path: PathInput, filters: Sequence[Filter], include_deleted: bool
) -> tuple[Statement, ResolvedPath]:
    """A statement yielding one column ``v``: the leaf values (list items unnested)."""
    import pyarrow as pa

    builder = QueryBuilder(ds.catalog())
    resolved = builder.resolve(path)
    if pa.types.is_list(resolved.leaf_type) or pa.types.is_large_list(resolved.leaf_type):
        # A list of values ('meta.tags') is summarised over its items.
        resolved = builder.resolve((*split_path(path), "*"))
    expr = builder.value_sql(resolved)
    for _ in range(resolved.steps.count("*") - 1):
        expr = f"flatten({expr})"
    if resolved.through_list:
        expr = f"unnest({expr})"
    return builder.select([("v", expr)], filters, include_deleted=include_deleted), resolved


def column_stats(ds: BaseDataset, path: PathInput) -> ColumnStats:
    inner, resolved = _values_statement(ds, path, [], False)
    kind = _kind(resolved)
    # HyperLogLog can overshoot (105,122 distinct of 100,000 responses): never more than there are.
    parts = ["count(*)", "count(*) - count(v)", "least(approx_count_distinct(v), count(v))"]
    if kind == "string":
        parts += ["min(length(v))", "max(length(v))", "avg(length(v))"]
    elif kind == "number":
        parts += ["min(v)", "max(v)", "avg(v)"]
    elif kind == "temporal":
        parts += ["min(v)", "max(v)"]
    sql = f"SELECT {', '.join(parts)} FROM ({inner.sql})"
    row = Statement(sql, inner.params).execute(cursor()).fetchone()
    assert row is not None
    stats = ColumnStats(
        path=resolved.name,
        dtype=kind,
        total_count=int(row[0]),
        null_count=int(row[1]),
        approx_count_distinct=int(row[2]),
    )
    if kind == "string":
        stats.min_length, stats.max_length = _int(row[3]), _int(row[4])
        stats.avg_length = None if row[5] is None else float(row[5])
    elif kind == "number":
        stats.min_value, stats.max_value = row[3], row[4]
        stats.avg_value = None if row[5] is None else float(row[5])
    elif kind == "temporal":
        stats.min_value, stats.max_value = row[3], row[4]
    return stats


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def select_groups(
    ds: BaseDataset,
    path: PathInput,
    filters: Sequence[Filter],
    limit: int | None,
    bins: int | Sequence[float] | None,
    include_deleted: bool,
) -> GroupsResult:
    """A histogram of ``path`` over the rows the filters keep.

    How values are grouped (by value, numeric bin or length bin) and the bins' edges are read
    from the whole column, filters left out; the filters only change the counts. Deciding on the
    filtered rows would turn a text field's length histogram into one bar per text as soon as a
    filter (a click on one of its own bars) leaves 100 or fewer of them, and would move the
    bins under the user's cursor. Fixed bins are what Lilac and crossfilter-style linked
    histograms do: a filtered distribution reads against the same axis as the whole one, and a
    clicked bar stays where it was. A finer look at a sub-range is an explicit ``bins`` away.
    """
    whole, resolved = _values_statement(ds, path, [], include_deleted)
    kind = _kind(resolved)
    chosen = _values_statement(ds, path, filters, include_deleted)[0] if filters else whole
    name = resolved.name
    cur = cursor()
    if kind == "boolean":
        return GroupsResult(path=name, kind="boolean", counts=_value_counts(cur, chosen, None))
    shape = _column_shape(cur, whole, kind)
    few = shape.distinct <= CATEGORICAL_MAX_DISTINCT
    if kind == "number":
        whole_numbers = _all_integers((shape.low, shape.high))
        if bins is None and few and whole_numbers:
            # A handful of whole numbers (ratings, classes) reads best as categories.
            counts = _value_counts(cur, chosen, limit)
            return GroupsResult(path=name, kind="categorical", counts=counts)
        return _numeric_bins(cur, chosen, name, "v", shape.low, shape.high, bins, whole_numbers)
    if kind == "string" and not (few and shape.reads_as_categories()):
        # Fifty distinct instructions are free text too, not fifty categories of one row each.
        result = _numeric_bins(
            cur, chosen, name, "length(v)", shape.low_length, shape.high_length, bins, True
        )
        return result.model_copy(update={"kind": "length", "too_many_distinct": not few})
    counts = _value_counts(cur, chosen, limit)
    return GroupsResult(path=name, kind="categorical", counts=counts, too_many_distinct=not few)


@dataclass(frozen=True)
class _ColumnShape:
    """What decides a histogram's kind and bins: read over the whole column."""

    distinct: int
    low: Any
    high: Any
    num_values: int = 0
    low_length: int | None = None
    high_length: int | None = None
    avg_length: float | None = None

    def reads_as_categories(self) -> bool:
        """Short values, or values that repeat (each twice on average): a bar per value says
        something. Unique paragraphs would each get a bar of one."""
        short = self.avg_length is not None and self.avg_length <= CATEGORY_MAX_AVG_LENGTH
        return short or self.num_values >= 2 * self.distinct


def _column_shape(cur: Any, whole: Statement, kind: str) -> _ColumnShape:
    parts = ["approx_count_distinct(v)", "min(v)", "max(v)", "count(v)"]
    if kind == "string":
        parts += ["min(length(v))", "max(length(v))", "avg(length(v))"]
    sql = f"SELECT {', '.join(parts)} FROM ({whole.sql})"
    row = Statement(sql, whole.params).execute(cur).fetchone()
    assert row is not None
    shape = _ColumnShape(int(row[0]), row[1], row[2], int(row[3]))
    if kind == "string":
        average = None if row[6] is None else float(row[6])
        shape = replace(
            shape, low_length=_int(row[4]), high_length=_int(row[5]), avg_length=average
        )
    return shape


def _all_integers(values: Sequence[Any]) -> bool:
    return all(v is None or float(v).is_integer() for v in values)


def _value_counts(cur: Any, inner: Statement, limit: int | None) -> list[tuple[Any, int]]:
    sql = f"SELECT v, count(*) AS n FROM ({inner.sql}) GROUP BY v ORDER BY n DESC, v NULLS LAST"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    rows = Statement(sql, inner.params).execute(cur).fetchall()
    return [(value, int(n)) for value, n in rows]


def _numeric_bins(
    cur: Any,
    inner: Statement,
    name: str,
    value_sql: str,
    low: Any,
    high: Any,
    bins: int | Sequence[float] | None,
    whole: bool = False,
) -> GroupsResult:
    """Counts per bin; ``bins`` is a bin count (equal width) or explicit ascending edges.

    For whole numbers (counts, lengths) the width is rounded up to a whole number, so the
    labels read ``[0, 160)`` rather than ``[0, 158.8)``.
    """
    if low is None:
        return GroupsResult(path=name, kind="numeric", counts=[], bins=[])
    if bins is None or isinstance(bins, int):
        count = bins or DEFAULT_BINS
        if count < 1:
            raise InvalidInputError(f"bins must be at least 1, got {count}")
        low_f, high_f = float(low), float(high)
        width = (high_f - low_f) / count or 1.0
        if whole:
            width = float(math.ceil(width))
        edges = [low_f + i * width for i in range(count)] + [max(high_f, low_f + count * width)]
    else:
        edges = [float(e) for e in bins]
        if len(edges) < 2 or any(b <= a for a, b in itertools.pairwise(edges)):
            raise InvalidInputError("bins must be at least two strictly ascending edges")
    # Each value goes to the last edge at or below it; the top edge closes the last bin.
    bucket = "greatest(0, least(len(list_filter($edges, lambda e: e <= x)) - 1, $nb - 1))"
    params = inner.params
    edges_name = params.add(edges)
    nbins_name = params.add(len(edges) - 1)
    bucket = bucket.replace("$edges", edges_name).replace("$nb", nbins_name)
    # The value once per row, not once per edge inside the lambda (a length histogram of 100k
    # responses: half the CPU).
    values = f"(SELECT {value_sql} AS x FROM ({inner.sql}) WHERE v IS NOT NULL)"
    sql = f"SELECT {bucket} AS b, count(*) FROM {values} GROUP BY b"
    found = dict(Statement(sql, params).execute(cur).fetchall())
    labels = [
        (_bin_label(edges[i], edges[i + 1], i == len(edges) - 2), edges[i], edges[i + 1])
        for i in range(len(edges) - 1)
    ]
    counts = [(label, int(found.get(i, 0))) for i, (label, _, _) in enumerate(labels)]
    return GroupsResult(path=name, kind="numeric", counts=counts, bins=labels)


def _bin_label(start: float, end: float, last: bool) -> str:
    def fmt(x: float) -> str:
        return str(int(x)) if math.isfinite(x) and float(x).is_integer() else f"{x:.4g}"

    return f"[{fmt(start)}, {fmt(end)}{']' if last else ')'}"
