"""Metrics for short answers, as in SQuAD's official script: exact match, token F1; and length.

SQuAD normalisation: lower case, no punctuation, no English articles, single spaces. Several
references: the best one counts. An empty answer matches only an empty reference (the SQuAD 2.0
rule for unanswerable questions).
"""

from __future__ import annotations

from collections import Counter

from gristmill.evals.metrics._metric import BaseMetric
from gristmill.evals.metrics._text_normalization import squad_normalize


def exact_match(prediction: str, reference: str) -> float:
    """1.0 when both normalise to the same text, else 0.0."""
    return float(squad_normalize(prediction) == squad_normalize(reference))


def token_f1(prediction: str, reference: str) -> float:
    """Harmonic mean of precision and recall of normalised word tokens (bag of words)."""
    predicted = squad_normalize(prediction).split()
    expected = squad_normalize(reference).split()
    if not predicted or not expected:
        return float(predicted == expected)
    overlap = sum((Counter(predicted) & Counter(expected)).values())
    if overlap == 0:
        return 0.0
    precision = overlap / len(predicted)
    recall = overlap / len(expected)
    return 2 * precision * recall / (precision + recall)


class _BestOverReferences(BaseMetric):
    """A per-pair score taken at its best over a row's references."""

    higher_is_better = True
    default_name = ""

    def __init__(self, *, name: str | None = None) -> None:
        self.name = name or self.default_name
        self.sub_metrics = (self.name,)

    @staticmethod
    def pair_score(prediction: str, reference: str) -> float:
        raise NotImplementedError

    def score_rows(
        self, predictions: list[str], references: list[list[str]], inputs: list[str | None] | None
    ) -> dict[str, list[float]]:
        values = [
            max(self.pair_score(prediction, reference) for reference in row_references)
            for prediction, row_references in zip(predictions, references, strict=True)
        ]
        return {self.sub_metrics[0]: values}


class ExactMatchMetric(_BestOverReferences):
    """SQuAD exact match (0 or 1), max over references."""

    description = "exact match after SQuAD normalisation, 0 or 1, max over references"
    default_name = "exact_match"
    pair_score = staticmethod(exact_match)


class TokenF1Metric(_BestOverReferences):
    """SQuAD token F1 (0 to 1), max over references."""

    description = "token F1 after SQuAD normalisation, 0 to 1, max over references"
    default_name = "token_f1"
    pair_score = staticmethod(token_f1)


class AnswerLengthMetric(BaseMetric):
    """Length of each prediction in words (split at whitespace) and characters.

    Needs no reference, and has no better direction: it shows verbosity next to quality.
    """

    higher_is_better = None
    needs_references = False
    description = "prediction length in words (whitespace-separated) and characters"

    def __init__(self, *, name: str = "answer_length") -> None:
        self.name = name
        self.sub_metrics = ("answer_words", "answer_chars")

    def score_rows(
        self, predictions: list[str], references: list[list[str]], inputs: list[str | None] | None
    ) -> dict[str, list[float]]:
        return {
            "answer_words": [float(len(p.split())) for p in predictions],
            "answer_chars": [float(len(p)) for p in predictions],
        }
