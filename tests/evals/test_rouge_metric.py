from __future__ import annotations

import pytest
from rouge_score import rouge_scorer

from gristmill.errors import InvalidInputError
from gristmill.evals import ROUGE_TYPES, RougeMetric, get_metric
from gristmill.evals.metrics._rouge import lines_of_sentences


def test_known_values_on_a_tiny_pair() -> None:
    scores = RougeMetric().score(["the cat sat"], [["the cat sat on the mat"]])
    # 3 of 6 reference unigrams, all 3 predicted: P=1, R=0.5, F=2/3; bigrams 2/5 recall, P=1.
    assert scores["rouge1"][0] == pytest.approx(2 / 3)
    assert scores["rouge2"][0] == pytest.approx(2 * 1 * 0.4 / 1.4)
    assert scores["rougeL"][0] == pytest.approx(2 / 3)


def test_stemming_is_on() -> None:
    scores = RougeMetric().score(["cats running"], [["cat run"]])
    assert scores["rouge1"] == [1.0]
    unstemmed = RougeMetric(use_stemmer=False).score(["cats running"], [["cat run"]])
    assert unstemmed["rouge1"] == [0.0]


def test_multi_reference_is_the_max_over_references() -> None:
    metric = RougeMetric()
    both = metric.score(["a b c d"], [["x y z", "a b c d"]])
    assert all(both[name] == [1.0] for name in ROUGE_TYPES)
    single = metric.score(["a b c d"], [["x y z"]])
    assert single["rouge1"] == [0.0]


def test_empty_and_missing() -> None:
    scores = RougeMetric().score(["", None, "words"], [["some words"], ["x"], []])
    assert scores["rouge1"] == [0.0, None, None]
    assert scores["rougeLsum"] == [0.0, None, None]


def test_rouge_lsum_uses_sentences() -> None:
    text = "Ms. Dawson takes a memo. It bans messaging! Staff agree?"
    assert lines_of_sentences(text) == "Ms. Dawson takes a memo.\nIt bans messaging!\nStaff agree?"
    prediction = "It bans messaging. Ms. Dawson takes a memo."
    split = RougeMetric().score([prediction], [[text]])
    unsplit = RougeMetric(split_sentences=False).score([prediction], [[text]])
    assert split["rougeLsum"][0] > unsplit["rougeLsum"][0]
    assert split["rougeL"] == unsplit["rougeL"]


def test_rejects_unknown_rouge_types() -> None:
    with pytest.raises(InvalidInputError, match="unknown ROUGE types"):
        RougeMetric(["rougeX"])


def test_equals_rouge_score_called_directly_on_real_summaries(
    summary_pairs: tuple[list[str], list[list[str]]],
) -> None:
    predictions, references = summary_pairs
    ours = get_metric("rouge").score(predictions, references)
    direct = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)
    for i, (prediction, row_references) in enumerate(zip(predictions, references, strict=True)):
        expected = direct.score_multi(
            [lines_of_sentences(r) for r in row_references], lines_of_sentences(prediction)
        )
        for name in ROUGE_TYPES:
            assert ours[name][i] == pytest.approx(expected[name].fmeasure, abs=1e-6)


def test_without_sentence_split_equals_rouge_score_on_raw_text(
    summary_pairs: tuple[list[str], list[list[str]]],
) -> None:
    predictions, references = summary_pairs
    ours = RougeMetric(split_sentences=False).score(predictions[:30], references[:30])
    direct = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)
    for i in range(30):
        expected = direct.score_multi(references[i], predictions[i])
        for name in ROUGE_TYPES:
            assert ours[name][i] == pytest.approx(expected[name].fmeasure, abs=1e-6)
