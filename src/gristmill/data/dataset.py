"""``BaseDataset``: what the data engine does with one dataset folder on its own.

Reading, curation, ``map`` and export. The enrichment methods of Lilac's shape (embeddings,
signals, concepts, clusters, classifiers) are added by ``gristmill.dataset.Dataset``, one layer
up, so this package never imports the features built on it. Searches arrive as ``RowRanker``
objects (``gristmill.search`` makes them); this module only joins their rankings.

Writing lives in modules named for what they write (``curation``, ``mapping``, ``export``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gristmill.bounds import GROUPS_LIMIT, ROW_LIMIT, ROW_OFFSET, check_bins
from gristmill.data import curation
from gristmill.data.catalog import Catalog
from gristmill.data.derived import MapResult
from gristmill.data.engine import cursor
from gristmill.data.export import export
from gristmill.data.filters import Filter, FilterLike, PathInput, to_filters
from gristmill.data.mapping import run_map
from gristmill.data.query import (
    QueryBuilder,
    Ranking,
    RowRanker,
    SortOrder,
    best_ranked,
    finish_rankings,
    split_path,
)
from gristmill.data.results import SelectRowsResult
from gristmill.data.sql import Statement
from gristmill.data.stats import column_stats, select_groups
from gristmill.data.store import ROWID, DatasetStore, dataset_dir
from gristmill.errors import InvalidInputError
from gristmill.schema import ColumnStats, DatasetManifest, GroupsResult

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from gristmill.jobs.executors import ExecutionType

ColumnsInput = Sequence[PathInput] | PathInput | None
# A search object, or the same as a dict ({"type": "keyword", "path": ..., "query": ...}).
SearchInput = RowRanker | Mapping[str, Any]


class BaseDataset:
    """One dataset of the project: query it, curate it, map over it, export it."""

    def __init__(self, namespace: str, name: str) -> None:
        self.namespace = namespace
        self.name = name
        self.store = DatasetStore(dataset_dir(namespace, name))

    def __repr__(self) -> str:
        return f"Dataset('{self.namespace}/{self.name}')"

    @property
    def full_name(self) -> str:
        return f"{self.namespace}/{self.name}"

    def catalog(self) -> Catalog:
        return Catalog(self.store)

    # --- reading -------------------------------------------------------------------------------

    def manifest(self) -> DatasetManifest:
        stored = self.store.read_manifest()
        catalog = self.catalog()
        num_deleted = curation.count_deleted(catalog)
        return DatasetManifest(
            namespace=self.namespace,
            dataset_name=self.name,
            data_schema=catalog.schema(),
            num_items=stored.num_rows - num_deleted,
            num_deleted=num_deleted,
            source=stored.source,
            created_at=stored.created_at,
            derived_columns=[column.public() for column in stored.derived.values()],
            labels=self.store.label_names(),
        )

    def select_rows(
        self,
        columns: ColumnsInput = None,
        searches: Sequence[SearchInput] | None = None,
        filters: Sequence[FilterLike] | None = None,
        sort_by: Sequence[PathInput] | PathInput | None = None,
        sort_order: SortOrder = "DESC",
        limit: int | None = None,
        offset: int = 0,
        include_deleted: bool = False,
    ) -> SelectRowsResult:
        """Rows matching every filter, with the columns asked for (``'*'`` or None: all).

        Column paths reach into nested fields (``'question__cluster.cluster_title'``) and list
        items (``'messages.*.content'``); each result column is named by its path. ``searches``
        (gm.KeywordSearch, gm.SemanticSearch, gm.ConceptSearch) rank the rows: filters restrict
        first, then the best ``limit`` rows come back, each search adding a ``{score, spans}``
        column.
        """
        # Paging is checked before the searches run: a keyword search may build an index first.
        limit = ROW_LIMIT.check_optional(limit)
        offset = ROW_OFFSET.check(offset)
        # One snapshot of the files for the rankings, the page and the count alike.
        catalog = self.catalog()
        parsed = to_filters(filters)
        wanted = None if limit is None else limit + offset
        rankings = self._rankings(catalog, searches, parsed, include_deleted, wanted)
        sort_paths = _as_paths(sort_by)

        def statement_for(ranked: Sequence[Ranking]) -> Statement:
            builder = QueryBuilder(catalog, rankings=ranked)
            projections = _projections(builder, columns) + builder.ranking_columns()
            order = builder.order_sql(sort_paths, sort_order) or builder.ranking_order()
            return builder.select(
                projections,
                _still_to_apply(parsed, ranked),
                include_deleted=include_deleted or _prefiltered(ranked),
                order=order,
                limit=limit,
                offset=offset,
            )

        statement = statement_for(rankings)
        # A page of a search's best rows: first try only its best-ranked rows, read by rowid
        # (see best_ranked); most pages need no other.
        first_try = None
        if rankings and not sort_paths and wanted is not None and limit:
            best = best_ranked(rankings[0], wanted)
            if best is not None:
                first_try = statement_for([best, *rankings[1:]])
        finish = None
        if any(r.spans_for is not None for r in rankings):

            def finish(table: pa.Table) -> pa.Table:
                return finish_rankings(rankings, table)

        return SelectRowsResult(
            statement,
            lambda: _count(catalog, parsed, include_deleted, rankings),
            finish,
            first_try=first_try,
            first_try_enough=limit or 0,
        )

    def _rankings(
        self,
        catalog: Catalog,
        searches: Sequence[SearchInput] | SearchInput | None,
        filters: Sequence[Filter],
        include_deleted: bool,
        wanted: int | None,
    ) -> list[Ranking]:
        """One ranking per search; ``wanted`` (limit + offset) bounds nearest-neighbour ones."""
        if not searches:
            return []
        return [
            self._ranker(item).ranking(self, catalog, filters, include_deleted, wanted)
            for item in _as_searches(searches)
        ]

    def _ranker(self, item: object) -> RowRanker:
        """The ranker a search stands for. ``gristmill.dataset.Dataset`` also reads dicts."""
        if callable(getattr(item, "ranking", None)):
            return item  # type: ignore[return-value]
        raise InvalidInputError(
            f"cannot read the search {item!r}",
            hint="use gm.KeywordSearch(path=, query=), gm.SemanticSearch(path=, query=,"
            " embedding=) or gm.ConceptSearch(path=, concept_namespace=, concept_name=,"
            " embedding=)",
        )

    def _chosen(
        self, searches: Sequence[SearchInput] | None, filters: Sequence[Filter], include: bool
    ) -> list[Ranking]:
        return self._rankings(self.catalog(), searches, filters, include, None)

    def count(
        self,
        filters: Sequence[FilterLike] | None = None,
        include_deleted: bool = False,
        searches: Sequence[SearchInput] | None = None,
    ) -> int:
        """How many rows match (deleted rows are left out unless ``include_deleted``)."""
        if (
            not filters
            and not searches
            and (include_deleted or not self.store.deleted_path.exists())
        ):
            # Every stored row counts: the manifest knows how many, so no data file is opened.
            return self.store.read_manifest().num_rows
        catalog = self.catalog()
        parsed = to_filters(filters)
        rankings = self._rankings(catalog, searches, parsed, include_deleted, None)
        return _count(catalog, parsed, include_deleted, rankings)

    def stats(self, path: PathInput) -> ColumnStats:
        return column_stats(self, path)

    def select_groups(
        self,
        path: PathInput,
        filters: Sequence[FilterLike] | None = None,
        *,
        limit: int | None = 100,
        bins: int | Sequence[float] | None = None,
        include_deleted: bool = False,
    ) -> GroupsResult:
        limit = GROUPS_LIMIT.check_optional(limit)
        checked_bins = check_bins(bins)
        return select_groups(self, path, to_filters(filters), limit, checked_bins, include_deleted)

    # --- curation ------------------------------------------------------------------------------

    def add_labels(
        self,
        name: str,
        row_ids: Sequence[int] | None = None,
        searches: Sequence[SearchInput] | None = None,
        filters: Sequence[FilterLike] | None = None,
        value: str = "true",
        include_deleted: bool = False,
    ) -> int:
        """Label the rows chosen by ``row_ids``, ``searches`` and ``filters`` (rows meeting all).

        A search chooses the rows it matches (a keyword search: rows containing the query), as in
        Lilac's ``add_labels(name, row_ids, searches, filters, value)``. Returns how many rows
        were labelled.
        """
        parsed = to_filters(filters)
        rankings = self._chosen(searches, parsed, include_deleted)
        return curation.add_labels(self, name, row_ids, parsed, value, include_deleted, rankings)

    def remove_labels(
        self,
        name: str,
        row_ids: Sequence[int] | None = None,
        searches: Sequence[SearchInput] | None = None,
        filters: Sequence[FilterLike] | None = None,
        include_deleted: bool = False,
    ) -> int:
        parsed = to_filters(filters)
        rankings = self._chosen(searches, parsed, include_deleted)
        return curation.remove_labels(self, name, row_ids, parsed, include_deleted, rankings)

    def get_label_names(self) -> list[str]:
        return self.store.label_names()

    def delete_rows(
        self,
        row_ids: Sequence[int] | None = None,
        searches: Sequence[SearchInput] | None = None,
        filters: Sequence[FilterLike] | None = None,
    ) -> int:
        """Soft-delete rows (restore_rows brings them back); returns how many were deleted.

        Rows are chosen as in ``add_labels``: by ``row_ids``, ``searches`` and ``filters``.
        """
        parsed = to_filters(filters)
        return curation.delete_rows(
            self, row_ids, parsed, self._chosen(searches, parsed, include=False)
        )

    def restore_rows(
        self,
        row_ids: Sequence[int] | None = None,
        searches: Sequence[SearchInput] | None = None,
        filters: Sequence[FilterLike] | None = None,
    ) -> int:
        """Undo deletion of the chosen rows (all deleted rows when none are chosen)."""
        parsed = to_filters(filters)
        return curation.restore_rows(
            self, row_ids, parsed, self._chosen(searches, parsed, include=True)
        )

    # --- map -----------------------------------------------------------------------------------

    def map(
        self,
        map_fn: Callable[[Any], Any],
        input_path: PathInput | None = None,
        output_column: str | None = None,
        *,
        output_path: str | None = None,
        overwrite: bool = False,
        filters: Sequence[FilterLike] | None = None,
        num_jobs: int = 1,
        execution_type: ExecutionType = "threads",
        include_deleted: bool = False,
        show_progress: bool = True,
    ) -> MapResult:
        """Run ``map_fn`` over rows into a new derived column, resumably (see ``derived``)."""
        column = output_column or output_path
        if not column:
            raise InvalidInputError(
                "map needs output_column", hint="e.g. ds.map(fn, output_column='answer_len')"
            )
        return run_map(
            self,
            map_fn,
            input_path=input_path,
            output_column=column,
            overwrite=overwrite,
            filters=to_filters(filters),
            num_jobs=num_jobs,
            execution_type=execution_type,
            include_deleted=include_deleted,
            show_progress=show_progress,
        )

    # --- derived columns -------------------------------------------------------------------

    def remove_column(self, name: str) -> None:
        """Drop a derived column (source columns cannot be removed)."""
        self.store.remove_derived(name)

    # --- export --------------------------------------------------------------------------------

    def to_pandas(
        self,
        columns: ColumnsInput = None,
        filters: Sequence[FilterLike] | None = None,
        include_deleted: bool = False,
    ) -> pd.DataFrame:
        return self.select_rows(columns, filters=filters, include_deleted=include_deleted).df()

    def to_arrow(
        self,
        columns: ColumnsInput = None,
        filters: Sequence[FilterLike] | None = None,
        include_deleted: bool = False,
    ) -> pa.Table:
        return self.select_rows(columns, filters=filters, include_deleted=include_deleted).arrow()

    def to_json(
        self,
        filepath: str | Path,
        jsonl: bool = True,
        columns: ColumnsInput = None,
        filters: Sequence[FilterLike] | None = None,
        include_deleted: bool = False,
    ) -> Path:
        fmt = "jsonl" if jsonl else "json"
        return export(self, filepath, fmt, columns, filters, include_deleted)

    def to_parquet(
        self,
        filepath: str | Path,
        columns: ColumnsInput = None,
        filters: Sequence[FilterLike] | None = None,
        include_deleted: bool = False,
    ) -> Path:
        return export(self, filepath, "parquet", columns, filters, include_deleted)

    def to_csv(
        self,
        filepath: str | Path,
        columns: ColumnsInput = None,
        filters: Sequence[FilterLike] | None = None,
        include_deleted: bool = False,
    ) -> Path:
        return export(self, filepath, "csv", columns, filters, include_deleted)


def _as_searches(searches: Sequence[SearchInput] | SearchInput) -> Sequence[object]:
    """A list of searches; one search given alone is a list of one (Lilac takes a list)."""
    if isinstance(searches, str | Mapping) or not isinstance(searches, Sequence):
        return [searches]
    return searches


def _prefiltered(rankings: Sequence[Ranking]) -> bool:
    """True when a ranking already holds only rows that pass the filters and deletion rule."""
    return any(r.prefiltered for r in rankings)


def _still_to_apply(filters: Sequence[Filter], rankings: Sequence[Ranking]) -> Sequence[Filter]:
    """The filters the query must still apply: none when a prefiltered ranking is joined (its
    inner join keeps only rows that passed them), so they are not compiled a second time."""
    return () if _prefiltered(rankings) else filters


def _count(
    catalog: Catalog,
    filters: Sequence[Filter],
    include_deleted: bool,
    rankings: Sequence[Ranking],
) -> int:
    """How many rows the query matches, ignoring paging."""
    if rankings and all(r.prefiltered for r in rankings):
        import pyarrow.compute as pc

        # Every ranked row passed the filters: the count is the rows all the rankings share.
        common = rankings[0].table.column(ROWID).combine_chunks()
        for other in rankings[1:]:
            common = common.filter(pc.is_in(common, value_set=other.table.column(ROWID)))
        return len(common)
    builder = QueryBuilder(catalog, rankings=rankings)
    statement = builder.select(
        [("n", "count(*)")],
        _still_to_apply(filters, rankings),
        include_deleted=include_deleted or _prefiltered(rankings),
    )
    row = statement.execute(cursor()).fetchone()
    return int(row[0]) if row else 0


def _as_paths(value: Sequence[PathInput] | PathInput | None) -> list[PathInput]:
    """The paths given, each once (first place kept).

    A path named twice adds nothing to a projection or an order, and a request repeating one
    thousands of times would otherwise become a query DuckDB runs out of memory planning.
    """
    if value is None:
        return []
    if isinstance(value, str | tuple):
        return [value]
    unique: dict[object, PathInput] = {}
    for position, path in enumerate(value):
        key: object = path if path == "*" else split_path(path)
        try:
            hash(key)
        except TypeError:
            key = position  # not a path at all: resolving it gives the caller's error
        unique.setdefault(key, path)
    return list(unique.values())


def _projections(builder: QueryBuilder, columns: ColumnsInput) -> list[tuple[str, str]]:
    """(output name, SQL) for each column asked for; '*' expands to every visible column."""
    wanted = ["*"] if columns is None else _as_paths(columns)
    out: list[tuple[str, str]] = []
    for path in wanted:
        if path == "*":
            for name in builder.catalog.visible_columns():
                out.append((name, builder.column_ref(builder.catalog.relations[name])))
        else:
            resolved = builder.resolve(path)
            out.append((".".join(split_path(path)), builder.value_sql(resolved)))
    if not out:
        raise InvalidInputError("select_rows needs at least one column", hint="pass columns=['*']")
    return out
