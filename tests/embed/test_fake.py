"""The library's fake embedding: deterministic everywhere, words decide similarity, and it is a
real EmbeddingModel that datasets, searches and the registry accept."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from io import BytesIO

import numpy as np
import pandas as pd
import pytest

import gristmill as gm
from gristmill.embed import (
    EmbeddingModel,
    FakeEmbedding,
    embedding_names,
    get_embedding,
    register_embedding,
    unregister_embedding,
)
from gristmill.errors import InvalidInputError

TEXTS = [
    "The cat sat on the mat.",
    "A cat and a dog sat on a mat",
    "Quarterly revenue grew by eight percent",
    "",
    "the of and",
    "東京 の 天気",
]


def test_vectors_are_unit_length_float32_of_the_chosen_size() -> None:
    for dim in (2, 16, 256):
        vectors = FakeEmbedding(dim=dim).embed(TEXTS)
        assert vectors.shape == (len(TEXTS), dim) and vectors.dtype == np.float32
        assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)
    assert FakeEmbedding().dim == 256
    assert FakeEmbedding().embed([]).shape == (0, 256)


def test_same_texts_same_vectors_in_another_process() -> None:
    here = FakeEmbedding(dim=32).embed(TEXTS)
    assert np.array_equal(here, FakeEmbedding(dim=32).embed(TEXTS))
    # Python's str hash is salted per process; the fake must not depend on it.
    script = (
        "import sys, numpy as np; from gristmill.embed import FakeEmbedding; "
        "np.save(sys.stdout.buffer, FakeEmbedding(dim=32).embed(sys.argv[1:]))"
    )
    environment = {**os.environ, "PYTHONHASHSEED": "12345"}
    output = subprocess.run(
        [sys.executable, "-c", script, *TEXTS], capture_output=True, check=True, env=environment
    ).stdout
    assert np.array_equal(np.load(BytesIO(output)), here)


def test_shared_words_are_similar_and_function_words_do_not_count() -> None:
    model = FakeEmbedding()
    cat, cat_dog, revenue, empty, only_stop_words, _ = model.embed(TEXTS)
    assert float(cat @ cat_dog) > 0.5
    assert abs(float(cat @ revenue)) < 0.2
    # Case, punctuation and function words change nothing: the same content words remain.
    assert np.allclose(model.embed(["CAT sat, on THE mat!"])[0], cat)
    # A text without a counted word has one fixed direction, never zeros or NaN.
    assert np.array_equal(empty, only_stop_words)
    assert np.isfinite(empty).all() and float(np.abs(empty).sum()) > 0


def test_seed_and_stop_words_make_another_model() -> None:
    base = FakeEmbedding(dim=64)
    other_seed = FakeEmbedding(dim=64, seed=1)
    every_word = FakeEmbedding(dim=64, stop_words=())
    ids = {base.model_id, other_seed.model_id, every_word.model_id, FakeEmbedding().model_id}
    assert len(ids) == 4
    assert base.model_id == FakeEmbedding(dim=64, seed=0).model_id
    assert not np.array_equal(base.embed(TEXTS[:3]), other_seed.embed(TEXTS[:3]))
    # Counting every word: "the of and" is no longer a text without words.
    assert not np.array_equal(*every_word.embed(["", "the of and"]))
    assert np.array_equal(*base.embed(["", "the of and"]))


@pytest.mark.parametrize(
    "settings",
    [{"dim": 1}, {"dim": 0}, {"dim": True}, {"dim": 2.5}, {"seed": -1}, {"seed": 2**32}],
)
def test_bad_settings_are_refused_with_the_fix(settings: dict[str, object]) -> None:
    with pytest.raises(InvalidInputError) as raised:
        FakeEmbedding(**settings)  # type: ignore[arg-type]
    assert raised.value.hint


def test_bad_input_is_refused_like_any_model() -> None:
    with pytest.raises(InvalidInputError, match="single string"):
        FakeEmbedding().embed("one text")
    with pytest.raises(InvalidInputError, match="not a string"):
        FakeEmbedding().embed(["fine", None])  # type: ignore[list-item]


def test_it_is_offered_only_when_a_project_registers_it() -> None:
    assert "fake" not in embedding_names()
    assert isinstance(FakeEmbedding(), EmbeddingModel)


@pytest.fixture
def registered() -> Iterator[str]:
    register_embedding("words", FakeEmbedding(dim=64, name="words"))
    yield "words"
    unregister_embedding("words")


def test_registered_it_embeds_a_column_and_ranks_a_semantic_search(registered: str) -> None:
    model = get_embedding(registered)
    assert isinstance(model, FakeEmbedding) and model.name == "words"
    texts = [
        "How do I bake sourdough bread at home?",
        "Quarterly revenue grew by eight percent",
        "Which flour is best for bread?",
        None,
    ]
    ds = gm.create_dataset(
        gm.DatasetConfig(
            namespace="local", name="fake", source=gm.PandasSource(pd.DataFrame({"text": texts}))
        ),
        show_progress=False,
    )
    result = ds.compute_embedding(registered, "text", show_progress=False)
    assert result.num_computed == len(texts)  # a None row is done too: it has no vector
    lineage = {c.name: c.lineage for c in ds.manifest().derived_columns}["text__words"]
    assert lineage.producer == model.model_id
    search = gm.SemanticSearch(path="text", query="bread flour", embedding=registered)
    rows = ds.select_rows(["text"], searches=[search], limit=2).to_list()
    assert {r["text"] for r in rows} == {texts[0], texts[2]}
    assert rows[0]["text"] == texts[2]  # shares both words
