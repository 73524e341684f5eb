"""The deterministic fake embedding, for tests and examples: no model file, no network.

A text's vector counts its words, each hashed into one of ``dim - 1`` buckets with a hashed
sign (+1 or -1, so words that share a bucket cancel out on average instead of making unrelated
texts look alike); common English function words are left out. Texts that share *content*
words land near each other and unrelated texts near zero, which is all most tests need from a
model ("similar texts are similar"). The last component is a small constant, so a text with no
counted word still has a direction (the same for all such texts) instead of a zero vector. The
hash is CRC-32, not Python's salted ``hash()``, so the vectors are the same in every process
and on every machine::

    register_embedding("words", FakeEmbedding())
    ds.compute_embedding("words", "text")

It is exported but never registered by Gristmill itself: a project chooses to use it.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from gristmill.embed._model import EmbeddingModel
from gristmill.errors import InvalidInputError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatMatrix = npt.NDArray[np.float32]

DEFAULT_DIM = 256
# Small next to a word's count of 1, so it only decides the direction of a text with no words.
_BIAS = 0.01
_WORD = re.compile(r"\w+")
ENGLISH_STOP_WORDS: frozenset[str] = frozenset(
    (
        *("a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at"),
        *("be", "been", "before", "but", "by", "can", "could", "did", "do", "does", "for"),
        *("from", "had", "has", "have", "he", "her", "here", "him", "his", "how", "i", "if"),
        *("in", "into", "is", "it", "its", "just", "me", "more", "my", "no", "not", "of"),
        *("on", "or", "our", "out", "she", "so", "some", "than", "that", "the", "their"),
        *("them", "then", "there", "these", "they", "this", "those", "to", "up", "us", "very"),
        *("was", "we", "were", "what", "when", "where", "which", "who", "why", "will", "with"),
        *("would", "you", "your"),
    )
)


class FakeEmbedding(EmbeddingModel):
    """Hashed bag of words: deterministic, instant, L2-normalised like every model.

    ``dim`` is the vector length (at least 2; the default 256 keeps chance collisions of words
    rare); ``seed`` changes the hashing, so two seeds are two different "models" (and say so in
    ``model_id``); ``stop_words`` are the words not counted (``None``:
    :data:`ENGLISH_STOP_WORDS`; ``()``: count every word).
    """

    def __init__(
        self,
        dim: int = DEFAULT_DIM,
        *,
        seed: int = 0,
        stop_words: Iterable[str] | None = None,
        name: str = "fake",
    ) -> None:
        if isinstance(dim, bool) or not isinstance(dim, int) or dim < 2:
            raise InvalidInputError(
                f"a fake embedding needs at least 2 dimensions, got {dim!r}",
                hint=f"pass dim={DEFAULT_DIM} (the default) or any integer >= 2",
            )
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**32:
            raise InvalidInputError(
                f"the fake embedding's seed must be an integer in [0, 2**32), got {seed!r}",
                hint="pass seed=0 (the default) or another small integer",
            )
        self.name = name
        self._dim = dim
        self._seed = seed
        self._stop_words = (
            ENGLISH_STOP_WORDS if stop_words is None else frozenset(w.lower() for w in stop_words)
        )
        # The id names everything that changes the vectors, so stored vectors are never mixed
        # with those of another setting ("same model" checks compare ids).
        words = "" if stop_words is None else f"-stop{_digest(sorted(self._stop_words)):08x}"
        self.model_id = f"gristmill/fake-bag-of-words-{dim}d-seed{seed}{words}"

    @property
    def dim(self) -> int:
        return self._dim

    def _embed(self, texts: list[str]) -> FloatMatrix:
        import numpy as np

        buckets = self._dim - 1
        vectors = np.zeros((len(texts), self._dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                if word not in self._stop_words:
                    code = zlib.crc32(word.encode("utf-8"), self._seed)
                    # Sign from the top bit, bucket from the remainder: as good as independent.
                    vectors[row, code % buckets] += 1.0 if code >> 31 else -1.0
        vectors[:, buckets] = _BIAS
        return vectors


def _digest(words: list[str]) -> int:
    return zlib.crc32("\n".join(words).encode("utf-8"))
