"""Each search's ranking of the rows, which ``select_rows`` joins by rowid.

Filters are applied before a nearest-neighbour search picks its top rows (a semantic search with
a filter returns the top k *among the filtered rows*), so a page is never short because of
filtering; such a ranking is marked ``prefiltered`` and the query does not filter again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from gristmill.concepts import concept_scores
from gristmill.data.arrays import numpy_array, span_scores_array
from gristmill.data.catalog import Catalog
from gristmill.data.curation import chosen_rowids
from gristmill.data.dataset import BaseDataset
from gristmill.data.derived import require_text
from gristmill.data.filters import Filter
from gristmill.data.query import Ranking
from gristmill.data.store import ROWID
from gristmill.embed import get_embedding, load_index, require_same_model
from gristmill.search._keyword import highlighter, index_is_current, keyword_ranking_table
from gristmill.search._keyword_background import index_on_demand

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from gristmill.search._searches import ConceptSearch, KeywordSearch, SemanticSearch


def keyword_ranking(ds: BaseDataset, catalog: Catalog, search: KeywordSearch, name: str) -> Ranking:
    """Every row containing the query's words, BM25-scored; words highlighted per page."""
    column = require_text(ds, search.path, needed_by="a keyword search", catalog=catalog)
    if not index_is_current(ds, catalog, column):
        # This search scans; the next ones read the index once a background job has built it.
        index_on_demand(ds, column)
    table = keyword_ranking_table(ds, catalog, column, search.query)
    return Ranking(name, table, highlighter(search.query))


def semantic_ranking(
    ds: BaseDataset,
    catalog: Catalog,
    search: SemanticSearch,
    name: str,
    filters: Sequence[Filter],
    include_deleted: bool,
    wanted: int | None,
) -> Ranking:
    """The ``wanted`` allowed rows nearest in meaning to the query (all of them when None)."""
    import numpy as np
    import pyarrow as pa

    allowed = _allowed_rows(catalog, filters, include_deleted)
    index, _ = load_index(ds, search.path, search.embedding, catalog=catalog)
    require_same_model(index, search.embedding)
    # At least the rows there are (a row may have several spans): the search stops at the rows
    # it finds, so nothing needs a pass over every key to count them exactly per query.
    available = len(index) if allowed is None else len(allowed)
    k = min(wanted, available) if wanted is not None else available
    if k <= 0:
        hits = []
    else:
        query = get_embedding(search.embedding).embed([search.query])
        hits = index.search(query, k=k, allowed_rowids=allowed)[0]
    # From numpy buffers: pa.array of Python values would import pandas (see data.arrays).
    table = pa.Table.from_arrays(
        [
            numpy_array(np.fromiter((h.rowid for h in hits), np.int64, len(hits)), pa.int64()),
            numpy_array(np.fromiter((h.score for h in hits), np.float64, len(hits)), pa.float64()),
            span_scores_array(
                [[{"start": h.span[0], "end": h.span[1], "score": h.score}] for h in hits]
            ),
        ],
        names=[ROWID, "score", "spans"],
    )
    return Ranking(name, table, prefiltered=True)


def concept_ranking(
    ds: BaseDataset,
    catalog: Catalog,
    search: ConceptSearch,
    name: str,
    filters: Sequence[Filter],
    include_deleted: bool,
) -> Ranking:
    """Every allowed row with vectors, scored by the concept (its best span)."""
    allowed = _allowed_rows(catalog, filters, include_deleted)
    table, _ = concept_scores(
        ds,
        search.path,
        search.concept_namespace,
        search.concept_name,
        search.embedding,
        allowed,
        catalog=catalog,
    )
    return Ranking(name, table, prefiltered=True)


def _allowed_rows(
    catalog: Catalog, filters: Sequence[Filter], include_deleted: bool
) -> npt.NDArray[np.int64] | None:
    """The rows a search may return, or None when every row may be returned."""
    if not filters and (include_deleted or not catalog.deleted_files):
        return None
    ids: npt.NDArray[np.int64] = chosen_rowids(
        catalog, None, filters, include_deleted=include_deleted
    ).to_numpy()
    return ids
