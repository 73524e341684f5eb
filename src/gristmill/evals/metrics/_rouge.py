"""ROUGE-1/2/L/Lsum F-measures with Google's ``rouge-score`` package.

Conventions (those of most published summarisation results):

- Porter stemming is on; ``rouge-score``'s tokeniser lower-cases and keeps ASCII letters and digits.
- Several references: each ROUGE type takes the reference with the highest F-measure
  (``RougeScorer.score_multi``), i.e. the max over references.
- ``rougeLsum`` is the summary-level LCS over sentences; ``rouge-score`` finds them at line breaks,
  and its own splitter needs nltk's ``punkt`` (not available offline), so with
  ``split_sentences=True`` sentences are put on their own lines by a regular expression first.
  Other ROUGE types ignore line breaks, so this changes ``rougeLsum`` only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gristmill.errors import InvalidInputError, missing_dependency
from gristmill.evals.metrics._metric import BaseMetric
from gristmill.evals.metrics._text_normalization import split_sentences

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")
_VALID_TYPE_NAMES = {"rougeL", "rougeLsum", *(f"rouge{n}" for n in range(1, 10))}


def _load_scorer_class() -> Any:
    try:
        from rouge_score.rouge_scorer import RougeScorer
    except ImportError as exc:
        raise missing_dependency("rouge-score", "eval", "the ROUGE metric") from exc
    return RougeScorer


def lines_of_sentences(text: str) -> str:
    """``text`` with one sentence per line, the form ``rougeLsum`` expects."""
    return "\n".join(split_sentences(text))


class RougeMetric(BaseMetric):
    """ROUGE F-measures per row (0 to 1), max over references."""

    higher_is_better = True
    description = (
        "ROUGE-1/2/L/Lsum F-measure (rouge-score, Porter stemming, max over references), 0 to 1"
    )

    def __init__(
        self,
        rouge_types: Sequence[str] = ROUGE_TYPES,
        *,
        use_stemmer: bool = True,
        split_sentences: bool = True,
        name: str = "rouge",
    ) -> None:
        unknown = [t for t in rouge_types if t not in _VALID_TYPE_NAMES]
        if unknown or not rouge_types:
            raise InvalidInputError(
                f"unknown ROUGE types {unknown or list(rouge_types)}",
                hint="use rouge1..rouge9, rougeL or rougeLsum",
            )
        self.name = name
        self.sub_metrics = tuple(rouge_types)
        self.use_stemmer = use_stemmer
        self.split_sentences = split_sentences
        self._scorer: Any = None

    def _get_scorer(self) -> Any:
        if self._scorer is None:
            from rouge_score.tokenizers import DefaultTokenizer

            # The same tokenizer rouge-score picks by default, passed explicitly: without it the
            # scorer logs through absl, whose first call runs logging.basicConfig() and binds a
            # root handler to the stderr of that moment (breaking later logs of the host app).
            self._scorer = _load_scorer_class()(
                list(self.sub_metrics),
                use_stemmer=self.use_stemmer,
                tokenizer=DefaultTokenizer(use_stemmer=self.use_stemmer),
            )
        return self._scorer

    def score_rows(
        self, predictions: list[str], references: list[list[str]], inputs: list[str | None] | None
    ) -> dict[str, list[float]]:
        scorer = self._get_scorer()
        prepare = lines_of_sentences if self.split_sentences else str
        result: dict[str, list[float]] = {name: [] for name in self.sub_metrics}
        for prediction, row_references in zip(predictions, references, strict=True):
            scores = scorer.score_multi([prepare(r) for r in row_references], prepare(prediction))
            for name in self.sub_metrics:
                result[name].append(float(scores[name].fmeasure))
        return result
