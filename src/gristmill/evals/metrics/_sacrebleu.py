"""BLEU and chrF with ``sacrebleu``: sentence scores per row and corpus scores over all rows.

Scores keep sacrebleu's 0-100 scale, so they read like published BLEU/chrF figures. Several
references per row are used the way sacrebleu does (BLEU: clipped n-gram counts against all
references and the closest reference length; chrF: the best reference). Sentence BLEU uses
``effective_order=True`` (sacrebleu's advice for single sentences); corpus BLEU does not, as
usual. The corpus score pools n-gram statistics, so it is not the mean of the row scores.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from typing import Any

from gristmill.errors import missing_dependency
from gristmill.evals.metrics._metric import BaseMetric, prepare_rows


def _sacrebleu_metrics() -> Any:
    try:
        import sacrebleu.metrics
    except ImportError as exc:
        raise missing_dependency("sacrebleu", "eval", "the BLEU and chrF metrics") from exc
    return sacrebleu.metrics


def reference_streams(references: list[list[str]]) -> list[list[str | None]]:
    """Rows of references as sacrebleu's reference streams, padded with ``None``.

    sacrebleu wants one stream per reference position; ``None`` marks a row that has fewer
    references than the widest row, which sacrebleu skips.
    """
    width = max((len(row) for row in references), default=0)
    return [
        [row[position] if position < len(row) else None for row in references]
        for position in range(width)
    ]


class _SacrebleuMetric(BaseMetric):
    """Shared row and corpus scoring; subclasses build the sacrebleu scorer."""

    higher_is_better = True

    @abstractmethod
    def _scorer(self, *, sentence_level: bool) -> Any:
        """A fresh sacrebleu metric object (they keep state between calls)."""

    def score_rows(
        self, predictions: list[str], references: list[list[str]], inputs: list[str | None] | None
    ) -> dict[str, list[float]]:
        scorer = self._scorer(sentence_level=True)
        values = [
            float(scorer.sentence_score(prediction, row_references).score)
            for prediction, row_references in zip(predictions, references, strict=True)
        ]
        return {self.sub_metrics[0]: values}

    def corpus_score(
        self, predictions: Sequence[str | None], references: Sequence[Sequence[str]]
    ) -> dict[str, float | None]:
        """The corpus score over rows with a prediction and a reference (None if none)."""
        rows = prepare_rows(predictions, references)
        keep = self.scorable(rows)
        if not keep:
            return {self.sub_metrics[0]: None}
        hypotheses = [rows.predictions[i] or "" for i in keep]
        streams = reference_streams([rows.references[i] for i in keep])
        result = self._scorer(sentence_level=False).corpus_score(hypotheses, streams)
        return {self.sub_metrics[0]: float(result.score)}


class BleuMetric(_SacrebleuMetric):
    """sacrebleu BLEU (0-100) with its default 13a tokeniser and exponential smoothing."""

    description = "BLEU (sacrebleu, 13a tokeniser), 0 to 100; corpus BLEU pools n-gram counts"

    def __init__(
        self,
        *,
        lowercase: bool = False,
        tokenize: str | None = None,
        smooth_method: str = "exp",
        max_ngram_order: int = 4,
        name: str = "bleu",
    ) -> None:
        self.name = name
        self.sub_metrics = (name,)
        self.lowercase = lowercase
        self.tokenize = tokenize
        self.smooth_method = smooth_method
        self.max_ngram_order = max_ngram_order

    def _scorer(self, *, sentence_level: bool) -> Any:
        return _sacrebleu_metrics().BLEU(
            lowercase=self.lowercase,
            tokenize=self.tokenize,
            smooth_method=self.smooth_method,
            max_ngram_order=self.max_ngram_order,
            effective_order=sentence_level,
        )


class ChrfMetric(_SacrebleuMetric):
    """sacrebleu chrF (0-100); ``word_order=2`` gives chrF++."""

    description = "chrF (sacrebleu, character 6-grams, beta 2), 0 to 100"

    def __init__(
        self,
        *,
        char_order: int = 6,
        word_order: int = 0,
        beta: int = 2,
        lowercase: bool = False,
        name: str = "chrf",
    ) -> None:
        self.name = name
        self.sub_metrics = (name,)
        self.char_order = char_order
        self.word_order = word_order
        self.beta = beta
        self.lowercase = lowercase

    def _scorer(self, *, sentence_level: bool) -> Any:
        return _sacrebleu_metrics().CHRF(
            char_order=self.char_order,
            word_order=self.word_order,
            beta=self.beta,
            lowercase=self.lowercase,
        )
