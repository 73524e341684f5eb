"""``wordllama``: static token embeddings, average-pooled; very fast, weaker than MiniLM.

The weights ship inside the ``wordllama`` PyPI package (MIT); loading from the package folder
with downloads disabled keeps it offline.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from gristmill.embed._model import EmbeddingModel
from gristmill.errors import MissingDependencyError, missing_dependency

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatMatrix = npt.NDArray[np.float32]

CONFIG = "l2_supercat"
DIM = 256
BATCH_SIZE = 256

_load_lock = threading.Lock()


class WordLlamaEmbedding(EmbeddingModel):
    """WordLlama ``l2_supercat`` at 256 dimensions, L2-normalised."""

    name = "wordllama"

    def __init__(self) -> None:
        try:
            import wordllama
        except ImportError as exc:
            raise missing_dependency("wordllama", "embed", "the 'wordllama' embedding") from exc
        version = getattr(wordllama, "__version__", "unknown")
        self.model_id = f"wordllama/{CONFIG}_{DIM}@{version}"
        self._model: Any = None

    @property
    def dim(self) -> int:
        return DIM

    def _load(self) -> Any:
        with _load_lock:
            if self._model is None:
                from pathlib import Path

                import wordllama

                try:
                    self._model = wordllama.WordLlama.load(
                        config=CONFIG,
                        dim=DIM,
                        cache_dir=Path(wordllama.__file__).parent,
                        disable_download=True,
                    )
                except (FileNotFoundError, OSError) as exc:
                    raise MissingDependencyError(
                        f"the wordllama weights '{CONFIG}_{DIM}' are not in the installed"
                        f" package: {exc}",
                        hint="reinstall it: pip install --force-reinstall wordllama",
                    ) from exc
            return self._model

    def _embed(self, texts: list[str]) -> FloatMatrix:
        import numpy as np

        model = self._load()
        # WordLlama pads each batch to its longest text; sorted input keeps batches even.
        order = np.argsort(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)))
        # norm=False: its own normalisation divides by zero on empty texts; ours does not.
        vectors = model.embed([texts[i] for i in order.tolist()], norm=False, batch_size=BATCH_SIZE)
        output = np.empty((len(texts), DIM), dtype=np.float32)
        output[order] = vectors
        return output
