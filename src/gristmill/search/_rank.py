"""Turning searches into rankings that ``select_rows`` joins by rowid.

Filters are applied before a search picks its top rows (a semantic search with a filter returns
the top k *among the filtered rows*), so a page is never short because of filtering.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from gristmill.errors import InvalidInputError
from gristmill.search._searches import (
    ConceptSearch,
    KeywordSearch,
    Search,
    SemanticSearch,
    result_column,
)

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pyarrow as pa

    from gristmill.data.dataset import Dataset
    from gristmill.data.filters import Filter
    from gristmill.data.query import Ranking


def to_search(item: Any) -> Search:
    if isinstance(item, KeywordSearch | SemanticSearch | ConceptSearch):
        return item
    if isinstance(item, dict):
        kind = item.get("type")
        model: dict[str, type[Search]] = {
            "keyword": KeywordSearch,
            "semantic": SemanticSearch,
            "concept": ConceptSearch,
        }
        if kind in model:
            # A bad field is an InvalidInputError naming it (the searches are InputModels).
            return model[kind].model_validate(item)
    raise InvalidInputError(
        f"cannot read the search {item!r}",
        hint="use gm.KeywordSearch(path=, query=), gm.SemanticSearch(path=, query=, embedding=)"
        " or gm.ConceptSearch(path=, concept_namespace=, concept_name=, embedding=)",
    )


def rankings_for(
    ds: Dataset,
    searches: Sequence[Any],
    filters: Sequence[Filter],
    include_deleted: bool,
    wanted: int | None,
) -> list[Ranking]:
    """One ranking per search; ``wanted`` (limit + offset) bounds nearest-neighbour searches."""
    from gristmill.data.query import Ranking

    out: list[Ranking] = []
    for item in searches:
        search = to_search(item)
        if isinstance(search, KeywordSearch):
            from gristmill.search._keyword import highlighter, keyword_ranking_table
            from gristmill.signals._dataset import _check_text_path

            column = _check_text_path(ds, search.path)
            table = keyword_ranking_table(ds, column, search.query)
            out.append(Ranking(result_column(search), table, highlighter(search.query)))
            continue
        else:
            allowed = _allowed_rows(ds, filters, include_deleted)
            if isinstance(search, SemanticSearch):
                table = _semantic_table(ds, search, allowed, wanted)
            else:
                from gristmill.search._concept_rank import concept_ranking_table

                table = concept_ranking_table(ds, search, allowed)
        out.append(Ranking(result_column(search), table))
    return out


def _allowed_rows(
    ds: Dataset, filters: Sequence[Filter], include_deleted: bool
) -> npt.NDArray[np.int64] | None:
    """The rows a search may return, or None when every row may be returned."""
    from gristmill.data.curation import chosen_rowids

    catalog = ds.catalog()
    if not filters and (include_deleted or not catalog.deleted_files):
        return None
    ids: npt.NDArray[np.int64] = chosen_rowids(
        catalog, None, filters, include_deleted=include_deleted
    ).to_numpy()
    return ids


def _semantic_table(
    ds: Dataset,
    search: SemanticSearch,
    allowed: npt.NDArray[np.int64] | None,
    wanted: int | None,
) -> pa.Table:
    import pyarrow as pa

    from gristmill.data.store import ROWID
    from gristmill.embed import get_embedding
    from gristmill.search._embedding_column import load_index, require_same_model
    from gristmill.search._keyword import span_scores_type

    index, _ = load_index(ds, search.path, search.embedding)
    require_same_model(index, search.embedding)
    available = len(index.rowids()) if allowed is None else len(allowed)
    k = min(wanted, available) if wanted is not None else available
    if k <= 0:
        hits = []
    else:
        query = get_embedding(search.embedding).embed([search.query])
        hits = index.search(query, k=k, allowed_rowids=allowed)[0]
    return pa.table(
        {
            ROWID: pa.array([h.rowid for h in hits], pa.int64()),
            "score": pa.array([h.score for h in hits], pa.float64()),
            "spans": pa.array(
                [[{"start": h.span[0], "end": h.span[1], "score": h.score}] for h in hits],
                type=span_scores_type(),
            ),
        }
    )
