"""A tiny deterministic embedding (hashed bag of words) so most concept tests skip MiniLM."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import numpy as np
import pytest

DIM = 64


def hashed_words(texts: list[str]) -> np.ndarray:
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in text.lower().split():
            bucket = int(hashlib.md5(word.strip(".,!?").encode()).hexdigest()[:8], 16) % DIM
            out[row, bucket] += 1.0
        out[row, DIM - 1] += 0.01  # never all-zero
    return out


@pytest.fixture
def words_embedding() -> Iterator[str]:
    from gristmill.embed import register_embedding, unregister_embedding

    register_embedding("test-words", hashed_words, dim=DIM, model_id="test/hashed-words-v1")
    yield "test-words"
    unregister_embedding("test-words")


POSITIVE = [f"I love sunny {w} days" for w in ("warm", "bright", "happy", "golden", "summer")]
NEGATIVE = [f"cold rainy {w} night storm" for w in ("dark", "grey", "wet", "windy", "gloomy")]
