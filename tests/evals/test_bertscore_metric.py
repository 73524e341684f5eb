from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pytest

from gristmill.errors import ProviderError
from gristmill.evals import BertScoreMetric, get_metric, greedy_match, idf_weights

VOCABULARY = ["cat", "sat", "mat", "dog", "barks", "the", "on", "a"]


def one_hot_states(texts: Sequence[str]) -> list[np.ndarray]:
    """A fake model: each known word is its own axis, so similarities are 0 or 1."""
    states = []
    for text in texts:
        words = [w for w in text.split() if w in VOCABULARY]
        matrix = np.zeros((len(words), len(VOCABULARY)), dtype=np.float32)
        for row, word in enumerate(words):
            matrix[row, VOCABULARY.index(word)] = 1.0
        states.append(matrix)
    return states


def word_ids(texts: Sequence[str]) -> list[list[int]]:
    return [[VOCABULARY.index(w) for w in t.split() if w in VOCABULARY] for t in texts]


def test_greedy_match_known_values() -> None:
    candidate = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    reference = np.array([[1.0, 0.0]], dtype=np.float32)
    precision, recall, f1 = greedy_match(candidate, reference)
    assert (precision, recall) == (0.5, 1.0)
    assert f1 == pytest.approx(2 / 3)
    weighted = greedy_match(candidate, reference, np.array([1.0, 3.0]), np.array([1.0]))
    assert weighted[0] == pytest.approx(0.25)
    assert greedy_match(candidate[:0], reference) == (0.0, 0.0, 0.0)
    # All weights 0 (the token is in every reference) carries no information.
    assert greedy_match(candidate, reference, np.zeros(2), np.ones(1))[0] == 0.0


def test_idf_weights_known_values() -> None:
    table, unseen = idf_weights([[1, 2, 2], [2, 3]])
    assert table[2] == pytest.approx(0.0)  # in both references
    assert table[1] == pytest.approx(math.log(3 / 2))
    assert unseen == pytest.approx(math.log(3))


def test_metric_with_a_fake_model() -> None:
    metric = BertScoreMetric(token_states=one_hot_states, model_name="onehot")
    assert metric.sub_metrics == (
        "bertscore_onehot_precision",
        "bertscore_onehot_recall",
        "bertscore_onehot_f1",
    )
    scores = metric.score(
        ["cat sat", "dog", "", None],
        [["cat sat on the mat"], ["cat", "dog barks"], ["cat"], ["cat"]],
    )
    assert scores["bertscore_onehot_precision"] == [1.0, 1.0, 0.0, None]
    assert scores["bertscore_onehot_recall"] == [pytest.approx(0.4), 0.5, 0.0, None]
    assert scores["bertscore_onehot_f1"][0] == pytest.approx(2 * 0.4 / 1.4)
    assert scores["bertscore_onehot_f1"][1] == pytest.approx(2 / 3)


def test_idf_downweights_words_every_reference_has() -> None:
    plain = BertScoreMetric(token_states=one_hot_states, model_name="onehot")
    idf = BertScoreMetric(
        idf=True, token_states=one_hot_states, token_ids=word_ids, model_name="onehot"
    )
    assert idf.name == "bertscore_onehot_idf"
    predictions = ["the cat", "the dog"]
    references = [["the mat"], ["the dog"]]
    # "the" is in every reference (IDF 0): only "cat" vs "mat" counts in row 0.
    assert plain.score(predictions, references)["bertscore_onehot_precision"][0] == 0.5
    assert idf.score(predictions, references)["bertscore_onehot_idf_precision"] == [0.0, 1.0]


def test_model_errors_are_reported() -> None:
    def too_few(texts: Sequence[str]) -> list[np.ndarray]:
        return one_hot_states(texts)[:-1]

    with pytest.raises(ProviderError, match="for 1 of 2 texts"):
        BertScoreMetric(token_states=too_few).score(["cat"], [["dog"]])

    def misaligned(texts: Sequence[str]) -> list[list[int]]:
        return [[0] for _ in texts]

    metric = BertScoreMetric(idf=True, token_states=one_hot_states, token_ids=misaligned)
    with pytest.raises(ProviderError, match="tokenise exactly"):
        metric.score(["cat sat"], [["dog"]])

    def flat(texts: Sequence[str]) -> list[np.ndarray]:
        return [np.zeros(3) for _ in texts]

    with pytest.raises(ProviderError, match=r"\[tokens, dim\]"):
        BertScoreMetric(token_states=flat).score(["cat"], [["dog"]])


def _reference_bertscore(candidate: np.ndarray, reference: np.ndarray) -> tuple[float, ...]:
    """The paper's formulas, written out with loops, for checking the vectorised version."""
    c = [v / np.linalg.norm(v) for v in candidate.astype(np.float64)]
    r = [v / np.linalg.norm(v) for v in reference.astype(np.float64)]
    precision = sum(max(float(x @ y) for y in r) for x in c) / len(c)
    recall = sum(max(float(x @ y) for x in c) for y in r) / len(r)
    return precision, recall, 2 * precision * recall / (precision + recall)


@pytest.mark.slow
def test_real_minilm_bertscore() -> None:
    from gristmill.embed import minilm_token_states

    metric = get_metric("bertscore_minilm")
    predictions = ["A cat was sitting on the mat.", "The weather is nice.", "same words"]
    references = [
        ["The cat sat on the mat."],
        ["Stock prices fell sharply.", "It is sunny and warm today."],
        ["same words"],
    ]
    scores = metric.score(predictions, references)
    f1 = scores["bertscore_minilm_f1"]
    assert f1[2] == pytest.approx(1.0, abs=1e-5)
    unrelated = metric.score(["The weather is nice."], [["Stock prices fell sharply."]])
    assert f1[0] is not None and f1[1] is not None
    assert unrelated["bertscore_minilm_f1"][0] < f1[1] < f1[0]  # type: ignore[operator]
    states = minilm_token_states([predictions[0], references[0][0]])
    expected = _reference_bertscore(states[0], states[1])
    assert scores["bertscore_minilm_precision"][0] == pytest.approx(expected[0], abs=1e-5)
    assert scores["bertscore_minilm_recall"][0] == pytest.approx(expected[1], abs=1e-5)
    assert f1[0] == pytest.approx(expected[2], abs=1e-5)


@pytest.mark.slow
def test_real_minilm_idf_ids_align_with_states() -> None:
    long_text = " ".join(["Transformers tokenise unusual words like antidisestablishment."] * 60)
    metric = BertScoreMetric(idf=True)
    scores = metric.score([long_text, "a short one"], [["a short one", long_text], [long_text]])
    assert all(v is not None for v in scores["bertscore_minilm_idf_f1"])
