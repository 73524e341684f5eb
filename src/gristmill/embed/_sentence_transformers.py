"""``sentence-transformers/<name-or-path>``: any sentence-transformers model on this machine.

Optional (``pip install 'gristmill[sentence-transformers]'``, which brings torch). Models load
from a local folder or the Hugging Face cache only: nothing is downloaded at run time.
"""

from __future__ import annotations

import importlib
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gristmill.embed._model import EmbeddingModel
from gristmill.errors import InvalidInputError, NotFoundError, missing_dependency

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatMatrix = npt.NDArray[np.float32]

FAMILY = "sentence-transformers"
BATCH_SIZE = 64


class SentenceTransformerEmbedding(EmbeddingModel):
    """A sentence-transformers model by local path or cached hub name."""

    def __init__(self, model_name_or_path: str | None = None) -> None:
        if not model_name_or_path:
            raise InvalidInputError(
                f"'{FAMILY}' needs a model: '{FAMILY}/<name-or-path>'",
                hint=f"e.g. '{FAMILY}/all-MiniLM-L6-v2' (cached) or '{FAMILY}//models/my-model'",
            )
        try:
            sentence_transformers = importlib.import_module("sentence_transformers")
        except ImportError as exc:
            raise missing_dependency(
                "sentence-transformers", "sentence-transformers", f"the '{FAMILY}' embeddings"
            ) from exc
        local = Path(model_name_or_path).expanduser()
        self._source = str(local.resolve()) if local.exists() else model_name_or_path
        self.name = f"{FAMILY}/{model_name_or_path}"
        self.model_id = f"{FAMILY}/{self._source}"
        self._library = sentence_transformers
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                try:
                    self._model = self._library.SentenceTransformer(
                        self._source, device="cpu", local_files_only=True
                    )
                except OSError as exc:
                    raise NotFoundError(
                        f"no local sentence-transformers model '{self._source}': {exc}",
                        hint="pass the path of a model folder, or the name of a model already"
                        " in the Hugging Face cache (nothing is downloaded)",
                    ) from exc
            return self._model

    @property
    def dim(self) -> int:
        dimension = self._load().get_sentence_embedding_dimension()
        return int(dimension) if dimension else int(self.embed(["dimension probe"]).shape[1])

    def _embed(self, texts: list[str]) -> FloatMatrix:
        vectors: FloatMatrix = self._load().encode(
            texts,
            batch_size=BATCH_SIZE,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return vectors
