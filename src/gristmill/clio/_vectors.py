"""One run's embeddings, each distinct text embedded once.

A Clio run embeds the same strings several times over: the LLM-free Concerning facet scores the
condensed first user turn, which is the Request facet's value that clustering embeds next; the
keyphrase namer embeds candidate phrases that recur across clusters, levels and facets; and
chats that share their user turns (both sides of a preference pair) give the same texts. On a
CPU the embedding is most of a run's time, so the run shares one ``RunVectors``.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from gristmill.embed import EmbeddingModel

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatMatrix = npt.NDArray[np.float32]


class RunVectors(EmbeddingModel):
    """``model`` with a memory: each distinct text is embedded once for the object's life
    (one run), and repeats within one call are embedded once too. Same ``name``, ``model_id``
    and vectors as ``model``."""

    def __init__(self, model: EmbeddingModel) -> None:
        self.model = model
        self.name = model.name
        self.model_id = model.model_id
        self._vectors: dict[str, Any] = {}
        self._lock = threading.Lock()

    @property
    def dim(self) -> int:
        return self.model.dim

    @property
    def known(self) -> int:
        """Distinct texts embedded so far."""
        return len(self._vectors)

    def _embed(self, texts: list[str]) -> FloatMatrix:
        import numpy as np

        with self._lock:
            missing = [text for text in dict.fromkeys(texts) if text not in self._vectors]
            if missing:
                for text, row in zip(missing, self.model.embed(missing), strict=True):
                    self._vectors[text] = row
            found: FloatMatrix = np.stack([self._vectors[text] for text in texts])
        return found
