"""Embed example texts once per (embedding model, text), remembered in the metadata DB."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from gristmill.concepts._tables import concept_embedding_cache_table as cache_table
from gristmill.metadata import get_engine

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from gristmill.embed import EmbeddingModel

    FloatMatrix = npt.NDArray[np.float32]

# Bound the IN (...) lists so neither SQLite's variable limit nor PostgreSQL's is reached.
_LOOKUP_CHUNK = 500


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def model_key(model_id: str) -> str:
    return hashlib.sha256(model_id.encode("utf-8")).hexdigest()


def embed_cached(model: EmbeddingModel, texts: Sequence[str]) -> FloatMatrix:
    """Vectors of ``texts`` (one row each, in order); only texts never seen are embedded."""
    import numpy as np

    keys = [text_key(text) for text in texts]
    mkey = model_key(model.model_id)
    found = _lookup(mkey, sorted(set(keys)), model.dim)
    missing = [i for i, key in enumerate(keys) if key not in found]
    if missing:
        unique: dict[str, str] = {}
        for i in missing:
            unique.setdefault(keys[i], texts[i])
        vectors = model.embed(list(unique.values()))
        fresh = dict(zip(unique, vectors, strict=True))
        _store(mkey, fresh)
        found.update(fresh)
    out = np.empty((len(texts), model.dim), dtype=np.float32)
    for i, key in enumerate(keys):
        out[i] = found[key]
    return out


def _lookup(mkey: str, keys: list[str], dim: int) -> dict[str, Any]:
    import numpy as np

    found: dict[str, Any] = {}
    engine = get_engine()
    with engine.connect() as connection:
        for start in range(0, len(keys), _LOOKUP_CHUNK):
            chunk = keys[start : start + _LOOKUP_CHUNK]
            rows = connection.execute(
                sa.select(cache_table.c.text_key, cache_table.c.vector).where(
                    cache_table.c.model_key == mkey, cache_table.c.text_key.in_(chunk)
                )
            )
            for key, blob in rows:
                vector = np.frombuffer(blob, dtype=np.float32)
                # A model whose dimension changed under the same id is re-embedded, not misread.
                if vector.shape[0] == dim:
                    found[key] = vector
    return found


def _store(mkey: str, vectors: dict[str, Any]) -> None:
    import numpy as np

    rows = [
        {"model_key": mkey, "text_key": key, "vector": np.asarray(v, dtype=np.float32).tobytes()}
        for key, v in vectors.items()
    ]
    try:
        _replace(mkey, list(vectors), rows)
    except sa.exc.IntegrityError:
        # Another process stored the same texts between our delete and insert; its vectors
        # are the same model's, so one more pass (which replaces them) settles it.
        _replace(mkey, list(vectors), rows)


def _replace(mkey: str, keys: list[str], rows: list[dict[str, Any]]) -> None:
    with get_engine().begin() as connection:
        # Replace stale rows (e.g. a dimension change): delete then insert in one transaction.
        for start in range(0, len(keys), _LOOKUP_CHUNK):
            connection.execute(
                sa.delete(cache_table).where(
                    cache_table.c.model_key == mkey,
                    cache_table.c.text_key.in_(keys[start : start + _LOOKUP_CHUNK]),
                )
            )
        connection.execute(sa.insert(cache_table), rows)


def clear_embedding_cache() -> int:
    """Forget every cached example embedding; returns how many were removed."""
    with get_engine().begin() as connection:
        result = connection.execute(sa.delete(cache_table))
    return int(result.rowcount or 0)
