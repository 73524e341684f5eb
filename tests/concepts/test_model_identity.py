"""A model belongs to one incarnation of a concept, and its metrics depend only on the examples."""

from __future__ import annotations

import numpy as np
import pytest

from gristmill.concepts import clear_example_embeddings, create_concept, delete_concept
from tests.concepts.conftest import NEGATIVE, POSITIVE


def test_recreated_concept_does_not_reuse_the_deleted_ones_model(words_embedding: str) -> None:
    first = create_concept("local", "reborn")
    first.add_examples(POSITIVE, label=True)
    first.add_examples(NEGATIVE, label=False)
    old = first.model(words_embedding)
    delete_concept("local", "reborn")
    # Same name, same version number (2), opposite labels: only a stale cache would score alike.
    second = create_concept("local", "reborn")
    second.add_examples(POSITIVE, label=False)
    second.add_examples(NEGATIVE, label=True)
    new = second.model(words_embedding)
    assert new.record.concept_version == old.record.concept_version
    assert new is not old
    scores = second.score(["love sunny warm days", "rainy storm night"], words_embedding)
    assert scores[0] < 0.5 < scores[1]


def test_memo_is_dropped_when_the_concept_is_deleted(words_embedding: str) -> None:
    from gristmill.concepts import _concept

    concept = create_concept("local", "forgotten")
    concept.add_examples(POSITIVE, label=True)
    concept.add_examples(NEGATIVE, label=False)
    concept.model(words_embedding)
    assert any(key[:2] == ("local", "forgotten") for key in _concept._memo)
    delete_concept("local", "forgotten")
    assert not any(key[:2] == ("local", "forgotten") for key in _concept._memo)


def _examples() -> tuple[list[str], list[str]]:
    positives = [f"{t} {i}" for i, t in enumerate(POSITIVE * 3)]
    negatives = [f"{t} {i}" for i, t in enumerate(NEGATIVE * 3)]
    # Two ambiguous examples per class keep cross-validation from being trivially perfect.
    positives += ["rainy storm but I love it", "cold night yet happy"]
    negatives += ["sunny days are too warm", "bright summer storm night"]
    return positives, negatives


def test_same_examples_give_identical_metrics_cached_or_not(words_embedding: str) -> None:
    positives, negatives = _examples()
    fresh = create_concept("local", "fresh")
    fresh.add_examples(positives, label=True)
    fresh.add_examples(negatives, label=False)
    uncached = fresh.train(words_embedding)

    # A second concept with the same examples, added in another order and in other calls
    # (so stored in another order), trained from cached embeddings.
    cached = create_concept("local", "cached")
    cached.add_examples(negatives[::-1], label=False)
    for text in positives[::-1]:
        cached.add_examples([text], label=True)
    from_cache = cached.train(words_embedding)
    assert from_cache.metrics == uncached.metrics
    np.testing.assert_allclose(
        from_cache.record.coefficients, uncached.record.coefficients, atol=1e-9
    )

    # And once more with the cache emptied: embedded again, still the same.
    assert clear_example_embeddings() > 0
    again = fresh.train(words_embedding)
    assert again.metrics == uncached.metrics
    assert again.record.coefficients == uncached.record.coefficients


@pytest.mark.slow
def test_minilm_metrics_identical_from_fresh_and_cached_embeddings() -> None:
    positives = [
        "Thank you so much!",
        "Could you please help?",
        "Many thanks, friend.",
        "Would you mind checking?",
        "I really appreciate it.",
    ]
    negatives = ["Do it now.", "Whatever.", "Shut up and listen.", "Move.", "I don't care."]
    concept = create_concept("local", "polite")
    concept.add_examples(positives, label=True)
    concept.add_examples(negatives, label=False)
    fresh = concept.train("minilm")
    # The cache refilled one text at a time (other batches than fresh training embedded),
    # with a model trained after each addition, as a user labelling examples would.
    clear_example_embeddings()
    piecemeal = create_concept("local", "polite2")
    for positive, negative in zip(positives, negatives, strict=True):
        piecemeal.add_examples([positive], label=True)
        piecemeal.add_examples([negative], label=False)
        piecemeal.model("minilm")
    from_cache = piecemeal.train("minilm")
    assert from_cache.metrics == fresh.metrics
    np.testing.assert_allclose(from_cache.record.coefficients, fresh.record.coefficients, atol=1e-5)
    clear_example_embeddings()
    again = concept.train("minilm")
    assert again.metrics == fresh.metrics
    assert again.record.coefficients == fresh.record.coefficients
