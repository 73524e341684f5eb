"""Compiling ``select_rows``-style requests (columns, filters, sort, paging) to DuckDB SQL.

Only the relations a request touches are joined: a query on source columns reads the source
shards alone; a derived column, label or the deletion flag adds one POSITIONAL JOIN of its dense,
rowid-aligned file. Without ``sort_by`` no ORDER BY is needed: DuckDB keeps insertion order.
A search that leaves few candidate rows reads only those from each file, by rowid (see
``POINT_LOOKUP_MAX_ROWS``), and a page of many ranked rows is first tried on the best of them
(``best_ranked``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal, Protocol

from gristmill.bounds import ROW_LIMIT, ROW_OFFSET
from gristmill.data.arrays import span_scores_array
from gristmill.data.catalog import DELETED, Catalog, Relation
from gristmill.data.filters import Filter, PathInput, predicate_sql
from gristmill.data.sql import SqlParams, Statement, file_list_literal, quote_identifier
from gristmill.data.store import ROWID
from gristmill.errors import InvalidInputError, InvalidPathError

if TYPE_CHECKING:
    import pyarrow as pa

    from gristmill.data.dataset import BaseDataset

SortOrder = Literal["ASC", "DESC"]

# A search that leaves at most this many candidate rows (a nearest-neighbour search's top k, a
# rare keyword) reads only those rows from each file, by rowid, instead of scanning every file
# in step: 100 rows of 100k take ~30 ms that way against ~110 ms. Above a few thousand, the
# literal lists cost more than the scan they save.
POINT_LOOKUP_MAX_ROWS = 1024


@dataclass(frozen=True)
class Ranking:
    """Rows scored by a search: ``table`` has ``__rowid__``, ``score`` and ``spans``.

    Joined by rowid, so filters still apply; only rows in the table match. The result carries
    ``{score, spans}`` in a column called ``name``; without ``sort_by``, the first ranking orders
    the rows, best first.
    """

    name: str
    table: pa.Table
    # When set, the table has a ``text`` column instead of ``spans``, and spans are computed
    # from it only for the rows a page returns (highlighting every match would be wasted).
    spans_for: Callable[[list[str | None]], list[Any]] | None = None
    # True when every row of the table already passed the query's filters and deletion rule
    # (a nearest-neighbour search picks among the allowed rows): the query then need not apply
    # them again, and the count is the table's size.
    prefiltered: bool = False


def best_ranked(ranking: Ranking, wanted: int) -> Ranking | None:
    """The ``ranking`` cut to its best rows, enough for a page of ``wanted`` rows most times.

    Rows are in the ranking's order (score, then rowid), and filters keep that order: so if the
    page's query on the cut returns a full page, it is the page the whole ranking gives. A
    margin beyond ``wanted`` leaves room for rows that filters or deletions drop. None when the
    ranking is already small enough to be read by rowid, or a page is too big to be.
    """
    import pyarrow.compute as pc

    rows = ranking.table.num_rows
    keep = min(max(2 * wanted, wanted + 100), POINT_LOOKUP_MAX_ROWS)
    if rows <= POINT_LOOKUP_MAX_ROWS or wanted > keep:
        return None
    order = [("score", "descending"), (ROWID, "ascending")]
    best = pc.select_k_unstable(ranking.table, k=keep, sort_keys=order)
    return replace(ranking, table=ranking.table.take(best))


class RowRanker(Protocol):
    """What ``select_rows(searches=...)`` needs of a search: its ranking of the rows.

    ``gristmill.search`` provides the rankers (keyword, semantic, concept); the data layer only
    joins what they return. ``catalog`` is the snapshot the query reads, so a ranking and the
    rows it is joined with see the same files.
    """

    def ranking(
        self,
        ds: BaseDataset,
        catalog: Catalog,
        filters: Sequence[Filter],
        include_deleted: bool,
        wanted: int | None,
    ) -> Ranking: ...


@dataclass(frozen=True)
class ResolvedPath:
    """A column path checked against the schema: its top-level column, steps and leaf type."""

    relation: Relation
    steps: tuple[str, ...]  # struct field names, '*' for list items
    leaf_type: pa.DataType

    @property
    def through_list(self) -> bool:
        return "*" in self.steps

    @property
    def name(self) -> str:
        return ".".join((self.relation.name, *self.steps))


def split_path(path: PathInput) -> tuple[str, ...]:
    if isinstance(path, str):
        return tuple(path.split("."))
    return tuple(path)


@dataclass
class QueryBuilder:
    """Resolves paths and assembles one statement; aliases relations as it joins them."""

    catalog: Catalog
    params: SqlParams = field(default_factory=SqlParams)
    rankings: Sequence[Ranking] = ()
    _aliases: dict[str, str] = field(default_factory=dict)
    _ranking_aliases: list[str] = field(default_factory=list)

    def ranking_columns(self) -> list[tuple[str, str]]:
        """(name, SQL) projections of each ranking's ``{score, spans}``.

        A ranking with ``spans_for`` projects its ``text`` in a hidden column instead; the
        result's finisher (``finish_rankings``) turns it into spans.
        """
        self._join_rankings()
        out = []
        for ranking, alias in zip(self.rankings, self._ranking_aliases, strict=True):
            if ranking.spans_for is None:
                out.append((ranking.name, f"{{'score': {alias}.score, 'spans': {alias}.spans}}"))
            else:
                out.append((ranking.name, f"{{'score': {alias}.score}}"))
                out.append((hidden_text_column(ranking), f"{alias}.text"))
        return out

    def ranking_order(self) -> str | None:
        self._join_rankings()
        if not self._ranking_aliases:
            return None
        return f"{self._ranking_aliases[0]}.score DESC NULLS LAST, src.{ROWID}"

    def _join_rankings(self) -> None:
        if not self._ranking_aliases:
            self._ranking_aliases = [self.params.table(r.table) for r in self.rankings]

    # --- paths ---------------------------------------------------------------------------------

    def resolve(self, path: PathInput) -> ResolvedPath:
        import pyarrow as pa

        parts = split_path(path)
        relations = self.catalog.relations
        # The longest prefix that names a top-level column wins, so column names may hold dots.
        # No prefix longer than the most dotted name can match: trying every prefix of a
        # caller's path would cost time quadratic in its length (minutes for 100,000 parts).
        deepest = max((name.count(".") + 1 for name in relations), default=1)
        for cut in range(min(len(parts), deepest), 0, -1):
            top = ".".join(parts[:cut])
            if top in relations:
                relation, rest = relations[top], parts[cut:]
                break
        else:
            known = ", ".join(self.catalog.visible_columns())
            raise InvalidPathError(
                f"unknown column path '{'.'.join(parts)}'", hint=f"columns are: {known}"
            )
        arrow_type = relation.arrow_type
        steps: list[str] = []
        for part in rest:
            # Stepping into a list is implicit: 'messages.content' means 'messages.*.content'.
            while pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
                steps.append("*")
                arrow_type = arrow_type.value_type
                if part == "*":
                    break
            else:
                if part == "*":
                    raise InvalidPathError(f"'{'.'.join(parts)}': '*' is only valid on lists")
                if not pa.types.is_struct(arrow_type) or arrow_type.get_field_index(part) < 0:
                    fields = (
                        ", ".join(arrow_type.field(i).name for i in range(arrow_type.num_fields))
                        if pa.types.is_struct(arrow_type)
                        else "none (it is a leaf)"
                    )
                    raise InvalidPathError(
                        f"unknown column path '{'.'.join(parts)}': no field '{part}'",
                        hint=f"fields there: {fields}",
                    )
                steps.append(part)
                arrow_type = arrow_type.field(part).type
                continue
        return ResolvedPath(relation, tuple(steps), arrow_type)

    # --- relations -----------------------------------------------------------------------------

    def column_ref(self, relation: Relation) -> str:
        """SQL for a top-level column, joining its relation on first use."""
        if relation.kind in ("source", "rowid"):
            return f"src.{quote_identifier(relation.name)}"
        if relation.kind == "deleted" and not relation.files:
            return "false"
        alias = self._aliases.get(relation.name)
        if alias is None:
            alias = f"j{len(self._aliases)}"
            self._aliases[relation.name] = alias
        if relation.kind == "deleted":
            return f"coalesce({alias}.deleted, false)"
        if relation.kind == "label":
            return f"{alias}.value"
        return f"{alias}.{quote_identifier(relation.name)}"

    def from_clause(self) -> str:
        rowids = self._candidate_rowids()
        if rowids is not None:
            return self._point_from_clause(rowids)
        sql = f"read_parquet({file_list_literal(self.catalog.source_files)}) AS src"
        for name, alias in self._aliases.items():
            files = file_list_literal(self.catalog.relations[name].files)
            sql += f" POSITIONAL JOIN read_parquet({files}) AS {alias}"
        self._join_rankings()
        for alias in self._ranking_aliases:
            sql += f" JOIN {alias} ON {alias}.{ROWID} = src.{ROWID}"
        return sql

    def _candidate_rowids(self) -> str | None:
        """The SQL list of the only rowids a result can hold, when a search leaves few of them.

        Every ranking is inner-joined, so the smallest one bounds the result. None when there is
        no search, or its rows are too many for a point lookup to pay.
        """
        if not self.rankings:
            return None
        smallest = min(self.rankings, key=lambda r: r.table.num_rows).table
        if smallest.num_rows > POINT_LOOKUP_MAX_ROWS:
            return None
        files = [self.catalog.relations[name].files for name in self._aliases]
        if any(len(paths) != 1 for paths in files):
            return None  # a side file split in several parts: row numbers are per part
        # Our own int64 rowids, sorted (the min/max statistics of the source's row groups then
        # skip those holding none of them); never caller input.
        values = sorted(smallest.column(ROWID).to_pylist())
        return "(" + ", ".join(str(int(v)) for v in values) + ")" if values else "(NULL)"

    def _point_from_clause(self, rowids: str) -> str:
        """Like the positional plan, but each file yields only the candidate rows.

        The source has its rowids; every side file (derived column, label, deletion flag) is
        dense and rowid-aligned, so its row number is the rowid.
        """
        sources = file_list_literal(self.catalog.source_files)
        sql = f"(SELECT * FROM read_parquet({sources}) WHERE {ROWID} IN {rowids}) AS src"
        for name, alias in self._aliases.items():
            files = file_list_literal(self.catalog.relations[name].files)
            sql += (
                f" LEFT JOIN (SELECT *, file_row_number AS {ROWID}"
                f" FROM read_parquet({files}, file_row_number = true)"
                f" WHERE file_row_number IN {rowids}) AS {alias}"
                f" ON {alias}.{ROWID} = src.{ROWID}"
            )
        for alias in self._ranking_aliases:
            sql += f" JOIN {alias} ON {alias}.{ROWID} = src.{ROWID}"
        return sql

    # --- expressions ---------------------------------------------------------------------------

    def value_sql(self, resolved: ResolvedPath) -> str:
        """The path's value: list steps become list_transform, so 'a.*.b' is a list of b."""
        return _walk(self.column_ref(resolved.relation), resolved.steps, 0, lambda e: e)

    def filter_sql(self, flt: Filter) -> str:
        resolved = self.resolve(flt.path)
        name = resolved.name
        if flt.op in ("exists", "not_exists") and flt.value is not None:
            raise InvalidInputError(f"'{flt.op}' on '{name}' takes no value, got {flt.value!r}")

        def leaf(expr: str) -> str:
            return predicate_sql(flt.op, flt.value, expr, resolved.leaf_type, name, self.params)

        base = self.column_ref(resolved.relation)
        if not resolved.through_list:
            return _walk(base, resolved.steps, 0, leaf)
        # Through lists: the row matches when any item matches (negated ops: when none does).
        negated = flt.op.startswith("not_")
        positive = flt.op.removeprefix("not_") if negated else flt.op

        def any_leaf(expr: str) -> str:
            return predicate_sql(
                positive, flt.value, expr, resolved.leaf_type, name, self.params, in_lambda=True
            )

        any_sql = _walk(base, resolved.steps, 0, any_leaf, any_item=True)
        return f"NOT {any_sql}" if negated else any_sql

    def where_sql(
        self, filters: Sequence[Filter], include_deleted: bool, extra: Sequence[str] = ()
    ) -> str:
        clauses = [self.filter_sql(flt) for flt in filters]
        clauses.extend(extra)
        if not include_deleted and self.catalog.deleted_files:
            clauses.append(f"NOT {self.column_ref(self.catalog.relations[DELETED])}")
        return " AND ".join(clauses) if clauses else "true"

    def order_sql(self, sort_by: Sequence[PathInput], sort_order: SortOrder) -> str | None:
        """ORDER BY keys, or None to keep the source order (cheapest: no sort)."""
        if sort_order not in ("ASC", "DESC"):
            raise InvalidInputError(f"sort_order must be 'ASC' or 'DESC', got {sort_order!r}")
        keys = []
        for path in sort_by:
            resolved = self.resolve(path)
            if resolved.through_list:
                raise InvalidInputError(
                    f"cannot sort by '{resolved.name}': it holds a list of values per row",
                    hint="sort by a single-valued column",
                )
            keys.append(f"{self.value_sql(resolved)} {sort_order} NULLS LAST")
        if not keys:
            return None
        keys.append(f"src.{ROWID}")
        return ", ".join(keys)

    def select(
        self,
        projections: Sequence[tuple[str, str]],
        filters: Sequence[Filter],
        *,
        include_deleted: bool = False,
        order: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        extra_where: Sequence[str] = (),
    ) -> Statement:
        """Assemble ``SELECT <sql AS name>... FROM ... WHERE ... ORDER BY ... LIMIT``."""
        where = self.where_sql(filters, include_deleted, extra_where)
        select_list = ", ".join(f"{sql} AS {quote_identifier(alias)}" for alias, sql in projections)
        sql = f"SELECT {select_list} FROM {self.from_clause()} WHERE {where}"
        if order:
            sql += f" ORDER BY {order}"
        # Checked here, where they become SQL: out of range, DuckDB would fail with its own words.
        if limit is not None:
            sql += f" LIMIT {ROW_LIMIT.check(limit)}"
        offset = ROW_OFFSET.check(offset)
        if offset:
            sql += f" OFFSET {offset}"
        return Statement(sql, self.params)


