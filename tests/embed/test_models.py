"""The real built-in models: shapes, unit length, and that meaning drives similarity."""

from __future__ import annotations

import numpy as np
import pytest

from gristmill.embed import get_embedding, minilm_token_states
from gristmill.errors import InvalidInputError

SIMILAR = ("A cat is sitting on the mat.", "A kitten rests on a rug.")
UNRELATED = "The central bank raised interest rates by half a point."


@pytest.mark.parametrize(("name", "dim"), [("minilm", 384), ("wordllama", 256)])
def test_vectors_have_the_model_shape_and_unit_length(name: str, dim: int) -> None:
    model = get_embedding(name)
    vectors = model.embed([*SIMILAR, UNRELATED, "日本語の文章です。", "مرحبا بالعالم 👋"])
    assert model.dim == dim
    assert vectors.shape == (5, dim)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert model.embed([]).shape == (0, dim)


@pytest.mark.parametrize("name", ["minilm", "wordllama"])
def test_similar_sentences_score_higher_than_unrelated_ones(name: str) -> None:
    first, second, unrelated = get_embedding(name).embed([*SIMILAR, UNRELATED])
    assert float(first @ second) > float(first @ unrelated) + 0.1
    assert float(first @ second) > float(second @ unrelated) + 0.1


@pytest.mark.parametrize("name", ["minilm", "wordllama"])
def test_batching_and_length_sorting_do_not_change_vectors_or_order(name: str) -> None:
    model = get_embedding(name)
    texts = ["short", "a somewhat longer sentence about the weather today", "mid length text"]
    texts = texts * 50 + ["word " * 400]  # many batches, mixed lengths, one truncated
    together = model.embed(texts)
    alone = np.vstack([model.embed([text]) for text in texts[:3] + texts[-1:]])
    np.testing.assert_allclose(together[[0, 1, 2, -1]], alone, atol=1e-4)


def test_empty_text_gets_a_finite_vector_and_none_is_rejected() -> None:
    model = get_embedding("wordllama")
    vectors = model.embed(["", "text"])
    assert np.isfinite(vectors).all()
    assert float(np.linalg.norm(vectors[0])) == 0.0  # nothing to embed: a zero vector
    with pytest.raises(InvalidInputError, match="skip None"):
        model.embed(["text", None])  # type: ignore[list-item]
    with pytest.raises(InvalidInputError, match="single string"):
        model.embed("text")


def test_models_are_built_once_per_process_and_have_stable_ids() -> None:
    assert get_embedding("minilm") is get_embedding("minilm")
    assert get_embedding() is get_embedding("minilm")
    assert "all-MiniLM-L6-v2" in get_embedding("minilm").model_id
    assert get_embedding("wordllama").model_id.startswith("wordllama/l2_supercat_256")


def test_token_states_exclude_special_tokens_and_padding() -> None:
    from importlib import resources

    from tokenizers import Tokenizer

    texts = ["Hello world.", "", "A much longer sentence, so that padding would appear here.", "猫"]
    states = minilm_token_states(texts)
    assert len(states) == len(texts)
    shipped = resources.files("gristmill").joinpath("resources/minilm-tokenizer/tokenizer.json")
    model_tokenizer = Tokenizer.from_str(shipped.read_text(encoding="utf-8"))
    model_tokenizer.no_padding()
    for text, state in zip(texts, states, strict=True):
        expected = len(model_tokenizer.encode(text, add_special_tokens=False).ids)
        assert state.shape == (expected, 384)
        assert state.dtype == np.float32
        assert np.isfinite(state).all()
    # Padding must not leak in: a text's states are the same alone and in a padded batch.
    alone = minilm_token_states([texts[0]])[0]
    np.testing.assert_allclose(states[0], alone, atol=1e-4)


def test_token_states_are_truncated_like_the_embedding() -> None:
    (state,) = minilm_token_states(["word " * 1000])
    assert state.shape == (254, 384)  # 256 word pieces less [CLS] and [SEP]
