from __future__ import annotations

import pytest

from gristmill.evals import (
    AnswerLengthMetric,
    ExactMatchMetric,
    TokenF1Metric,
    exact_match,
    token_f1,
)
from gristmill.evals.metrics._text_normalization import (
    split_sentences,
    squad_normalize,
    word_tokens,
)


def test_squad_normalisation() -> None:
    assert squad_normalize("The  Eiffel Tower!") == "eiffel tower"
    assert squad_normalize("An apple, a day.") == "apple day"
    assert squad_normalize("theory") == "theory"


def test_exact_match() -> None:
    assert exact_match("the Eiffel tower.", "Eiffel Tower") == 1.0
    assert exact_match("Eiffel", "Eiffel Tower") == 0.0


def test_token_f1_known_values() -> None:
    # prediction 2 tokens, reference 3, overlap 2: P=1, R=2/3, F1=0.8
    assert token_f1("Eiffel Tower", "the Eiffel Tower Paris") == pytest.approx(0.8)
    assert token_f1("x y y", "y y z") == pytest.approx(2 / 3)
    assert token_f1("x", "y") == 0.0
    # SQuAD 2.0: an empty answer matches only an empty reference.
    assert token_f1("", "") == 1.0
    assert token_f1("", "Paris") == 0.0
    assert token_f1("the", "a") == 1.0  # both normalise to nothing


def test_metrics_take_the_best_reference() -> None:
    refs = [["Paris", "the city of Paris"]]
    assert ExactMatchMetric().score(["paris"], refs) == {"exact_match": [1.0]}
    assert TokenF1Metric().score(["city of Paris"], refs)["token_f1"][0] == pytest.approx(1.0)


def test_empty_and_missing() -> None:
    assert TokenF1Metric().score(["", None, "x"], [["cat"], ["cat"], []]) == {
        "token_f1": [0.0, None, None]
    }


def test_answer_length_needs_no_reference() -> None:
    scores = AnswerLengthMetric().score(["two words", "", None], [[], [], []])
    assert scores == {"answer_words": [2.0, 0.0, None], "answer_chars": [9.0, 0.0, None]}


def test_word_tokens_and_sentences() -> None:
    assert word_tokens("Don't stop, Mr. Smith!") == ["Don't", "stop", ",", "Mr", ".", "Smith", "!"]
    assert split_sentences("Hi there.  Dr. No waits (e.g. here). Done\nnext line") == [
        "Hi there.",
        "Dr. No waits (e.g. here).",
        "Done",
        "next line",
    ]
    assert split_sentences("") == []
