"""``Dataset``: the Python API over one dataset, in Lilac's shape.

The data engine (``gristmill.data.BaseDataset``) reads, curates, maps and exports; each
enrichment method here hands the dataset to the feature package that owns it (``embed``,
``signals``, ``concepts``, ``cluster``, ``classify``). This module sits above the features, so
the engine never imports them and every method keeps its real types.

``create_dataset`` and ``get_dataset`` are the engine's, returning this class.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from gristmill.cluster import ClusterResult, ClusterSettings, cluster_dataset
from gristmill.concepts import compute_concept
from gristmill.data import datasets
from gristmill.data.dataset import BaseDataset
from gristmill.data.derived import MapResult
from gristmill.data.filters import FilterLike, PathInput
from gristmill.data.store import dataset_dir
from gristmill.embed import compute_embedding
from gristmill.errors import InvalidInputError
from gristmill.projection import (
    DEFAULT_FIT_POINTS,
    DEFAULT_MAX_POINTS,
    ProjectionInfo,
    compute_projection,
)
from gristmill.search import (
    KeywordIndexInfo,
    Search,
    compute_keyword_index,
    index_after_load,
    stop_background_indexes,
    to_search,
)
from gristmill.signals import Signal, compute_signal

if TYPE_CHECKING:
    from gristmill.classify import LLMClassifier
    from gristmill.clio import ClioResult, Facet, OpenClioConfig
    from gristmill.data.datasets import DatasetConfig
    from gristmill.data.query import RowRanker
    from gristmill.jobs.executors import ExecutionType
    from gristmill.llm import LLM


class Dataset(BaseDataset):
    """One dataset of the project: query, curate, enrich, cluster, classify, export."""

    def _ranker(self, item: object) -> RowRanker:
        # Searches also arrive as dicts ({"type": "keyword", ...}) and as the search models.
        search: Search = to_search(item)
        return search

    # --- enrichment ------------------------------------------------------------------------------

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
        num_jobs: int = 1,
        execution_type: ExecutionType = "threads",
    ) -> MapResult:
        """Embed the text at ``path`` span by span into a vector index, resumably.

        Rerunning with the same model is a no-op; semantic and concept searches then use it.
        """
        return compute_embedding(
            self,
            embedding,
            path,
            filters=filters,
            overwrite=overwrite,
            show_progress=show_progress,
            num_jobs=num_jobs,
            execution_type=execution_type,
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
        llm: str | dict[str, Any] | LLM | None = None,
        topic_fn: Callable[[list[str]], str] | None = None,
        category_fn: Callable[[list[str]], str] | None = None,
        overwrite: bool = False,
        seed: int = 42,
        max_fit_rows: int = 20_000,
        show_progress: bool = True,
    ) -> ClusterResult:
        """Cluster the text at ``path`` (or rendered by a function) into titled clusters and
        categories, stored as ``<path>__cluster`` (see ``gristmill.cluster``); resumable."""
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

    def compute_keyword_index(
        self, path: PathInput, *, overwrite: bool = False, show_progress: bool = True
    ) -> KeywordIndexInfo:
        """Build the BM25 index keyword searches of ``path`` read (a ``keyword_index`` job);
        a no-op when it is current. Until it exists, or after the column is rewritten, a
        keyword search scans the column instead, with the same scores (slower on big data)."""
        return compute_keyword_index(self, path, overwrite=overwrite, show_progress=show_progress)

    def compute_projection(
        self,
        path: PathInput,
        embedding: str | None = None,
        *,
        max_points: int = DEFAULT_MAX_POINTS,
        seed: int = 42,
        overwrite: bool = False,
        fit_points: int = DEFAULT_FIT_POINTS,
        show_progress: bool = True,
    ) -> ProjectionInfo:
        """Place each embedded row of ``path`` on a 2-D map (UMAP of its stored embedding),
        stored as ``<path>__<embedding>__projection`` (see ``gristmill.projection``); cached.

        Above ``max_points`` rows a seeded sample is shown; UMAP is fitted on ``fit_points``
        of them and the others placed by their nearest fitted neighbours.
        """
        return compute_projection(
            self,
            path,
            embedding,
            max_points=max_points,
            seed=seed,
            overwrite=overwrite,
            fit_points=fit_points,
            show_progress=show_progress,
        )

    def clio(
        self,
        path: PathInput,
        facets: Sequence[Facet] | None = None,
        config: OpenClioConfig | None = None,
        llm: LLM | str | None = None,
        *,
        embedding: str = "minilm",
        overwrite: bool = False,
        show_progress: bool = True,
    ) -> ClioResult:
        """Conversation insights of the chats (or texts) at ``path``, the OpenClio way: each
        facet's value, base clusters, a named hierarchy and a map, stored as the derived column
        ``<path>__clio`` (see ``gristmill.clio``). ``llm=None`` runs the LLM-free mode.

        Resumable: a rerun after a crash starts at the stage that did not finish; a rerun with
        the same settings reads the stored result back.
        """
        # Imported here: conversation insights pull in the LLM client, off the CLI's startup.
        from gristmill.clio import dataset_clio

        return dataset_clio(
            self,
            path,
            facets,
            config,
            llm,
            embedding=embedding,
            overwrite=overwrite,
            show_progress=show_progress,
        )

    def compute_classifier(
        self,
        classifier: LLMClassifier,
        path: PathInput,
        *,
        output_column: str | None = None,
        filters: Sequence[FilterLike] | None = None,
        overwrite: bool = False,
        show_progress: bool = True,
        self_train: bool = False,
    ) -> MapResult:
        """Store an ``LLMClassifier``'s prediction and probabilities per row.

        The column is ``<path>__classifier`` unless ``output_column`` says otherwise; the
        stored embedding of ``path`` is reused when it is from the classifier's model.
        ``self_train=True`` first retrains a copy on the rows it is surest of.
        """
        # Imported here: the classifier pulls in SQLAlchemy and its reports (~0.7 s), which
        # opening a dataset should not pay.
        from gristmill.classify import compute_classifier

        return compute_classifier(
            self,
            classifier,
            path=path,
            output_column=output_column,
            filters=filters,
            overwrite=overwrite,
            show_progress=show_progress,
            self_train=self_train,
        )


def create_dataset(
    config: DatasetConfig,
    *,
    overwrite: bool = False,
    show_progress: bool = True,
    keyword_index: bool | None = None,
) -> Dataset:
    """Load ``config.source`` into a new dataset. Nothing is replaced until the load succeeds.

    Two loads of one name never both succeed: the second waits a moment for the first, then
    fails with ``AlreadyExistsError`` (or, with ``overwrite=True``, with ``ConflictError`` while
    the first still runs).

    The load returns once the rows are stored; the keyword index of each column that reads like
    prose is then built by a background job (``gristmill.search.index_after_load``; keyword
    searches scan until it is done). ``keyword_index=False``, or ``GRISTMILL_KEYWORD_INDEX=off``
    for every load, skips that.
    """
    # A background index build of the dataset being replaced holds its lock: stopped first.
    stop_background_indexes(dataset_dir(config.namespace, config.name))
    loaded = datasets.create_dataset(config, overwrite=overwrite, show_progress=show_progress)
    ds = Dataset(loaded.namespace, loaded.name)
    index_after_load(ds, enabled=keyword_index)
    return ds


def get_dataset(namespace: str, name: str) -> Dataset:
    """Open an existing dataset (clearing what killed writers left in it)."""
    found = datasets.get_dataset(namespace, name)
    return Dataset(found.namespace, found.name)
