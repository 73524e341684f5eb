"""The library's fake embedding (hashed bag of words), so most concept tests skip MiniLM."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from gristmill.embed import FakeEmbedding, register_embedding, unregister_embedding

DIM = 64


@pytest.fixture
def words_embedding() -> Iterator[str]:
    register_embedding("test-words", FakeEmbedding(dim=DIM))
    yield "test-words"
    unregister_embedding("test-words")


POSITIVE = [f"I love sunny {w} days" for w in ("warm", "bright", "happy", "golden", "summer")]
NEGATIVE = [f"cold rainy {w} night storm" for w in ("dark", "grey", "wet", "windy", "gloomy")]
