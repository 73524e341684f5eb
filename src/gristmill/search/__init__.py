"""Search over datasets: keyword (BM25), semantic (embeddings) and concept rankings.

``select_rows(searches=[...])`` asks each search for its ranking of the rows and joins it with the
query, so filters, sorting and paging apply as usual. The searches read what other packages
compute: the vector index of ``gristmill.embed.compute_embedding`` and the concepts of
``gristmill.concepts``. A keyword search reads the BM25 index ``compute_keyword_index`` builds
(after a load, in the background, for the columns that read like prose), or scans the column for
the same scores while that index is missing or stale.
"""

from gristmill.search._keyword_background import (
    KEYWORD_INDEX_ENV,
    index_after_load,
    keyword_index_enabled,
    prose_columns,
    stop_background_indexes,
    wait_for_background_indexes,
)
from gristmill.search._keyword_index import KeywordIndexInfo, compute_keyword_index
from gristmill.search._searches import (
    ConceptSearch,
    KeywordSearch,
    Search,
    SemanticSearch,
    result_column,
    to_search,
)

__all__ = [
    "KEYWORD_INDEX_ENV",
    "ConceptSearch",
    "KeywordIndexInfo",
    "KeywordSearch",
    "Search",
    "SemanticSearch",
    "compute_keyword_index",
    "index_after_load",
    "keyword_index_enabled",
    "prose_columns",
    "result_column",
    "stop_background_indexes",
    "to_search",
    "wait_for_background_indexes",
]
