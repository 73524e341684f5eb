"""A semantic search's own cost per query: no pass over every stored key to count rows."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

import gristmill as gm
from gristmill.embed import FakeEmbedding, VectorIndex, register_embedding, unregister_embedding
from tests.fixtures import TASK_ROWS, TASKS


@pytest.fixture
def words() -> Iterator[str]:
    register_embedding("words", FakeEmbedding())
    yield "words"
    unregister_embedding("words")


def test_a_semantic_search_does_not_count_the_rows_of_the_index(
    words: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Counting the distinct rows of 100k vectors took a warm search a tenth of its time, per
    # query; the top-k search finds out how many rows there are only when it runs short.
    source = gm.JSONSource(filepaths=[str(TASKS)])
    ds = gm.create_dataset(
        gm.DatasetConfig(namespace="local", name="seed", source=source), show_progress=False
    )
    ds.compute_embedding(words, "instruction", show_progress=False)
    expected = ds.select_rows(["__rowid__"], searches=[_search(words)], limit=5).to_list()

    def counted(self: VectorIndex) -> np.ndarray:
        raise AssertionError("a search counted the index's rows")

    monkeypatch.setattr(VectorIndex, "rowids", counted)
    search = _search(words)
    assert ds.select_rows(["__rowid__"], searches=[search], limit=5).to_list() == expected
    assert len(ds.select_rows(["__rowid__"], searches=[search]).to_list()) == TASK_ROWS
    assert ds.count(searches=[search]) == TASK_ROWS


def _search(embedding: str) -> gm.SemanticSearch:
    return gm.SemanticSearch(
        path="instruction", query="sort a list of numbers", embedding=embedding
    )
