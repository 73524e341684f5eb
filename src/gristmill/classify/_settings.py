"""What a classifier is set up with: the settings saved in its file, their defaults and checks."""

from __future__ import annotations

from pydantic import BaseModel

from gristmill.classify._features import DEFAULT_SECOND_WEIGHT
from gristmill.errors import InvalidInputError

# Generation with the embedded SmolLM2 took 5-10 minutes for two classes (issue 13).
DEFAULT_TIME_BUDGET_S = 300.0
# A generated example must be closer to its own description than to any other class's.
DEFAULT_FIT_MARGIN = 0.0
# Self-training (opt-in; benchmarks/bench_classify.py --semi): per class the 100 unlabelled rows
# the model is surest of (probability >= 0.6), weighted 0.3 each, one round. The bolder setting
# that won on emotion's validation split (400 rows, two rounds) lost 3 points on sms_spam and 9
# on davidson, and even this one loses 3 on davidson: it is not a default.
SELF_TRAIN_PER_CLASS = 100
SELF_TRAIN_WEIGHT = 0.3
SELF_TRAIN_ROUNDS = 1
SELF_TRAIN_MIN_PROB = 0.6


class ClassifierSettings(BaseModel):
    examples_per_class: int
    near_duplicate_threshold: float
    generated_weight: float
    description_weight: float
    seed: int
    regularization_c: float | None
    max_rounds: int
    # Files saved before the second embedding existed lack these: they used the first alone.
    second_embedding: str | None = None
    second_embedding_weight: float = DEFAULT_SECOND_WEIGHT
    # Files saved before these existed get today's defaults (they only steer new generation).
    time_budget_s: float | None = DEFAULT_TIME_BUDGET_S
    fit_margin: float | None = DEFAULT_FIT_MARGIN

    def checked(self) -> ClassifierSettings:
        """These settings, or a clear error naming the first one out of range."""
        if self.examples_per_class < 1 or self.max_rounds < 1:
            raise InvalidInputError(
                "examples_per_class and max_rounds must be at least 1",
                hint="e.g. examples_per_class=20",
            )
        if not 0.0 < self.near_duplicate_threshold <= 1.0:
            raise InvalidInputError(
                "near_duplicate_threshold is a cosine in (0, 1], got"
                f" {self.near_duplicate_threshold}",
                hint="0.95 drops near-copies only; 1.0 drops nothing but exact repeats",
            )
        if self.time_budget_s is not None and not self.time_budget_s > 0:
            raise InvalidInputError(
                f"time_budget_s is a number of seconds above 0, got {self.time_budget_s}",
                hint=f"e.g. {DEFAULT_TIME_BUDGET_S:g}; None lets generation run to the end",
            )
        if self.fit_margin is not None and not -1.0 <= self.fit_margin < 1.0:
            raise InvalidInputError(
                f"fit_margin is a cosine difference in [-1, 1), got {self.fit_margin}",
                hint=f"e.g. {DEFAULT_FIT_MARGIN}; None keeps every generated non-repeat",
            )
        if not 0.0 < self.second_embedding_weight < 1.0:
            raise InvalidInputError(
                "second_embedding_weight is the second model's share in (0, 1), got"
                f" {self.second_embedding_weight}",
                hint="e.g. 0.3; to use the first embedding alone pass second_embedding=None",
            )
        return self
