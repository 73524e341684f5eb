"""Search over datasets: keyword (BM25), semantic (embeddings) and concept searches.

``Dataset.compute_embedding`` stores span vectors in a vector index; ``select_rows(searches=[...])``
turns each search into a ranking of rows joined with the query, so filters, sorting and paging
apply as usual.
"""

from gristmill.search._concept_rank import compute_concept, concept_column
from gristmill.search._embedding_column import compute_embedding, embedding_column, load_index
from gristmill.search._rank import rankings_for, to_search
from gristmill.search._searches import (
    ConceptSearch,
    KeywordSearch,
    Search,
    SemanticSearch,
    result_column,
)

__all__ = [
    "ConceptSearch",
    "KeywordSearch",
    "Search",
    "SemanticSearch",
    "compute_concept",
    "compute_embedding",
    "concept_column",
    "embedding_column",
    "load_index",
    "rankings_for",
    "result_column",
    "to_search",
]
