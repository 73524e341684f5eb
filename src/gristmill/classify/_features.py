"""What the classifier sees of a text: its unit vector from the main embedding model, joined
with the unit vector of a second, differently trained model.

Two models that learned differently make different mistakes, and on 25 real examples per class
the joined vector beats either alone. Measured with ``benchmarks/bench_classify.py`` (5 random
draws of the 25 examples): MiniLM joined with WordLlama at weight 0.3 gained +2.0 points of
accuracy on sms_spam, +2.4 on emotion and +0.6 on davidson_hate_offensive over MiniLM alone.
WordLlama is a static (bag of token vectors) model, so the second embedding costs almost
nothing next to MiniLM.

The parts are scaled by ``sqrt(1 - w)`` and ``sqrt(w)``, so the joined vector keeps unit length
and ``w`` is the second model's share of every cosine: ``cos = (1 - w) cos_main + w cos_second``.
Weights near 0.5 helped spam and emotion a little more but hurt hate/offensive, where WordLlama
alone is weak (0.61 against MiniLM's 0.73); 0.3 helped on all three.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from gristmill.embed import EmbeddingModel

DEFAULT_SECOND_EMBEDDING = "wordllama"
DEFAULT_SECOND_WEIGHT = 0.3


class FeatureSpace:
    """``embed(texts)``: the main model's vector, joined with the second model's when there is
    one. ``join`` does the same for vectors computed elsewhere (a dataset's stored embeddings)."""

    def __init__(
        self, main: EmbeddingModel, second: EmbeddingModel | None, second_weight: float
    ) -> None:
        self.main = main
        self.second = second
        self.second_weight = second_weight if second is not None else 0.0

    @property
    def dim(self) -> int:
        return self.main.dim + (self.second.dim if self.second is not None else 0)

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        texts = list(texts)
        second = self.second.embed(texts) if self.second is not None else None
        return self.join(self.main.embed(texts), second)

    def join(
        self,
        main: npt.NDArray[np.float32],
        second: npt.NDArray[np.float32] | None,
    ) -> npt.NDArray[np.float32]:
        import numpy as np

        if self.second is None:
            return main
        assert second is not None and len(second) == len(main)
        weight = self.second_weight
        joined = np.hstack([math.sqrt(1.0 - weight) * main, math.sqrt(weight) * second])
        return joined.astype(np.float32)
