"""Embeddings and vector search: the models, span splitting, and a row-level vector index.

::

    model = get_embedding("minilm")            # or "wordllama", "openai", "sentence-transformers/x"
    vectors = model.embed(["a text", ...])     # float32 [n, model.dim], unit length
    spans = split_spans(long_text)             # [(start, end), ...] character offsets
    index = VectorIndex(model.dim)
    index.add(keys, vectors)                   # keys: (rowid, span_start, span_end)
    index.search(model.embed(["query"]), k=10, allowed_rowids=None)
    coords = reduce_dimensions(vectors, n_components=2, ...)   # UMAP (clustering, the data map)

An embedding *column* of a dataset (``compute_embedding``: the text's spans in a vector index
that semantic and concept searches read) is built on the model and the index::

    compute_embedding(ds, "minilm", "text")
    index, column = load_index(ds, "text", "minilm")
    rowids, vectors = row_vectors(ds, "text", "minilm")   # one unit vector per row

Importing this package is cheap: models, NumPy, onnxruntime and faiss load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gristmill._lazy import lazy_exports
from gristmill.embed._fake import FakeEmbedding
from gristmill.embed._index_search import SearchHit
from gristmill.embed._minilm import MiniLMEmbedding, minilm_token_states
from gristmill.embed._model import EmbeddingModel, FunctionEmbedding
from gristmill.embed._openai import OpenAIEmbedding
from gristmill.embed._reduce import (
    fit_sample,
    nearest_among,
    nearest_neighbors,
    numba_cache_dir,
    reduce_dimensions,
)
from gristmill.embed._registry import (
    DEFAULT_EMBEDDING,
    clear_embedding_cache,
    embedding_names,
    embedding_registry,
    get_embedding,
    register_embedding,
    unregister_embedding,
)
from gristmill.embed._sentence_transformers import SentenceTransformerEmbedding
from gristmill.embed._spans import DEFAULT_MAX_CHARS, split_spans
from gristmill.embed._wordllama import WordLlamaEmbedding

if TYPE_CHECKING:
    from gristmill.embed._column import (
        compute_embedding,
        computed_embeddings,
        embedding_column,
        load_index,
        require_same_model,
        row_vectors,
    )
    from gristmill.embed._index import VectorIndex

__all__ = [
    "DEFAULT_EMBEDDING",
    "DEFAULT_MAX_CHARS",
    "EmbeddingModel",
    "FakeEmbedding",
    "FunctionEmbedding",
    "MiniLMEmbedding",
    "OpenAIEmbedding",
    "SearchHit",
    "SentenceTransformerEmbedding",
    "VectorIndex",
    "WordLlamaEmbedding",
    "clear_embedding_cache",
    "compute_embedding",
    "computed_embeddings",
    "embedding_column",
    "embedding_names",
    "embedding_registry",
    "fit_sample",
    "get_embedding",
    "load_index",
    "minilm_token_states",
    "nearest_among",
    "nearest_neighbors",
    "numba_cache_dir",
    "reduce_dimensions",
    "register_embedding",
    "require_same_model",
    "row_vectors",
    "split_spans",
    "unregister_embedding",
]


# The index pulls in pydantic for its on-disk format, and an embedding column the whole data
# engine: a worker process that only embeds texts loads neither.
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "VectorIndex": "gristmill.embed._index",
        "compute_embedding": "gristmill.embed._column",
        "computed_embeddings": "gristmill.embed._column",
        "embedding_column": "gristmill.embed._column",
        "load_index": "gristmill.embed._column",
        "require_same_model": "gristmill.embed._column",
        "row_vectors": "gristmill.embed._column",
    },
    globals(),
)