def hidden_text_column(ranking: Ranking) -> str:
    return f"__gm_text__{ranking.name}"


def finish_rankings(rankings: Sequence[Ranking], table: pa.Table) -> pa.Table:
    """Fill in the spans of rankings that compute them per returned row (see Ranking)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for ranking in rankings:
        if ranking.spans_for is None:
            continue
        hidden = hidden_text_column(ranking)
        texts = table.column(hidden).to_pylist()
        scores = table.column(ranking.name).combine_chunks().field("score")
        spans = span_scores_array(ranking.spans_for(texts))
        value = pa.StructArray.from_arrays(
            [scores, spans], names=["score", "spans"], mask=pc.is_null(scores)
        )
        index = table.column_names.index(ranking.name)
        table = table.set_column(index, ranking.name, value).drop_columns([hidden])
    return table


def _walk(
    expr: str,
    steps: tuple[str, ...],
    depth: int,
    leaf: Callable[[str], str],
    *,
    any_item: bool = False,
) -> str:
    """Apply ``leaf`` at the end of ``steps``, mapping over list items with list_transform.

    With ``any_item`` the result is a boolean: true when ``leaf`` holds for any item reached
    (missing lists and NULL results count as false).
    """
    for index, step in enumerate(steps):
        if step == "*":
            var = f"gm_x{depth}"
            inner = _walk(var, steps[index + 1 :], depth + 1, leaf, any_item=any_item)
            mapped = f"list_transform({expr}, lambda {var}: {inner})"
            return f"coalesce(list_bool_or({mapped}), false)" if any_item else mapped
        expr = f"{expr}.{quote_identifier(step)}"
    return f"coalesce({leaf(expr)}, false)" if any_item else leaf(expr)


__all__ = [
    "DELETED",
    "QueryBuilder",
    "Ranking",
    "ResolvedPath",
    "SortOrder",
    "finish_rankings",
    "split_path",
]
