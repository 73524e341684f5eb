"""``Dataset``: the Python API over one dataset folder (Lilac's shape).

Reading is here; writing lives in modules named for what they write (``curation``, ``mapping``,
``export``), which these methods call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gristmill.bounds import GROUPS_LIMIT, ROW_LIMIT, ROW_OFFSET, check_bins
from gristmill.data.catalog import Catalog
from gristmill.data.engine import cursor
from gristmill.data.filters import Filter, FilterLike, PathInput, to_filters
from gristmill.data.query import QueryBuilder, Ranking, SortOrder, finish_rankings, split_path
from gristmill.data.results import SelectRowsResult
from gristmill.data.store import DatasetStore, dataset_dir
from gristmill.errors import InvalidInputError
from gristmill.schema import ColumnStats, DatasetManifest, GroupsResult

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from gristmill.data.mapping import MapResult
    from gristmill.jobs.executors import ExecutionType
    from gristmill.signals import Signal

ColumnsInput = Sequence[PathInput] | PathInput | None


class Dataset:
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
        num_deleted = _count_deleted(catalog)
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
        searches: Sequence[Any] | None = None,
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
        catalog = self.catalog()
        parsed = to_filters(filters)
        rankings = self._rankings(searches, parsed, include_deleted, limit, offset)
        builder = QueryBuilder(catalog, rankings=rankings)
        projections = _projections(builder, columns) + builder.ranking_columns()
        order = builder.order_sql(_as_paths(sort_by), sort_order) or builder.ranking_order()
        statement = builder.select(
            projections,
            parsed,
            include_deleted=include_deleted,
            order=order,
            limit=limit,
            offset=offset,
        )
        finish = None
        if any(r.spans_for is not None for r in rankings):

            def finish(table: pa.Table) -> pa.Table:
                return finish_rankings(rankings, table)

        return SelectRowsResult(
            statement, lambda: self._count(parsed, include_deleted, rankings), finish
        )

    def _rankings(
        self,
        searches: Sequence[Any] | None,
        filters: Sequence[Filter],
        include_deleted: bool,
        limit: int | None,
        offset: int,
    ) -> list[Ranking]:
        if not searches:
            return []
        from gristmill.search import rankings_for

        wanted = None if limit is None else limit + offset
        return rankings_for(self, _as_searches(searches), filters, include_deleted, wanted)

    def count(
        self,
        filters: Sequence[FilterLike] | None = None,
        include_deleted: bool = False,
        searches: Sequence[Any] | None = None,
    ) -> int:
        """How many rows match (deleted rows are left out unless ``include_deleted``)."""
        parsed = to_filters(filters)
        return self._count(
            parsed, include_deleted, self._rankings(searches, parsed, include_deleted, None, 0)
        )

    def _count(
        self, filters: Sequence[Filter], include_deleted: bool, rankings: Sequence[Ranking]
    ) -> int:
        builder = QueryBuilder(self.catalog(), rankings=rankings)
        statement = builder.select([("n", "count(*)")], filters, include_deleted=include_deleted)
        row = statement.execute(cursor()).fetchone()
        return int(row[0]) if row else 0

    def stats(self, path: PathInput) -> ColumnStats:
        from gristmill.data.stats import column_stats

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
        from gristmill.data.stats import select_groups

        limit = GROUPS_LIMIT.check_optional(limit)
        checked_bins = check_bins(bins)
        return select_groups(self, path, to_filters(filters), limit, checked_bins, include_deleted)

    # --- curation ------------------------------------------------------------------------------

    def add_labels(
        self,
        name: str,
        row_ids: Sequence[int] | None = None,
        searches: Sequence[Any] | None = None,
        filters: Sequence[FilterLike] | None = None,
        value: str = "true",
        include_deleted: bool = False,
    ) -> int:
        """Label the rows chosen by ``row_ids``, ``searches`` and ``filters`` (rows meeting all).

        A search chooses the rows it matches (a keyword search: rows containing the query), as in
        Lilac's ``add_labels(name, row_ids, searches, filters, value)``. Returns how many rows
        were labelled.
        """
        from gristmill.data.curation import add_labels

        parsed = to_filters(filters)
        rankings = self._rankings(searches, parsed, include_deleted, None, 0)
        return add_labels(self, name, row_ids, parsed, value, include_deleted, rankings)

    def remove_labels(
        self,
        name: str,
        row_ids: Sequence[int] | None = None,
        searches: Sequence[Any] | None = None,
        filters: Sequence[FilterLike] | None = None,
        include_deleted: bool = False,
    ) -> int:
        from gristmill.data.curation import remove_labels

        parsed = to_filters(filters)
        rankings = self._rankings(searches, parsed, include_deleted, None, 0)
        return remove_labels(self, name, row_ids, parsed, include_deleted, rankings)

    def get_label_names(self) -> list[str]:
        return self.store.label_names()

    def delete_rows(
        self,
        row_ids: Sequence[int] | None = None,
        searches: Sequence[Any] | None = None,
        filters: Sequence[FilterLike] | None = None,
    ) -> int:
        """Soft-delete rows (restore_rows brings them back); returns how many were deleted.

        Rows are chosen as in ``add_labels``: by ``row_ids``, ``searches`` and ``filters``.
        """
        from gristmill.data.curation import delete_rows

        parsed = to_filters(filters)
        return delete_rows(self, row_ids, parsed, self._rankings(searches, parsed, False, None, 0))

    def restore_rows(
        self,
        row_ids: Sequence[int] | None = None,
        searches: Sequence[Any] | None = None,
        filters: Sequence[FilterLike] | None = None,
    ) -> int:
        """Undo deletion of the chosen rows (all deleted rows when none are chosen)."""
        from gristmill.data.curation import restore_rows

        parsed = to_filters(filters)
        return restore_rows(self, row_ids, parsed, self._rankings(searches, parsed, True, None, 0))

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
        """Run ``map_fn`` over rows into a new derived column, resumably (see ``mapping``)."""
        from gristmill.data.mapping import run_map

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

    # --- enrichment (features live in their own packages; these methods delegate) ----------

    def compute_signal(
        self,
        signal: Signal,
        path: PathInput,
        *,
        output_column: str | None = None,
        filters: Sequence[FilterLike] | None = None,
        include_deleted: bool = False,
        overwrite: bool = False,
        num_jobs: int = 1,
        execution_type: ExecutionType = "threads",
        show_progress: bool = True,
    ) -> MapResult:
        """Add the signal's output for the text at ``path`` as a derived column, resumably."""
        from gristmill.signals import compute_signal

        return compute_signal(
            self,
            signal,
            path,
            output_column=output_column,
            filters=filters,
            include_deleted=include_deleted,
            overwrite=overwrite,
            num_jobs=num_jobs,
            execution_type=execution_type,
            show_progress=show_progress,
        )

    def compute_embedding(
        self,
        embedding: str,
        path: PathInput,
        *,
        filters: Sequence[FilterLike] | None = None,
        overwrite: bool = False,
        show_progress: bool = True,
    ) -> MapResult:
        """Embed the text at ``path`` span by span into a vector index, resumably.

        Rerunning with the same model is a no-op; semantic and concept searches then use it.
        """
        from gristmill.search import compute_embedding

        return compute_embedding(
            self, embedding, path, filters=filters, overwrite=overwrite, show_progress=show_progress
        )

    def compute_concept(
        self,
        namespace: str,
        concept_name: str,
        embedding: str = "minilm",
        path: PathInput | None = None,
        *,
        filters: Sequence[FilterLike] | None = None,
        overwrite: bool = False,
        show_progress: bool = True,
    ) -> MapResult:
        """Score every row with a concept (best span, and each span) into a derived column.

        Uses the stored ``embedding`` of ``path`` (compute_embedding first).
        """
        from gristmill.search import compute_concept

        if path is None:
            raise InvalidInputError(
                "compute_concept needs path=",
                hint="e.g. ds.compute_concept('gristmill', 'profanity', embedding='minilm',"
                " path='response')",
            )
        return compute_concept(
            self,
            namespace,
            concept_name,
            embedding=embedding,
            path=path,
            filters=filters,
            overwrite=overwrite,
            show_progress=show_progress,
        )

    def cluster(
        self,
        path_or_fn: PathInput | Callable[[Any], str | None],
        *,
        render: Callable[[Any], str | None] | None = None,
        output_column: str | None = None,
        embedding: str | None = None,
        min_cluster_size: int = 5,
        use_llm: bool | None = None,
        llm: Any = None,
        topic_fn: Callable[[list[str]], str] | None = None,
        category_fn: Callable[[list[str]], str] | None = None,
        overwrite: bool = False,
        seed: int = 42,
        max_fit_rows: int = 20_000,
        show_progress: bool = True,
    ) -> Any:
        """Cluster the text at ``path`` (or rendered by a function) into titled clusters and
        categories, stored as ``<path>__cluster`` (see ``gristmill.cluster``); resumable."""
        from gristmill.cluster import ClusterSettings, cluster_dataset

        return cluster_dataset(
            self,
            path_or_fn,
            render=render,
            output_column=output_column,
            embedding=embedding,
            use_llm=use_llm,
            llm=llm,
            topic_fn=topic_fn,
            category_fn=category_fn,
            overwrite=overwrite,
            settings=ClusterSettings(
                min_cluster_size=min_cluster_size, seed=seed, max_fit_rows=max_fit_rows
            ),
            show_progress=show_progress,
        )

    def compute_classifier(
        self,
        classifier: Any,
        path: PathInput,
        *,
        output_column: str | None = None,
        filters: Sequence[FilterLike] | None = None,
        overwrite: bool = False,
        show_progress: bool = True,
    ) -> MapResult:
        """Store an ``LLMClassifier``'s prediction and probabilities per row.

        The column is ``<path>__classifier`` unless ``output_column`` says otherwise; the
        stored embedding of ``path`` is reused when it is from the classifier's model.
        """
        from gristmill.classify import compute_classifier

        return compute_classifier(
            self,
            classifier,
            path=path,
            output_column=output_column,
            filters=filters,
            overwrite=overwrite,
            show_progress=show_progress,
        )

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
        from gristmill.data.export import export

        fmt = "jsonl" if jsonl else "json"
        return export(self, filepath, fmt, columns, filters, include_deleted)

    def to_parquet(
        self,
        filepath: str | Path,
        columns: ColumnsInput = None,
        filters: Sequence[FilterLike] | None = None,
        include_deleted: bool = False,
    ) -> Path:
        from gristmill.data.export import export

        return export(self, filepath, "parquet", columns, filters, include_deleted)

    def to_csv(
        self,
        filepath: str | Path,
        columns: ColumnsInput = None,
        filters: Sequence[FilterLike] | None = None,
        include_deleted: bool = False,
    ) -> Path:
        from gristmill.data.export import export

        return export(self, filepath, "csv", columns, filters, include_deleted)


def _as_searches(searches: Sequence[Any] | Any) -> Sequence[Any]:
    """A list of searches; one search given alone is a list of one (Lilac takes a list)."""
    if isinstance(searches, str | dict) or not isinstance(searches, Sequence):
        return [searches]
    return searches


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


def _count_deleted(catalog: Catalog) -> int:
    from gristmill.data.curation import count_deleted

    return count_deleted(catalog)
