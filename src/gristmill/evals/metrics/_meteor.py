"""METEOR with nltk's ``meteor_score`` and WordNet 3.0 from Debian's packages.

Texts are tokenised with a regular expression (words with inner apostrophes, and punctuation
marks), since nltk's ``punkt``-based ``word_tokenize`` is not available offline; nltk then
lower-cases, stems and matches synonyms through WordNet. Several references: the best one counts
(nltk's own rule). Scores are 0 to 1.
"""

from __future__ import annotations

import os
from typing import Any

from gristmill.errors import missing_dependency
from gristmill.evals.metrics._metric import BaseMetric
from gristmill.evals.metrics._text_normalization import word_tokens
from gristmill.evals.metrics._wordnet import load_wordnet


class MeteorMetric(BaseMetric):
    """METEOR per row (nltk, WordNet synonyms, Porter stems), max over references."""

    higher_is_better = True
    description = "METEOR (nltk with WordNet 3.0, max over references), 0 to 1"

    def __init__(
        self,
        *,
        alpha: float = 0.9,
        beta: float = 3.0,
        gamma: float = 0.5,
        wordnet_dir: str | os.PathLike[str] | None = None,
        name: str = "meteor",
    ) -> None:
        self.name = name
        self.sub_metrics = (name,)
        self.alpha = alpha
        self.beta = beta
        self.gamma = gamma
        self.wordnet_dir = wordnet_dir

    def score_rows(
        self, predictions: list[str], references: list[list[str]], inputs: list[str | None] | None
    ) -> dict[str, list[float]]:
        wordnet = load_wordnet(self.wordnet_dir)
        meteor_score = _meteor_function()
        values = [
            float(
                meteor_score(
                    [word_tokens(reference) for reference in row_references],
                    word_tokens(prediction),
                    wordnet=wordnet,
                    alpha=self.alpha,
                    beta=self.beta,
                    gamma=self.gamma,
                )
            )
            for prediction, row_references in zip(predictions, references, strict=True)
        ]
        return {self.sub_metrics[0]: values}


def _meteor_function() -> Any:
    try:
        from nltk.translate.meteor_score import meteor_score
    except ImportError as exc:
        raise missing_dependency("nltk", "eval", "the METEOR metric") from exc
    return meteor_score
